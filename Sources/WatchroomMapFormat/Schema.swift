import WatchroomCore

/// The record kinds of format version 1.
enum RecordKind: Int, CaseIterable {
    case header, precinct, origin, bounds, node, street, segment, station, camera, address, landmark, area

    var name: String {
        switch self {
        case .header: return "watchroom-map"
        case .precinct: return "precinct"
        case .origin: return "origin"
        case .bounds: return "bounds"
        case .node: return "node"
        case .street: return "street"
        case .segment: return "segment"
        case .station: return "station"
        case .camera: return "camera"
        case .address: return "address"
        case .landmark: return "landmark"
        case .area: return "area"
        }
    }

    /// Entity records carry an ID after the kind; header records do not.
    var hasID: Bool { rawValue >= RecordKind.node.rawValue }

    static let nameBytes: [[UInt8]] = RecordKind.allCases.map { Array($0.name.utf8) }

    static let allNames: String = RecordKind.allCases.map(\.name).joined(separator: ", ")

    /// The fields this kind takes, in the order the writer emits them.
    var fields: [FieldSpec] {
        switch self {
        case .header: return []
        case .precinct: return [.req(.key), .req(.name), .opt(.roman), .req(.timezone)]
        case .origin: return [.req(.lat), .req(.lon)]
        case .bounds: return [.req(.min), .req(.max)]
        case .node: return [.req(.at), .opt(.lat), .opt(.lon)]
        case .street: return [.req(.name), .opt(.roman), .req(.roadClass), .opt(.speed)]
        case .segment:
            return [.req(.from), .req(.to), .opt(.street), .opt(.roadClass), .opt(.speed), .opt(.oneway),
                    .opt(.access), .opt(.shape)]
        case .station: return [.req(.name), .opt(.roman), .req(.at)]
        case .camera: return [.req(.name), .req(.at), .req(.facing), .req(.fov), .req(.range), .opt(.kind)]
        case .address: return [.req(.street), .req(.number), .req(.at), .opt(.name)]
        case .landmark: return [.req(.name), .opt(.roman), .req(.kind), .req(.at)]
        case .area: return [.req(.kind), .opt(.name), .opt(.roman), .req(.points)]
        }
    }

    static let fieldTable: [[FieldSpec]] = RecordKind.allCases.map(\.fields)
}

struct FieldSpec {
    var key: FieldKey
    var required: Bool
    static func req(_ k: FieldKey) -> FieldSpec { FieldSpec(key: k, required: true) }
    static func opt(_ k: FieldKey) -> FieldSpec { FieldSpec(key: k, required: false) }
}

/// Every key any record takes.
enum FieldKey: Int, CaseIterable {
    case key, name, roman, timezone, lat, lon, min, max, at, roadClass, speed, from, to, street, oneway, access
    case shape, facing, fov, range, kind, number, points

    var text: String {
        switch self {
        case .roadClass: return "class"
        default: return "\(self)"
        }
    }

    static let bytes: [[UInt8]] = FieldKey.allCases.map { Array($0.text.utf8) }
}

enum Bytes {
    static let tab: UInt8 = 0x09
    static let lf: UInt8 = 0x0A
    static let cr: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let hash: UInt8 = 0x23
    static let comma: UInt8 = 0x2C
    static let minus: UInt8 = 0x2D
    static let plus: UInt8 = 0x2B
    static let dot: UInt8 = 0x2E
    static let equals: UInt8 = 0x3D
    static let backslash: UInt8 = 0x5C

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }
    @inline(__always) static func isBlank(_ c: UInt8) -> Bool { c == space || c == tab }
    /// Characters of a bare value: anything but blanks, `"`, `=` and `#`.
    @inline(__always) static func isBare(_ c: UInt8) -> Bool {
        c != space && c != tab && c != quote && c != equals && c != hash
    }
    /// Characters of an ID: ASCII letters, digits, `_`, `-`, `.`, `:`.
    @inline(__always) static func isIDChar(_ c: UInt8) -> Bool {
        (c | 0x20) &- 0x61 < 26 || c &- 0x30 < 10 || c == 0x5F || c == minus || c == dot || c == 0x3A
    }
}
