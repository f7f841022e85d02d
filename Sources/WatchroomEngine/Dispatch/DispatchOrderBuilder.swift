import Foundation
import WatchroomCore
import WatchroomRouting

/// Builds the dispatch order sheet each dispatched unit receives.
public struct DispatchOrderBuilder {
    public let map: PrecinctMap
    public let routing: DispatchRouting
    /// How many nearby available units an order lists besides the assigned ones.
    public var nearbyColleagues = 3
    /// How many cameras an order lists.
    public var cameraLimit = 4

    public init(map: PrecinctMap, routing: DispatchRouting) {
        self.map = map
        self.routing = routing
    }

    /// One sheet per unit in `units` (in that order) for `incident`, as if dispatched at `time`.
    ///
    /// `state` is the state just before (or just after) the dispatch: the incident's other
    /// assigned units and `units` are listed as colleagues of each other. Routes are planned
    /// under `state.traffic`. Caller name and phone go through `mask` (identity in normal
    /// mode, a masking function in observer mode). Units unknown to `state` are skipped.
    public func build(incident id: IncidentID, units: [UnitID], state: PrecinctState, at time: Date,
                      reinforcement: Bool = false, warnings: [String] = [], notes: [String]? = nil,
                      mask: (String) -> String = { $0 }) -> [DispatchOrderSheet] {
        guard let incident = state.incidents[id] else { return [] }
        routing.sync(traffic: state.traffic)
        var routes: [UnitID: DispatchRouting.PlacedRoute] = [:]
        for u in units { if let unit = state.units[u], let r = routing.placedRoute(unit, to: incident) { routes[u] = r } }
        let team = incident.assignedUnits + units.filter { !incident.assignedUnits.contains($0) }
        let teamSet = Set(team)
        let nearby = Array(routing.rank(for: id, in: state, perProfile: nearbyColleagues, excluding: teamSet).prefix(nearbyColleagues))
        let cameras = CameraQuery.forIncident(point: incident.point, map: map, state: state, limit: cameraLimit).map {
            OrderCamera(camera: $0.id, name: $0.camera.name, sees: $0.sees, meters: DispatchRouting.tenth($0.distance), online: $0.online)
        }
        let planNotes = notes ?? ResponsePlan.plan(for: incident).notes

        func colleague(_ u: UnitID) -> OrderColleague? {
            guard let unit = state.units[u] else { return nil }
            var seconds: Double?
            var eta: Date?
            if unit.status == .onScene && unit.incident == id {
                seconds = 0
                eta = nil
            } else if let r = routes[u] {
                seconds = r.seconds
                eta = time.addingTimeInterval(r.seconds)
            } else if let planned = unit.route, planned.incident == id {
                seconds = max(0, planned.eta.timeIntervalSince(time))
                eta = planned.eta
            } else if let r = routing.placedRoute(unit, to: incident) {
                seconds = r.seconds
                eta = time.addingTimeInterval(r.seconds)
            }
            return OrderColleague(unit: u, callsign: unit.callsign, kind: unit.kind,
                                  status: units.contains(u) ? .dispatched : unit.status, assigned: teamSet.contains(u),
                                  seconds: seconds, eta: eta, straightLineMeters: DispatchRouting.tenth(unit.position.distance(to: incident.point)))
        }
        let nearbyColleagues = nearby.compactMap { r -> OrderColleague? in
            guard let unit = state.units[r.unit] else { return nil }
            return OrderColleague(unit: r.unit, callsign: unit.callsign, kind: unit.kind, status: unit.status, assigned: false,
                                  seconds: r.seconds, eta: time.addingTimeInterval(r.seconds), straightLineMeters: r.straightLineMeters)
        }

        return units.compactMap { u -> DispatchOrderSheet? in
            guard let unit = state.units[u] else { return nil }
            let route = routes[u]
            let orderRoute = route.map { r in
                OrderRoute(seconds: r.seconds, meters: DispatchRouting.tenth(r.meters), eta: time.addingTimeInterval(r.seconds),
                           steps: r.route.steps.map { OrderStep(instruction: $0.instruction, street: $0.streetName, meters: DispatchRouting.tenth($0.meters), seconds: $0.seconds) })
            }
            return DispatchOrderSheet(
                unit: u, callsign: unit.callsign, incident: id, number: incident.number, issued: time,
                reinforcement: reinforcement, category: incident.category, priority: incident.priority,
                summary: incident.summary, place: incident.place, point: incident.point, weapon: incident.weapon,
                callerName: incident.callerName.map(mask), callerPhone: incident.callerPhone.map(mask),
                route: orderRoute,
                colleagues: team.filter { $0 != u }.compactMap(colleague) + nearbyColleagues,
                cameras: cameras,
                traffic: route.map { trafficNotes($0.route, state: state) } ?? [],
                warnings: warnings, notes: planNotes)
        }
    }

    /// The slowed or closed segments along a route, in travel order.
    public func trafficNotes(_ route: Route, state: PrecinctState) -> [OrderTraffic] {
        var out: [OrderTraffic] = []
        var seen = Set<SegmentKey>()
        for leg in route.segments {
            let seg = map.segments[leg.segment]
            let key = SegmentKey(seg.key)
            guard let t = state.traffic[key], !seen.contains(key) else { continue }
            seen.insert(key)
            out.append(OrderTraffic(segment: key, street: map.streetLabel(seg.street), factor: t.factor, closed: t.closed))
        }
        return out
    }
}

extension DispatchOrderSheet {
    /// A one-line traffic note for the phone: `Slow: 永平门街 ×2.5` or `Traffic normal on the route`.
    public var trafficNote: String {
        guard !traffic.isEmpty else { return "Traffic normal on the route" }
        return traffic.map { t in
            t.closed ? "Closed: \(t.street)" : "Slow: \(t.street) ×" + String(format: "%.1f", t.factor)
        }.joined(separator: "; ")
    }

    /// The sheet as plain text lines for the console, times in `timeZone`.
    public func lines(timeZone: TimeZone) -> [String] {
        var out: [String] = []
        let num = number ?? incident.rawValue
        out.append("ORDER \(callsign) → \(num)\(reinforcement ? " (reinforcement)" : "")  P\(priority) \(category.words)\(weapon ? " WEAPON" : "")")
        out.append("Place: \(place)")
        out.append("What: \(summary)")
        if let callerPhone { out.append("Caller: \(callerName.map { $0 + " " } ?? "")\(callerPhone)") }
        if let route {
            out.append("Route: \(Int(route.meters.rounded())) m, \(DurationText.compact(route.seconds)), ETA \(ISOTime.format(route.eta, timeZone: timeZone))")
            for s in route.steps { out.append("  \(s.instruction)\(s.meters > 0 ? " (\(Int(s.meters.rounded())) m)" : "")") }
        } else {
            out.append("Route: no road leads there now")
        }
        for c in colleagues {
            let eta = c.seconds.map { $0 == 0 ? "on scene" : "ETA " + DurationText.compact($0) } ?? "no route"
            out.append("Colleague: \(c.callsign) \(c.assigned ? "assigned" : "nearby") \(eta)")
        }
        for c in cameras {
            out.append("Camera: \(c.camera) \(c.name) \(Int(c.meters.rounded())) m\(c.sees ? " sees the scene" : "")\(c.online ? "" : " OFFLINE")")
        }
        out.append("Traffic: \(trafficNote)")
        for w in warnings { out.append("WARNING: \(w)") }
        for n in notes { out.append("Note: \(n)") }
        return out
    }
}
