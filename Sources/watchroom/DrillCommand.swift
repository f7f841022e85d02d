import ArgumentParser
import Foundation
import Logging
import WatchroomConsole
import WatchroomCore
import WatchroomRouting
import WatchroomDrill
import WatchroomEngine
import WatchroomRecords
import WatchroomTerminal

/// `watchroom drill SHIFT`: a recorded shift replayed for a trainee commander, who
/// dispatches its calls; the after-action report at any time and at the end (docs/drills.md).
struct DrillCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drill",
        abstract: "Drill a trainee on a recorded shift: its calls come in again, the trainee dispatches.",
        discussion: """
            The calls, cameras, traffic and unit movements of the recording play at their
            recorded times; its dispatch decisions are withheld. The trainee dispatches in the
            console (d, r, :dispatch ...); from then on the simulation moves the units sent.
            :report (or the end of the drill) gives the after-action report: per call the
            trainee's call-to-dispatch time and ETAs against the day and the best the routing
            engine finds, medians, 90th percentiles, the NFPA 1225 60 s share, histograms.
            --report FILE writes it at the end as Markdown (.md), CSV (.csv) or JSON (.json);
            give it several times for several formats.
            With --script the drill runs headless (training officers, CI): the script language
            of `watchroom run` (at, wait, expect, commands), then on to the recording's end
            (or --until), and the report is printed.
            """
    )

    @Argument(help: "The recorded shift: a .shift file or JSON Lines (e.g. Fixtures/shifts/busy-night.jsonl).")
    var shift: String

    @Option(help: "The map file (default: the bundled map; it must be the map the shift was recorded on).")
    var map: String?

    @Option(help: "Clock speed factor (1 = real time, up to 1000).")
    var speed: Double = 1

    @Option(help: "Write the after-action report at the end to this file: .md, .csv or .json (repeatable).")
    var report: [String] = []

    @Option(help: "Run headless: a script of console commands (docs/commands.md; '-' for standard input).")
    var script: String?

    @Option(help: "Headless: end the drill at this time (21:55, ISO 8601 with offset, or a duration since the start such as 150m) instead of the recording's end.")
    var until: String?

    @Flag(help: "Headless: print every event of the drill as JSON Lines instead of messages and the report.")
    var jsonl = false

    @Option(help: "Start part-way into the recording: a time (21:55 on the shift's night, or ISO 8601 with offset) or a duration since its start (2h). Calls made before are left out.")
    var from: String?

    @Option(help: "The trainee's name, for the report.")
    var trainee: String?

    @Option(parsing: .unconditional, help: "Seed of the simulation that moves the trainee's units (0 to 2^64-1).", transform: Seed.parse)
    var seed: UInt64 = 1

    @Option(name: .customLong("record"), help: "Record the drill to this new SQLite shift file (default: $XDG_DATA_HOME/watchroom/shifts/drill-DATE-TIME.shift). Replay it later with `watchroom replay`.")
    var recordTo: String?

    @Flag(name: .customLong("no-record"), help: "Do not record the drill.")
    var noRecord = false

    @Option(help: "Records fixture (SQL) for background lookups (default: Fixtures/records/jiangbei-records.sql).")
    var records: String?

    @Option(name: .customLong("records-db"), help: "The records database with its audit trail, where every lookup is audited (default: $XDG_DATA_HOME/watchroom/records.sqlite, built from the fixture on first use).")
    var recordsDatabase: String?

    @Flag(help: "Demonstration mode: names and phone numbers masked everywhere.")
    var observer = false

    @OptionGroup var display: ConsoleDisplayOptions

    @Option(help: "Log file (default: $XDG_STATE_HOME/watchroom/watchroom.log).")
    var log: String?

    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 1000 else { throw ValidationError("--speed must be above 0 and at most 1000") }
        for path in report where AfterActionReport.Format.of(path: path) == nil {
            throw ValidationError("--report \(path): give a file ending in .md, .csv or .json")
        }
    }

    func run() throws {
        let precinct = try MapCommand.load(map ?? DefaultMap.path())
        let recording: Recording
        do {
            recording = try Recording.load(path: shift)
        } catch {
            let text = "\(error)"
            throw CLIError(text.hasPrefix(shift) ? text : "\(shift): \(text)")
        }
        // One a line: the first 100 skipped lines or rows, then their total.
        for warning in recording.warnings { ScriptRunner.report(warning) }
        guard let first = recording.envelopes.first else { throw CLIError("\(shift): no events to drill on") }
        if let key = recording.mapKey, key.rawValue != precinct.key {
            throw CLIError("\(shift) was recorded on map \(key.rawValue), not \(precinct.key); give its map with --map")
        }
        for path in report { try Self.checkWritable(path) }
        let name = (shift as NSString).lastPathComponent
        let end = recording.envelopes.map(\.time).max() ?? first.time
        let startAt = try from.map { try Self.time($0, start: first.time, end: end, timeZone: recording.timeZone, what: "--from") }
            ?? first.time
        let stopAt = try until.map { try Self.time($0, start: first.time, end: end, timeZone: recording.timeZone, what: "--until") }
        if let stopAt, stopAt < startAt {
            throw CLIError("--until \(until ?? ""): before the drill's start \(ISOTime.format(startAt, timeZone: recording.timeZone))")
        }
        if let script {
            try headless(precinct: precinct, recording: recording.envelopes, name: name, script: script, start: first.time,
                         from: startAt, stopAt: stopAt)
        } else {
            try console(precinct: precinct, recording: recording.envelopes, name: name, from: startAt)
        }
    }

    /// `21:55` or `21:55:30` as seconds after midnight.
    static func timeOfDay(_ text: String) -> TimeInterval? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }) else { return nil }
        let v = parts.compactMap { Int($0) }
        guard v.count == parts.count, v[0] < 24, v[1] < 60, v.count < 3 || v[2] < 60 else { return nil }
        return TimeInterval(v[0] * 3600 + v[1] * 60 + (v.count == 3 ? v[2] : 0))
    }

    /// `--from`: an ISO 8601 time, a 24-hour `HH:MM[:SS]` on the recording's night (the
    /// first such time after its start), or a duration since its start; within the recording.
    static func time(_ text: String, start: Date, end: Date, timeZone: TimeZone, what: String) throws -> Date {
        var t: Date?
        if let iso = ISOTime.parse(text) {
            t = iso
        } else if let clock = Self.timeOfDay(text) {
            // A time of day: the first one at or after the start.
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = timeZone
            let midnight = calendar.startOfDay(for: start)
            var candidate = midnight.addingTimeInterval(clock)
            if candidate < start { candidate = calendar.date(byAdding: .day, value: 1, to: midnight)?.addingTimeInterval(clock) ?? candidate }
            t = candidate
        } else if let d = ScriptLine.duration(text) {
            t = start.addingTimeInterval(d)
        }
        guard let t else {
            throw CLIError("\(what) \(text): give a time such as 21:55, an ISO 8601 time with offset, or a duration such as 2h")
        }
        guard t >= start, t <= end else {
            throw CLIError("\(what) \(text): the recording runs from \(ISOTime.format(start, timeZone: timeZone)) to \(ISOTime.format(end, timeZone: timeZone))")
        }
        return t
    }

    // MARK: - Headless

    private func headless(precinct: PrecinctMap, recording: [EventEnvelope], name: String, script: String, start: Date,
                          from: Date, stopAt: Date?) throws {
        let lines = try ScriptRunner.read(script)
        var target = DrillTarget(HeadlessDrill(map: precinct, recording: recording, name: name, seed: seed, from: from))
        target.drill.scorer.trainee = trainee
        let end = stopAt ?? target.drill.endTime
        let desk = try ScriptRunner.desk(map: precinct, records: records, database: recordsDatabase, observer: observer, mode: "drill")
        defer { desk.closeRecords() }
        let box = target
        desk.report = { _, _ in box.drill.report().lines(width: 100) }
        let runner = ScriptRunner(lines: lines, scriptName: script, desk: desk, start: start, stopAt: end, jsonl: jsonl,
                                  timeZone: ISOTime.timeZone(named: precinct.timeZone) ?? .current)
        let failures = try runner.run(&target)
        // The drill is over: calls never dispatched are missed.
        let result = target.drill.scorer.report(now: target.time, finished: true)
        if !jsonl {
            say("\(target.envelopes.count) events, \(target.state.incidents.count) incidents, until \(ISOTime.format(target.time, timeZone: runner.timeZone))")
            say("")
            say(result.lines(width: 100).joined(separator: "\n"))
        }
        try write(result)
        if failures > 0 { throw ExitCode(1) }
    }

    // MARK: - Console

    private func console(precinct: PrecinctMap, recording: [EventEnvelope], name: String, from: Date) throws {
        let environment = ProcessInfo.processInfo.environment
        if case .refused(let why) = CursesBackend.preflight(environment: environment) {
            throw CLIError(why.description)
        }
        WatchroomLogging.bootstrap(path: log)
        let logger = Logger(label: "watchroom.drill")
        logger.info("drill on \(shift) speed \(speed) seed \(seed)")
        let aliases = IncidentAliases()
        // One road network and one set of indexes for the simulation, scorer, engine and console.
        let index = RoutingIndex(map: precinct)
        let source = DrillSource(map: precinct, recording: recording, seed: seed, aliases: aliases, index: index)
        let drillScorer = DrillScorer(map: precinct, recording: recording, aliases: aliases, name: name, index: index)
        drillScorer.trainee = trainee
        let scorer = LockedScorer(drillScorer)
        let setup = LiveShiftSetup(map: precinct, source: source, mode: .drill, seed: seed, start: from, speed: speed, index: index)
        let token = setup.shift.bus.subscribe(replayingAfter: 0) { scorer.ingest($0) }

        // A drill is recorded like a live shift (mode drill), opened before the terminal so
        // a refusal is one plain line; the trainee's dispatches are on disk before shown sent.
        if !noRecord {
            let file = recordTo ?? LocalData.shiftPath(timeZone: precinct.timeZone, prefix: "drill-")
            do {
                try setup.record(to: file, appending: false, watchroomVersion: Watchroom.version)
            } catch {
                token.cancel()
                throw CLIError("\(error); choose another file with --record, or --no-record")
            }
        }

        let backend: CursesBackend
        do {
            backend = try CursesBackend(options: CursesBackend.Options(forceASCII: display.ascii))
        } catch {
            setup.abandon()
            throw CLIError("\(error)")
        }
        let recordsPath = records ?? DefaultMap.resolve(SQLiteRecords.defaultFixturePath)
        let recordsDB: SQLiteRecords?
        do {
            recordsDB = try LocalData.openRecords(fixture: recordsPath, database: recordsDatabase ?? LocalData.recordsDatabase(),
                                                  observer: observer, mode: "drill")
        } catch {
            if records != nil { backend.shutdown(); setup.abandon(); throw CLIError("\(recordsPath): \(error)") }
            logger.warning("no background records: \(error)")
            recordsDB = nil
        }
        let desk = setup.desk(records: recordsDB, observer: observer)
        let end = source.endTime
        let unicode = !display.ascii
        desk.report = { _, now in scorer.report(now: now, finished: now >= end).lines(width: 100, ascii: !unicode) }
        setup.start()
        var options = ConsoleApp<CursesBackend>.Options()
        options.language = display.language
        let app = ConsoleApp(shift: setup.shift, backend: backend, desk: desk, speed: speed, bell: !display.noBell, options: options, drillEnd: end)
        let signal = app.run()
        backend.shutdown()
        let now = setup.clock.now()
        setup.shift.stop()
        // The scorer's subscription catches up with the last events.
        Thread.sleep(forTimeInterval: 0.3)
        token.cancel()
        do { try setup.stop() } catch { logger.error("recording: \(error)") }
        desk.closeRecords()
        // Quitting ends the drill: calls never dispatched are missed.
        let result = scorer.report(now: now, finished: true)
        try write(result)
        if !report.isEmpty { say("After-action report written to \(report.joined(separator: ", "))") }
        logger.info("drill stopped")
        if let signal { throw ExitCode(128 + signal) }
    }

    // MARK: - Report files

    private func write(_ result: AfterActionReport) throws {
        for path in report {
            guard let format = AfterActionReport.Format.of(path: path) else { continue }
            do {
                try Data(try result.export(format).utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
            } catch {
                throw CLIError("--report \(path): cannot write (\(error.localizedDescription))")
            }
        }
    }

    /// Refuses a report file whose folder does not exist, before the drill starts.
    static func checkWritable(_ path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        var isDir: ObjCBool = false
        if !dir.isEmpty, !(FileManager.default.fileExists(atPath: dir, isDirectory: &isDir) && isDir.boolValue) {
            throw CLIError("--report \(path): no such folder \(dir)")
        }
    }
}

/// A headless drill as a script target.
final class DrillTarget: ScriptTarget {
    var drill: HeadlessDrill
    init(_ drill: HeadlessDrill) { self.drill = drill }
    var state: PrecinctState { drill.state }
    var time: Date { drill.time }
    var envelopes: [EventEnvelope] { drill.envelopes }
    func run(until end: Date) { drill.run(until: end) }
    func publish(_ event: Event, at time: Date) { drill.publish(event, at: time) }
}

/// The scorer of a console drill: fed by a bus subscription, read by the desk's queue.
final class LockedScorer: @unchecked Sendable {
    private let lock = NSLock()
    private let scorer: DrillScorer
    init(_ scorer: DrillScorer) { self.scorer = scorer }
    func ingest(_ envelope: EventEnvelope) { lock.withLock { scorer.ingest(envelope) } }
    func report(now: Date, finished: Bool) -> AfterActionReport { lock.withLock { scorer.report(now: now, finished: finished) } }
}
