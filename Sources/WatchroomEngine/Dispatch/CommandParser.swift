import Foundation
import WatchroomCore
import WatchroomRouting

/// Reads the console's `:` line into a ``Command`` (docs/commands.md).
///
/// Words are separated by spaces; text with spaces goes in double quotes (`"..."`, or
/// the Chinese `“...”`), with `\"` for a quote inside. Command words, categories,
/// statuses and keywords are case-insensitive; ids and places are kept as typed.
public enum CommandParser {
    /// Every command: its syntax, what it does, and whether only the console answers it.
    /// `:help` lists this table, `:help VERB` one entry, error messages quote the syntax,
    /// and a test checks docs/commands.md against it: adding a command is one entry here.
    public static let usage: [CommandUsage] = [
        CommandUsage("dispatch", "dispatch [INCIDENT] [UNIT...]", "send the named units, or the response plan's, fastest first"),
        CommandUsage("reinforce", "reinforce [INCIDENT] [N]", "send the next N (default 2) fastest available units"),
        CommandUsage("new", "new CATEGORY P1|P2|P3 at PLACE [\"summary\"] [caller NAME] [phone PHONE] [weapon]",
                     "take in a call (categories: " + categoryWords.map(\.word).joined(separator: ", ") + ")"),
        CommandUsage("close", "close INCIDENT CODE [\"note\"]", "close with a disposition code (the x key offers them):",
                     details: DispositionCode.all.map { "\($0.code)  \($0.label)" }),
        CommandUsage("status", "status UNIT STATUS",
                     "set a unit's status: " + UnitStatus.allCases.map(\.rawValue).joined(separator: ", ")),
        CommandUsage("camera", "camera CAMERA", "pick a camera: its cone on the map, what it sees listed"),
        CommandUsage("lookup", "lookup address PLACE | lookup phone PHONE", "background lookup in the records (audited)"),
        CommandUsage("lookup", "lookup incident [INCIDENT]", "the incident's address and caller phone in the records (the b key)",
                     consoleOnly: true),
        CommandUsage("traffic", "traffic SEGMENT FACTOR|closed|open | traffic STREET from CROSSING to CROSSING FACTOR|closed|open",
                     "slow (2 = twice as slow), close or reopen a segment (its id shows under the map centre) or a stretch of street"),
        CommandUsage("select", "select INCIDENT|UNIT", "select an incident or a unit"),
        CommandUsage("speed", "speed N", "simulated seconds per real second, e.g. speed 10"),
        CommandUsage("pause", "pause", "stop the shift clock"),
        CommandUsage("resume", "resume", "start the shift clock again"),
        CommandUsage("goto", "goto PLACE", "centre the map on a place"),
        CommandUsage("zoom", "zoom M", "M metres per map column", consoleOnly: true),
        CommandUsage("follow", "follow on|off", "whether a new P1 out of view brings the map to it", consoleOnly: true),
        CommandUsage("summary", "summary", "the shift summary: response times against NFPA 1225"),
        CommandUsage("report", "report", "in a drill: the after-action report so far"),
        CommandUsage("help", "help [COMMAND]", "every command, or one command's syntax"),
        CommandUsage("auto", "auto on|off", "the virtual commander on or off"),
        CommandUsage("unit", "unit add ID car|foot at PLACE | unit move ID PLACE", "put a unit on the map, or move one (scripts set up a situation)"),
        CommandUsage("recommend", "recommend [INCIDENT] [N]", "the N fastest available units for an incident, ranked"),
        CommandUsage("route", "route --from PLACE|UNIT --to PLACE [--profile car|foot]", "the fastest route between two places, turn by turn"),
        CommandUsage("quit", "quit", "leave the console at once", consoleOnly: true),
    ]

    /// The verbs a script may use (the console-only ones left out), for error messages.
    public static var scriptVerbs: [String] {
        var seen = Set<String>()
        return usage.filter { !$0.consoleOnly }.map(\.verb).filter { seen.insert($0).inserted }
    }

    /// `help` and `help VERB` as lines: every command's syntax with what it does.
    public static func helpLines(topic: String? = nil) -> [String]? {
        let entries = topic.map { t in usage.filter { $0.verb == t.lowercased() } } ?? usage
        guard !entries.isEmpty else { return nil }
        var lines: [String] = []
        for e in entries {
            lines.append(e.syntax)
            lines.append("    " + e.what + (e.consoleOnly ? " (console only)" : ""))
            lines += e.details.map { "      " + $0 }
        }
        if topic == nil {
            lines += ["", "Short forms: d dispatch, r reinforce, n new, cam camera, sel select, ? help.",
                      "Keys: ? lists every key."]
        }
        return lines
    }

