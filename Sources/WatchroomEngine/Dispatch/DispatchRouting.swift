import Foundation
import WatchroomCore
import WatchroomRouting

/// Routing for the dispatch workflow: one unit to one incident with full turn-by-turn
/// steps, and every assignable unit routed one by one (the brute-force ranking).
///
/// Places units and incidents on the road network exactly as ``RoutingCore`` does (the
/// keyed road position when usable, else the nearest usable road), and follows the
/// state's traffic with ``sync(traffic:)``. Holds reusable queries: not thread-safe.
public final class DispatchRouting {
    public let map: PrecinctMap
    public private(set) var network: RoadNetwork
    private let carRoutes: RouteQuery
    private let footRoutes: RouteQuery
    private let carSnap: PlaceResolver
    private let footSnap: PlaceResolver
    private let segmentIndex: [SegmentKey: Int]
    private var applied: [SegmentKey: TrafficOverride] = [:]

    public init(map: PrecinctMap) {
        self.map = map
        network = RoadNetwork(map: map)
        carRoutes = RouteQuery(graph: network.car)
        footRoutes = RouteQuery(graph: network.foot)
        carSnap = PlaceResolver(map: map, profile: .car)
        footSnap = PlaceResolver(map: map, profile: .foot)
        segmentIndex = RoadPosition.segmentIndex(of: map)
    }

    /// The map index of a segment key.
    public func segment(_ key: SegmentKey) -> Int? { segmentIndex[key] }

    /// Makes the network's congestion and closures equal to `traffic` (from ``PrecinctState/traffic``).
    public func sync(traffic: [SegmentKey: TrafficOverride]) {
        guard traffic != applied else { return }
        for key in applied.keys where traffic[key] == nil {
            guard let s = segmentIndex[key] else { continue }
            network.setCongestion(1, onSegment: s)
            network.setClosed(false, segment: s)
        }
        for (key, t) in traffic where applied[key] != t {
            guard let s = segmentIndex[key] else { continue }
            network.setCongestion(max(t.factor, 0.01), onSegment: s)
            network.setClosed(t.closed, segment: s)
        }
        applied = traffic
    }

    /// The fastest route of `unit` to `incident` under the current traffic, or `nil`.
    public func route(_ unit: UnitRecord, to incident: IncidentRecord) -> Route? {
        placedRoute(unit, to: incident)?.route
    }

    /// The route with the road positions it starts and ends at.
    func placedRoute(_ unit: UnitRecord, to incident: IncidentRecord) -> (route: Route, from: RoadPosition, to: RoadPosition)? {
        let profile = RoutingProfile(unit.kind)
        guard let from = position(unit.road, unit.position, profile),
              let to = position(incident.road, incident.point, profile) else { return nil }
        let query = profile == .car ? carRoutes : footRoutes
        return query.fastest(from: from, to: to, weights: network.weights(for: profile)).map { ($0, from, to) }
    }

    /// Every assignable unit in `state` routed one by one to the incident, fastest first
    /// (ties by unit id); units no road leads from are left out. Metres are rounded to a
    /// decimetre, as the routing engine writes them.
    ///
    /// - Complexity: one route search per assignable unit.
    public func rankAll(for incidentID: IncidentID, in state: PrecinctState) -> [UnitRecommendation] {
        guard let incident = state.incidents[incidentID] else { return [] }
        sync(traffic: state.traffic)
        var out: [UnitRecommendation] = []
        for unit in state.assignableUnits {
            guard let r = route(unit, to: incident) else { continue }
            out.append(UnitRecommendation(unit: unit.id, seconds: r.seconds, meters: Self.tenth(r.meters),
                                          straightLineMeters: Self.tenth(unit.position.distance(to: incident.point))))
        }
        out.sort { ($0.seconds, $0.unit) < ($1.seconds, $1.unit) }
        return out
    }

    /// Metres to a decimetre.
    public static func tenth(_ meters: Double) -> Double { (meters * 10).rounded() / 10 }

    /// Where a unit or an incident stands on the roads `profile` may use: its keyed road
    /// position when usable, else the nearest usable road to its point.
    func position(_ road: RoadLocation?, _ point: Point, _ profile: RoutingProfile) -> RoadPosition? {
        if let road, let p = RoadPosition(road, segmentIndex: segmentIndex), network.graph(for: profile).isUsable(segment: p.segment) {
            return p
        }
        return (profile == .car ? carSnap : footSnap).snap(point)
    }
}
