/// Makes text from outside (maps, incident summaries, recordings) inert before it
/// reaches a terminal.
///
/// Control characters (C0, DEL, C1) and therefore every escape sequence introducer are
/// replaced by a visible `\u{XX}` form; tabs and newlines become spaces unless kept.
/// Printable text, including CJK and other wide characters, passes unchanged.
public enum Sanitizer {
    public static func inert(_ text: String, keepNewlines: Bool = false) -> String {
        var out = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                if scalar == "\n" && keepNewlines {
                    out.append(scalar)
                } else if scalar == "\t" || scalar == "\n" || scalar == "\r" {
                    out.append(" ")
                } else {
                    out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
                }
            } else if isInvisibleFormatting(scalar) {
                out.append(contentsOf: "\\u{\(String(scalar.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                out.append(scalar)
            }
        }
        return String(out)
    }

    /// C0 controls, DEL and C1 controls.
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (s.value >= 0x7F && s.value < 0xA0)
    }

    /// Bidirectional overrides and isolates, which can reorder what a reader sees.
    static func isInvisibleFormatting(_ s: Unicode.Scalar) -> Bool {
        (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }
}
