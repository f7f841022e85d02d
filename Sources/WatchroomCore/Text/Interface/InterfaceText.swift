import Foundation

/// The console's interface strings: one table per language (`InterfaceText+English.swift`,
/// `InterfaceText+SimplifiedChinese.swift`), data only, looked up by key.
///
/// A string's arguments are written `{0}`, `{1}`...: a language may put them in another
/// order, never drop or add one (a test compares the tables key by key and placeholder
/// by placeholder, and checks every key the code uses is in both).
public enum InterfaceText {
    /// The tables by language, duplicates (a test fails on them) keeping the first.
    static let tables: [InterfaceLanguage: [String: String]] = [
        .english: dictionary(english),
        .simplifiedChinese: dictionary(simplifiedChinese),
    ]

    /// Every key and text of a language, in the table's order (tests, tools).
    public static func entries(_ language: InterfaceLanguage) -> [(key: String, text: String)] {
        switch language {
        case .english: return english.map { ($0.key, $0.value) }
        case .simplifiedChinese: return simplifiedChinese.map { ($0.key, $0.value) }
        }
    }

    /// The text of `key`: the language's, else the English (never empty: the key itself
    /// when both lack it, which a test prevents).
    public static func string(_ key: String, in language: InterfaceLanguage) -> String {
        tables[language]?[key] ?? tables[.english]?[key] ?? key
    }

    /// Whether `key` is in `language`'s table.
    public static func has(_ key: String, in language: InterfaceLanguage) -> Bool {
        tables[language]?[key] != nil
    }

    /// `template` with each `{n}` replaced by `args[n]`; a placeholder without an argument stays.
    public static func format(_ template: String, _ args: [String]) -> String {
        guard !args.isEmpty, template.contains("{") else { return template }
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstIndex(of: "{") {
            out += rest[..<open]
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let n = Int(after[..<close]), n >= 0, n < args.count {
                out += args[n]
                rest = after[after.index(after: close)...]
            } else {
                out.append("{")
                rest = after
            }
        }
        return out + rest
    }

    /// The placeholders of a text (`{0}`, `{2}`), sorted, for comparing languages.
    public static func placeholders(_ text: String) -> [Int] {
        var found: [Int] = []
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "{") {
            let after = rest[rest.index(after: open)...]
            if let close = after.firstIndex(of: "}"), let n = Int(after[..<close]) { found.append(n) }
            rest = after
        }
        return found.sorted()
    }

    private static func dictionary(_ pairs: KeyValuePairs<String, String>) -> [String: String] {
        Dictionary(pairs.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}

/// A line to be shown in the interface's language later: its key and its arguments. The
/// engine answers commands with one (its English text is what scripts and logs see), the
/// console shows it in its own language.
public struct InterfacePhrase: Sendable, Hashable {
    public var key: String
    public var args: [String]
    /// Arguments that are phrases themselves (`dispatched ... (response plan: 2 units)`),
    /// by position, shown in the same language; `args` holds their English.
    public var nested: [Int: InterfacePhrase] = [:]

    public init(_ key: String, _ args: CustomStringConvertible...) {
        self.key = key
        self.args = args.map(\.description)
    }

    public init(key: String, args: [String]) {
        self.key = key
        self.args = args
    }

    /// `self` with argument `index` a phrase (its English in ``args``).
    public func with(_ index: Int, _ phrase: InterfacePhrase) -> InterfacePhrase {
        var p = self
        while p.args.count <= index { p.args.append("") }
        p.args[index] = phrase.text(.english)
        p.nested[index] = phrase
        return p
    }

    /// The text in `language`.
    public func text(_ language: InterfaceLanguage) -> String {
        var shown = args
        for (k, phrase) in nested where k < shown.count { shown[k] = phrase.text(language) }
        return InterfaceText.format(InterfaceText.string(key, in: language), shown)
    }
}
