/// The `:` line in Chinese: `派警 C16` is `dispatch C16` (the words in
/// `InterfaceText+CommandWords.swift`).
public enum CommandWords {
    static let verbs = Dictionary(InterfaceText.simplifiedChineseVerbs.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    static let keywords = Dictionary(InterfaceText.simplifiedChineseKeywords.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })

    /// `line` with a Chinese verb and keywords put into English, spacing kept; an ideographic
    /// space (U+3000, what a Chinese input method types) counts as a space. Text in quotes,
    /// places and names are left as typed; an English line comes back unchanged.
    public static func english(_ line: String) -> String {
        var text = line.replacingOccurrences(of: "\u{3000}", with: " ")
        var colon = ""
        if text.hasPrefix(":") || text.hasPrefix("：") { colon = ":"; text.removeFirst() }
        var out = "", word = "", first = true, quote: Character?
        func flush() {
            guard !word.isEmpty else { return }
            if first { out += verbs[word] ?? word } else { out += keywords[word] ?? word }
            first = false
            word = ""
        }
        for ch in text {
            if let q = quote {
                out.append(ch)
                if ch == q || (q == "“" && ch == "”") { quote = nil }
            } else if ch == "\"" || ch == "“" {
                flush()
                first = false
                quote = ch
                out.append(ch)
            } else if ch == " " {
                flush()
                out.append(ch)
            } else {
                word.append(ch)
            }
        }
        flush()
        return colon + out
    }

    /// The Chinese words for an English verb, the usual one first (`dispatch`: 派警, 一键派警).
    public static func chinese(forVerb verb: String) -> [String] {
        InterfaceText.simplifiedChineseVerbs.filter { $0.value == verb }.map(\.key)
    }
}
