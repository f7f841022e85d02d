import ArgumentParser
import Foundation
import Logging
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

    @Option(help: "Random seed: the same seed gives the same shift.")
    var seed: UInt64?

    @Option(help: "Clock speed factor (1 = real time, up to 1000).")
    var speed: Double = 1

    @Option(help: "demo, quiet or busy: how many calls come in.")
    var profile: SimulationProfile = .demo

    @Flag(help: "Draw with ASCII only.")
    var ascii = false

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

    @Option(help: "Record the shift to this SQLite file (default: $XDG_DATA_HOME/watchroom/shifts/DATE-TIME.shift). It must not exist yet.")
    var shift: String?

    @Flag(name: .customLong("no-record"), help: "Do not record the shift.")
    var noRecord = false

    @Option(help: "Log file (default: $XDG_STATE_HOME/watchroom/watchroom.log).")
    var log: String?

    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 1000 else { throw ValidationError("--speed must be above 0 and at most 1000") }
        if let alerts { _ = try AlertPolicy.parse(alerts) }
    }

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        if case .refused(let why) = CursesBackend.preflight(environment: environment) {
            throw CLIError(why.description)
        }
        let path = map ?? DefaultMap.path()
        let precinct = try MapCommand.load(path)
        WatchroomLogging.bootstrap(path: log)
        let logger = Logger(label: "watchroom")
        let seed = self.seed ?? UInt64(Date().timeIntervalSince1970)
        logger.info("starting on \(path) seed \(seed) speed \(speed)")

        var config = SimulationConfig(seed: seed, profile: profile)
        config.autoDispatch = !noAutoDispatch
        config.includeShiftStarted = false
        if let cars { config.carCount = max(0, min(cars, 500)) }
        if let foot { config.footCount = max(0, min(foot, 500)) }
        let simulator = ShiftSimulator(map: precinct, config: config)
        let clock = SimulatedClock(start: Date(), speed: speed)
        let shift = LiveShift(map: precinct, clock: clock, source: simulator, mode: .live, seed: seed)

        // The recording is opened before the terminal, so a refusal is one plain line.
        var recorder: ShiftRecorder?
        if !noRecord {
            let file = self.shift ?? Self.defaultShiftPath(timeZone: precinct.timeZone)
            do {
                let store = try ShiftStore.create(path: file, map: MapKey(precinct.key), timeZone: precinct.timeZone,
                                                  mode: .live, watchroomVersion: Watchroom.version)
                recorder = try ShiftRecorder(store: store, bus: shift.bus)
                logger.info("recording to \(file)")
            } catch {
                throw CLIError("\(error); choose another file with --shift, or --no-record")
            }
        }
        let backend: CursesBackend
        do {
            backend = try CursesBackend(options: CursesBackend.Options(forceASCII: ascii))
        } catch {
            throw CLIError("\(error)")
        }
        let recordsDB: SQLiteRecords?
        let recordsPath = records ?? DefaultMap.resolve(SQLiteRecords.defaultFixturePath)
        do {
            recordsDB = try Self.openRecords(fixture: recordsPath, database: recordsDatabase ?? Self.defaultRecordsDatabase(), observer: observer)
        } catch {
            if records != nil { backend.shutdown(); throw CLIError("\(recordsPath): \(error)") }
            logger.warning("no background records: \(error)")
            recordsDB = nil
        }
        var writer: OrdersWriter?
        var ordersToken: SubscriptionToken?
        if let orders {
            switch OrdersSink.parse(orders) {
            case .failure(let error):
                backend.shutdown()
                throw CLIError("--orders \(orders): \(error)")
            case .success(let sink):
                let w = OrdersWriter(sink: sink, timeZone: ISOTime.timeZone(named: precinct.timeZone) ?? .current)
                writer = w
                ordersToken = shift.bus.subscribe { envelope in
                    if let sheet = envelope.event.orderSheet { w.write(sheet) }
                }
            }
        }
        let policy: AlertPolicy
        do { policy = try alerts.map(AlertPolicy.parse) ?? .standard } catch { backend.shutdown(); throw error }
        let desk = DispatchDesk(map: precinct, records: recordsDB, observer: observer, policy: policy)
        // A dispatch decision is on disk before the console shows it as sent.
        if let recorder { desk.durable = { try recorder.flushAndWait() } }
        shift.start()
        let app = ConsoleApp(shift: shift, backend: backend, desk: desk, speed: speed, bell: !noBell)
        let signal = app.run()
        backend.shutdown()
        shift.stop()
        ordersToken?.cancel()
        writer?.flush()
        do { try recorder?.stop() } catch { logger.error("recording: \(error)") }
        logger.info("stopped")
        if let signal { throw ExitCode(128 + signal) }
    }
}

extension Start {
    /// `$XDG_DATA_HOME/watchroom/shifts/2026-11-25T2148+0800.shift` (else under `~/.local/share`).
    static func defaultShiftPath(timeZone: String) -> String {
        let dir = dataDirectory("shifts") ?? "."
        let stamp = ISOTime.format(Date(), timeZone: ISOTime.timeZone(named: timeZone) ?? .current)
        // 2026-11-25T21:48:11.250+08:00 -> 2026-11-25T214811+0800
        let name = String(stamp.prefix(19)).replacingOccurrences(of: ":", with: "")
            + String(stamp.suffix(6)).replacingOccurrences(of: ":", with: "")
        var path = "\(dir)/\(name).shift"
        var n = 2
        while FileManager.default.fileExists(atPath: path) { path = "\(dir)/\(name)-\(n).shift"; n += 1 }
        return path
    }

    /// `$XDG_DATA_HOME/watchroom/records.sqlite` (else `~/.local/share/...`); `nil` keeps it in memory.
    static func defaultRecordsDatabase() -> String? {
        dataDirectory().map { $0 + "/records.sqlite" }
    }

    /// `$XDG_DATA_HOME/watchroom[/sub]` (else `~/.local/share/...`), created if need be;
    /// `nil` when there is no such place or it cannot be made.
    static func dataDirectory(_ sub: String? = nil) -> String? {
        let env = ProcessInfo.processInfo.environment
        guard let base = env["XDG_DATA_HOME"].flatMap({ $0.isEmpty ? nil : $0 }) ?? env["HOME"].map({ $0 + "/.local/share" })
        else { return nil }
        let dir = base + "/watchroom" + (sub.map { "/" + $0 } ?? "")
        guard (try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)) != nil else { return nil }
        return dir
    }

    /// Opens the records database (its audit trail lasts across runs), building it from the
    /// fixture the first time.
    static func openRecords(fixture: String, database: String?, observer: Bool) throws -> SQLiteRecords {
        guard let database else { return try SQLiteRecords.openDefault(fixturePath: fixture, observer: observer) }
        if FileManager.default.fileExists(atPath: database) {
            return try SQLiteRecords.open(path: database, observer: observer)
        }
        return try SQLiteRecords.build(fromSQL: fixture, at: database, observer: observer)
    }
}

extension SimulationProfile: ExpressibleByArgument {}