    /// What the console offers above a `:` line being typed: the disposition codes (those
    /// matching what is typed) once `close INCIDENT ` is there; else the syntax of the
    /// commands whose verb starts with the first word. Empty for an empty line.
    public static func hints(for line: String) -> [String] {
        var text = line
        if text.hasPrefix(":") { text.removeFirst() }
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let first = words.first?.lowercased() else { return [] }
        let typingVerb = words.count == 1 && !text.hasSuffix(" ")
        if !typingVerb, first == "close", words.count >= 2 {
            let typingCode = words.count == 3 && !text.hasSuffix(" ")
            guard words.count == 2 || typingCode else { return [] }
            let typed = typingCode ? words[2].lowercased() : ""
            let codes = DispositionCode.all.filter {
                typed.isEmpty || $0.code.hasPrefix(typed) || $0.label.lowercased().hasPrefix(typed)
                    || $0.aliases.contains { $0.hasPrefix(typed) }
            }
            return ["Disposition code, then a note in quotes:"] + (codes.isEmpty ? ["(no code matches; help close lists them)"]
                : codes.map { "\($0.code)  \($0.label)" })
        }
        let shortForms = ["d": "dispatch", "r": "reinforce", "n": "new", "cam": "camera", "sel": "select", "?": "help", "aar": "report"]
        let verb = shortForms[first] ?? first
        let exact = usage.filter { $0.verb == verb }
        if !exact.isEmpty { return exact.map(\.syntax) }
        guard typingVerb else { return [] }
        return usage.filter { $0.verb.hasPrefix(verb) }.map(\.syntax)
    }

    /// Category words as typed on the command line, in the documented order.
    public static let categoryWords: [(word: String, category: IncidentCategory)] = [
        ("dispute", .dispute), ("theft", .theft), ("assault", .assault), ("traffic-accident", .trafficAccident),
        ("suicide-risk", .suicideRisk), ("domestic", .domestic), ("noise", .noise), ("missing-person", .missingPerson),
        ("fire", .fire), ("other", .other),
    ]

