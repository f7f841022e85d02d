import WatchroomCore

/// What routing builds once per map and never changes: the car and foot graphs, a place
/// resolver per profile (its segment grid and name tables) and the segment-key table.
///
/// Immutable and shared: the simulation, the routing engine and the console of one shift
/// use one index; each keeps its own live weights and reusable queries over it.
public final class RoutingIndex: Sendable {
    public let map: PrecinctMap
    public let car: RoadGraph
    public let foot: RoadGraph
    public let carPlaces: PlaceResolver
    public let footPlaces: PlaceResolver
    /// Segment key to index.
    public let segmentIndex: [SegmentKey: Int]

    /// Builds both graphs and both resolvers.
    ///
    /// - Complexity: O(nodes + segments).
    public init(map: PrecinctMap) {
        self.map = map
        car = RoadGraph(map: map, profile: .car)
        foot = RoadGraph(map: map, profile: .foot)
        carPlaces = PlaceResolver(map: map, profile: .car)
        footPlaces = PlaceResolver(profile: .foot, sharingNamesWith: carPlaces)
        segmentIndex = RoadPosition.segmentIndex(of: map)
    }

    public func graph(for profile: RoutingProfile) -> RoadGraph { profile == .car ? car : foot }

    public func places(for profile: RoutingProfile) -> PlaceResolver { profile == .car ? carPlaces : footPlaces }

    /// Where a unit or a scene joins the roads `profile` may use: its keyed road position when
    /// that road is usable (with the straight leg from `point` to it), else the nearest usable
    /// road to `point`; `nil` when the profile may use no road.
    public func access(_ road: RoadLocation?, _ point: Point, _ profile: RoutingProfile) -> RoadAccess? {
        if let road, let p = RoadPosition(road, segmentIndex: segmentIndex), graph(for: profile).isUsable(segment: p.segment) {
            return RoadAccess(point: point, position: p, map: map)
        }
        return places(for: profile).access(point)
    }
}
