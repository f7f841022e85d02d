import WatchroomCore

extension CommandParser {
    /// `help` and `help VERB` in `language`: each command's syntax as scripts type it, with
    /// its Chinese command words, and what it does (keys `cmd.VERB`); `nil` for no such command.
    /// A Chinese topic (`帮助 派警`) is read as its verb.
    public static func helpLines(topic: String?, in language: InterfaceLanguage) -> [String]? {
        guard language != .english else { return helpLines(topic: topic) }
        let verb = topic.map { CommandWords.english($0).lowercased() }
        let entries = verb.map { t in usage.filter { $0.verb == t } } ?? usage
        guard !entries.isEmpty else { return nil }
        var lines: [String] = []
        for e in entries {
            let words = CommandWords.chinese(forVerb: e.verb)
            lines.append(e.syntax + (words.isEmpty ? "" : "    " + words.joined(separator: " ")))
            let key = e.syntax.hasPrefix("lookup incident") ? "cmd.lookupIncident" : "cmd." + e.verb
            lines.append("    " + language.t(key) + (e.consoleOnly ? language.t("cmd.consoleOnly") : ""))
            if e.verb == "close" {
                lines += DispositionCode.all.map { "      " + $0.code + "  " + $0.label(in: language) }
            } else {
                lines += e.details.map { "      " + $0 }
            }
        }
        if topic == nil { lines += ["", language.t("cmd.shortForms"), language.t("cmd.chineseWords"), language.t("cmd.keys")] }
        return lines
    }

    /// ``hints(for:)`` in `language`, for a line typed in English or with the Chinese words.
    public static func hints(for line: String, in language: InterfaceLanguage) -> [String] {
        let english = hints(for: CommandWords.english(line))
        guard language != .english else { return english }
        return english.map { hint in
            if hint == "Disposition code, then a note in quotes:" { return language.t("cmd.closeHint") }
            if hint == "(no code matches; help close lists them)" { return language.t("cmd.noCode") }
            if let code = DispositionCode.all.first(where: { hint == "\($0.code)  \($0.label)" }) {
                return code.code + "  " + code.label(in: language)
            }
            if let u = usage.first(where: { $0.syntax == hint }) {
                let words = CommandWords.chinese(forVerb: u.verb)
                return hint + (words.isEmpty ? "" : "    " + words.joined(separator: " "))
            }
            return hint
        }
    }
}

extension DispositionCode {
    /// The label in `language` (`disposition.CODE`).
    public func label(in language: InterfaceLanguage) -> String {
        language == .english ? label : InterfacePhrase(key: "disposition." + code, args: []).text(language)
    }
}
