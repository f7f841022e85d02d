import ArgumentParser
import Foundation
import Logging
import WatchroomCore
import WatchroomEngine
import WatchroomRecords
import WatchroomTerminal
import WatchroomUI

/// A recorded shift played in the console: the live screens over a ``ReplayCursor``.
/// Read-only: whatever the desk would publish is dropped, and commands that would change
/// the world are refused.
final class ReplayFeed: ConsoleFeed, @unchecked Sendable {
    let map: PrecinctMap
    let mode: ShiftMode = .replay
    let headerNote: String?
    private(set) var cursor: ReplayCursor
    private let zone: TimeZone
    private let marks: [TimelineModel.Mark]
    private var lastWall: Date?
    private(set) var generation = 0
    private(set) var isPaused = false
    private var _speed: Double

    /// Commands a replay refuses: they would change what happened.
    static let readOnlyVerbs: Set<String> = ["dispatch", "d", "reinforce", "r", "new", "n", "close", "status", "traffic"]

    init(map: PrecinctMap, cursor: ReplayCursor, speed: Double, timeZone: TimeZone, headerNote: String? = nil) {
        self.map = map
        self.cursor = cursor
        self.zone = timeZone
        self.headerNote = headerNote
        _speed = ReplayCursor.clamp(speed: speed)
        marks = cursor.incidents.map { TimelineModel.Mark(time: $0.time, priority: $0.priority) }
    }

    var state: PrecinctState { cursor.state }
    var lastSeq: UInt64 { cursor.seq }
    func envelopes(after seq: UInt64) -> [EventEnvelope] { Array(cursor.envelopes(after: seq)) }
    func recent() -> [EventEnvelope] { cursor.recent() }
    func now() -> Date { cursor.time }
    var speed: Double {
        get { _speed }
        set { _speed = ReplayCursor.clamp(speed: newValue) }
    }

    func pause() {
        isPaused = true
        lastWall = nil
    }

    func resume() {
        if cursor.atEnd { jump { $0.seek(to: $0.start) } }
        isPaused = false
    }

    func publish(_ event: Event) {}

    func pump() {
        let wall = Date()
        defer { lastWall = isPaused ? nil : wall }
        guard !isPaused, let last = lastWall else { return }
        cursor.advance(byWallSeconds: wall.timeIntervalSince(last), speed: _speed)
        if cursor.atEnd { isPaused = true }
    }

    var timeline: TimelineModel? {
        TimelineModel(start: cursor.start, end: cursor.end, now: cursor.time, marks: marks)
    }

    private func jump(_ move: (inout ReplayCursor) -> Void) {
        move(&cursor)
        generation += 1
    }

    private func at() -> String { ISOTime.format(cursor.time, timeZone: zone) }

    func control(_ control: ReplayControl) -> FeedReply? {
        switch control {
        case .togglePause:
            if isPaused { resume() } else { pause() }
            return FeedReply(message: (isPaused ? "Paused at " : "Playing from ") + at())
        case .faster, .slower:
            speed = control == .faster ? ReplayCursor.faster(than: _speed) : ReplayCursor.slower(than: _speed)
            return FeedReply(message: "Replay speed \(Self.speedText(_speed))")
        case .step:
            pause()
            guard let e = cursor.stepForward() else { return FeedReply(message: "End of the recording.") }
            return FeedReply(message: "Step: #\(e.seq) \(e.event.type) at \(at())")
        case .nextIncident, .previousIncident:
            var mark: ReplayCursor.IncidentMark?
            jump { mark = control == .nextIncident ? $0.nextIncident() : $0.previousIncident() }
            guard let mark else {
                return FeedReply(message: control == .nextIncident ? "No later incident." : "No earlier incident.")
            }
            let number = cursor.state.incidents[mark.id]?.number ?? mark.id.rawValue
            return FeedReply(message: "Incident \(number) P\(mark.priority) reported at \(at())", select: .incident(mark.id))
        case .start:
            jump { $0.seek(to: $0.start) }
            return FeedReply(message: "Start of the shift: \(at())")
        case .end:
            jump { $0.seek(to: $0.end) }
            pause()
            return FeedReply(message: "End of the shift: \(at())")
        }
    }

    static func speedText(_ s: Double) -> String { s == s.rounded() ? "\(Int(s))x" : String(format: "%.1fx", s) }

