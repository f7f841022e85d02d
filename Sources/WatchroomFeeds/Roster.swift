import Foundation
import WatchroomCore

/// Which device belongs to which unit: the `--roster` CSV (docs/feeds.md).
///
/// ```
/// device,unit,kind,crew
/// 356938035643809,C-17,car,王伟;李娜
/// owntracks-li,P-03,foot,
/// ```
/// The header is required and exact; `kind` is `car` or `foot`; `crew` is optional, names
/// separated by `;`. Fields may be quoted (`"a,b"`, `""` for a quote). A device appears once;
/// one unit may carry several devices (a car's tracker and an officer's phone).
public struct Roster: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var device: String
        /// The unit's callsign: the unit's id on the map.
        public var unit: String
        public var kind: UnitKind
        public var crew: [String]
        /// The line of the file it came from.
        public var line: Int
    }

    public private(set) var entries: [Entry] = []
    private var byDevice: [String: Int] = [:]

    /// The most rows read: 100,000 devices.
    public static let maxEntries = 100_000
    /// The longest line read: 4 KiB.
    public static let maxLineBytes = 4096

    /// The unit that carries `device`, or `nil` for a device not on the roster.
    public func entry(forDevice device: String) -> Entry? {
        byDevice[device].map { entries[$0] }
    }

    /// Reads the roster; errors are `FILE:LINE: what is wrong; what to do`.
    public init(csv text: String, file: String = "roster") throws(FeedError) {
        var lineNumber = 0
        var sawHeader = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            func fail(_ why: String) -> FeedError { FeedError("\(file):\(lineNumber): \(why)") }
            guard line.utf8.count <= Self.maxLineBytes else { throw fail("the line is longer than \(Self.maxLineBytes) bytes") }
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix("#") { continue }
            let fields: [String]
            do { fields = try Self.fields(line) } catch { throw fail(error.description) }
            if !sawHeader {
                let header = fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
                guard header == ["device", "unit", "kind", "crew"] || header == ["device", "unit", "kind"] else {
                    throw fail("the first line must be the header device,unit,kind,crew, not \(FeedText.quoted(String(line)))")
                }
                sawHeader = true
                continue
            }
            guard fields.count == 3 || fields.count == 4 else {
                throw fail("\(fields.count) fields; a row is device,unit,kind,crew (crew may be empty)")
            }
            let device: String
            do { device = try PositionCheck.deviceID(fields[0]) } catch { throw fail(error.description) }
            let unit = fields[1].trimmingCharacters(in: .whitespaces)
            guard !unit.isEmpty, unit.count <= 32, !unit.unicodeScalars.contains(where: Sanitizer.isControl) else {
                throw fail("unit \(FeedText.quoted(unit)) must be 1 to 32 printable characters, the unit's callsign")
            }
            let kindText = fields[2].trimmingCharacters(in: .whitespaces).lowercased()
            let kind: UnitKind
            switch kindText {
            case "car": kind = .car
            case "foot": kind = .officerOnFoot
            default: throw fail("kind \(FeedText.quoted(fields[2])) is neither car nor foot")
            }
            let crew = fields.count == 4
                ? fields[3].split(separator: ";").map { Sanitizer.inert(String($0)).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                : []
            if let earlier = byDevice[device] {
                throw fail("device \(FeedText.quoted(device)) is already on line \(entries[earlier].line); a device belongs to one unit")
            }
            if let other = entries.first(where: { $0.unit == unit && $0.kind != kind }) {
                throw fail("unit \(FeedText.quoted(unit)) is \(kindText) here but \(other.kind == .car ? "car" : "foot") on line \(other.line)")
            }
            guard entries.count < Self.maxEntries else { throw fail("more than \(Self.maxEntries) devices") }
            byDevice[device] = entries.count
            entries.append(Entry(device: device, unit: unit, kind: kind, crew: crew, line: lineNumber))
        }
        guard sawHeader else { throw FeedError("\(file):1: empty; the first line must be the header device,unit,kind,crew") }
    }

    /// One CSV line's fields (RFC 4180 quoting, within the line).
    static func fields(_ line: Substring) throws(FeedError) -> [String] {
        var out: [String] = []
        var field = ""
        var quoted = false, wasQuoted = false
        var it = line.makeIterator()
        while let c = it.next() {
            if quoted {
                if c == "\"" {
                    // A doubled quote is one quote; a single one ends the quoted part.
                    var look = it
                    if look.next() == "\"" { field.append("\""); it = look } else { quoted = false }
                } else {
                    field.append(c)
                }
            } else if c == "," {
                out.append(field); field = ""; wasQuoted = false
            } else if c == "\"" {
                guard field.trimmingCharacters(in: .whitespaces).isEmpty, !wasQuoted else {
                    throw FeedError("a quote inside an unquoted field; quote the whole field: \"...\"")
                }
                field = ""; quoted = true; wasQuoted = true
            } else {
                field.append(c)
            }
        }
        guard !quoted else { throw FeedError("a quoted field is not closed") }
        out.append(field)
        return out
    }
}
