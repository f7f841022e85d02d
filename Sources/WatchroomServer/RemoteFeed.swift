import Foundation
import Logging
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol
import WatchroomUI

/// A served shift as a console feed (`watchroom attach`, and plain `watchroom` on its own
/// embedded server): the events come from the server and are folded like everywhere else;
/// the commands that change the shift, its clock or read the records go to the server's
/// one executor and its reply is this console's answer; the rest (the view, help, the
/// summary, routes) run on this console's desk. The clock is the server's: this console
/// shows its speed and pause and keeps none of its own.
///
/// Built before the client connects (it sets the client's callbacks).
public final class RemoteFeed: ConsoleFeed, @unchecked Sendable {
    public let client: ShiftClient
    public let map: PrecinctMap
    public var mode: ShiftMode { .live }
    public let role: Role
    /// The language of the connection's note in the status bar (the console's).
    public var language: InterfaceLanguage {
        get { lock.withLock { _language } }
        set { lock.withLock { _language = newValue } }
    }
    /// Events kept for the ticker and the desk.
    public static let logLimit = 3000

    private let lock = NSCondition()
    private let codec: EventCodec
    private let logger = Logger(label: "watchroom.attach")
    // Guarded by `lock`.
    private var log: [EventEnvelope] = []
    private var snapshotRecent: [EventEnvelope] = []
    private var _generation = 0
    private var presence = Presence(commanders: 0, viewers: 0)
    private var connection = ShiftClient.Connection.connecting
    /// The shift's time at a wall-clock instant; the clock runs on from it at the server's speed.
    private var anchor: (time: Date, wall: Date)?
    private var _language = InterfaceLanguage.english

    public init(client: ShiftClient, map: PrecinctMap) {
        self.client = client
        self.map = map
        role = client.options.role
        codec = EventCodec(timeZone: ISOTime.timeZone(named: map.timeZone) ?? .current)
        client.onEvent = { [weak self] envelope, _ in self?.received(envelope) }
        client.onSnapshot = { [weak self] state, recent in self?.replaced(state, recent: recent) }
        client.onPresence = { [weak self] p in self?.standing(p) }
        client.onConnection = { [weak self] c in self?.lock.withLock { self?.connection = c } }
    }

    // MARK: - From the client (its event loop)

    private func received(_ envelope: EventEnvelope) {
        lock.withLock {
            log.append(envelope)
            if log.count > Self.logLimit + Self.logLimit / 2 { log.removeFirst(log.count - Self.logLimit) }
            let shown = clockNow()
            // The events bring the server's time: the clock follows them, never runs far ahead.
            let time = shown.map { $0 > envelope.time && $0.timeIntervalSince(envelope.time) < max(2, 2 * speedNow) ? $0 : envelope.time }
            anchor = (time ?? envelope.time, Date())
            lock.broadcast()
        }
    }

    private func replaced(_ state: PrecinctState, recent: [String]) {
        let envelopes = recent.compactMap { try? EventCodec.decode($0) }
        lock.withLock {
            snapshotRecent = envelopes
            log.removeAll()
            _generation += 1
            anchor = state.now.map { ($0, Date()) }
        }
    }

    private func standing(_ p: Presence) {
        lock.withLock {
            // The clock stops or changes speed from the time shown now.
            if let t = clockNow() { anchor = (t, Date()) }
            presence = p
        }
    }

    private var speedNow: Double { presence.speed ?? 1 }

    /// The shift's time (under `lock`): frozen while paused or not attached.
    private func clockNow() -> Date? {
        guard let anchor else { return nil }
        guard case .attached = connection, presence.paused != true else { return anchor.time }
        return anchor.time.addingTimeInterval(Date().timeIntervalSince(anchor.wall) * speedNow)
    }

    // MARK: - ConsoleFeed

    public var state: PrecinctState { client.state }
    public var lastSeq: UInt64 { client.lastSeq }
    public var generation: Int { lock.withLock { _generation } }