    /// Whether a word names an incident (rather than a unit): `I` followed by digits,
    /// `#N`, or an incident number `YYYY-MMDD-NNNN`.
    public static func looksLikeIncident(_ word: String) -> Bool {
        let s = Array(word.unicodeScalars)
        func digits(_ r: ArraySlice<Unicode.Scalar>) -> Bool { !r.isEmpty && r.allSatisfy { $0.properties.numericType != nil && $0.isASCII } }
        if s.count >= 2, s[0] == "I" || s[0] == "i", digits(s[1...]) { return true }
        if s.count >= 2, s[0] == "#", digits(s[1...]) { return true }
        let parts = word.split(separator: "-", omittingEmptySubsequences: false)
        return parts.count == 3 && parts[0].count == 4 && parts[1].count == 4 && !parts[2].isEmpty
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// Parses one line (with or without the leading `:`).
    public static func parse(_ line: String) -> Result<Command, CommandError> {
        Result { try parseOrThrow(line) }.mapError { $0 as? CommandError ?? CommandError(String(describing: $0)) }
    }

    // MARK: - Words

    struct Word: Equatable {
        var text: String
        var quoted: Bool
        var lower: String { text.lowercased() }
    }

    static func words(_ line: String) throws(CommandError) -> [Word] {
        var out: [Word] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var quotedWord = false
        var it = Array(line)
        var i = 0
        func flush() {
            if inWord { out.append(Word(text: current, quoted: quotedWord)) }
            current = ""
            inWord = false
            quotedWord = false
        }
        while i < it.count {
            let c = it[i]
            if let q = quote {
                if c == "\\", i + 1 < it.count, it[i + 1] == "\"" || it[i + 1] == "\\" {
                    current.append(it[i + 1]); i += 2; continue
                }
                if c == q { quote = nil } else { current.append(c) }
            } else if c == "\"" || c == "“" {
                quote = c == "“" ? "”" : "\""
                inWord = true
                quotedWord = true
            } else if c.isWhitespace {
                flush()
            } else {
                current.append(c)
                inWord = true
            }
            i += 1
        }
        it.removeAll()
        guard quote == nil else { throw CommandError(InterfacePhrase("parse.quote")) }
        flush()
        return out
    }

    // MARK: - Commands

    static func parseOrThrow(_ raw: String) throws(CommandError) -> Command {
        var line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix(":") { line.removeFirst() }
        var ws = try words(line)
        guard !ws.isEmpty else { throw CommandError(InterfacePhrase("parse.empty")) }
        let verb = ws.removeFirst().lower
        switch verb {
        case "dispatch", "d":
            var incident: IncidentRef?
            if let first = ws.first, looksLikeIncident(first.text) { incident = IncidentRef(first.text); ws.removeFirst() }
            return .dispatch(incident: incident, units: ws.map { UnitID($0.text) })

        case "reinforce", "r":
            let (incident, count) = try incidentAndCount(ws, verb: "reinforce", upTo: 20)
            return .reinforce(incident: incident, count: count)

        case "new", "n":
            return .new(try parseNew(ws))

        case "close":
            guard ws.count >= 2 else { throw usageError("close", InterfacePhrase("usage.close")) }
            guard let code = DispositionCode.find(ws[1].text) else {
                let list = DispositionCode.all.map { "\($0.code) \($0.disposition.rawValue)" }.joined(separator: ", ")
                throw CommandError(InterfacePhrase("parse.disposition", ws[1].text, list))
            }
            let note = ws.count > 2 ? ws[2...].map(\.text).joined(separator: " ") : nil
            return .close(incident: IncidentRef(ws[0].text), code: code, note: note)

        case "status":
            guard ws.count == 2 else { throw usageError("status", InterfacePhrase("usage.status")) }
            guard let status = unitStatus(ws[1].text) else {
                throw CommandError(InterfacePhrase("parse.status", ws[1].text, UnitStatus.allCases.map(\.rawValue).joined(separator: ", ")))
            }
            return .status(unit: UnitID(ws[0].text), status: status)

        case "camera", "cam":
            guard ws.count == 1 else { throw usageError("camera", InterfacePhrase("usage.camera")) }
            return .camera(CameraID(ws[0].text))

        case "lookup":
            if ws.first?.lower == "incident" {
                guard ws.count <= 2 else { throw usageError("lookup", InterfacePhrase("usage.lookupIncident")) }
                return .lookup(.incident(ws.count == 2 ? IncidentRef(ws[1].text) : nil))
            }
            guard ws.count >= 2 else { throw usageError("lookup", InterfacePhrase("usage.lookupWhat")) }
            let rest = ws[1...].map(\.text).joined(separator: " ")
            switch ws[0].lower {
            case "address", "addr": return .lookup(.address(rest))
            case "phone", "tel": return .lookup(.phone(rest))
            default: throw usageError("lookup", InterfacePhrase("usage.lookupBy", ws[0].text))
            }

        case "traffic":
            // traffic STREET from CROSSING to CROSSING SETTING
            if let from = ws.firstIndex(where: { $0.lower == "from" }), let to = ws.lastIndex(where: { $0.lower == "to" }),
               from > 0, to > from + 1, to < ws.count - 2 {
                let text = { (r: Range<Int>) in ws[r].map(\.text).joined(separator: " ") }
                return .trafficAlong(street: text(0..<from), from: text(from + 1..<to), to: text(to + 1..<ws.count - 1),
                                     setting: try trafficSetting(ws[ws.count - 1].lower))
            }
            guard ws.count == 2 else {
                throw usageError("traffic", InterfacePhrase("usage.traffic"))
            }
            return .traffic(segment: SegmentKey(ws[0].text), setting: try trafficSetting(ws[1].lower))

        case "select", "sel":
            guard ws.count == 1 else { throw usageError("select", InterfacePhrase("usage.select")) }
            return .select(ws[0].text)

        case "speed":
            guard ws.count == 1 else { throw usageError("speed", InterfacePhrase("usage.speed")) }
            var t = ws[0].lower
            if t.hasSuffix("x") { t.removeLast() }
            guard let v = Double(t), v.isFinite, v > 0, v <= 10_000 else { throw usageError("speed", InterfacePhrase("usage.speedRange")) }
            return .speed(v)

        case "pause":
            guard ws.isEmpty else { throw usageError("pause", InterfacePhrase("usage.pause")) }
            return .pause
        case "resume":
            guard ws.isEmpty else { throw usageError("resume", InterfacePhrase("usage.resume")) }
            return .resume
        case "goto":
            guard !ws.isEmpty else { throw usageError("goto", InterfacePhrase("usage.goto")) }
            return .goto(ws.map(\.text).joined(separator: " "))
        case "summary":
            guard ws.isEmpty else { throw usageError("summary", InterfacePhrase("usage.summary")) }
            return .summary
        case "report", "aar":
            guard ws.isEmpty else { throw usageError("report", InterfacePhrase("usage.report")) }
            return .report
        case "help", "?":
            guard ws.count <= 1 else { throw usageError("help", InterfacePhrase("usage.help")) }
            return .help(topic: ws.first?.lower)
        case "unit":
            guard ws.count >= 2 else { throw usageError("unit", InterfacePhrase("usage.unit")) }
            switch ws[0].lower {
            case "add":
                guard ws.count >= 5, ws[3].lower == "at" else { throw usageError("unit", InterfacePhrase("usage.unitAdd")) }
                let kind: UnitKind
                switch ws[2].lower {
                case "car": kind = .car
                case "foot", "officer", "officeronfoot": kind = .officerOnFoot
                default: throw usageError("unit", InterfacePhrase("usage.unitKind", ws[2].text))
                }
                let id = ws[1].text
                guard id.count <= 16, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                    throw usageError("unit", InterfacePhrase("usage.unitId", id))
                }
                return .unitAdd(unit: UnitID(id), kind: kind, place: ws[4...].map(\.text).joined(separator: " "))
            case "move":
                guard ws.count >= 3 else { throw usageError("unit", InterfacePhrase("usage.unitMove")) }
                var rest = ws[2...]
                if rest.count > 1, rest.first?.lower == "to" || rest.first?.lower == "at" { rest = rest.dropFirst() }
                return .unitMove(unit: UnitID(ws[1].text), place: rest.map(\.text).joined(separator: " "))
            default:
                throw usageError("unit", InterfacePhrase("usage.unitVerb", ws[0].text))
            }

        case "recommend", "rec":
            let (incident, count) = try incidentAndCount(ws, verb: "recommend", upTo: 50)
            return .recommend(incident: incident, count: count)

        case "route":
            var from: String?, to: String?, profile: RoutingProfile?
            var rest = ws[...]
            while let w = rest.popFirst() {
                guard let value = rest.popFirst() else { throw usageError("route", InterfacePhrase("usage.routeValue", w.text)) }
                switch w.lower {
                case "--from", "from": from = value.text
                case "--to", "to": to = value.text
                case "--profile", "by":
                    guard let p = RoutingProfile(rawValue: value.lower) else { throw usageError("route", InterfacePhrase("usage.routeProfile", value.text)) }
                    profile = p
                default: throw usageError("route", InterfacePhrase("usage.unexpected", w.text))
                }
            }
            guard let from, let to else { throw usageError("route", InterfacePhrase("usage.route")) }
            return .route(from: from, to: to, profile: profile)

        case "auto":
            guard ws.count == 1, ["on", "off"].contains(ws[0].lower) else { throw usageError("auto", InterfacePhrase("usage.auto")) }
            return .auto(ws[0].lower == "on")
        default:
            throw CommandError(InterfacePhrase("parse.command", verb, scriptVerbs.joined(separator: ", ")))
        }
    }

