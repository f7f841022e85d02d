import Foundation
import WatchroomCore

/// A JSON value with its object keys in the order written: what the exports build and
/// print (stable output, diffable between runs).
public indirect enum JSONValue: Hashable, Sendable {
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])

    public static func == (a: JSONValue, b: JSONValue) -> Bool { a.text() == b.text() }
    public func hash(into hasher: inout Hasher) { hasher.combine(text()) }

    /// A string, or `null` for `nil`.
    static func optional(_ s: String?) -> JSONValue { s.map(JSONValue.string) ?? .null }

    /// Compact JSON text; `indent` spaces per level pretty-prints it.
    public func text(indent: Int = 0) -> String {
        var out = ""
        write(into: &out, indent: indent, level: 0)
        return out
    }

    private func write(into out: inout String, indent: Int, level: Int) {
        let pad = indent > 0 ? "\n" + String(repeating: " ", count: indent * (level + 1)) : ""
        let close = indent > 0 ? "\n" + String(repeating: " ", count: indent * level) : ""
        switch self {
        case .string(let s): Self.quote(s, into: &out)
        case .number(let d): out += d.isFinite ? Self.number(d) : "null"
        case .int(let i): out += String(i)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let items):
            guard !items.isEmpty else { out += "[]"; return }
            out += "["
            for (k, v) in items.enumerated() {
                if k > 0 { out += "," }
                out += pad
                v.write(into: &out, indent: indent, level: level + 1)
            }
            out += close + "]"
        case .object(let members):
            guard !members.isEmpty else { out += "{}"; return }
            out += "{"
            for (k, (key, v)) in members.enumerated() {
                if k > 0 { out += "," }
                out += pad
                Self.quote(key, into: &out)
                out += indent > 0 ? ": " : ":"
                v.write(into: &out, indent: indent, level: level + 1)
            }
            out += close + "}"
        }
    }

    /// Up to seven decimals (about a centimetre in degrees), no trailing zeros.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) }
        var s = String(format: "%.7f", d)
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func quote(_ s: String, into out: inout String) { out += EventCodec.quoted(s) }
}
