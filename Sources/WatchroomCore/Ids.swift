import Foundation

/// A small typed identifier backed by a string: the stable key used in map files,
/// on the command line and in events.
///
/// Conforming types are plain structs with a `rawValue`; they encode as bare JSON
/// strings (stdlib's `RawRepresentable` coding), may be used as JSON object keys
/// (`CodingKeyRepresentable`), and order by their raw string.
public protocol StringIdentifier: RawRepresentable, Hashable, Comparable, Codable, Sendable,
    CodingKeyRepresentable, ExpressibleByStringLiteral, CustomStringConvertible
    where RawValue == String, StringLiteralType == String {
    init(rawValue: String)
}

extension StringIdentifier {
    public init(_ rawValue: String) { self.init(rawValue: rawValue) }
    public init(stringLiteral value: String) { self.init(rawValue: value) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { rawValue }
    public var codingKey: any CodingKey { IdentifierCodingKey(stringValue: rawValue) }
    public init?<T: CodingKey>(codingKey: T) { self.init(rawValue: codingKey.stringValue) }
}

/// The coding key a ``StringIdentifier`` stands for when it keys a dictionary.
struct IdentifierCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { return nil }
}

/// An officer on foot or a patrol car, by callsign (e.g. `P-12`, `car-3`).
public struct UnitID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// An incident, by its stable key (e.g. `I0007`).
public struct IncidentID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A surveillance camera, by its map key.
public struct CameraID: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A road segment, by its map key (`Segment.key`).
public struct SegmentKey: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}

/// A precinct map, by its map key (`PrecinctMap.key`).
public struct MapKey: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
}
