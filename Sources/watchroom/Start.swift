import ArgumentParser
import Foundation
import Logging
import WatchroomCore
import WatchroomEngine
import WatchroomMapFormat
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

    @Option(help: "Log file (default: $XDG_STATE_HOME/watchroom/watchroom.log).")
    var log: String?

    func validate() throws {
        guard speed.isFinite, speed > 0, speed <= 1000 else { throw ValidationError("--speed must be above 0 and at most 1000") }
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

        let backend: CursesBackend
        do {
            backend = try CursesBackend(options: CursesBackend.Options(forceASCII: ascii))
        } catch {
            throw CLIError("\(error)")
        }
        shift.start()
        let app = ConsoleApp(shift: shift, backend: backend, speed: speed)
        let signal = app.run()
        backend.shutdown()
        shift.stop()
        logger.info("stopped")
        if let signal { throw ExitCode(128 + signal) }
    }
}

extension SimulationProfile: ExpressibleByArgument {}
