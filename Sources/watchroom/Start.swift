import ArgumentParser
import Foundation
import Logging
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomMapFormat
import WatchroomRecords
import WatchroomRouting
import WatchroomSimulation
import WatchroomTerminal

/// What `watchroom` with no subcommand does: the full-screen console on a live
/// (simulated) shift.
struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Open the console on a simulated live shift (the default command).",
        discussion: """
            Keys: arrows or h/j/k/l pan, + and - zoom, Tab moves between panels, Enter selects,
            ? lists every key, : opens the command line, q quits (y confirms).
            Diagnostics go to the log file, never to the terminal.
            """
    )

    @Option(help: "The map file (default: the bundled Jiangbeicheng precinct).")
    var map: String?

    @Option(parsing: .unconditional, help: "Random seed (0 to 2^64-1): the same seed gives the same shift.", transform: Seed.parse)
    var seed: UInt64?

    @Option(help: "Clock speed factor (1 = real time, up to 1000).")
    var speed: Double = 1

    @Option(help: "demo, quiet or busy: how many calls come in.")
    var profile: SimulationProfile = .demo

    @Flag(help: "Draw with ASCII only.")
    var ascii = false

    @Option(name: .customLong("lang"), help: InterfaceLanguage.optionHelp, transform: InterfaceLanguage.argument)
    var lang: InterfaceLanguage?

    @Flag(name: .customLong("no-auto-dispatch"), help: "Leave every dispatch to the commander.")
    var noAutoDispatch = false

    @Option(help: ArgumentHelp("Cars on patrol (default from the simulation).", visibility: .hidden))
    var cars: Int?

    @Option(help: ArgumentHelp("Officers on foot patrol (default from the simulation).", visibility: .hidden))
    var foot: Int?

    @Flag(help: "Demonstration mode: names and phone numbers masked everywhere.")
    var observer = false

    @Option(help: "Also write every dispatch order as JSON Lines here: a file path, unix:/path or tcp:127.0.0.1:PORT.")
    var orders: String?

    @Option(help: "Records fixture (SQL) for background lookups (default: Fixtures/records/jiangbei-records.sql).")
    var records: String?

    @Option(name: .customLong("records-db"), help: "The records database with its audit trail (default: $XDG_DATA_HOME/watchroom/records.sqlite, built from the fixture on first use).")
    var recordsDatabase: String?

    @Option(help: "Alert thresholds in seconds, dispatch/on scene per priority (default p1=60/480,p2=180/900,p3=600/1800).")
    var alerts: String?

    @Flag(name: .customLong("no-bell"), help: "No terminal bell for new priority-1 calls.")
    var noBell = false

    @Option(help: "Record the shift to this SQLite file (default: $XDG_DATA_HOME/watchroom/shifts/DATE-TIME.shift). If it already holds a shift, you are asked: resume it, replay it, or quit.")
    var shift: String?

    @Flag(help: "When --shift FILE already holds a shift on this map: continue it, appending to the same file.")
    var resume = false

    @Flag(help: "When --shift FILE already holds a shift: replay it (as `watchroom replay FILE`).")
    var replay = false

    @Flag(name: .customLong("no-record"), help: "Do not record the shift.")
    var noRecord = false

    @Option(help: "Log file (default: $XDG_STATE_HOME/watchroom/watchroom.log).")
    var log: String?

    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 1000 else { throw ValidationError("--speed must be above 0 and at most 1000") }
        if let alerts { _ = try AlertPolicy.parse(alerts) }
        if resume && replay { throw ValidationError("--resume and --replay exclude each other") }
        if (resume || replay) && shift == nil { throw ValidationError("--resume and --replay need --shift FILE") }
        if resume && noRecord { throw ValidationError("--resume continues the recording: it cannot go with --no-record") }
    }

    func run() throws {
        let path = map ?? DefaultMap.path()
        let precinct = try MapCommand.load(path)
        // A shift file that already exists: resume it, replay it, or quit (asked before the
        // console takes the screen; scripts say which with --resume or --replay).
        var resuming: Recording?
        if !noRecord, let file = self.shift, FileManager.default.fileExists(atPath: file) {
            switch try Self.offer(file: file, precinct: precinct, resume: resume, replay: replay) {
            case .resume(let recording):
                resuming = recording
            case .replay:
                try ReplayConsole.run(.init(shift: file, map: map, speed: ReplayCursor.clamp(speed: speed), at: nil, ascii: ascii,
                                        log: log, observer: observer, language: InterfaceLanguage.chosen(lang)))
                return
            case .quit:
                return
            }
        } else if resume || replay, let file = self.shift {
            throw CLIError("\(file) does not exist: there is no shift to \(resume ? "resume" : "replay")")
        }
        let environment = ProcessInfo.processInfo.environment
        if case .refused(let why) = CursesBackend.preflight(environment: environment) {
            throw CLIError(why.description)
        }
        WatchroomLogging.bootstrap(path: log)
        let logger = Logger(label: "watchroom")
        // Resuming: the recording folded; the clock goes on from its last event.
        let resumedState = resuming.flatMap { $0.envelopes.isEmpty ? nil : PrecinctState.fold($0.envelopes) }
        let seed = self.seed ?? resumedState?.shift?.seed ?? UInt64(Date().timeIntervalSince1970)
        logger.info("starting on \(path) seed \(seed) speed \(speed)")

        var config = SimulationConfig(seed: seed, profile: profile)
        config.autoDispatch = !noAutoDispatch
        config.includeShiftStarted = false
        if let cars { config.carCount = max(0, min(cars, 500)) }
        if let foot { config.footCount = max(0, min(foot, 500)) }
        let setup = LiveShiftSetup(map: precinct, simulation: config, speed: speed, resuming: resumedState)
        if let resumedState {
            logger.info("resuming \(self.shift ?? "") after seq \(resumedState.lastSeq) at \(ISOTime.format(resumedState.now ?? Date(), timeZone: ISOTime.timeZone(named: precinct.timeZone) ?? .current))")
        }
        // The recording and the orders sink are opened before the terminal, so a refusal is one plain line.
        if !noRecord {
            let file = self.shift ?? LocalData.shiftPath(timeZone: precinct.timeZone)
            do {
                try setup.record(to: file, appending: resuming != nil, watchroomVersion: Watchroom.version)
            } catch {
                throw CLIError("\(error); choose another file with --shift, or --no-record")
            }
        }
        do {
            if let orders { try setup.sendOrders(to: orders) }
        } catch {
            setup.abandon()
            throw error
        }
        let backend: CursesBackend
        do {
            backend = try CursesBackend(options: CursesBackend.Options(forceASCII: ascii))
        } catch {
            setup.abandon()
            throw CLIError("\(error)")
        }
        let recordsDB: SQLiteRecords?
        let recordsPath = records ?? DefaultMap.resolve(SQLiteRecords.defaultFixturePath)
        do {
            recordsDB = try LocalData.openRecords(fixture: recordsPath, database: recordsDatabase ?? LocalData.recordsDatabase(),
                                                  observer: observer, mode: "console")
        } catch {
            if records != nil { backend.shutdown(); setup.abandon(); throw CLIError("\(recordsPath): \(error)") }
            logger.warning("no background records: \(error)")
            recordsDB = nil
        }
        let policy: AlertPolicy
        do { policy = try alerts.map(AlertPolicy.parse) ?? .standard } catch { backend.shutdown(); setup.abandon(); throw error }
        let desk = setup.desk(records: recordsDB, observer: observer, policy: policy)
        setup.start()
        var options = ConsoleApp<CursesBackend>.Options()
        options.language = InterfaceLanguage.chosen(lang)
        let app = ConsoleApp(shift: setup.shift, backend: backend, desk: desk, speed: speed, bell: !noBell, options: options,
                             history: Array(resuming?.envelopes.suffix(20_000) ?? []))
        let signal = app.run()
        backend.shutdown()
        do { try setup.stop() } catch { logger.error("recording: \(error)") }
        desk.closeRecords()
        logger.info("stopped")
        if let signal { throw ExitCode(128 + signal) }
    }
}

