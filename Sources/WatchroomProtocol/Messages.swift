import Foundation
import WatchroomCore
import WatchroomEngine

/// The protocol version this build speaks; a hello with another is refused (docs/protocol.md).
public let protocolVersion = 1

/// What a client may do on the shift.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Runs commands: dispatches, closes, changes the clock.
    case commander
    /// Read-only; receives names and phone numbers masked.
    case viewer
}

/// The first frame of a client.
public struct Hello: Codable, Hashable, Sendable {
    /// ``protocolVersion`` of the client.
    public var `protocol`: Int
    /// The key of the map the client loaded, and ``MapDigest`` of it.
    public var map: String
    public var mapDigest: String
    public var role: Role
    /// The contents of the server's token file; required on TCP, ignored on the Unix socket.
    public var token: String?
    /// Resume: the shift the client was on (``Welcome/shift``) and the last seq it folded.
    public var shift: String?
    public var resumeAfter: UInt64?
    /// A name for `watchroom status` (the user and host), at most 64 characters kept.
    public var name: String?

    public init(protocol: Int = protocolVersion, map: String, mapDigest: String, role: Role, token: String? = nil,
                shift: String? = nil, resumeAfter: UInt64? = nil, name: String? = nil) {
        self.protocol = `protocol`
        self.map = map
        self.mapDigest = mapDigest
        self.role = role
        self.token = token
        self.shift = shift
        self.resumeAfter = resumeAfter
        self.name = name
    }
}

/// The server's answer to an accepted hello; a snapshot or the missed events follow.
public struct Welcome: Codable, Hashable, Sendable {
    public var `protocol`: Int
    public var map: String
    public var role: Role
    /// The client's number on this server (in `watchroom status`).
    public var client: UInt64
    /// Names the shift (its map and start): a resume is only from the same shift.
    public var shift: String
    /// The last seq the client will have once the snapshot or the missed events are folded.
    public var seq: UInt64
    /// `true`: the events after the hello's `resumeAfter` follow, no snapshot.
    public var resumed: Bool
    public var commanders: Int
    public var viewers: Int
    /// The shift's clock and virtual commander as the server runs them (``Presence``).
    public var speed: Double?
    public var paused: Bool?
    public var auto: Bool?

    public init(protocol: Int = protocolVersion, map: String, role: Role, client: UInt64, shift: String, seq: UInt64,
                resumed: Bool, commanders: Int, viewers: Int, speed: Double? = nil, paused: Bool? = nil, auto: Bool? = nil) {
        self.protocol = `protocol`
        self.map = map
        self.role = role
        self.client = client
        self.shift = shift
        self.seq = seq
        self.resumed = resumed
        self.commanders = commanders
        self.viewers = viewers
        self.speed = speed
        self.paused = paused
        self.auto = auto
    }

    /// Who is attached and the shift's clock, as a later ``Presence`` would say.
    public var presence: Presence {
        Presence(commanders: commanders, viewers: viewers, speed: speed, paused: paused, auto: auto)
    }
}

/// The whole state at `seq`, and the latest events for the ticker (their JSON lines).
public struct Snapshot: Codable, Hashable, Sendable {
    public var seq: UInt64
    public var state: PrecinctState
    public var recent: [String]

    public init(seq: UInt64, state: PrecinctState, recent: [String]) {
        self.seq = seq
        self.state = state
        self.recent = recent
    }
}

/// A command of a commander, numbered by the client so it can match the reply.
public struct CommandRequest: Codable, Hashable, Sendable {
    public var id: UInt64
    public var command: Command
    /// The incident selected on the client's console (used when the command names none).
    public var selected: IncidentID?

    public init(id: UInt64, command: Command, selected: IncidentID? = nil) {
        self.id = id
        self.command = command
        self.selected = selected
    }
}

/// The server's answer to a command: accepted with the seqs of its events, or refused
/// with the reason in `message`.
public struct CommandReply: Codable, Hashable, Sendable {
    public var id: UInt64
    public var accepted: Bool
    public var message: String
    /// The seqs of the events the command published, in order (none when refused).
    public var seqs: [UInt64]
    /// Lines to show (a summary, a ranking, a route, a background report).
    public var lines: [String]?
    /// What `lines` show: the overlay's title (`Background — address 永平门街 23`).
    public var title: String?

    public init(id: UInt64, accepted: Bool, message: String, seqs: [UInt64] = [], lines: [String]? = nil, title: String? = nil) {
        self.id = id
        self.accepted = accepted
        self.message = message
        self.seqs = seqs
        self.lines = lines
        self.title = title
    }
}

/// How many consoles are attached, and the shift's clock and virtual commander: sent to
/// every client when one of them changes. The clock is the server's: every console shows
/// its speed and pause, none keeps one of its own.
public struct Presence: Codable, Hashable, Sendable {
    public var commanders: Int
    public var viewers: Int
    /// Simulated seconds per real second (absent from servers before the field).
    public var speed: Double?
    public var paused: Bool?
    /// Whether the virtual commander dispatches (AUTO).
    public var auto: Bool?

