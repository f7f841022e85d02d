/// Masks personal data for observers (`--observer`, demonstrations): names keep their
/// first character (`张*`), phone numbers their first three and last four digits
/// (`138-****-1234`), plates their region and last character (`渝A·****5`).
///
/// The console uses these for callers' names and numbers too, everywhere it shows them.
public enum Masking {
    /// `张*` for `张伟`, `王*` for `王小芳`, `J*` for `John Smith`; empty stays empty.
    ///
    /// Always one star, so the mask does not give away the length.
    public static func name(_ name: String) -> String {
        let trimmed = name.trimmingSpaces
        guard let first = trimmed.first else { return "" }
        return String(first) + "*"
    }

    /// `138-****-1234` for any notation of a Chinese mobile number (`13800001234`,
    /// `+86 138 0000 1234`); other numbers keep only their last four digits
    /// (`****5678`), short ones (4 digits or fewer) become `****`. Non-digits are dropped.
    public static func phone(_ phone: String) -> String {
        let digits = PhoneNumber.digits(phone)
        if digits.count == 11, digits.first == "1" {
            return String(digits.prefix(3)) + "-****-" + String(digits.suffix(4))
        }
        guard digits.count > 4 else { return "****" }
        return "****" + String(digits.suffix(4))
    }

    /// `渝A·****5` for `渝A·12345`: region (everything up to the `·` or the first two
    /// characters) and the last character kept.
    public static func plate(_ plate: String) -> String {
        let chars = Array(plate.trimmingSpaces)
        guard chars.count > 3 else { return String(repeating: "*", count: chars.count) }
        let prefixCount = (chars.firstIndex(of: "·") ?? chars.firstIndex(of: "-")).map { $0 + 1 } ?? 2
        guard prefixCount < chars.count - 1 else { return String(chars.prefix(2)) + "****" }
        return String(chars.prefix(prefixCount)) + "****" + String(chars[chars.count - 1])
    }

    /// Masks every run of 7 or more digits (spaces, dashes and a leading `+` allowed
    /// inside) in free text, so a number written into a note or summary is not shown.
    public static func phonesInText(_ text: String) -> String {
        var out = ""
        var run = ""
        var digitCount = 0
        func flush() {
            if digitCount >= 7 {
                out += phone(run)
                // Keep a separator that ended the run out of the masked number.
                if let last = run.last, !last.isASCIIDigit { out.append(last) }
            } else {
                out += run
            }
            run = ""
            digitCount = 0
        }
        for ch in text {
            if ch.isASCIIDigit {
                run.append(ch)
                digitCount += 1
            } else if !run.isEmpty, ch == " " || ch == "-" {
                run.append(ch)
            } else if run.isEmpty, ch == "+" {
                run.append(ch)
            } else {
                flush()
                if ch == "+" { run.append(ch) } else { out.append(ch) }
            }
        }
        flush()
        return out
    }

    /// `王* (suspect)` for `王建国 (suspect)`.
    static func involvement(_ entry: String) -> String {
        guard let open = entry.lastIndex(of: "("), open > entry.startIndex else { return name(entry) }
        return name(String(entry[..<open])) + " " + entry[open...]
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while let f = s.first, f.isWhitespace { s.removeFirst() }
        while let l = s.last, l.isWhitespace { s.removeLast() }
        return String(s)
    }
}