extension Start {
    enum Offer {
        case resume(Recording)
        case replay
        case quit
    }

    /// What to do with a `--shift` file that already exists: the flag's answer, else the
    /// commander's, asked on the terminal ("[r]esume, re[p]lay, [q]uit"). Without a
    /// terminal on standard input a flag is required. A file that is not a shift, or (to
    /// resume) one recorded on another map, is refused.
    static func offer(file: String, precinct: PrecinctMap, resume: Bool, replay: Bool) throws -> Offer {
        guard Recording.isSQLite(file) else {
            throw CLIError("\(file) already exists and is not a shift file; choose another file with --shift, or --no-record")
        }
        let recording: Recording
        do {
            recording = try Recording.load(path: file)
        } catch {
            throw CLIError("\(file) cannot be resumed or replayed (\(error)); choose another file with --shift, or --no-record")
        }
        if replay { return .replay }
        if let key = recording.mapKey, key != MapKey(precinct.key) {
            throw CLIError("\(file) holds a shift recorded on map '\(key.rawValue)', not on '\(precinct.key)': it cannot be resumed here; replay it with `watchroom replay \(file) --map MAP`, or choose another file with --shift")
        }
        if resume { return .resume(recording) }
        let zone = recording.timeZone
        let span = recording.envelopes.first.map {
            ISOTime.format($0.time, timeZone: zone) + "–" + ISOTime.format(recording.envelopes[recording.envelopes.count - 1].time, timeZone: zone)
        } ?? "(empty)"
        let holds = "\(file) holds a shift recorded \(span) (\(recording.envelopes.count) events)"
        guard isatty(0) != 0 else {
            throw CLIError("\(holds); give --resume to continue it or --replay to watch it (standard input is not a terminal to ask on)")
        }
        for _ in 0..<5 {
            FileHandle.standardError.write(Data(Sanitizer.inert(holds + ": [r]esume, re[p]lay, [q]uit? ").utf8))
            guard let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased() else { return .quit }
            switch answer {
            case "r", "resume": return .resume(recording)
            case "p", "replay": return .replay
            case "q", "quit", "": return .quit
            default: FileHandle.standardError.write(Data("Answer r, p or q.\n".utf8))
            }
        }
        return .quit
    }
}

extension SimulationProfile: ExpressibleByArgument {}
