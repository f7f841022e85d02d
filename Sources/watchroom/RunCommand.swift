import ArgumentParser
import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomRecords
import WatchroomRouting
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
            """
    )

    @Option(help: "The map file (default: the bundled map).")
    var map: String?

    @Option(help: "The script file ('-' for standard input).")
    var script: String

    @Option(help: "Random seed for the simulated shift.")
    var seed: UInt64 = 1

    @Option(help: "demo, quiet or busy: how many calls the simulation makes up.")
    var profile: SimulationProfile = .quiet

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

    @Option(help: "When the shift starts (ISO 8601 with offset).")
    var start: String = "2026-03-14T19:30:00+08:00"

    func run() throws {
        let precinct = try MapCommand.load(map ?? DefaultMap.path())
        guard let startTime = ISOTime.parse(start) else {
            throw CLIError("--start \(start): not an ISO 8601 time with offset (e.g. 2026-03-14T19:30:00+08:00)")
        }
        let text: String
        do {
            if script == "-" {
                text = String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
            } else {
                text = try String(contentsOfFile: script, encoding: .utf8)
            }
        } catch {
            throw CLIError("\(script): cannot read the script (\(error.localizedDescription))")
        }
        let lines = try ScriptLine.parse(text, file: script)
        let stopAt = try until.map { try Self.time($0, from: startTime, what: "--until") }

        var config = SimulationConfig(seed: seed, profile: profile)
        config.autoDispatch = autoDispatch
        var shift = HeadlessShift(map: precinct, config: config, start: startTime)
        var routing = RoutingCore(map: precinct)
        let recordsPath = records ?? DefaultMap.resolve(SQLiteRecords.defaultFixturePath)
        let recordsDB: SQLiteRecords
        do {
            recordsDB = try SQLiteRecords.openDefault(fixturePath: recordsPath, observer: observer)
        } catch {
            throw CLIError("\(recordsPath): \(error)")
        }
        let desk = DispatchDesk(map: precinct, records: recordsDB, observer: observer)
        let tz = ISOTime.timeZone(named: precinct.timeZone) ?? .current
        let codec = EventCodec(timeZone: tz)
        var printed = 0
        var lastMessage = ""
        var failures = 0
        let respond: (EventEnvelope) -> [Event] = { routing.handle($0) }

        func flush() throws {
            guard jsonl else { return }
            var out = ""
            for e in shift.envelopes[printed...] { out += try codec.encode(e) + "\n" }
            printed = shift.envelopes.count
            FileHandle.standardOutput.write(Data(out.utf8))
        }
        func runClock(to t: Date) throws {
            let target = stopAt.map { min($0, t) } ?? t
            if target > shift.time { shift.run(until: target, respond: respond) }
            try flush()
        }

        shift.run(until: startTime, respond: respond)
        try flush()
        for line in lines {
            if let stopAt, shift.time >= stopAt { break }
            switch line.kind {
            case .wait(let seconds):
                try runClock(to: shift.time.addingTimeInterval(seconds))
            case .at(let seconds):
                try runClock(to: startTime.addingTimeInterval(seconds))
            case .expect(let needle):
                if !lastMessage.localizedCaseInsensitiveContains(needle) {
                    failures += 1
                    report("\(script):\(line.number): expected \"\(needle)\" in: \(lastMessage)")
                }
            case .command(let command):
                let result = desk.execute(Self.resolveLast(command, shift.state), state: shift.state, now: shift.time,
                                          selected: shift.state.incidentsInOrder.last?.id)
                lastMessage = result.message
                for event in result.events { shift.publish(event, at: shift.time, respond: respond) }
                if result.failed {
                    failures += 1
                    report("\(script):\(line.number): \(result.message)")
                } else if !jsonl {
                    say("\(ISOTime.clock(shift.time, timeZone: tz))  \(result.message)")
                    for extra in desk.summaryLines ?? [] where command.lowercased().hasPrefix("summary") || command.lowercased().hasPrefix("lookup") {
                        say("    " + extra)
                    }
                }
                try flush()
            }
        }
        if let stopAt { try runClock(to: stopAt) }
        if !jsonl {
            let state = shift.state
            say("\(shift.envelopes.count) events, \(state.incidents.count) incidents (\(state.openIncidents.count) open), until \(ISOTime.format(shift.time, timeZone: tz))")
        }
        if failures > 0 { throw ExitCode(1) }
    }

    private func report(_ text: String) {
        FileHandle.standardError.write(Data((Sanitizer.inert(text) + "\n").utf8))
    }

    /// `last` in a command means the newest incident.
    static func resolveLast(_ command: String, _ state: PrecinctState) -> String {
        guard let last = state.incidentsInOrder.last?.id.rawValue else { return command }
        return command.split(separator: " ", omittingEmptySubsequences: false)
            .map { $0 == "last" ? Substring(last) : $0 }.joined(separator: " ")
    }

    static func time(_ text: String, from start: Date, what: String) throws -> Date {
        if let t = ISOTime.parse(text) { return t }
        if let s = ScriptLine.duration(text) { return start.addingTimeInterval(s) }
        throw CLIError("\(what) \(text): give an ISO 8601 time with offset or a duration such as 90m")
    }
}

/// One meaningful line of a run script.
struct ScriptLine {
    enum Kind {
        case wait(TimeInterval)
        case at(TimeInterval)
        case expect(String)
        case command(String)
    }

    let number: Int
    let kind: Kind

    static func parse(_ text: String, file: String) throws -> [ScriptLine] {
        var out: [ScriptLine] = []
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let verb = parts[0].lowercased(), rest = parts.count > 1 ? parts[1] : ""
            switch verb {
            case "wait", "at":
                guard let s = duration(rest) else {
                    throw CLIError("\(file):\(i + 1): \(verb) takes a duration such as 30s, 2m, 1h or 00:01:30, not \"\(rest)\"")
                }
                out.append(ScriptLine(number: i + 1, kind: verb == "wait" ? .wait(s) : .at(s)))
            case "expect":
                out.append(ScriptLine(number: i + 1, kind: .expect(rest.trimmingCharacters(in: CharacterSet(charactersIn: "\"")))))
            default:
                out.append(ScriptLine(number: i + 1, kind: .command(line.hasPrefix(":") ? String(line.dropFirst()) : line)))
            }
        }
        return out
    }

    /// `30s`, `2m`, `1.5h`, `90` (seconds), `00:01:30`, `01:30`.
    static func duration(_ text: String) -> TimeInterval? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.contains(":") {
            let fields = t.split(separator: ":", omittingEmptySubsequences: false)
            let parts = fields.compactMap { Double($0) }.filter { $0.isFinite && $0 >= 0 }
            guard parts.count == fields.count, (2...3).contains(parts.count) else { return nil }
            return parts.reduce(0) { $0 * 60 + $1 }
        }
        let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
        for (suffix, factor) in units where t.hasSuffix(suffix) {
            if let v = Double(t.dropLast(suffix.count)), v.isFinite, v >= 0 { return v * factor }
        }
        if let v = Double(t), v.isFinite, v >= 0 { return v }
        return nil
    }
}