    func intercept(_ command: String) -> FeedReply? {
        var text = command.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix(":") { text.removeFirst() }
        let words = text.split(separator: " ", maxSplits: 1).map(String.init)
        guard let verb = words.first?.lowercased() else { return nil }
        let rest = words.count > 1 ? words[1].trimmingCharacters(in: .whitespaces) : ""
        if Self.readOnlyVerbs.contains(verb) { return FeedReply(message: ConsoleController.replayReadOnly) }
        switch verb {
        case "goto":
            guard let t = ReplayTime.parse(rest, now: cursor.time, start: cursor.start, end: cursor.end, timeZone: zone)
            else { return nil }  // a place: the desk centres the map on it
            jump { $0.seek(to: t) }
            let clamped = t < cursor.start || t > cursor.end ? " (the shift runs \(ISOTime.format(cursor.start, timeZone: zone)) to \(ISOTime.format(cursor.end, timeZone: zone)))" : ""
            return FeedReply(message: "At \(at())\(clamped)")
        case "speed":
            let number = rest.lowercased().hasSuffix("x") ? String(rest.dropLast()) : rest
            guard let s = Double(number), s.isFinite else {
                return FeedReply(message: "speed needs a number from 1 to 1000, e.g. :speed 60")
            }
            speed = s
            return FeedReply(message: "Replay speed \(Self.speedText(_speed))")
        case "pause":
            pause()
            return FeedReply(message: "Paused at " + at())
        case "resume":
            resume()
            return FeedReply(message: "Playing from " + at())
        default:
            return nil
        }
    }
}

/// `watchroom replay SHIFT` in the console.
enum ReplayConsole {
    struct Options {
        var shift: String
        var map: String?
        var speed: Double
        var at: String?
        var ascii: Bool
        var log: String?
        var observer = false
    }

    static func run(_ o: Options) throws {
        // The file first: a bad recording is an error before any terminal is touched.
        let recording = try load(o.shift)
        let mapPath = o.map ?? DefaultMap.path()
        let precinct = try MapCommand.load(mapPath)
        var note: String?
        if let key = recording.mapKey, key != MapKey(precinct.key) {
            warn("warning: \(o.shift) was recorded on map '\(key.rawValue)', not on '\(precinct.key)' (\(mapPath)); replaying it on this map anyway; give the right one with --map")
            note = "MAP: recorded on \(key.rawValue)"
        }
        var cursor = ReplayCursor(envelopes: recording.envelopes)
        let zone = recording.timeZone
        if let at = o.at {
            guard let t = ReplayTime.parse(at, now: cursor.time, start: cursor.start, end: cursor.end, timeZone: zone) else {
                throw CLIError("--at \(at): give a time such as 21:30, 2026-03-14T21:30:00+08:00, or a duration since the start such as 2h")
            }
            cursor.seek(to: t)
        }
        let environment = ProcessInfo.processInfo.environment
        if case .refused(let why) = CursesBackend.preflight(environment: environment) {
            throw CLIError("\(why.description); without a terminal, use `watchroom replay \(o.shift) --headless`")
        }
        WatchroomLogging.bootstrap(path: o.log)
        let logger = Logger(label: "watchroom")
        logger.info("replaying \(o.shift) (\(recording.envelopes.count) events, \(cursor.snapshotCount) snapshots) on \(mapPath)")
        let feed = ReplayFeed(map: precinct, cursor: cursor, speed: o.speed, timeZone: zone, headerNote: note)
        let backend: CursesBackend
        do {
            backend = try CursesBackend(options: CursesBackend.Options(forceASCII: o.ascii))
        } catch {
            throw CLIError("\(error)")
        }
        let records = try? Start.openRecords(fixture: DefaultMap.resolve(SQLiteRecords.defaultFixturePath),
                                             database: Start.defaultRecordsDatabase(), observer: o.observer, mode: "replay")
        let desk = DispatchDesk(map: precinct, records: records, observer: o.observer)
        let app = ConsoleApp(feed: feed, backend: backend, desk: desk, speed: feed.speed, bell: false)
        let signal = app.run()
        backend.shutdown()
        logger.info("replay stopped")
        if let signal { throw ExitCode(128 + signal) }
    }

    /// The recording, read-only; its warnings on standard error, one a line (the first
    /// 100 skipped lines or rows, then their total).
    /// A file with nothing to replay is an error before any console opens.
    static func load(_ path: String) throws -> Recording {
        guard FileManager.default.fileExists(atPath: path) else { throw CLIError("\(path): no such file") }
        let recording: Recording
        do {
            recording = try Recording.load(path: path)
        } catch {
            let text = "\(error)"
            throw CLIError(text.hasPrefix(path) ? "cannot replay \(text)" : "cannot replay \(path): \(text)")
        }
        for w in recording.warnings { warn("warning: \(w)") }
        guard !recording.envelopes.isEmpty else {
            throw CLIError("\(path): no events to replay")
        }
        return recording
    }

    static func warn(_ line: String) {
        FileHandle.standardError.write(Data((Sanitizer.inert(line) + "\n").utf8))
    }
}
