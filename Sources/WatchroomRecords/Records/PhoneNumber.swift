/// Phone numbers as the records database keeps them: digits only.
public enum PhoneNumber {
    /// The digits that identify a number, whatever the notation: spaces, dashes, dots,
    /// brackets dropped; a `+86`, `0086` or (for 13 digits) `86` country prefix removed.
    ///
    /// `+86 138-0000-1234`, `(138) 0000 1234`, `008613800001234` → `13800001234`.
    public static func digits(_ text: String) -> String {
        var plus = false
        var digits = ""
        for ch in text {
            if ch.isASCIIDigit {
                digits.append(ch)
            } else if ch == "+", digits.isEmpty {
                plus = true
            } else if let d = ch.wholeNumberValue, ch.unicodeScalars.count == 1, d >= 0, d <= 9 {
                digits += String(d)   // full-width digits, as typed on a CJK keyboard
            }
        }
        if plus, digits.hasPrefix("86") { return String(digits.dropFirst(2)) }
        if digits.hasPrefix("0086") { return String(digits.dropFirst(4)) }
        if digits.count == 13, digits.hasPrefix("861") { return String(digits.dropFirst(2)) }
        return digits
    }

    /// `138-0000-1234` for an 11-digit mobile number; other numbers as stored.
    public static func display(_ stored: String) -> String {
        let d = digits(stored)
        guard d.count == 11, d.first == "1" else { return d.isEmpty ? stored : d }
        let chars = Array(d)
        return String(chars[0..<3]) + "-" + String(chars[3..<7]) + "-" + String(chars[7..<11])
    }
}
