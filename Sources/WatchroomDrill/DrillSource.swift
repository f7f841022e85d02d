import Foundation
import WatchroomCore
import WatchroomRouting
import WatchroomEngine
import WatchroomSimulation

/// Recorded incident ids renamed in a drill because the trainee's own incident took the id
/// first (`new` gives the next free number). Shared by the source and the scorer.
public final class IncidentAliases: @unchecked Sendable {
    private let lock = NSLock()
    private var byRecorded: [IncidentID: IncidentID] = [:]
    private var byDrill: [IncidentID: IncidentID] = [:]

    public init() {}

    /// The id a recorded incident has in the drill.
    public func drillID(_ recorded: IncidentID) -> IncidentID { lock.withLock { byRecorded[recorded] ?? recorded } }
    /// The recorded id of a drill incident, if it was renamed.
    public func renamed(_ drill: IncidentID) -> IncidentID? { lock.withLock { byDrill[drill] } }

    func add(recorded: IncidentID, drill: IncidentID) {
        lock.withLock {
            byRecorded[recorded] = drill
            byDrill[drill] = recorded
        }
    }
}

/// Plays a recorded shift back as a drill (docs/drills.md): the calls, the surroundings
/// and the unit movements come from the recording at their recorded times; the recorded
/// dispatch decisions and what followed from them are withheld; units the trainee commits
/// are moved by the simulation from that moment on.
///
/// The rules, per recorded event:
/// - passed: `incident.reported` and `incident.updated` (the calls), `camera.status`,
///   `traffic.changed`, `unit.registered`; `unit.position` of units the simulation does
///   not move; `unit.status` that is not a commitment (`OutOfService`, `Busy`, ...) of a unit
///   the day's commander had not committed and the simulation does not move;
///   `incident.closed` of an incident nobody was dispatched to on the day (a cancelled or
///   duplicate call); event types this build does not know (except `order.issued`).
/// - withheld: `shift.started` and `clock.tick` (the drill opens its own shift), `dispatch`,
///   `order.issued`, `route.assigned`, `units.recommended` (the drill's routing engine
///   answers the trainee instead), `unit.arrived`, commitments (`Dispatched`, `EnRoute`,
///   `OnScene`) and every status of a unit while the day's commander had it committed,
///   `incident.closed` of incidents dispatched on the day; positions of units the
///   simulation moves.
/// - A unit the trainee commits (its status in the drill is no longer what the recording
///   gave it) is taken over by the simulation, which drives it to the incident, keeps it
///   on scene and closes the incident after a plausible time on scene, then patrols.
/// - A unit the day's commander dispatched is handed to the simulation at the recorded
///   dispatch and patrols from where it is (its recorded drive to an incident the trainee
///   may not have sent it to is a consequence of a withheld decision).
///
/// Not thread-safe: a ``LiveShift`` calls it from its own queue.
public final class DrillSource: ShiftSource, @unchecked Sendable {
    public let map: PrecinctMap
    /// The recording, in seq order.
    public let recording: [EventEnvelope]
    public let aliases: IncidentAliases
    /// When the recording starts and ends.
    public let startTime: Date
    public let endTime: Date
    /// Recorded events passed and withheld so far, by type.
    public private(set) var passed: [String: Int] = [:]
    public private(set) var withheld: [String: Int] = [:]
    /// Units the simulation took over because the trainee committed them.
    public private(set) var traineeUnits: Set<UnitID> = []
    /// Units handed to the simulation at a withheld recorded dispatch.
    public private(set) var handedOver: Set<UnitID> = []

    private let simulator: ShiftSimulator
    private var next = 0
    private var started = false
    /// Incidents (recorded ids) the day's commander dispatched so far.
    private var dispatchedOnDay: Set<IncidentID> = []
    /// Units committed on the day now, with their incident (recorded id).
    private var committedOnDay: [UnitID: IncidentID] = [:]
    /// What the recording made each unit's status in the drill.
    private var recordedStatus: [UnitID: UnitStatus] = [:]
    private var highestRecorded = 0
    /// Calls made before the drill's start (a drill started part-way into the recording).
    public private(set) var skippedCalls: Set<IncidentID> = []
    /// Units the day's commander had committed when the drill started: handed to the
    /// simulation on the first advance (the state knows them by then).
    private var pendingHandOver: [UnitID] = []

