import Foundation
import WatchroomCore

/// Typed access to a JSON object from outside: numbers, texts and objects by key, each
/// refused with a one-line reason naming the key when it is of the wrong type.
struct JSONFields {
    let values: [String: JSONValue]
    /// Where the keys sit, for messages: `location.coords.`.
    let path: String

    /// The object in `bytes`, or a reason: not JSON, not an object, too large.
    init(bytes: Data, what: String) throws(FeedError) {
        guard bytes.count <= PositionReport.Limits.bodyBytes else {
            throw FeedError("\(what) is \(bytes.count) bytes; at most \(PositionReport.Limits.bodyBytes) are read")
        }
        let value: JSONValue
        do { value = try JSONDecoder().decode(JSONValue.self, from: bytes) } catch {
            throw FeedError("\(what) is not JSON; send one JSON object")
        }
        guard case .object(let o) = value else { throw FeedError("\(what) is JSON but not an object; send {\"...\": ...}") }
        self.init(o, path: "")
    }

    init(_ values: [String: JSONValue], path: String) {
        self.values = values
        self.path = path
    }

    func has(_ key: String) -> Bool {
        if case .some(.null) = values[key] { return false }
        return values[key] != nil
    }

    /// A number (or a number written as text); `nil` when absent or null.
    func number(_ key: String) throws(FeedError) -> Double? {
        switch values[key] {
        case nil, .null?: return nil
        case .int(let i)?: return Double(i)
        case .double(let d)?: return d
        case .string(let s)?:
            guard let d = FeedNumber.parse(s) else { throw FeedError("\(path)\(key) \(FeedText.quoted(s)) is not a number") }
            return d
        default: throw FeedError("\(path)\(key) must be a number")
        }
    }

    /// A text (a number is taken as its digits: some trackers send ids as numbers).
    func text(_ key: String) throws(FeedError) -> String? {
        switch values[key] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .int(let i)?: return String(i)
        default: throw FeedError("\(path)\(key) must be a text")
        }
    }

    func object(_ key: String) throws(FeedError) -> JSONFields? {
        switch values[key] {
        case nil, .null?: return nil
        case .object(let o)?: return JSONFields(o, path: path + key + ".")
        default: throw FeedError("\(path)\(key) must be an object")
        }
    }
}

/// Numbers written as text by outside programs.
enum FeedNumber {
    /// A decimal number: digits, one `.`, an optional sign and exponent. `nan`, `inf`,
    /// hexadecimal and surrounding spaces are refused (Double(String) takes them).
    static func parse(_ s: String) -> Double? {
        guard !s.isEmpty, s.utf8.count <= 40,
              s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2E || $0 == 0x2D || $0 == 0x2B || $0 == 0x65 || $0 == 0x45 })
        else { return nil }
        return Double(s)
    }
}

/// Outside text in messages: quoted, sanitised, cut.
enum FeedText {
    static func quoted(_ s: String, limit: Int = 40) -> String {
        let inert = Sanitizer.inert(s)
        return "'" + (inert.count > limit ? String(inert.prefix(limit)) + "…" : inert) + "'"
    }
}
