import Foundation
import WatchroomCore
import WatchroomRouting
import WatchroomEngine

/// Keeps the score of a drill as its events go by: for every recorded call, what the
/// trainee did, what was done on the day and the best the routing engine finds at the
/// moment of the call. Feed it every envelope of the drill's bus, in order; ask for the
/// ``AfterActionReport`` at any time. Pure; not thread-safe.
public final class DrillScorer {
    public let map: PrecinctMap
    public let name: String
    public let timeZone: TimeZone
    /// The trainee's name, for the report.
    public var trainee: String?
    private let aliases: IncidentAliases
    private let routing: DispatchRouting
    private var state = PrecinctState()

    /// On the day, per recorded incident.
    private var dayReports: [IncidentID: IncidentReported] = [:]
    private var dayCalledAt: [IncidentID: Date] = [:]
    private var day: [IncidentID: AfterActionReport.Response] = [:]
    private let startTime: Date

    /// In the drill, per recorded call (drill id).
    private struct Tracked {
        var recordedID: IncidentID
        var reported: IncidentReported
        var calledAt: Date
        var best: [AfterActionReport.UnitETA]
        var fastest: AfterActionReport.UnitETA?
        var trainee: AfterActionReport.Response?
        var reinforcements: [UnitID] = []
    }
    private var tracked: [IncidentID: Tracked] = [:]
    private var order: [IncidentID] = []

    public init(map: PrecinctMap, recording: [EventEnvelope], aliases: IncidentAliases = IncidentAliases(), name: String,
                index: RoutingIndex? = nil) {
        self.map = map
        self.name = name
        self.aliases = aliases
        timeZone = ISOTime.timeZone(named: map.timeZone) ?? TimeZone(identifier: "UTC") ?? .current
        routing = DispatchRouting(index: index ?? RoutingIndex(map: map))
        let sorted = recording.sorted { $0.seq < $1.seq }
        startTime = sorted.first?.time ?? Date(timeIntervalSince1970: 0)
        var calledAt: [IncidentID: Date] = [:]
        for e in sorted {
            switch e.event {
            case .incidentReported(let r):
                if dayReports[r.id] == nil {
                    dayReports[r.id] = r
                    calledAt[r.id] = e.time
                }
            case .dispatch(let d):
                guard day[d.incident] == nil, let call = calledAt[d.incident] else { continue }
                day[d.incident] = AfterActionReport.Response(
                    dispatchedAt: e.time, callToDispatch: e.time.timeIntervalSince(call), by: d.by,
                    units: d.units.map { AfterActionReport.UnitETA(unit: $0, seconds: nil) })
            case .routeAssigned(let r):
                guard r.reroute == nil, var resp = day[r.incident],
                      let k = resp.units.firstIndex(where: { $0.unit == r.unit && $0.seconds == nil }) else { continue }
                resp.units[k].seconds = r.seconds
                day[r.incident] = resp
            default:
                continue
            }
        }
        dayCalledAt = calledAt
    }

    /// Takes one envelope of the drill's bus (in seq order).
    public func ingest(_ envelope: EventEnvelope) {
        state.apply(envelope)
        switch envelope.event {
        case .incidentReported(let r):
            let recordedID = aliases.renamed(r.id) ?? r.id
            var original = r
            original.id = recordedID
            // Only the recorded calls (a trainee's own `new` incident may carry a recorded id).
            guard tracked[r.id] == nil, dayReports[recordedID] == original else { return }
            // The call's time is the recorded one (the drill's clock is the recording's); the
            // drill's event may come up to one tick of its clock later.
            let calledAt = dayCalledAt[recordedID] ?? envelope.time
            let (plan, fastest) = best(for: r.id)
            tracked[r.id] = Tracked(recordedID: recordedID, reported: r, calledAt: calledAt, best: plan, fastest: fastest)
            order.append(r.id)
        case .dispatch(let d):
            guard var t = tracked[d.incident] else { return }
            if t.trainee == nil {
                t.trainee = AfterActionReport.Response(
                    dispatchedAt: envelope.time, callToDispatch: envelope.time.timeIntervalSince(t.calledAt), by: d.by,
                    units: d.units.map { AfterActionReport.UnitETA(unit: $0, seconds: nil) })
            } else {
                t.reinforcements += d.units
            }
            tracked[d.incident] = t
        case .routeAssigned(let r):
            guard r.reroute == nil, var t = tracked[r.incident], var resp = t.trainee,
                  let k = resp.units.firstIndex(where: { $0.unit == r.unit && $0.seconds == nil }) else { return }
            resp.units[k].seconds = r.seconds
            t.trainee = resp
            tracked[r.incident] = t
        default:
            return
        }
    }

    /// The units the response plan would send at the moment of the call, with their ETAs:
    /// the plan's number of fastest units per profile (``DispatchRouting/rank(for:in:perProfile:excluding:)``), the plan's
    /// choice (``ResponsePlanner/choose(plan:ranked:units:)``).
    /// Also the fastest unit of all.
    private func best(for id: IncidentID) -> ([AfterActionReport.UnitETA], AfterActionReport.UnitETA?) {
        guard let incident = state.incidents[id] else { return ([], nil) }
        let ranked = routing.rank(for: id, in: state, perProfile: ResponsePlan.plan(for: incident).units)
        let chosen = ResponsePlanner.choose(plan: ResponsePlan.plan(for: incident), ranked: ranked, units: state.units)
        let seconds = Dictionary(ranked.map { ($0.unit, $0.seconds) }, uniquingKeysWith: { a, _ in a })
        return (chosen.map { AfterActionReport.UnitETA(unit: $0, seconds: seconds[$0]) },
                ranked.first.map { AfterActionReport.UnitETA(unit: $0.unit, seconds: $0.seconds) })
    }

    /// The report at `now`; `finished` when the drill is over (calls never dispatched count
    /// as missed rather than pending).
    public func report(now: Date, finished: Bool) -> AfterActionReport {
        let rows = order.compactMap { id -> AfterActionReport.Row? in
            guard let t = tracked[id] else { return nil }
            let dayResponse = day[t.recordedID]
            let outcome: AfterActionReport.Outcome
            if t.trainee != nil {
                outcome = .dispatched
            } else if dayResponse == nil {
                outcome = .notDispatchedOnTheDay
            } else {
                outcome = finished ? .missed : .pending
            }
            return AfterActionReport.Row(
                incident: id, recordedIncident: t.recordedID, number: t.reported.number, priority: t.reported.priority,
                category: t.reported.category, place: t.reported.place, calledAt: t.calledAt, outcome: outcome,
                trainee: t.trainee, reinforcements: t.reinforcements, day: dayResponse, best: t.best, fastest: t.fastest)
        }
        var report = AfterActionReport(source: name, timeZone: timeZone, start: startTime, now: now, finished: finished, rows: rows)
        report.trainee = trainee
        return report
    }
}