    /// - Parameters:
    ///   - recording: the recorded envelopes (any order; sorted by seq here).
    ///   - seed: the simulation's seed (how long units stay on scene, patrol routes).
    public init(map: PrecinctMap, recording: [EventEnvelope], seed: UInt64 = 1, aliases: IncidentAliases = IncidentAliases(),
                index: RoutingIndex? = nil) {
        self.map = map
        let sorted = recording.sorted { $0.seq < $1.seq }
        self.recording = sorted
        self.aliases = aliases
        startTime = sorted.first?.time ?? Date(timeIntervalSince1970: 0)
        endTime = sorted.map(\.time).max() ?? startTime
        simulator = ShiftSimulator(map: map, config: Self.simulationConfig(seed: seed), index: index)
        for e in sorted {
            if case .incidentReported(let r) = e.event, let n = Self.number(r.id) { highestRecorded = max(highestRecorded, n) }
        }
    }

    /// The simulation of a drill: no calls of its own, no auto-dispatch, no surroundings
    /// (they come from the recording); incidents close after a time on scene.
    public static func simulationConfig(seed: UInt64) -> SimulationConfig {
        SimulationConfig(seed: seed, profile: .quiet, autoDispatch: false, autoClose: true, incidentsPerHour: 0,
                         includeShiftStarted: false, mode: .drill, surroundings: false, scriptedCalls: [])
    }

    /// Whether the simulation moves the unit now.
    public func simulates(_ unit: UnitID) -> Bool { simulator.simulates(unit) }

    /// Whether every recorded event has been played.
    public var isFinished: Bool { next >= recording.count }

    // MARK: - ShiftSource

    /// Opens the drill at `time`: what the recording holds up to then. A drill may start
    /// part-way into the recording: calls made before `time` are left out (with their
    /// updates and closes), each unit appears where it last was, and units the day's
    /// commander had committed then are handed to the simulation.
    public func start(at time: Date) -> [Event] {
        guard !started else { return [] }
        started = true
        _ = simulator.resume(from: PrecinctState(), at: time, only: [])
        var out: [Event] = []
        var lastPosition: [UnitID: Event] = [:]
        let empty = PrecinctState()
        while next < recording.count, recording[next].time <= time {
            let envelope = recording[next]
            next += 1
            let before = envelope.time < time
            guard let e = consider(envelope, state: empty, before: before) else { continue }
            if before, case .unitPosition(let p) = e {
                lastPosition[p.unit] = e
            } else {
                out.append(e)
            }
        }
        let firstPosition = out.firstIndex { if case .unitPosition = $0 { return true }; return false } ?? out.count
        out.insert(contentsOf: lastPosition.keys.sorted().compactMap { lastPosition[$0] }, at: firstPosition)
        pendingHandOver = committedOnDay.keys.sorted()
        return out
    }

    public func advance(to time: Date, state: PrecinctState) -> [Event] {
        if !started { _ = start(at: time) }
        var out: [Event] = []
        if !pendingHandOver.isEmpty {
            let hand = pendingHandOver.filter { committedOnDay[$0] != nil && state.units[$0] != nil && !simulator.simulates($0) }
            pendingHandOver = []
            handedOver.formUnion(hand)
            out += simulator.adopt(hand, state: state)
        }
        // The trainee's decisions: units whose status is not what the recording made it.
        let takeOver = state.unitsInOrder.filter { u in
            !simulator.simulates(u.id) && (u.status.isCommitted || u.status != (recordedStatus[u.id] ?? u.status))
        }.map(\.id)
        if !takeOver.isEmpty { out += simulator.adopt(takeOver, state: state) }
        traineeUnits.formUnion(takeOver)
        // Units the simulation already moved (handed over) that the trainee then sent.
        for u in state.units.values where u.status.isCommitted && handedOver.contains(u.id) { traineeUnits.insert(u.id) }
        while next < recording.count, recording[next].time <= time {
            if let e = consider(recording[next], state: state) { out.append(e) }
            next += 1
        }
        out += simulator.advance(to: time, state: state)
        return out
    }

    // MARK: - The rules

