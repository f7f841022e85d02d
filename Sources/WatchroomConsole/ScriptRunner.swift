import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomRecords
import WatchroomRouting
import WatchroomSimulation

/// What a run script drives: a headless shift, simulated (`watchroom run`) or a drill
/// (`watchroom drill --script`).
public protocol ScriptTarget {
    var state: PrecinctState { get }
    var time: Date { get }
    var envelopes: [EventEnvelope] { get }
    /// Lets the clock run to `end`.
    mutating func run(until end: Date)
    /// Publishes a command's event at `time`, with the routing engine's answers.
    mutating func publish(_ event: Event, at time: Date)
}

/// The simulated precinct with the routing engine on its loop.
public final class SimulatedTarget: ScriptTarget {
    public var shift: HeadlessShift
    public var routing: RoutingCore
    public init(shift: HeadlessShift, routing: RoutingCore) {
        self.shift = shift
        self.routing = routing
    }
    public var state: PrecinctState { shift.state }
    public var time: Date { shift.time }
    public var envelopes: [EventEnvelope] { shift.envelopes }
    public func run(until end: Date) { shift.run(until: end) { self.routing.handle($0) } }
    public func publish(_ event: Event, at time: Date) {
        shift.publish(event, at: time) { self.routing.handle($0) }
        // A script's `unit add` and `unit move`: the simulator takes the unit from there.
        switch event {
        case .unitRegistered(let r):
            for reply in shift.simulator.adopt([r.id], state: shift.state) { shift.publish(reply, at: time) { self.routing.handle($0) } }
        case .unitPosition(let p):
            shift.simulator.relocate(p.unit, state: shift.state)
        default:
            break
        }
    }
}

/// Runs the lines of a script against a ``ScriptTarget`` through the dispatch desk, as the
/// console would: `wait`, `at`, `expect` and commands; with `jsonl` every event is printed
/// as a JSON line, else each command's message. Failures are reported as `SCRIPT:LINE:
/// message` on standard error and counted.
public struct ScriptRunner {
    public let lines: [ScriptLine]
    public let scriptName: String
    public let desk: DispatchDesk
    public let start: Date
    public let stopAt: Date?
    public let jsonl: Bool
    public let timeZone: TimeZone

    /// The dispatch desk with the records database (`database`, default the console's,
    /// built from the fixture on first use), so a script's lookups are audited as the
    /// console's are, with `mode` naming the front end.
    public static func desk(map: PrecinctMap, records: String?, database: String?, observer: Bool, mode: String,
                     index: RoutingIndex? = nil, routing: DispatchRouting? = nil) throws -> DispatchDesk {
        let recordsPath = records ?? DefaultMap.resolve(SQLiteRecords.defaultFixturePath)
        let recordsDB: SQLiteRecords
        let databasePath = database ?? LocalData.recordsDatabase()
        do {
            recordsDB = try LocalData.openRecords(fixture: recordsPath, database: databasePath, observer: observer, mode: mode)
        } catch {
            throw CLIError("\(databasePath ?? recordsPath): \(error)")
        }
        return DispatchDesk(map: map, records: recordsDB, observer: observer, index: index, routing: routing)
    }

    /// Reads a script file (`-` for standard input) into lines.
    public static func read(_ script: String) throws -> [ScriptLine] {
        let data: Data
        do {
            if script == "-" {
                data = FileHandle.standardInput.readDataToEndOfFile()
            } else {
                data = try Data(contentsOf: URL(fileURLWithPath: script))
            }
        } catch {
            throw CLIError("\(script): cannot read the script (\(error.localizedDescription))")
        }
        return try ScriptLine.parse(try ScriptLine.text(data, file: script), file: script)
    }

    public init(lines: [ScriptLine], scriptName: String, desk: DispatchDesk, start: Date, stopAt: Date?, jsonl: Bool,
                timeZone: TimeZone) {
        self.lines = lines
        self.scriptName = scriptName
        self.desk = desk
        self.start = start
        self.stopAt = stopAt
        self.jsonl = jsonl
        self.timeZone = timeZone
    }

