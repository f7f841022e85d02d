import WatchroomCore

/// The arc weights queries use: a graph's base weights with live traffic applied.
///
/// Held per profile, beside the immutable ``RoadGraph``. A traffic change to one segment
/// patches only that segment's arcs (at most two forward and two backward weights).
/// Closed arcs weigh ``RoadGraph/infWeight`` and are never used.
public struct LiveWeights: Sendable {
    public let graph: RoadGraph
    /// Weight per forward arc, in milliseconds.
    public private(set) var forward: [UInt32]
    /// Weight per backward arc (the same value as its forward arc), in milliseconds.
    public private(set) var backward: [UInt32]
    /// The backward graph's arcs with their live weights, `weight << 32 | head`, so a search
    /// reads one word per arc (one memory stream instead of two).
    public private(set) var backwardArcs: [UInt64]
    /// Changes (to a fresh random value) whenever the weights change, so a query can tell
    /// that weights it has seen are still the same and reuse work derived from them.
    public private(set) var version: UInt64

    /// The graph's weights under `traffic` (free flow when `nil`).
    ///
    /// - Complexity: O(arcs).
    public init(graph: RoadGraph, traffic: Traffic? = nil) {
        self.graph = graph
        forward = graph.baseWeight
        backward = graph.backArc.map { graph.baseWeight[Int($0)] }
        backwardArcs = zip(graph.backHead, graph.backArc).map { h, a in UInt64(graph.baseWeight[Int(a)]) << 32 | UInt64(h) }
        version = UInt64.random(in: .min ... .max)
        if let traffic { apply(traffic) }
    }

    /// Re-applies a whole traffic state.
    ///
    /// - Complexity: O(segments).
    public mutating func apply(_ traffic: Traffic) {
        precondition(traffic.segmentCount == graph.segmentCount, "traffic is for another map")
        for s in 0..<graph.segmentCount { patch(segment: s, from: traffic) }
        version = UInt64.random(in: .min ... .max)
    }

    /// Recomputes the arcs of one segment from `traffic` after it changed.
    ///
    /// - Complexity: O(1) (the segment's arcs).
    public mutating func update(segment: Int, from traffic: Traffic) {
        patch(segment: segment, from: traffic)
        version = UInt64.random(in: .min ... .max)
    }

    private mutating func patch(segment: Int, from traffic: Traffic) {
        let factor = graph.profile.feelsCongestion ? traffic.factor(ofSegment: segment) : 1
        let w = traffic.isClosed(segment: segment)
            ? RoadGraph.infWeight
            : RoadGraph.liveWeight(millis: graph.segmentMillis[segment], factor: factor)
        for direction in 0..<2 {
            let a = graph.segmentArcs[2 * segment + direction]
            guard a != RoadGraph.invalidID else { continue }
            forward[Int(a)] = w
            let b = Int(graph.forwardToBackArc[Int(a)])
            backward[b] = w
            backwardArcs[b] = UInt64(w) << 32 | (backwardArcs[b] & 0xFFFF_FFFF)
        }
    }

    /// The live weight of a forward arc.
    @inline(__always) public func weight(ofArc arc: Int) -> UInt32 { forward[arc] }
}
