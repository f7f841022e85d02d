import Foundation
import WatchroomCore

/// A recorded shift worked out for export: the state the events lead to, every unit's
/// track, every planned route, and what could not be used.
///
/// Pure: events in, values out. The recording is read elsewhere (a shift file through
/// `ShiftStore`, JSON Lines through `EventLogReader`) and its unreadable lines are handed
/// in as `skipped`.
public struct ShiftDigest: Sendable {
    /// One position of a unit, when it was reported.
    public struct TrackPoint: Hashable, Sendable {
        public var time: Date
        public var point: Point
    }

    /// A route the routing engine planned, when it was planned.
    public struct PlannedRoute: Hashable, Sendable {
        public var time: Date
        public var route: RouteAssigned
    }

    /// One dispatch order, when it was given.
    public struct Order: Hashable, Sendable {
        public var time: Date
        public var order: DispatchOrder
    }

    public let map: PrecinctMap
    public let timeZone: TimeZone
    /// The state after the last event.
    public let state: PrecinctState
    public let tracks: [UnitID: [TrackPoint]]
    public let routes: [PlannedRoute]
    public let orders: [Order]
    /// When the recording ends (its last event).
    public let end: Date?
    /// What was left out, one line each ("line 12: ...", "event 40: incident I9 was never reported").
    public let skipped: [String]

    /// Folds `envelopes` (in recorded order) through the reducer.
    public init(map: PrecinctMap, envelopes: [EventEnvelope], skipped: [String] = []) {
        self.map = map
        var state = PrecinctState()
        var tracks: [UnitID: [TrackPoint]] = [:]
        var routes: [PlannedRoute] = []
        var orders: [Order] = []
        var notes = skipped
        var zone = ISOTime.timeZone(named: map.timeZone) ?? TimeZone(identifier: "UTC") ?? .current
        var unreported: Set<IncidentID> = []
        for e in envelopes {
            if let incident = e.event.incidentID, state.incidents[incident] == nil, e.event.type != EventType.incidentReported,
               unreported.insert(incident).inserted {
                notes.append("event \(e.seq) (\(e.event.type)): incident \(incident.rawValue) was never reported; its events are left out")
            }
            switch e.event {
            case .shiftStarted(let s):
                if let z = ISOTime.timeZone(named: s.timeZone) { zone = z }
            case .unitRegistered(let u):
                if tracks[u.id] == nil { tracks[u.id] = [TrackPoint(time: e.time, point: u.home)] }
            case .unitPosition(let p):
                guard p.point.x.isFinite, p.point.y.isFinite else {
                    notes.append("event \(e.seq) (unit.position): a position that is not a number")
                    continue
                }
                tracks[p.unit, default: []].append(TrackPoint(time: e.time, point: p.point))
            case .routeAssigned(let r):
                routes.append(PlannedRoute(time: e.time, route: r))
            case .dispatch(let d):
                orders.append(Order(time: e.time, order: d))
            default:
                break
            }
            state.apply(e)
        }
        self.state = state
        self.tracks = tracks
        self.routes = routes
        self.orders = orders
        self.timeZone = zone
        self.end = envelopes.last?.time
        self.skipped = notes
    }

    /// The incidents to export, in the order they were reported: all, or the one named
    /// (by id `I0007`, number `2026-1125-0007`, or the number's last digits `0007`).
    public func incidents(matching wanted: String? = nil) -> [IncidentRecord] {
        let all = state.incidentsInOrder
        guard let wanted, !wanted.isEmpty else { return all }
        return all.filter { inc in
            inc.id.rawValue == wanted || inc.number == wanted
                || (inc.number.map { $0.hasSuffix("-" + wanted) } ?? false)
        }
    }

    /// A time as ISO 8601 with milliseconds and the shift's offset.
    public func iso(_ date: Date) -> String { ISOTime.format(date, timeZone: timeZone) }

    /// WGS 84 of a map point, when the map has an origin.
    public func latLon(_ p: Point) -> LatLon? { map.origin.map { LocalProjection(origin: $0).unproject(p) } }

    /// The status history of `unit` while it worked `incident`: every entry that names the
    /// incident, then the entry that released it (if any).
    public func history(of unit: UnitID, on incident: IncidentID) -> [UnitStatusEntry] {
        guard let entries = state.units[unit]?.history else { return [] }
        var out: [UnitStatusEntry] = []
        var on = false
        for entry in entries {
            if entry.incident == incident {
                out.append(entry)
                on = true
            } else if on {
                out.append(entry)
                on = false
            }
        }
        return out
    }

    /// The map polyline of a planned route, leg by leg, in travel order.
    public func polyline(of route: RouteAssigned) -> [Point] {
        var index: [String: Int] = [:]
        for (i, s) in map.segments.enumerated() { index[s.key] = i }
        var out: [Point] = []
        for leg in route.legs {
            guard let i = index[leg.segment.rawValue] else { continue }
            var line = map.polyline(ofSegment: i)
            if !leg.forward { line.reverse() }
            if let last = out.last, let first = line.first, last == first { line.removeFirst() }
            out += line
        }
        return out
    }
}
