import WatchroomCore

/// How bad a reported problem is: errors make a map unusable, warnings do not.
public enum Severity: String, Sendable {
    case error, warning
}

/// One problem found in a map file, at a 1-based line and character column.
///
/// Line 0, column 0 means "the file as a whole" (unreadable, missing, a directory).
public struct Diagnostic: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int
    public var severity: Severity
    public var message: String

    public init(file: String, line: Int, column: Int, severity: Severity, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.severity = severity
        self.message = message
    }

    /// `FILE:LINE:COLUMN: error: message`, with control characters escaped.
    public var description: String {
        "\(TextSanitizer.escapeControls(file)):\(line):\(column): \(severity.rawValue): \(TextSanitizer.escapeControls(message))"
    }
}

/// What `MapFormat.check` found: the map (when usable) and every problem.
public struct MapCheckResult: Sendable {
    /// The map built from the valid records; `nil` only when the file is unusable
    /// (no readable `precinct` header). When `hasErrors` is true the map is a best effort:
    /// records with errors are left out of it.
    public var map: PrecinctMap?
    /// The problems, sorted by line and column. At most `MapFormat.storedDiagnosticLimit`
    /// are kept; `errorCount` and `warningCount` count all of them.
    public var diagnostics: [Diagnostic]
    public var errorCount: Int
    public var warningCount: Int

    public init(map: PrecinctMap?, diagnostics: [Diagnostic]) {
        self.map = map
        self.diagnostics = diagnostics
        self.errorCount = diagnostics.filter { $0.severity == .error }.count
        self.warningCount = diagnostics.count - errorCount
    }

    init(map: PrecinctMap?, diagnostics: [Diagnostic], errorCount: Int, warningCount: Int) {
        self.map = map
        self.diagnostics = diagnostics
        self.errorCount = errorCount
        self.warningCount = warningCount
    }

    public var hasErrors: Bool { errorCount > 0 }

    /// All problems found, including those not kept in `diagnostics`.
    public var totalCount: Int { errorCount + warningCount }

    /// The report `map check` prints: the first `limit` diagnostics, one a line, then
    /// `... and N more` when there were more. Ends with a newline unless empty.
    public func formatted(limit: Int = 200) -> String {
        var out = ""
        let shown = diagnostics.prefix(max(0, limit))
        for d in shown {
            out += d.description
            out += "\n"
        }
        let rest = totalCount - shown.count
        if rest > 0 { out += "... and \(rest) more\n" }
        return out
    }
}

/// Thrown by `MapFormat.load` when a map has errors.
public struct MapLoadError: Error, Sendable, CustomStringConvertible {
    /// The error diagnostics (warnings left out).
    public var diagnostics: [Diagnostic]
    /// How many errors there were in all.
    public var errorCount: Int

    public init(diagnostics: [Diagnostic], errorCount: Int) {
        self.diagnostics = diagnostics
        self.errorCount = errorCount
    }

    public var description: String {
        let first = diagnostics.first?.description ?? "map has errors"
        return errorCount > 1 ? "\(first) (and \(errorCount - 1) more errors)" : first
    }
}

/// Makes untrusted text safe to print on a terminal.
enum TextSanitizer {
    static func needsEscape(_ v: UInt32) -> Bool {
        v < 0x20 || (v >= 0x7F && v <= 0x9F) || (v >= 0x202A && v <= 0x202E)
            || (v >= 0x2066 && v <= 0x2069) || v == 0x2028 || v == 0x2029
    }

    /// Replaces C0, DEL, C1 (ESC included) and bidi-override characters with `\u{XX}`.
    static func escapeControls(_ s: String) -> String {
        var clean = true
        for u in s.unicodeScalars where needsEscape(u.value) {
            clean = false
            break
        }
        if clean { return s }
        var out = ""
        for u in s.unicodeScalars {
            if needsEscape(u.value) {
                out += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
            } else {
                out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// `'text'`, escaped and cut to `limit` characters (with `…`) for use in a message.
    static func quote(_ s: String, limit: Int = 60) -> String {
        var cut = s
        if !s.unicodeScalars.dropFirst(limit).isEmpty {
            var t = String.UnicodeScalarView()
            t.append(contentsOf: s.unicodeScalars.prefix(limit))
            cut = String(t) + "…"
        }
        return "'" + escapeControls(cut) + "'"
    }
}
