import ArgumentParser
import Foundation
import Logging
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomMapFormat
import WatchroomRecords
import WatchroomRouting
import WatchroomServer
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

    @OptionGroup var live: LiveShiftOptions

    @Option(help: "demo, quiet or busy: how many calls come in.")
    var profile: SimulationProfile = .demo

    @OptionGroup var display: ConsoleDisplayOptions

    @Flag(help: "Demonstration mode: names and phone numbers masked everywhere.")
    var observer = false

    @Option(help: "Alert thresholds in seconds, dispatch/on scene per priority (default p1=60/480,p2=180/900,p3=600/1800).")
    var alerts: String?

    @Option(help: "Record the shift to this SQLite file (default: $XDG_DATA_HOME/watchroom/shifts/DATE-TIME.shift). If it already holds a shift, you are asked: resume it, replay it, or quit.")
    var shift: String?

    @Flag(help: "When --shift FILE already holds a shift on this map: continue it, appending to the same file.")
    var resume = false

    @Flag(help: "When --shift FILE already holds a shift: replay it (as `watchroom replay FILE`).")
    var replay = false

    @Option(help: "Where other consoles attach (watchroom attach, status): a Unix socket (default: the default socket when no other server holds it, else watchroom-PID.sock beside it).")
    var socket: String?

    func validate() throws {
        if let alerts { _ = try AlertPolicy.parse(alerts) }
        if resume && replay { throw ValidationError("--resume and --replay exclude each other") }
        if (resume || replay) && shift == nil { throw ValidationError("--resume and --replay need --shift FILE") }
        if resume && live.noRecord { throw ValidationError("--resume continues the recording: it cannot go with --no-record") }
    }

    /// The shift runs behind an embedded server, and this console attaches to it like any
    /// other (`watchroom attach`): one code path for every console.
    func run() throws {
        let path = live.mapPath
        let precinct = try MapCommand.load(path)
        // A shift file that already exists: resume it, replay it, or quit (asked before the
        // console takes the screen; scripts say which with --resume or --replay).
        var resuming: Recording?
        if !live.noRecord, let file = self.shift, FileManager.default.fileExists(atPath: file) {
            switch try Self.offer(file: file, precinct: precinct, resume: resume, replay: replay) {
            case .resume(let recording):
                resuming = recording
            case .replay:
                try ReplayConsole.run(.init(shift: file, map: live.map, speed: ReplayCursor.clamp(speed: live.speed), at: nil,
                                            ascii: display.ascii, log: live.log, observer: observer, language: display.language))
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
        WatchroomLogging.bootstrap(path: live.log)
        let logger = Logger(label: "watchroom")
        // Resuming: the recording folded; the clock goes on from its last event.
        let resumedState = resuming.flatMap { $0.envelopes.isEmpty ? nil : PrecinctState.fold($0.envelopes) }
        let config = live.simulation(profile: profile, resumed: resumedState)
        logger.info("starting on \(path) seed \(config.seed) speed \(live.speed)")
        let setup = LiveShiftSetup(map: precinct, simulation: config, speed: live.speed, resuming: resumedState)
        let zone = ISOTime.timeZone(named: precinct.timeZone) ?? .current
        if let resumedState {
            logger.info("resuming \(self.shift ?? "") after seq \(resumedState.lastSeq) at \(ISOTime.format(resumedState.now ?? Date(), timeZone: zone))")
        }
        // The recording and the orders sink are opened before the terminal, so a refusal is one plain line.
        var file: String?
        if !live.noRecord {
            let target = self.shift ?? LocalData.shiftPath(timeZone: precinct.timeZone)
            do {
                try setup.record(to: target, appending: resuming != nil, watchroomVersion: Watchroom.version)
                file = target
            } catch {
                throw CLIError("\(error); choose another file with --shift, or --no-record")
            }
        }
        do {
            if let orders = live.orders { try setup.sendOrders(to: orders) }
        } catch {
            setup.abandon()
            throw error
        }
        let policy: AlertPolicy
        do { policy = try alerts.map(AlertPolicy.parse) ?? .standard } catch { setup.abandon(); throw error }
        // The server's desk runs the commands (and the virtual commander); the console's own
        // desk, over the same index, works out its panels. Each has its own records connection.
        let serverRecords: SQLiteRecords?, consoleRecords: SQLiteRecords?
        do {
            serverRecords = try live.openRecords(observer: observer, mode: "console", logger: logger)
            consoleRecords = serverRecords == nil ? nil : try live.openRecords(observer: observer, mode: "console", logger: logger)
        } catch {
            setup.abandon()
            throw error
        }
        let desk = setup.desk(records: serverRecords, observer: observer, policy: policy)
        let consoleDesk = DispatchDesk(map: precinct, records: consoleRecords, observer: observer, policy: policy, index: setup.index)
        let server = ServedShift.server(setup: setup, desk: desk, token: nil, shiftFile: file,
                                        history: Array(resuming?.envelopes.suffix(2000) ?? []), threads: 1)
        var madeFolder: String?
        func close() {
            server.stop()
            if let madeFolder { rmdir(madeFolder) }
            do { try setup.stop() } catch { logger.error("recording: \(error)") }
            desk.closeRecords()
            consoleDesk.closeRecords()
        }
        setup.start()
        let endpoint: Endpoint
        do { (endpoint, madeFolder) = try ServedShift.listenLocally(server, socket: socket) } catch { close(); throw error }
        logger.info("listening on \(endpoint): other consoles attach with `watchroom attach \(endpoint)`")
        let client = ShiftClient(options: ShiftClient.Options(endpoint: endpoint, map: precinct, role: .commander,
                                                              name: "console pid \(getpid())"),
                                 timeZone: zone)
        let console = AttachedConsole(client: client, map: precinct, ascii: display.ascii, bell: !display.noBell, observer: observer,
                                      language: display.language, serverDesk: desk)
        let signal: Int32?
        do { signal = try console.run(desk: consoleDesk) } catch { close(); throw error }
        close()
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
