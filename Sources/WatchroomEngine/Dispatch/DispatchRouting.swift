import Foundation
import WatchroomCore
import WatchroomRouting

/// Routing for the dispatch workflow: the units that reach an incident soonest, ranked
/// with one one-to-many search per profile (``NearestUnitsQuery``), and one unit's route to
/// one incident with full turn-by-turn steps.
///
/// Places units and incidents on the road network as ``RoutingIndex/access(_:_:_:)`` does
/// (the keyed road position when usable, else the nearest usable road, with the straight
/// off-road leg between the place and the road), so every time and distance it gives is
/// leg + road + leg. Follows the state's traffic with ``sync(traffic:)``. Built over a
/// shared ``RoutingIndex``; holds its own live weights and reusable queries: not
/// thread-safe.
public final class DispatchRouting {
    public let index: RoutingIndex
    public var map: PrecinctMap { index.map }
    public private(set) var network: RoadNetwork
    private let carRoutes: RouteQuery
    private let footRoutes: RouteQuery
    private let carNearest: NearestUnitsQuery
    private let footNearest: NearestUnitsQuery
    private var applied: [SegmentKey: TrafficOverride] = [:]

    /// A route between two places, with where it joins and leaves the roads.
    public struct PlacedRoute {
        public var route: Route
        public var from: RoadAccess
        public var to: RoadAccess
        /// Both off-road legs in metres.
        public var offRoadMeters: Double { from.offRoadMeters + to.offRoadMeters }
        /// Leg + road + leg, in seconds (whole milliseconds, as the ranking counts them).
        public var seconds: Double {
            Double(UInt64(from.offRoadMillis) + UInt64(route.millis) + UInt64(to.offRoadMillis)) / 1000
        }
        /// Leg + road + leg, in metres.
        public var meters: Double { route.meters + offRoadMeters }
    }

    public convenience init(map: PrecinctMap) {
        self.init(index: RoutingIndex(map: map))
    }

    public init(index: RoutingIndex) {
        self.index = index
        network = RoadNetwork(index: index)
        carRoutes = RouteQuery(graph: index.car)
        footRoutes = RouteQuery(graph: index.foot)
        carNearest = NearestUnitsQuery(graph: index.car)
        footNearest = NearestUnitsQuery(graph: index.foot)
    }

    /// The map index of a segment key.
    public func segment(_ key: SegmentKey) -> Int? { index.segmentIndex[key] }

    /// Makes the network's congestion and closures equal to `traffic` (from ``PrecinctState/traffic``).
    public func sync(traffic: [SegmentKey: TrafficOverride]) {
        guard traffic != applied else { return }
        for key in applied.keys where traffic[key] == nil {
            guard let s = index.segmentIndex[key] else { continue }
            network.setCongestion(1, onSegment: s)
            network.setClosed(false, segment: s)
        }
        for (key, t) in traffic where applied[key] != t {
            guard let s = index.segmentIndex[key] else { continue }
            network.setCongestion(max(t.factor, 0.01), onSegment: s)
            network.setClosed(t.closed, segment: s)
        }
        applied = traffic
    }

    /// The road part of the fastest route of `unit` to `incident` under the current traffic, or `nil`.
    public func route(_ unit: UnitRecord, to incident: IncidentRecord) -> Route? {
        placedRoute(unit, to: incident)?.route
    }

    /// The fastest route between two road positions for `profile` under the current traffic.
    public func route(from: RoadPosition, to: RoadPosition, profile: RoutingProfile) -> Route? {
        (profile == .car ? carRoutes : footRoutes).fastest(from: from, to: to, weights: network.weights(for: profile))
    }

    /// The fastest route with the off-road legs at either end.
    public func placedRoute(_ unit: UnitRecord, to incident: IncidentRecord) -> PlacedRoute? {
        let profile = RoutingProfile(unit.kind)
        guard let from = access(unit.road, unit.position, profile),
              let to = access(incident.road, incident.point, profile) else { return nil }
        let query = profile == .car ? carRoutes : footRoutes
        return query.fastest(from: from.position, to: to.position, weights: network.weights(for: profile))
            .map { PlacedRoute(route: $0, from: from, to: to) }
    }

    /// The assignable units of `state` that reach the incident soonest: per profile the
    /// fastest `perProfile`, fastest first overall (ties by unit id), leaving out units in
    /// `excluding` and those no road leads from. Times and metres are leg + road + leg;
    /// metres to a decimetre, as the routing engine writes them.
    ///
    /// - Complexity: one goal-directed one-to-many search per profile.
    public func rank(for incidentID: IncidentID, in state: PrecinctState, perProfile: Int,
                     excluding: Set<UnitID> = []) -> [UnitRecommendation] {
        guard let incident = state.incidents[incidentID], perProfile > 0 else { return [] }
        sync(traffic: state.traffic)
        var out: [UnitRecommendation] = []
        for profile in RoutingProfile.allCases {
            var owners: [UnitRecord] = []
            var places: [RoadAccess] = []
            // assignableUnits is ordered by id, so the query's ties (by index) are ties by id.
            for unit in state.assignableUnits where RoutingProfile(unit.kind) == profile && !excluding.contains(unit.id) {
                guard let a = access(unit.road, unit.position, profile) else { continue }
                owners.append(unit)
                places.append(a)
            }
            guard !owners.isEmpty, let target = access(incident.road, incident.point, profile) else { continue }
            let query = profile == .car ? carNearest : footNearest
            for r in query.nearest(perProfile, of: places, to: target, weights: network.weights(for: profile)) {
                let unit = owners[r.unit]
                out.append(UnitRecommendation(unit: unit.id, seconds: r.seconds, meters: Self.tenth(r.meters),
                                              straightLineMeters: Self.tenth(unit.position.distance(to: incident.point)),
                                              offRoadMeters: Self.tenth(r.offRoadMeters)))
            }
        }
        out.sort { ($0.seconds, $0.unit) < ($1.seconds, $1.unit) }
        return out
    }

    /// How far the incident's scene lies from the nearest road any profile may use, in metres
    /// (to a decimetre); `nil` when no profile may use any road.
    public func sceneOffRoadMeters(_ incident: IncidentRecord) -> Double? {
        RoutingProfile.allCases.compactMap { access(incident.road, incident.point, $0)?.offRoadMeters }.min().map(Self.tenth)
    }

    /// Metres to a decimetre.
    public static func tenth(_ meters: Double) -> Double { (meters * 10).rounded() / 10 }

    /// Where a unit or an incident joins the roads `profile` may use (see
    /// ``RoutingIndex/access(_:_:_:)``).
    func access(_ road: RoadLocation?, _ point: Point, _ profile: RoutingProfile) -> RoadAccess? {
        index.access(road, point, profile)
    }
}
