import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol
import WatchroomRecords
import WatchroomRouting
import WatchroomServer
import WatchroomSimulation

/// `watchroom run`: a script of console commands against the simulated precinct, headless.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a script of console commands against the simulated precinct, without a terminal.",
        discussion: """
            The script holds one console command per line (see docs/commands.md), plus:
              # comment
              wait DURATION       let the simulated clock run (30s, 2m, 1h, 00:01:30)
              at DURATION         run the clock to this time since the start of the shift
              expect TEXT         fail unless TEXT appears in the last command's message
            Incidents may be named by id (I0001), by number, or `last` for the newest.
            With --jsonl every event is printed as one JSON line (docs/events.md).
            With --attach SOCKET the script runs as a commander on the shift `watchroom serve`
            runs there (docs/protocol.md): wait and at follow that shift's clock.
            """
    )

    @Option(help: "The map file (default: the bundled map).")
    var map: String?

    @Option(help: "The script file ('-' for standard input).")
    var script: String

    @Option(parsing: .unconditional, help: "Random seed for the simulated shift (0 to 2^64-1).", transform: Seed.parse)
    var seed: UInt64 = 1

    @Option(help: "demo, quiet or busy: how many calls the simulation makes up.")
    var profile: SimulationProfile = .quiet

    @Option(help: "Patrol cars in the simulated precinct (0 to 500; default from the simulation).")
    var cars: Int?

    @Option(help: "Officers on foot patrol (0 to 500; default from the simulation).")
    var foot: Int?

    @Flag(help: "Let the virtual commander dispatch calls the script does not handle.")
    var autoDispatch = false

    @Flag(help: "Print every event as JSON Lines.")
    var jsonl = false

    @Option(help: "Stop the clock at this time: ISO 8601 with offset, or a duration since the start (2h, 90m).")
    var until: String?

    @Flag(help: "Demonstration mode: names and phone numbers masked everywhere.")
    var observer = false

    @Option(help: "Records fixture (SQL) for background lookups (default: Fixtures/records/jiangbei-records.sql).")
    var records: String?

    @Option(name: .customLong("records-db"), help: "The records database with its audit trail, where every lookup is audited (default: $XDG_DATA_HOME/watchroom/records.sqlite, built from the fixture on first use).")
    var recordsDatabase: String?

    @Option(help: "When the shift starts (ISO 8601 with offset).")
    var start: String = "2026-03-14T19:30:00+08:00"

    @Option(help: "Run against the shift a `watchroom serve` runs: its socket, unix:/path or tcp:HOST:PORT.")
    var attach: String?

    @Option(name: .customLong("token-file"), help: "With --attach tcp:...: the server's token file.")
    var tokenFile: String?

    @Option(help: "With --attach: commander or viewer (read-only).")
    var role: Role = .commander

    func run() throws {
        let precinct = try MapCommand.load(map ?? DefaultMap.path())
        if let attach { return try runAttached(attach, precinct: precinct) }
        guard let startTime = ISOTime.parse(start) else {
            throw CLIError("--start \(start): not an ISO 8601 time with offset (e.g. 2026-03-14T19:30:00+08:00)")
        }
        do { try Bounds.check(time: startTime) } catch { throw CLIError("--start \(start): \(error)") }
        let lines = try ScriptRunner.read(script)
        let stopAt = try until.map { try Self.time($0, from: startTime, what: "--until") }

        var config = SimulationConfig(seed: seed, profile: profile)
        config.autoDispatch = autoDispatch
        for (name, value) in [("--cars", cars), ("--foot", foot)] {
            if let value, !(0...500).contains(value) { throw CLIError("\(name) \(value): give 0 to 500 units") }
        }
        if let cars { config.carCount = cars }
        if let foot { config.footCount = foot }
        // One road network and one set of indexes for the simulation, the engine and the desk.
        let index = RoutingIndex(map: precinct)
        // Headless, the engine and the desk run on this one thread: they share one dispatch routing.
        let routing = DispatchRouting(index: index)
        var target = SimulatedTarget(shift: HeadlessShift(map: precinct, config: config, start: startTime, index: index),
                                     routing: RoutingCore(routing: routing))
        let desk = try ScriptRunner.desk(map: precinct, records: records, database: recordsDatabase, observer: observer,
                                         mode: "run", index: index, routing: routing)
        defer { desk.closeRecords() }
        // The virtual commander (off unless --auto-dispatch or `auto on`) dispatches through the same desk.
        let commander = target.shift.simulator.commander
        commander.desk = { desk.auto($0, state: $1, now: $2) }
        desk.virtual = commander
        let runner = ScriptRunner(lines: lines, scriptName: script, desk: desk, start: startTime, stopAt: stopAt, jsonl: jsonl,
                                  timeZone: ISOTime.timeZone(named: precinct.timeZone) ?? .current)
        target.run(until: startTime)
        let failures = try runner.run(&target)
        if !jsonl {
            let state = target.state
            say("\(target.envelopes.count) events, \(state.incidents.count) incidents (\(state.openIncidents.count) open), until \(ISOTime.format(target.time, timeZone: runner.timeZone))")
        }
        if failures > 0 { throw ExitCode(1) }
    }

    /// The script as a headless client of a served shift; exits 1 when a line failed. Ends
    /// with the seq reached and the state's digest, which every commander shares at that seq.
    func runAttached(_ attach: String, precinct: PrecinctMap) throws {
        let endpoint: Endpoint
        switch Endpoint.parse(attach) {
        case .success(let e): endpoint = e
        case .failure(let e): throw CLIError("--attach \(e)")
        }
        let lines = try ScriptRunner.read(script)
        let token = try tokenFile.map { try ServeCommand.readToken($0) }
        let zone = ISOTime.timeZone(named: precinct.timeZone) ?? .current
        var options = ShiftClient.Options(endpoint: endpoint, map: precinct, role: role, token: token)
        options.giveUpAfter = 30
        let client = ShiftClient(options: options, timeZone: zone)
        let out = FileHandle.standardOutput
        let printLock = NSLock()
        if jsonl {
            client.onEvent = { _, line in printLock.withLock { out.write(Data((line + "\n").utf8)) } }
        }
        do { try client.connect(timeout: 15) } catch { throw CLIError("--attach \(endpoint): \(error)") }
        let failures = AttachedScript(lines: lines, scriptName: script, client: client, jsonl: jsonl, timeZone: zone).run()
        let seq = client.lastSeq, digest = client.state.digestHex
        let tally = "\(client.duplicates) duplicates, \(client.gaps) gaps, \(client.reconnects) reconnects"
        client.close()
        if !jsonl { printLock.withLock { say("attached as \(role.rawValue): seq \(seq), state digest \(digest), \(tally)") } }
        if failures > 0 { throw ExitCode(1) }
    }

    /// An ISO 8601 time or a duration since `start`, at most 7 days after `start` (``Bounds``).
    static func time(_ text: String, from start: Date, what: String) throws -> Date {
        let t: Date
        if let iso = ISOTime.parse(text) {
            t = iso
        } else if let s = ScriptLine.duration(text) {
            t = start.addingTimeInterval(Swift.min(s, Bounds.maxDuration + 1))
        } else {
            throw CLIError("\(what) \(text): give an ISO 8601 time with offset or a duration such as 90m")
        }
        guard t.timeIntervalSince(start) <= Bounds.maxDuration else {
            throw CLIError("\(what) \(text): more than 7 days after the start; give at most 168h")
        }
        return t
    }
}

extension Role: ExpressibleByArgument {}
