import ArgumentParser
import Foundation
import Logging
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol
import WatchroomRecords
import WatchroomServer
import WatchroomSimulation

/// The options `watchroom` (the console) and `watchroom serve` share: the map, the
/// simulation, orders out, the records, the log.
struct LiveShiftOptions: ParsableArguments {
    @Option(help: "The map file (default: the bundled Jiangbeicheng precinct).")
    var map: String?

    @Option(parsing: .unconditional, help: "Random seed (0 to 2^64-1): the same seed gives the same shift.", transform: Seed.parse)
    var seed: UInt64?

    @Option(help: "Clock speed factor (1 = real time, up to 1000).")
    var speed: Double = 1

    @Flag(name: .customLong("no-auto-dispatch"), help: "Leave every dispatch to the commanders.")
    var noAutoDispatch = false

    @Option(help: ArgumentHelp("Cars on patrol (0 to 500; default from the simulation).", visibility: .hidden))
    var cars: Int?

    @Option(help: ArgumentHelp("Officers on foot patrol (0 to 500; default from the simulation).", visibility: .hidden))
    var foot: Int?

    @Flag(name: .customLong("no-record"), help: "Do not record the shift.")
    var noRecord = false

    @Option(help: "Also write every dispatch order as JSON Lines here: a file path, unix:/path or tcp:127.0.0.1:PORT.")
    var orders: String?

    @Option(help: "Records fixture (SQL) for background lookups (default: Fixtures/records/jiangbei-records.sql).")
    var records: String?

    @Option(name: .customLong("records-db"), help: "The records database with its audit trail (default: $XDG_DATA_HOME/watchroom/records.sqlite, built from the fixture on first use).")
    var recordsDatabase: String?

    @Option(help: "Log file (default: $XDG_STATE_HOME/watchroom/watchroom.log).")
    var log: String?

    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 1000 else { throw ValidationError("--speed must be above 0 and at most 1000") }
        for (name, value) in [("--cars", cars), ("--foot", foot)] {
            if let value, !(0...500).contains(value) { throw ValidationError("\(name) \(value): give 0 to 500 units") }
        }
    }

    var mapPath: String { map ?? DefaultMap.path() }

    /// The simulation: `seed` (or the resumed shift's, or the time), the profile, the units.
    func simulation(profile: SimulationProfile, resumed: PrecinctState?) -> SimulationConfig {
        let seed = self.seed ?? resumed?.shift?.seed ?? UInt64(Date().timeIntervalSince1970)
        var config = SimulationConfig(seed: seed, profile: profile)
        config.autoDispatch = !noAutoDispatch
        config.includeShiftStarted = false
        if let cars { config.carCount = cars }
        if let foot { config.footCount = foot }
        return config
    }

    /// The records for lookups, audited as `mode`; `nil` (logged) when the default fixture
    /// cannot be opened, an error when the one asked for with `--records` cannot.
    func openRecords(observer: Bool, mode: String, logger: Logger) throws -> SQLiteRecords? {
        let recordsPath = records ?? DefaultMap.resolve(SQLiteRecords.defaultFixturePath)
        do {
            return try LocalData.openRecords(fixture: recordsPath, database: recordsDatabase ?? LocalData.recordsDatabase(),
                                             observer: observer, mode: mode)
        } catch {
            if records != nil { throw CLIError("\(recordsPath): \(error)") }
            logger.warning("no background records: \(error)")
            return nil
        }
    }
}

/// A live shift behind a ``ShiftServer``: the dispatch desk as its one executor, every
/// command's events on disk before its reply. `watchroom serve` and plain `watchroom`
/// (an embedded server and one console) build it the same way.
enum ServedShift {
    static let viewerMask = ViewerMask(name: { Masking.name($0) }, phone: { Masking.phone($0) },
                                       text: { Masking.phonesInText($0) })

    /// - Parameter history: a resumed shift's recorded events, for the snapshot's ticker.
    static func server(setup: LiveShiftSetup, desk: DispatchDesk, token: String?, shiftFile: String?,
                       clientQueue: Int = 8 << 20, history: [EventEnvelope] = [], threads: Int? = nil) -> ShiftServer {
        // The desk's own durable step is the server's: every command's events on disk before its reply.
        desk.durable = nil
        var options = ShiftServer.Options(mask: viewerMask, token: token, shiftFile: shiftFile)
        options.clientQueueBytes = clientQueue
        options.history = history
        let executor = DeskExecutor(desk: desk, shift: setup.shift)
        options.autoDispatch = executor.autoDispatch
        // Events go out once recorded, commands are answered once their events are, and
        // clients resume from the file after a restart.
        if let threads {
            return ShiftServer(shift: setup.shift, options: options, recorder: setup.recorder, threads: threads,
                               executor: executor.run)
        }
        return ShiftServer(shift: setup.shift, options: options, recorder: setup.recorder, executor: executor.run)
    }

    /// Listens for the console of plain `watchroom` and any that attach to it: on `socket`
    /// when given; else on the default socket when no server answers there (so `watchroom
    /// status` and `watchroom attach` find it), else `watchroom-PID.sock` beside it, else
    /// in a private folder of its own. Returns where it listens, and that folder when it
    /// made one (to remove once the server has stopped).
    static func listenLocally(_ server: ShiftServer, socket: String?) throws -> (endpoint: Endpoint, madeFolder: String?) {
        if let socket {
            guard case .success(.unix(let path)) = Endpoint.parse(socket) else {
                throw CLIError("--socket \(socket): give the path of a Unix socket")
            }
            do { return (try server.listen([.unix(path)])[0], nil) } catch { throw CLIError("--socket \(error)") }
        }
        let standard = Endpoint.defaultSocketPath()
        let beside = (standard as NSString).deletingLastPathComponent + "/watchroom-\(getpid()).sock"
        var last: (any Error)?
        for path in [standard, beside] {
            do { return (try server.listen([.unix(path)])[0], nil) } catch { last = error }
        }
        var template = Array("/tmp/watchroom-XXXXXX".utf8CString)
        if let folder = template.withUnsafeMutableBufferPointer({ $0.baseAddress.flatMap { mkdtemp($0) }.map { String(cString: $0) } }) {
            do { return (try server.listen([.unix(folder + "/watchroom.sock")])[0], folder) } catch {
                last = error
                rmdir(folder)
            }
        }
        throw CLIError("cannot listen for consoles: \(last.map { "\($0)" } ?? "no private folder in /tmp")")
    }
}
