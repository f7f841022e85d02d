import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomUI

/// A recorded shift played in the console: the live screens over a ``ReplayCursor``.
/// Read-only: whatever the desk would publish is dropped, and commands that would change
/// the world are refused.
public final class ReplayFeed: ConsoleFeed, @unchecked Sendable {
    public let map: PrecinctMap
    public let mode: ShiftMode = .replay
    public let headerNote: String?
    private(set) var cursor: ReplayCursor
    private let zone: TimeZone
    private let marks: [TimelineModel.Mark]
    private var lastWall: Date?
    public private(set) var generation = 0
    public private(set) var isPaused = false
    private var _speed: Double

    public init(map: PrecinctMap, cursor: ReplayCursor, speed: Double, timeZone: TimeZone, headerNote: String? = nil) {
        self.map = map
        self.cursor = cursor
        self.zone = timeZone
        self.headerNote = headerNote
        _speed = ReplayCursor.clamp(speed: speed)
        marks = cursor.incidents.map { TimelineModel.Mark(time: $0.time, priority: $0.priority) }
    }

    public var state: PrecinctState { cursor.state }
    public var lastSeq: UInt64 { cursor.seq }
    public func envelopes(after seq: UInt64) -> [EventEnvelope] { Array(cursor.envelopes(after: seq)) }
    public func recent() -> [EventEnvelope] { cursor.recent() }
    public func now() -> Date { cursor.time }
    public var speed: Double {
        get { _speed }
        set { _speed = ReplayCursor.clamp(speed: newValue) }
    }

    public func pause() {
        isPaused = true
        lastWall = nil
    }

    public func resume() {
        if cursor.atEnd { jump { $0.seek(to: $0.start) } }
        isPaused = false
    }

    public func publish(_ event: Event) {}

    public func pump() {
        let wall = Date()
        defer { lastWall = isPaused ? nil : wall }
        guard !isPaused, let last = lastWall else { return }
        cursor.advance(byWallSeconds: wall.timeIntervalSince(last), speed: _speed)
        if cursor.atEnd { isPaused = true }
    }

    public var timeline: TimelineModel? {
        TimelineModel(start: cursor.start, end: cursor.end, now: cursor.time, marks: marks)
    }

    private func jump(_ move: (inout ReplayCursor) -> Void) {
        move(&cursor)
        generation += 1
    }

    private func at() -> String { ISOTime.format(cursor.time, timeZone: zone) }

    public func control(_ control: ReplayControl) -> FeedReply? {
        switch control {
        case .togglePause:
            if isPaused { resume() } else { pause() }
            return FeedReply(InterfacePhrase(isPaused ? "replay.pausedAt" : "replay.playingFrom", at()))
        case .faster, .slower:
            speed = control == .faster ? ReplayCursor.faster(than: _speed) : ReplayCursor.slower(than: _speed)
            return FeedReply(InterfacePhrase("replay.speed", Self.speedText(_speed)))
        case .step:
            pause()
            guard let e = cursor.stepForward() else { return FeedReply(InterfacePhrase("replay.endOfRecording")) }
            return FeedReply(InterfacePhrase("replay.step", e.seq, e.event.type, at()))
        case .nextIncident, .previousIncident:
            var mark: ReplayCursor.IncidentMark?
            jump { mark = control == .nextIncident ? $0.nextIncident() : $0.previousIncident() }
            guard let mark else {
                return FeedReply(InterfacePhrase(control == .nextIncident ? "replay.noLater" : "replay.noEarlier"))
            }
            let number = cursor.state.incidents[mark.id]?.number ?? mark.id.rawValue
            return FeedReply(InterfacePhrase("replay.incident", number, mark.priority, at()), select: .incident(mark.id))
        case .start:
            jump { $0.seek(to: $0.start) }
            return FeedReply(InterfacePhrase("replay.start", at()))
        case .end:
            jump { $0.seek(to: $0.end) }
            pause()
            return FeedReply(InterfacePhrase("replay.end", at()))
        }
    }

    static func speedText(_ s: Double) -> String { s == s.rounded() ? "\(Int(s))x" : String(format: "%.1fx", s) }

    /// A replay answers its clock and `goto TIME` itself and refuses every command that
    /// would change the shift, by the command's kind.
    public func intercept(_ command: Command) -> FeedReply? {
        if command.kind == .changesShift { return FeedReply(InterfacePhrase("replay.readOnly", command.verb)) }
        switch command {
        case .goto(let text):
            guard let t = ReplayTime.parse(text, now: cursor.time, start: cursor.start, end: cursor.end, timeZone: zone)
            else { return nil }  // a place: the desk centres the map on it
            if let why = ReplayTime.outside(text, at: t, start: cursor.start, end: cursor.end, timeZone: zone) {
                return FeedReply(InterfacePhrase("replay.stillAt", why, at()))
            }
            jump { $0.seek(to: t) }
            return FeedReply(InterfacePhrase("replay.at", at()))
        case .speed(let s):
            speed = s
            return FeedReply(InterfacePhrase("replay.speed", Self.speedText(_speed)))
        case .pause:
            pause()
            return FeedReply(InterfacePhrase("replay.pausedAt", at()))
        case .resume:
            resume()
            return FeedReply(InterfacePhrase("replay.playingFrom", at()))
        default:
            return nil
        }
    }
    public var attached: AttachedConsoles? { nil }
    public var autoDispatch: Bool? { nil }
    public func execute(_ command: Command, selected: IncidentID?) -> DispatchDesk.Result? { nil }
}