    /// `[INCIDENT] [N]` in either order, N from 1 to `limit`.
    static func incidentAndCount(_ ws: [Word], verb: String, upTo limit: Int) throws(CommandError) -> (IncidentRef?, Int?) {
        var incident: IncidentRef?
        var count: Int?
        for w in ws {
            if let n = Int(w.text) {
                guard count == nil, (1...limit).contains(n) else { throw usageError(verb, InterfacePhrase("usage.count", limit)) }
                count = n
            } else if incident == nil {
                incident = IncidentRef(w.text)
            } else {
                throw usageError(verb, InterfacePhrase("usage.unexpected", w.text))
            }
        }
        return (incident, count)
    }

    /// `2`, `x2`, `closed`, `open`: what `traffic` does to a road.
    static func trafficSetting(_ word: String) throws(CommandError) -> TrafficSetting {
        switch word {
        case "closed", "close": return .closed
        case "open", "normal": return .open
        default:
            var t = word
            if t.hasPrefix("x") { t.removeFirst() }
            guard let f = Double(t), f.isFinite, f >= 0.1, f <= 100 else {
                throw usageError("traffic", InterfacePhrase("usage.trafficFactor"))
            }
            return .factor(f)
        }
    }

    static func usageError(_ verb: String, _ why: InterfacePhrase) -> CommandError {
        let syntax = usage.first { $0.verb == verb }?.syntax ?? verb
        return CommandError(InterfacePhrase("parse.usage", "", syntax).with(0, why))
    }