    public init(commanders: Int, viewers: Int, speed: Double? = nil, paused: Bool? = nil, auto: Bool? = nil) {
        self.commanders = commanders
        self.viewers = viewers
        self.speed = speed
        self.paused = paused
        self.auto = auto
    }
}

/// Why a connection ends; the last frame the server sends before closing it.
public struct Bye: Codable, Hashable, Sendable {
    public enum Code: String, Codable, Sendable {
        /// Another protocol version.
        case version
        /// Another map, or the same key with other contents.
        case map
        /// No token, or the wrong one, on TCP.
        case token
        /// A frame that could not be read, too large, or not expected now.
        case frame
        /// The client did not read fast enough: its queue passed the bound.
        case slow
        /// The server is stopping.
        case shutdown
        /// The client said bye.
        case client
    }

    public var code: Code
    public var reason: String

    public init(code: Code, reason: String) {
        self.code = code
        self.reason = reason
    }
}

/// `watchroom status`: the first frame instead of a hello.
public struct StatusRequest: Codable, Hashable, Sendable {
    public var token: String?
    public init(token: String? = nil) { self.token = token }
}

/// The answer to a ``StatusRequest``.
public struct ShiftStatus: Codable, Hashable, Sendable {
    public struct Client: Codable, Hashable, Sendable {
        public var client: UInt64
        public var role: Role
        public var name: String
        /// `unix` or the peer's address.
        public var address: String
        /// When it attached (24-hour ISO 8601 with offset).
        public var since: String
        /// Bytes queued for it, not yet taken by its socket.
        public var queued: Int

        public init(client: UInt64, role: Role, name: String, address: String, since: String, queued: Int) {
            self.client = client
            self.role = role
            self.name = name
            self.address = address
            self.since = since
            self.queued = queued
        }
    }

    public var `protocol`: Int
    public var map: String
    public var shift: String
    /// The shift file being recorded, if any.
    public var file: String?
    public var seq: UInt64
    /// The shift clock (24-hour ISO 8601 with offset) and its speed.
    public var now: String?
    public var speed: Double
    public var clients: [Client]

    public init(protocol: Int = protocolVersion, map: String, shift: String, file: String?, seq: UInt64, now: String?,
                speed: Double, clients: [Client]) {
        self.protocol = `protocol`
        self.map = map
        self.shift = shift
        self.file = file
        self.seq = seq
        self.now = now
        self.speed = speed
        self.clients = clients
    }
}

// MARK: - Messages

/// What a client sends, as `kind` 1 frames: `{"type":"hello",...}`.
public enum ClientMessage: Hashable, Sendable {
    case hello(Hello)
    case command(CommandRequest)
    case status(StatusRequest)
    case bye(Bye)
}

/// What a server sends as `kind` 1 frames (events travel as `kind` 2).
public enum ServerMessage: Hashable, Sendable {
    case welcome(Welcome)
    case snapshot(Snapshot)
    case reply(CommandReply)
    case presence(Presence)
    case status(ShiftStatus)
    case bye(Bye)
}

private enum TypeKey: String, CodingKey { case type }

extension ClientMessage: Codable {
    public var type: String {
        switch self {
        case .hello: return "hello"
        case .command: return "command"
        case .status: return "status"
        case .bye: return "bye"
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: TypeKey.self)
        switch try c.decode(String.self, forKey: .type) {
        case "hello": self = .hello(try Hello(from: decoder))
        case "command": self = .command(try CommandRequest(from: decoder))
        case "status": self = .status(try StatusRequest(from: decoder))
        case "bye": self = .bye(try Bye(from: decoder))
        case let other: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "no client message \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: TypeKey.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .hello(let m): try m.encode(to: encoder)
        case .command(let m): try m.encode(to: encoder)
        case .status(let m): try m.encode(to: encoder)
        case .bye(let m): try m.encode(to: encoder)
        }
    }
}

extension ServerMessage: Codable {
    public var type: String {
        switch self {
        case .welcome: return "welcome"
        case .snapshot: return "snapshot"
        case .reply: return "reply"
        case .presence: return "presence"
        case .status: return "status"
        case .bye: return "bye"
        }
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: TypeKey.self)
        switch try c.decode(String.self, forKey: .type) {
        case "welcome": self = .welcome(try Welcome(from: decoder))
        case "snapshot": self = .snapshot(try Snapshot(from: decoder))
        case "reply": self = .reply(try CommandReply(from: decoder))
        case "presence": self = .presence(try Presence(from: decoder))
        case "status": self = .status(try ShiftStatus(from: decoder))
        case "bye": self = .bye(try Bye(from: decoder))
        case let other: throw DecodingError.dataCorruptedError(forKey: .type, in: c, debugDescription: "no server message \(other)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: TypeKey.self)
        try c.encode(type, forKey: .type)
        switch self {
        case .welcome(let m): try m.encode(to: encoder)
        case .snapshot(let m): try m.encode(to: encoder)
        case .reply(let m): try m.encode(to: encoder)
        case .presence(let m): try m.encode(to: encoder)
        case .status(let m): try m.encode(to: encoder)
        case .bye(let m): try m.encode(to: encoder)
        }
    }
}
