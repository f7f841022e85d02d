import ArgumentParser
import Foundation
import Logging
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomRecords
import WatchroomTerminal

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
        var language: InterfaceLanguage = .english
    }

    static func run(_ o: Options) throws {
        // The file first: a bad recording is an error before any terminal is touched.
        let recording = try load(o.shift)
        let mapPath = o.map ?? DefaultMap.path()
        let precinct = try MapCommand.load(mapPath)
        var note: String?
        if let key = recording.mapKey, key != MapKey(precinct.key) {
            warn("warning: \(o.shift) was recorded on map '\(key.rawValue)', not on '\(precinct.key)' (\(mapPath)); replaying it on this map anyway; give the right one with --map")
            note = (o.ascii ? InterfaceLanguage.english : o.language).t("replay.otherMap", key.rawValue)
        }
        var cursor = ReplayCursor(envelopes: recording.envelopes)
        let zone = recording.timeZone
        if let at = o.at {
            guard let t = ReplayTime.parse(at, now: cursor.time, start: cursor.start, end: cursor.end, timeZone: zone) else {
                throw CLIError("--at \(at): give a time such as 21:30, 2026-03-14T21:30:00+08:00, or a duration since the start such as 2h")
            }
            if let why = ReplayTime.outside(at, at: t, start: cursor.start, end: cursor.end, timeZone: zone) {
                throw CLIError("--at \(why): give a time inside it")
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
        let records = try? LocalData.openRecords(fixture: DefaultMap.resolve(SQLiteRecords.defaultFixturePath),
                                             database: LocalData.recordsDatabase(), observer: o.observer, mode: "replay")
        let desk = DispatchDesk(map: precinct, records: records, observer: o.observer)
        var options = ConsoleApp<CursesBackend>.Options()
        options.language = o.language
        let app = ConsoleApp(feed: feed, backend: backend, desk: desk, speed: feed.speed, bell: false, options: options)
        let signal = app.run()
        backend.shutdown()
        desk.closeRecords()
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
