import Dispatch
import Foundation
import WatchroomCore
import WatchroomRouting

/// The routing engine as a subscriber on the live shift's bus.
///
/// It folds the same events as everyone else into its own ``PrecinctState`` and answers:
/// - a reported (or moved) incident gets a `units.recommended` ranking of the available
///   units by travel time (car profile for cars, foot profile for officers on foot);
/// - a dispatch gets a `route.assigned` for each dispatched unit;
/// - a traffic change patches the live weights (no rebuild), re-routes committed units
///   whose route uses that segment, and re-ranks undispatched incidents.
///
/// All of it runs on the service's own serial queue, never on the thread that draws.
public final class RoutingService: @unchecked Sendable {
    public let map: PrecinctMap
    /// How many units a recommendation lists.
    public let recommendCount: Int

    private let bus: EventBus
    private let queue = DispatchQueue(label: "watchroom.routing")
    private var token: SubscriptionToken?
    private var engine: RoutingCore

    /// - Parameter index: the map's shared routing index (built here when `nil`).
    public init(map: PrecinctMap, bus: EventBus, recommendCount: Int = 5, index: RoutingIndex? = nil) {
        self.map = map
        self.bus = bus
        self.recommendCount = recommendCount
        engine = RoutingCore(index: index ?? RoutingIndex(map: map), recommendCount: recommendCount)
    }

    /// Starts listening. Events already on the bus are folded in first, so a service
    /// started mid-shift knows where every unit is.
    public func start() {
        guard token == nil else { return }
        // History up to here is only folded in; what is published after is answered.
        let startSeq = bus.lastSeq
        token = bus.subscribe(replayingAfter: 0, on: queue) { [weak self] envelope in
            guard let self else { return }
            let replies = self.engine.handle(envelope, replay: envelope.seq <= startSeq)
            for reply in replies { _ = self.bus.publish(reply) }
        }
    }

    /// Stops listening; safe to call twice.
    public func stop() {
        token?.cancel()
        token = nil
    }

    /// Waits until every event delivered so far has been handled (for tests and shutdown).
    public func drain() {
        queue.sync {}
    }
}

/// The routing engine's logic without threads: an envelope in, reply events out.
/// ``RoutingService`` runs it on a queue; tests call it directly.
public struct RoutingCore {
    public let map: PrecinctMap
    public let recommendCount: Int
    public private(set) var state = PrecinctState()

    /// Placement, traffic, ranking and point-to-point routes, as the dispatch workflow has them.
    private let routing: DispatchRouting

    /// The road network with the traffic the engine has seen.
    public var network: RoadNetwork { routing.network }

    public init(map: PrecinctMap, recommendCount: Int = 5) {
        self.init(index: RoutingIndex(map: map), recommendCount: recommendCount)
    }

    /// An engine over a map's shared routing index.
    public init(index: RoutingIndex, recommendCount: Int = 5) {
        self.init(routing: DispatchRouting(index: index), recommendCount: recommendCount)
    }

    /// An engine over a dispatch routing it may share with a command executor on the same
    /// thread (one set of live weights and queries; `DispatchRouting` is not thread-safe).
    public init(routing: DispatchRouting, recommendCount: Int = 5) {
        map = routing.map
        self.recommendCount = recommendCount
        self.routing = routing
    }

    /// Folds `envelope` into the engine's state and returns the events it answers with.
    /// With `replay` set (history being caught up on) it only folds.
    public mutating func handle(_ envelope: EventEnvelope, replay: Bool = false) -> [Event] {
        state.apply(envelope)
        if case .trafficChanged = envelope.event { routing.sync(traffic: state.traffic) }
        if replay { return [] }
        switch envelope.event {
        case .incidentReported(let r):
            return recommendation(for: r.id).map { [.unitsRecommended($0)] } ?? []
        case .incidentUpdated(let u) where u.point != nil || u.road != nil:
            return recommendation(for: u.id).map { [.unitsRecommended($0)] } ?? []
        case .dispatch(let order):
            return order.units.compactMap { unit in
                route(unit, to: order.incident, at: envelope.time).map(Event.routeAssigned)
            }
        case .trafficChanged(let t):
            return reroutes(after: t, at: envelope.time)
        default:
            return []
        }
    }

    // MARK: - Answers

    /// Ranks the assignable units for an open incident (leg + road + leg), with how far the
    /// scene lies from the nearest usable road.
    public func recommendation(for id: IncidentID) -> UnitsRecommended? {
        guard let incident = state.incidents[id], incident.isOpen else { return nil }
        let ranked = routing.rank(for: id, in: state, perProfile: recommendCount)
        return UnitsRecommended(incident: id, ranked: Array(ranked.prefix(recommendCount)),
                                sceneOffRoadMeters: routing.sceneOffRoadMeters(incident))
    }

    /// The fastest route for a unit to an incident, as an event payload.
    public func route(_ unitID: UnitID, to incidentID: IncidentID, at time: Date) -> RouteAssigned? {
        guard let unit = state.units[unitID], let incident = state.incidents[incidentID],
              let placed = routing.placedRoute(unit, to: incident) else { return nil }
        let route = placed.route
        return RouteAssigned(
            unit: unitID, incident: incidentID, seconds: placed.seconds, meters: DispatchRouting.tenth(placed.meters),
            legs: route.segments.map { RouteLeg(segment: SegmentKey(map.segments[$0.segment].key), forward: $0.forward) },
            from: placed.from.position.keyed(in: map), to: placed.to.position.keyed(in: map),
            steps: route.steps.map(\.instruction),
            eta: time.addingTimeInterval(placed.seconds))
    }

    private func reroutes(after change: TrafficChanged, at time: Date) -> [Event] {
        var out: [Event] = []
        for unit in state.unitsInOrder {
            guard let incident = unit.incident, unit.status == .dispatched || unit.status == .enRoute,
                  let current = unit.route, current.legs.contains(where: { $0.segment == change.segment })
            else { continue }
            if var fresh = route(unit.id, to: incident, at: time), fresh.legs != current.legs || fresh.seconds != current.seconds {
                let street = map.segments.first { $0.key == change.segment.rawValue }.map { map.streetLabel($0.street) } ?? change.segment.rawValue
                fresh.reroute = change.closed ? "\(street) closed" : "traffic on \(street) (x\(String(format: "%.1f", change.factor)))"
                out.append(.routeAssigned(fresh))
            }
        }
        for incident in state.openIncidents where incident.assignedUnits.isEmpty {
            if let r = recommendation(for: incident.id), r.ranked != incident.recommendation {
                out.append(.unitsRecommended(r))
            }
        }
        return out
    }
}