    static func category(_ word: String) -> IncidentCategory? {
        let w = word.lowercased().filter { $0 != "-" && $0 != "_" }
        if let c = IncidentCategory.allCases.first(where: { $0.rawValue.lowercased() == w }) { return c }
        switch w {
        case "accident", "traffic", "crash": return .trafficAccident
        case "suicide": return .suicideRisk
        case "missing": return .missingPerson
        case "fight": return .assault
        default: return nil
        }
    }

    static func unitStatus(_ word: String) -> UnitStatus? {
        let w = word.lowercased().filter { $0 != "-" && $0 != "_" }
        if let s = UnitStatus.allCases.first(where: { $0.rawValue.lowercased() == w }) { return s }
        switch w {
        case "oos": return .outOfService
        case "avail", "free": return .available
        case "scene": return .onScene
        default: return nil
        }
    }

    private static func parseNew(_ input: [Word]) throws(CommandError) -> NewIncident {
        var ws = input[...]
        guard let catWord = ws.popFirst() else { throw usageError("new", InterfacePhrase("usage.new")) }
        guard let category = category(catWord.text) else {
            throw CommandError(InterfacePhrase("parse.category", catWord.text, categoryWords.map(\.word).joined(separator: ", ")))
        }
        guard let pWord = ws.popFirst() else { throw usageError("new", InterfacePhrase("usage.newPriority")) }
        var p = pWord.lower
        if p.hasPrefix("p") { p.removeFirst() }
        guard let priority = Int(p), (1...3).contains(priority) else {
            throw usageError("new", InterfacePhrase("usage.newPriorityWord", pWord.text))
        }
        guard let at = ws.popFirst(), at.lower == "at" || at.text == "在" else { throw usageError("new", InterfacePhrase("usage.newWhere")) }
        let keywords: Set<String> = ["caller", "phone", "weapon"]
        var placeWords: [String] = []
        if let first = ws.first, first.quoted {
            placeWords = [first.text]
            ws.removeFirst()
        } else {
            while let w = ws.first, !w.quoted, !keywords.contains(w.lower) {
                placeWords.append(w.text)
                ws.removeFirst()
            }
        }
        let place = placeWords.joined(separator: " ")
        guard !place.isEmpty else { throw usageError("new", InterfacePhrase("usage.newPlace")) }
        var summary = ""
        if let w = ws.first, w.quoted {
            summary = w.text
            ws.removeFirst()
        }
        var caller: String?, phone: String?, weapon = false
        while let w = ws.popFirst() {
            switch w.lower {
            case "caller":
                guard let v = ws.popFirst() else { throw usageError("new", InterfacePhrase("usage.newCaller")) }
                caller = v.text
            case "phone":
                guard let v = ws.popFirst() else { throw usageError("new", InterfacePhrase("usage.newPhone")) }
                guard v.text.allSatisfy({ $0.isNumber || "+-() ".contains($0) }), v.text.contains(where: \.isNumber) else {
                    throw usageError("new", InterfacePhrase("usage.newPhoneNumber", v.text))
                }
                phone = v.text
            case "weapon":
                weapon = true
            default:
                throw usageError("new", InterfacePhrase("usage.newUnexpected", w.text))
            }
        }
        return NewIncident(category: category, priority: priority, place: place, summary: summary,
                           callerName: caller, callerPhone: phone, weapon: weapon)
    }
}

/// One command in ``CommandParser/usage``.
public struct CommandUsage: Sendable, Hashable {
    /// The first word, e.g. `dispatch`.
    public var verb: String
    /// One line of syntax, e.g. `dispatch [INCIDENT] [UNIT...]`; alternatives joined by ` | `.
    public var syntax: String
    /// What it does, in a few words.
    public var what: String
    /// Answered by the console itself (not by scripts).
    public var consoleOnly: Bool
    /// Lines listed under it (a closing command's codes).
    public var details: [String]

    public init(_ verb: String, _ syntax: String, _ what: String, consoleOnly: Bool = false, details: [String] = []) {
        self.verb = verb
        self.syntax = syntax
        self.what = what
        self.consoleOnly = consoleOnly
        self.details = details
    }
}
