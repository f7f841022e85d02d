import Foundation

/// The language of the console's interface strings (panel titles, key labels, replies).
///
/// Only the interface: names stay as the map gives them, command words in scripts stay
/// English, times stay ISO 8601, and every headless output (JSON Lines, shift files,
/// exports, logs) is language-neutral.
public enum InterfaceLanguage: String, Sendable, CaseIterable, Hashable {
    case english = "en"
    case simplifiedChinese = "zh-Hans"

    /// A `--lang` value or a locale name: `en`, `en_GB.UTF-8`, `zh-Hans`, `zh_CN.UTF-8`,
    /// `zh-SG`, `zh-Hans-CN`; `nil` for a language the console does not have
    /// (Traditional Chinese, `zh_TW`, `zh-Hant` among them).
    public static func parse(_ tag: String) -> InterfaceLanguage? {
        // Drop the codeset and the modifier (`zh_CN.UTF-8@pinyin`), unify separators.
        var t = tag.trimmingCharacters(in: .whitespaces)
        if let cut = t.firstIndex(where: { $0 == "." || $0 == "@" }) { t = String(t[..<cut]) }
        let parts = t.replacingOccurrences(of: "_", with: "-").lowercased().split(separator: "-").map(String.init)
        guard let first = parts.first else { return nil }
        switch first {
        case "en", "c", "posix": return .english
        case "zh":
            let rest = Set(parts.dropFirst())
            if rest.contains("hant") || rest.contains("tw") || rest.contains("hk") || rest.contains("mo") { return nil }
            // `zh` alone, `zh-Hans`, `zh-CN`, `zh-SG`, `zh-Hans-CN`.
            if rest.isEmpty || rest.contains("hans") || rest.contains("cn") || rest.contains("sg") { return .simplifiedChinese }
            return nil
        default: return nil
        }
    }

    /// The language the environment asks for when no `--lang` is given: the first set of
    /// `LC_ALL`, `LC_MESSAGES`, `LANG` (the POSIX order), Simplified Chinese for `zh_CN`,
    /// `zh_SG` or `zh_Hans`, else English.
    public static func fromEnvironment(_ environment: [String: String]) -> InterfaceLanguage {
        for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            guard let value = environment[name], !value.isEmpty else { continue }
            return parse(value) ?? .english
        }
        return .english
    }

    /// The language a console shows: `requested` (`--lang`, else the environment's), but
    /// English on an ASCII-only screen (`--ascii`, a locale that is not UTF-8), which
    /// cannot show Chinese and would turn the interface into pinyin nobody reads.
    public static func shown(requested: InterfaceLanguage, unicode: Bool) -> InterfaceLanguage {
        unicode ? requested : .english
    }

    /// The interface string `key` in this language with `{0}`, `{1}`... replaced by `args`
    /// (see ``InterfaceText``).
    public func t(_ key: String, _ args: CustomStringConvertible...) -> String {
        InterfaceText.format(InterfaceText.string(key, in: self), args.map(\.description))
    }

    /// Whether this language's text is double-width (a column holds fewer characters).
    public var isWide: Bool { self == .simplifiedChinese }
}
