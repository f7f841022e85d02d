import Foundation
import WatchroomCore
import WatchroomRouting

// The typed command on the wire (docs/protocol.md): one JSON object per command, its
// `kind` the command word and the case's fields beside it, e.g.
// `{"kind":"dispatch","incident":"I0003","units":["C16"]}`. Unknown kinds and fields that
// do not fit are a decoding error, never a trap.

extension Command: Codable {
    private enum Key: String, CodingKey {
        case kind, incident, units, count, category, priority, place, summary, callerName, callerPhone, weapon
        case code, note, unit, status, camera, address, phone, segment, setting, street, from, to, text, speed
        case topic, on, profile, unitKind
    }

    /// The `kind` written for each case (`traffic` along a street is `trafficAlong`,
    /// `unit add` and `unit move` are `unitAdd` and `unitMove`).
    public var wireKind: String {
        switch self {
        case .trafficAlong: return "trafficAlong"
        case .unitAdd: return "unitAdd"
        case .unitMove: return "unitMove"
        default: return verb
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        try c.encode(wireKind, forKey: .kind)
        switch self {
        case .dispatch(let incident, let units):
            try c.encodeIfPresent(incident?.text, forKey: .incident)
            try c.encode(units, forKey: .units)
        case .reinforce(let incident, let count), .recommend(let incident, let count):
            try c.encodeIfPresent(incident?.text, forKey: .incident)
            try c.encodeIfPresent(count, forKey: .count)
        case .new(let n):
            try c.encode(n.category, forKey: .category)
            try c.encode(n.priority, forKey: .priority)
            try c.encode(n.place, forKey: .place)
            try c.encode(n.summary, forKey: .summary)
            try c.encodeIfPresent(n.callerName, forKey: .callerName)
            try c.encodeIfPresent(n.callerPhone, forKey: .callerPhone)
            try c.encode(n.weapon, forKey: .weapon)
        case .close(let incident, let code, let note):
            try c.encode(incident.text, forKey: .incident)
            try c.encode(code.code, forKey: .code)
            try c.encodeIfPresent(note, forKey: .note)
        case .status(let unit, let status):
            try c.encode(unit, forKey: .unit)
            try c.encode(status, forKey: .status)
        case .camera(let id):
            try c.encode(id, forKey: .camera)
        case .lookup(let q):
            switch q {
            case .address(let a): try c.encode(a, forKey: .address)
            case .phone(let p): try c.encode(p, forKey: .phone)
            case .incident(let ref): try c.encode(ref?.text ?? "", forKey: .incident)
            }
        case .traffic(let segment, let setting):
            try c.encode(segment, forKey: .segment)
            try c.encode(setting.wire, forKey: .setting)
        case .trafficAlong(let street, let from, let to, let setting):
            try c.encode(street, forKey: .street)
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encode(setting.wire, forKey: .setting)
        case .select(let text), .goto(let text):
            try c.encode(text, forKey: .text)
        case .speed(let v):
            try c.encode(v, forKey: .speed)
        case .pause, .resume, .summary, .report:
            break
        case .help(let topic):
            try c.encodeIfPresent(topic, forKey: .topic)
        case .auto(let on):
            try c.encode(on, forKey: .on)
        case .unitAdd(let unit, let kind, let place):
            try c.encode(unit, forKey: .unit)
            try c.encode(kind, forKey: .unitKind)
            try c.encode(place, forKey: .place)
        case .unitMove(let unit, let place):
            try c.encode(unit, forKey: .unit)
            try c.encode(place, forKey: .place)
        case .route(let from, let to, let profile):
            try c.encode(from, forKey: .from)
            try c.encode(to, forKey: .to)
            try c.encodeIfPresent(profile, forKey: .profile)
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Key.self)
        let kind = try c.decode(String.self, forKey: .kind)
        func text(_ key: Key) throws -> String { try c.decode(String.self, forKey: key) }
        func incident() throws -> IncidentRef? { try c.decodeIfPresent(String.self, forKey: .incident).map(IncidentRef.init) }
        func count() throws -> Int? {
            guard let n = try c.decodeIfPresent(Int.self, forKey: .count) else { return nil }
            guard (1...50).contains(n) else {
                throw DecodingError.dataCorruptedError(forKey: .count, in: c, debugDescription: "count \(n) is not from 1 to 50")
            }
            return n
        }
        func setting() throws -> TrafficSetting {
            let wire = try c.decode(TrafficSetting.Wire.self, forKey: .setting)
            guard let s = wire.setting else {
                throw DecodingError.dataCorruptedError(forKey: .setting, in: c,
                                                       debugDescription: "a setting is open, closed or a factor from 0.1 to 100")
            }
            return s
        }
        switch kind {
        case "dispatch":
            let units = try c.decodeIfPresent([UnitID].self, forKey: .units) ?? []
            guard units.count <= 50 else {
                throw DecodingError.dataCorruptedError(forKey: .units, in: c, debugDescription: "at most 50 units")
            }
            self = .dispatch(incident: try incident(), units: units)
        case "reinforce": self = .reinforce(incident: try incident(), count: try count())
        case "recommend": self = .recommend(incident: try incident(), count: try count())
        case "new":
            let priority = try c.decode(Int.self, forKey: .priority)
            guard (1...3).contains(priority) else {
                throw DecodingError.dataCorruptedError(forKey: .priority, in: c, debugDescription: "priority \(priority) is not 1, 2 or 3")
            }
            self = .new(NewIncident(category: try c.decode(IncidentCategory.self, forKey: .category), priority: priority,
                                    place: try text(.place), summary: try c.decodeIfPresent(String.self, forKey: .summary) ?? "",
                                    callerName: try c.decodeIfPresent(String.self, forKey: .callerName),
                                    callerPhone: try c.decodeIfPresent(String.self, forKey: .callerPhone),
                                    weapon: try c.decodeIfPresent(Bool.self, forKey: .weapon) ?? false))
        case "close":
            let code = try text(.code)
            guard let found = DispositionCode.find(code) else {
                throw DecodingError.dataCorruptedError(forKey: .code, in: c, debugDescription: "no disposition code \(code)")
            }
            self = .close(incident: IncidentRef(try text(.incident)), code: found, note: try c.decodeIfPresent(String.self, forKey: .note))
        case "status":
            self = .status(unit: try c.decode(UnitID.self, forKey: .unit), status: try c.decode(UnitStatus.self, forKey: .status))
        case "camera": self = .camera(try c.decode(CameraID.self, forKey: .camera))
        case "lookup":
            if let a = try c.decodeIfPresent(String.self, forKey: .address) {
                self = .lookup(.address(a))
            } else if let i = try c.decodeIfPresent(String.self, forKey: .incident) {
                self = .lookup(.incident(i.isEmpty ? nil : IncidentRef(i)))
            } else {
                self = .lookup(.phone(try text(.phone)))
            }
        case "traffic": self = .traffic(segment: try c.decode(SegmentKey.self, forKey: .segment), setting: try setting())
        case "trafficAlong":
            self = .trafficAlong(street: try text(.street), from: try text(.from), to: try text(.to), setting: try setting())
        case "select": self = .select(try text(.text))
        case "goto": self = .goto(try text(.text))
        case "speed":
            let v = try c.decode(Double.self, forKey: .speed)
            guard v.isFinite, v > 0, v <= 1000 else {
                throw DecodingError.dataCorruptedError(forKey: .speed, in: c, debugDescription: "speed \(v) is not above 0 and at most 1000")
            }
            self = .speed(v)
        case "pause": self = .pause
        case "resume": self = .resume
        case "summary": self = .summary
        case "report": self = .report
        case "help": self = .help(topic: try c.decodeIfPresent(String.self, forKey: .topic))
        case "auto": self = .auto(try c.decode(Bool.self, forKey: .on))
        case "unitAdd":
            self = .unitAdd(unit: try c.decode(UnitID.self, forKey: .unit), kind: try c.decode(UnitKind.self, forKey: .unitKind),
                            place: try text(.place))
        case "unitMove": self = .unitMove(unit: try c.decode(UnitID.self, forKey: .unit), place: try text(.place))
        case "route":
            self = .route(from: try text(.from), to: try text(.to), profile: try c.decodeIfPresent(RoutingProfile.self, forKey: .profile))
        default:
            throw DecodingError.dataCorruptedError(forKey: .kind, in: c, debugDescription: "no command kind \(kind)")
        }
    }
}

extension TrafficSetting {
    /// `"open"`, `"closed"` or a factor (a number).
    enum Wire: Codable {
        case word(String)
        case factor(Double)

        init(from decoder: any Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { self = .factor(d) } else { self = .word(try c.decode(String.self)) }
        }

        func encode(to encoder: any Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .word(let w): try c.encode(w)
            case .factor(let d): try c.encode(d)
            }
        }

        var setting: TrafficSetting? {
            switch self {
            case .word("open"): return .open
            case .word("closed"): return .closed
            case .word: return nil
            case .factor(let d): return d.isFinite && d >= 0.1 && d <= 100 ? .factor(d) : nil
            }
        }
    }

    var wire: Wire {
        switch self {
        case .open: return .word("open")
        case .closed: return .word("closed")
        case .factor(let d): return .factor(d)
        }
    }
}