    /// Runs every line; returns how many failed. Prints events already in the target first.
    public func run<T: ScriptTarget>(_ target: inout T) throws -> Int {
        let codec = EventCodec(timeZone: timeZone)
        var printed = 0
        var lastMessage = ""
        var failures = 0

        func flush() throws {
            guard jsonl else { return }
            var out = ""
            for e in target.envelopes[printed...] { out += try codec.encode(e) + "\n" }
            printed = target.envelopes.count
            FileHandle.standardOutput.write(Data(out.utf8))
        }
        func runClock(to t: Date) throws {
            let end = stopAt.map { min($0, t) } ?? t
            if end > target.time { target.run(until: end) }
            try flush()
        }

        try flush()
        for line in lines {
            if let stopAt, target.time >= stopAt { break }
            switch line.kind {
            case .wait(let seconds):
                try runClock(to: target.time.addingTimeInterval(seconds))
            case .at(let seconds):
                try runClock(to: start.addingTimeInterval(seconds))
            case .expect(let needle):
                if !lastMessage.localizedCaseInsensitiveContains(needle) {
                    failures += 1
                    Self.report("\(scriptName):\(line.number): expected \"\(needle)\" in: \(lastMessage)")
                }
            case .command(let text):
                let state = target.state
                // Parsed once, here (`last` is the newest incident when the line runs).
                let command: Command
                switch CommandParser.parse(Self.resolveLast(text, state)) {
                case .success(let c): command = c
                case .failure(let error):
                    lastMessage = error.description
                    failures += 1
                    Self.report("\(scriptName):\(line.number): \(error.description)")
                    try flush()
                    continue
                }
                let result = desk.execute(command, state: state, now: target.time, selected: state.incidentsInOrder.last?.id)
                lastMessage = result.message
                for event in result.events { target.publish(event, at: target.time) }
                if result.failed {
                    failures += 1
                    Self.report("\(scriptName):\(line.number): \(result.message)")
                } else if !jsonl {
                    say("\(ISOTime.clockWithOffset(target.time, timeZone: timeZone))  \(result.message)")
                    let shows: Bool
                    switch command {
                    case .summary, .lookup, .report, .recommend, .route: shows = true
                    default: shows = false
                    }
                    for extra in desk.summaryLines ?? [] where shows {
                        say("    " + extra)
                    }
                }
                try flush()
            }
        }
        if let stopAt { try runClock(to: stopAt) }
        return failures
    }

    public static func report(_ text: String) {
        FileHandle.standardError.write(Data((Sanitizer.inert(text) + "\n").utf8))
    }

    /// `last` in a command means the newest incident.
    public static func resolveLast(_ command: String, _ state: PrecinctState) -> String {
        guard let last = state.incidentsInOrder.last?.id.rawValue else { return command }
        return command.split(separator: " ", omittingEmptySubsequences: false)
            .map { $0 == "last" ? Substring(last) : $0 }.joined(separator: " ")
    }
}

/// One meaningful line of a run script.
public struct ScriptLine {
    public enum Kind: Sendable {
        case wait(TimeInterval)
        case at(TimeInterval)
        case expect(String)
        case command(String)
    }

    public let number: Int
    public let kind: Kind

    /// The script's bytes as text; a line that is not UTF-8 is named with the first bad
    /// byte (`FILE:LINE: not UTF-8 text ...`).
    public static func text(_ data: Data, file: String) throws -> String {
        if let text = String(validating: data, as: UTF8.self) { return text }
        for (i, line) in data.split(separator: 0x0A, omittingEmptySubsequences: false).enumerated()
        where String(validating: line, as: UTF8.self) == nil {
            // Invalid bytes decode as U+FFFD: the first one's column (in characters).
            let decoded = String(decoding: line, as: UTF8.self)
            let column = (decoded.firstIndex(of: "\u{FFFD}").map { decoded.distance(from: decoded.startIndex, to: $0) } ?? 0) + 1
            let prefixBytes = decoded.prefix(column - 1).utf8.count
            let byte = line[line.startIndex + min(prefixBytes, line.count - 1)]
            throw CLIError("\(file):\(i + 1): not UTF-8 text (byte 0x\(String(byte, radix: 16, uppercase: true)) at column \(column)); save the script as UTF-8")
        }
        return String(decoding: data, as: UTF8.self)
    }

    public static func parse(_ text: String, file: String) throws -> [ScriptLine] {
        var out: [ScriptLine] = []
        // "\r\n" is one Character in Swift: split on it as well as on "\n" (and a lone "\r").
        let lines = text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            let verb = parts[0].lowercased(), rest = parts.count > 1 ? parts[1] : ""
            switch verb {
            case "wait", "at":
                guard let s = duration(rest) else {
                    throw CLIError("\(file):\(i + 1): \(verb) takes a duration such as 30s, 2m, 1h or 00:01:30, not \"\(rest)\"")
                }
                do { try Bounds.check(duration: s) } catch {
                    throw CLIError("\(file):\(i + 1): \(verb) \(rest): \(error)")
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
    public static func duration(_ text: String) -> TimeInterval? {
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