    private func count(_ e: Event, passed pass: Bool) {
        if pass { passed[e.type, default: 0] += 1 } else { withheld[e.type, default: 0] += 1 }
    }

    /// The event to publish for a recorded one, or `nil` when it is withheld.
    private func consider(_ envelope: EventEnvelope, state: PrecinctState, before: Bool = false) -> Event? {
        let e = envelope.event
        if before, case .incidentReported(let r) = e {
            skippedCalls.insert(r.id)
            return nil
        }
        if let id = e.incidentID, skippedCalls.contains(id) {
            // A call made before the drill started: everything about it stays out, but the
            // day's dispatches still say which units were busy with it.
            if case .dispatch(let d) = e { for u in d.units { committedOnDay[u] = d.incident } }
            if case .incidentClosed(let c) = e {
                for (unit, incident) in committedOnDay where incident == c.id { committedOnDay[unit] = nil }
            }
            if case .unitStatus(let s) = e {
                committedOnDay[s.unit] = s.status.isCommitted ? (s.incident ?? committedOnDay[s.unit]) : nil
            }
            if case .dispatch(let d) = e {
                let hand = d.units.filter { !simulator.simulates($0) && state.units[$0] != nil }
                if !hand.isEmpty {
                    handedOver.formUnion(hand)
                    _ = simulator.adopt(hand, state: state)
                }
            }
            count(e, passed: false)
            return nil
        }
        let out = decide(e, state: state)
        count(e, passed: out != nil)
        return out
    }

    private func decide(_ e: Event, state: PrecinctState) -> Event? {
        switch e {
        case .shiftStarted, .clockTick, .routeAssigned, .unitsRecommended, .unitArrived:
            return nil
        case .incidentReported(var r):
            if state.incidents[r.id] != nil || aliases.drillID(r.id) != r.id {
                // The trainee's own incident took the id: the call gets the next free one.
                let taken = Set(state.incidents.keys)
                var n = max(highestRecorded, state.incidents.keys.compactMap(Self.number).max() ?? 0) + 1
                while taken.contains(Self.id(n)) { n += 1 }
                highestRecorded = n
                aliases.add(recorded: r.id, drill: Self.id(n))
                r.id = Self.id(n)
            }
            return .incidentReported(r)
        case .incidentUpdated(var u):
            u.id = aliases.drillID(u.id)
            return .incidentUpdated(u)
        case .incidentClosed(var c):
            let dispatched = dispatchedOnDay.contains(c.id)
            for (unit, incident) in committedOnDay where incident == c.id { committedOnDay[unit] = nil }
            guard !dispatched else { return nil }
            c.id = aliases.drillID(c.id)
            return .incidentClosed(c)
        case .cameraStatus, .trafficChanged:
            return e
        case .unitRegistered(let r):
            if recordedStatus[r.id] == nil || state.units[r.id] == nil { recordedStatus[r.id] = r.status ?? .available }
            return e
        case .unitPosition(let p):
            return simulator.simulates(p.unit) ? nil : e
        case .unitStatus(let s):
            let committedBefore = committedOnDay[s.unit] != nil
            if s.status.isCommitted {
                if let inc = s.incident ?? committedOnDay[s.unit] { committedOnDay[s.unit] = inc }
            } else {
                committedOnDay[s.unit] = nil
            }
            guard !s.status.isCommitted, !committedBefore, !simulator.simulates(s.unit) else { return nil }
            recordedStatus[s.unit] = s.status
            return e
        case .dispatch(let d):
            dispatchedOnDay.insert(d.incident)
            for u in d.units { committedOnDay[u] = d.incident }
            let hand = d.units.filter { !simulator.simulates($0) && state.units[$0] != nil }
            if !hand.isEmpty {
                handedOver.formUnion(hand)
                _ = simulator.adopt(hand, state: state)
            }
            return nil
        case .unknown(let type, _):
            return type == "order.issued" ? nil : e
        }
    }

    static func number(_ id: IncidentID) -> Int? {
        let s = id.rawValue
        guard s.hasPrefix("I") else { return nil }
        return Int(s.dropFirst())
    }

    static func id(_ n: Int) -> IncidentID { IncidentID("I" + String(format: "%04d", n)) }
}