    public func envelopes(after seq: UInt64) -> [EventEnvelope] {
        lock.withLock {
            guard let last = log.last, last.seq > seq else { return [] }
            guard let first = log.firstIndex(where: { $0.seq > seq }) else { return [] }
            return Array(log[first...])
        }
    }

    public func recent() -> [EventEnvelope] { lock.withLock { snapshotRecent + log } }

    public func now() -> Date { lock.withLock { clockNow() } ?? client.state.now ?? Date() }

    /// The server's speed; set only by a commander's `speed`, which the server runs.
    public var speed: Double {
        get { lock.withLock { speedNow } }
        set { logger.debug("speed \(newValue) is the server's to set") }
    }
    public var isPaused: Bool { lock.withLock { presence.paused ?? false } }
    public func pause() {}
    public func resume() {}

    /// The desk's events: the server's desk publishes them (order sheets, the virtual
    /// commander); this console's desk runs only what changes nothing.
    public func publish(_ event: Event) {
        logger.debug("not published from an attached console: \(event.type)")
    }

    public func pump() {}

    /// A viewer refuses by the command's kind here too (the server refuses anyway).
    public func intercept(_ command: Command) -> FeedReply? {
        guard CommandPolicy.refusal(command, role: role) != nil else { return nil }
        return FeedReply(InterfacePhrase(command.kind == .clock ? "viewer.clock" : "viewer.readOnly", command.verb))
    }

    public func control(_ control: ReplayControl) -> FeedReply? { nil }
    public var timeline: TimelineModel? { nil }

    public var headerNote: String? {
        let (connection, lang) = lock.withLock { (self.connection, _language) }
        switch connection {
        case .attached: return nil
        case .connecting: return lang.t("status.connecting", client.options.endpoint.description)
        case .reconnecting: return lang.t("status.connectionLost")
        case .closed(let why): return lang.t("status.connectionClosed", why)
        }
    }

    /// The consoles on the shift; `nil` (not shown) while not connected, when the counts are old.
    public var attached: AttachedConsoles? {
        lock.withLock {
            guard case .attached = connection else { return nil }
            return AttachedConsoles(commanders: presence.commanders, viewers: presence.viewers)
        }
    }

    public var autoDispatch: Bool? { lock.withLock { presence.auto ?? false } }

    /// What a viewer may not run goes to the server (changes to the shift and its clock,
    /// records lookups, rankings); the server's reply is the answer.
    public func execute(_ command: Command, selected: IncidentID?) -> DispatchDesk.Result? {
        guard CommandPolicy.refusal(command, role: .viewer) != nil else { return nil }
        do {
            let reply = try client.execute(command, selected: selected)
            var result = DispatchDesk.Result(message: reply.message)
            result.failed = !reply.accepted
            if let lines = reply.lines, reply.accepted {
                result.overlay = (reply.title ?? Self.title(of: command, language), lines)
            }
            // What the command was about is selected, as on the console's own shift.
            // The client has folded them; they reach this feed's log a moment later.
            let seqs = Set(reply.seqs), last = reply.seqs.max() ?? 0
            let deadline = Date().addingTimeInterval(2)
            let events = lock.withLock { () -> [EventEnvelope] in
                while (log.last?.seq ?? 0) < last, lock.wait(until: deadline) {}
                return log.filter { seqs.contains($0.seq) }
            }
            switch command {
            case .unitAdd(let id, _, _), .unitMove(let id, _):
                if !events.isEmpty { result.select = .unit(id) }
            default:
                if let id = events.lazy.compactMap({ $0.event.incidentID ?? $0.event.orderSheet?.incident }).first {
                    result.select = .incident(id)
                }
            }
            return result
        } catch {
            var result = DispatchDesk.Result(message: "\(error)")
            result.failed = true
            return result
        }
    }

    private static func title(of command: Command, _ lang: InterfaceLanguage) -> String {
        switch command {
        case .lookup: return lang.t("details.background")
        case .recommend: return lang.t("desk.recommended")
        case .route: return lang.t("desk.route")
        case .report: return lang.t("desk.reportTitle")
        case .help: return lang.t("desk.commands")
        default: return lang.t("overlay.summary")
        }
    }
}
