import WatchroomCore

/// Live traffic on a precinct's roads: a congestion factor and an open/closed flag per segment.
///
/// A factor of 1 is free flow; 2 means travel takes twice as long. Factors below 1 are
/// allowed (a green wave) but must be positive and finite. Traffic is a plain value; apply
/// it to a graph's ``LiveWeights`` to route with it.
public struct Traffic: Sendable, Equatable {
    /// Congestion factor per segment.
    public private(set) var factors: [Double]
    /// Whether each segment is closed to every profile.
    public private(set) var closed: [Bool]

    /// Free-flowing traffic with every road open.
    public init(segmentCount: Int) {
        factors = [Double](repeating: 1, count: segmentCount)
        closed = [Bool](repeating: false, count: segmentCount)
    }

    public init(map: PrecinctMap) { self.init(segmentCount: map.segments.count) }

    public var segmentCount: Int { factors.count }

    public func factor(ofSegment segment: Int) -> Double { factors[segment] }
    public func isClosed(segment: Int) -> Bool { closed[segment] }

    /// Sets the congestion factor of a segment; `factor` must be positive and finite.
    public mutating func setFactor(_ factor: Double, forSegment segment: Int) {
        precondition(factor > 0 && factor.isFinite, "a congestion factor must be positive and finite")
        factors[segment] = factor
    }

    /// Closes or reopens a segment.
    public mutating func setClosed(_ isClosed: Bool, segment: Int) {
        closed[segment] = isClosed
    }
}
