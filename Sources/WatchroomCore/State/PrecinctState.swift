import Foundation

/// Everything the console knows about a shift at one moment: the fold of its events.
///
/// A value type built only by ``apply(_:)`` (the reducer); copying it is a cheap
/// snapshot (copy-on-write collections), and it is `Codable` so a snapshot can be
/// stored and a replay can seek to it.
public struct PrecinctState: Hashable, Sendable, Codable {
    /// The `shift.started` payload, once seen.
    public var shift: ShiftStarted?
    public var shiftStartedAt: Date?
    /// Time of the latest applied event (never goes backwards).
    public var now: Date?
    /// seq of the latest applied event; 0 before any.
    public var lastSeq: UInt64 = 0
    /// How many events were applied (in order), including ones whose ids were unknown.
    public var appliedCount = 0

    public var incidents: [IncidentID: IncidentRecord] = [:]
    public var units: [UnitID: UnitRecord] = [:]
    /// Cameras whose status was reported; any other camera is online.
    public var cameras: [CameraID: CameraRecord] = [:]
    /// Segments with slowed or closed traffic.
    public var traffic: [SegmentKey: TrafficOverride] = [:]
    public var anomalies = Anomalies()

    public init() {}

    // MARK: - Queries

    /// The precinct's time zone, once the shift has started in a zone this system knows.
    public var timeZone: TimeZone? { shift.flatMap { TimeZone(identifier: $0.timeZone) } }

    public func isCameraOnline(_ id: CameraID) -> Bool { cameras[id]?.online ?? true }

    /// All incidents in the order they were reported.
    public var incidentsInOrder: [IncidentRecord] {
        incidents.values.sorted { $0.reportedSeq < $1.reportedSeq }
    }

    /// Open incidents in the order they were reported.
    public var openIncidents: [IncidentRecord] { incidentsInOrder.filter(\.isOpen) }

    /// All units ordered by id.
    public var unitsInOrder: [UnitRecord] { units.values.sorted { $0.id < $1.id } }

    /// Units that can take a dispatch now, ordered by id.
    public var assignableUnits: [UnitRecord] { unitsInOrder.filter { $0.status.isAssignable } }

    // MARK: - Digest

    /// A 64-bit FNV-1a hash of the state's canonical JSON (keys sorted): equal states
    /// give equal digests. For determinism tests and replay checks within one build
    /// (adding a field to the state changes every digest).
    public var digest: UInt64 {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .millisecondsSince1970
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        guard let data = try? encoder.encode(self) else { return 0 }
        return FNV1a64.hash(data)
    }

    /// `digest` as 16 lowercase hex digits.
    public var digestHex: String {
        let hex = String(digest, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// The 64-bit FNV-1a hash.
public enum FNV1a64 {
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    public static func hash<S: Sequence>(_ bytes: S, seed: UInt64 = offsetBasis) -> UInt64 where S.Element == UInt8 {
        var h = seed
        for b in bytes {
            h ^= UInt64(b)
            h = h &* prime
        }
        return h
    }
}
