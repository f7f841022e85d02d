import WatchroomCore

// `RoadLocation` (Core) names a segment by its map key, for events; `RoadPosition` names it
// by its dense index, for the graph.

extension RoadPosition {
    /// The same position with the segment named by its map key, for events.
    public func keyed(in map: PrecinctMap) -> RoadLocation {
        RoadLocation(segment: SegmentKey(map.segments[segment].key), fraction: fraction)
    }

    /// The position of an event's keyed road position, or `nil` when the key is unknown.
    ///
    /// - Parameter segmentIndex: segment key to index, e.g. from ``segmentIndex(of:)``.
    public init?(_ keyed: RoadLocation, segmentIndex: [SegmentKey: Int]) {
        guard let s = segmentIndex[keyed.segment] else { return nil }
        self.init(segment: s, fraction: keyed.fraction)
    }

    /// A segment key to index table for a map.
    ///
    /// - Complexity: O(segments).
    public static func segmentIndex(of map: PrecinctMap) -> [SegmentKey: Int] {
        var out: [SegmentKey: Int] = [:]
        out.reserveCapacity(map.segments.count)
        for (i, s) in map.segments.enumerated() { out[SegmentKey(s.key)] = i }
        return out
    }
}

extension RoutingProfile {
    /// The profile a unit of this kind routes with.
    public init(_ kind: UnitKind) {
        self = kind == .car ? .car : .foot
    }
}
