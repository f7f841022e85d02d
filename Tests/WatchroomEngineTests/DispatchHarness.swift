import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomRouting
import WatchroomTestSupport

/// A headless shift for dispatch tests: events folded into a state and answered by a
/// RoutingCore, as the bus and routing service would, with a hand-moved clock.
final class DispatchHarness {
    let map: PrecinctMap
    var core: RoutingCore
    let executor: CommandExecutor
    var state = PrecinctState()
    var log: [EventEnvelope] = []
    var time: Date
    var selected: IncidentID?
    var warnings: (IncidentRecord) -> [String] = { _ in [] }
    private var seq: UInt64 = 0

    static let t0 = ISOTime.parse("2026-11-25T19:48:00.000+08:00") ?? Date(timeIntervalSince1970: 1_795_000_000)

    init(map: PrecinctMap, recommendCount: Int = 5) {
        self.map = map
        core = RoutingCore(map: map, recommendCount: recommendCount)
        executor = CommandExecutor(map: map)
        time = Self.t0
        publish(.shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: .drill, seed: 7)))
    }

    var timeZone: TimeZone { TimeZone(identifier: map.timeZone) ?? TimeZone(secondsFromGMT: 8 * 3600)! }

    func advance(_ seconds: Double) { time = time.addingTimeInterval(seconds) }

    /// Publishes an event and, like the routing service, the engine's answers after it.
    @discardableResult
    func publish(_ event: Event) -> EventEnvelope {
        seq += 1
        let e = EventEnvelope(seq: seq, time: time, event: event)
        state.apply(e)
        log.append(e)
        for reply in core.handle(e) { publish(reply) }
        return e
    }

    func register(_ id: UnitID, _ kind: UnitKind, at p: Point) {
        publish(.unitRegistered(UnitRegistered(id: id, callsign: id.rawValue, kind: kind, name: "Officer \(id)", home: p)))
    }

    /// Runs a command line; publishes its events; returns the outcome.
    @discardableResult
    func run(_ line: String) throws -> CommandOutcome {
        let ctx = CommandContext(now: time, selectedIncident: selected, operatorName: "commander", warnings: warnings)
        let outcome = try executor.execute(line: line, state: state, context: ctx).get()
        for e in outcome.events { publish(e) }
        if case .selectIncident(let id)? = outcome.action { selected = id }
        return outcome
    }

    /// Moves every unit with a route to its destination and marks it on scene.
    func arriveAll(at incident: IncidentID) {
        for unit in state.unitsInOrder where unit.incident == incident && unit.status != .onScene {
            publish(.unitStatus(UnitStatusChange(unit: unit.id, status: .enRoute, incident: incident)))
        }
        for unit in state.unitsInOrder where unit.incident == incident && unit.status != .onScene {
            if let inc = state.incidents[incident] {
                publish(.unitPosition(UnitPosition(unit: unit.id, point: inc.point, road: inc.road)))
            }
            publish(.unitArrived(UnitArrived(unit: unit.id, incident: incident)))
        }
    }

    func sheets(in events: [Event]) -> [DispatchOrderSheet] { events.compactMap(\.orderSheet) }
}
