import Foundation
import WatchroomCore
import WatchroomEngine

/// The "New incident" form (`n`): the fields of a call taken in, turned into one
/// `new ...` command line on submit (docs/commands.md).
///
/// A plain value; ``ConsoleController`` edits it key by key and ``ConsoleRenderer``
/// draws it over the map.
public struct IntakeForm: Sendable, Hashable {
    /// The fields, top to bottom; Tab and ↓ go down, Shift-Tab and ↑ go up.
    public enum Field: Int, CaseIterable, Sendable, Hashable {
        case category, priority, place, summary, callerName, callerPhone, weapon

        public var label: String { label(in: .english) }

        /// The field's label in `language`.
        public func label(in language: InterfaceLanguage) -> String {
            switch self {
            case .category: return language.t("intake.category")
            case .priority: return language.t("intake.priority")
            case .place: return language.t("intake.place")
            case .summary: return language.t("intake.summary")
            case .callerName: return language.t("intake.callerName")
            case .callerPhone: return language.t("intake.callerPhone")
            case .weapon: return language.t("intake.weapon")
            }
        }

        /// Whether typing edits the field.
        public var isText: Bool { self == .place || self == .summary || self == .callerName || self == .callerPhone }
    }

    /// Shown when Place or Summary is empty on submit.
    public static let missingMessage = InterfaceLanguage.english.t("intake.missing")
    /// Shown when the phone has something other than digits and `+ - ( )`.
    public static let badPhoneMessage = InterfaceLanguage.english.t("intake.badPhone")

    /// A refusal (``problem``, or the desk's reply) in `language`: the form's own two by
    /// their keys, a reply as it came (the desk answers in the console's language).
    public static func message(_ error: String, in language: InterfaceLanguage) -> String {
        switch error {
        case missingMessage: return language.t("intake.missing")
        case badPhoneMessage: return language.t("intake.badPhone")
        default: return error
        }
    }
    /// Characters kept per text field.
    public static let maxLength = 200

    public var category: IncidentCategory
    /// 1, 2 or 3.
    public var priority: Int
    public var place: String
    public var summary: String
    public var callerName: String
    public var callerPhone: String
    public var weapon: Bool
    public var focus: Field
    /// Where typing goes in the focused text field, in characters from its start.
    public var cursor: Int
    /// Why the last submit was refused; cleared by the next edit.
    public var error: String?

    public init(category: IncidentCategory = .dispute, priority: Int = 2, place: String = "", summary: String = "",
                callerName: String = "", callerPhone: String = "", weapon: Bool = false, focus: Field = .category,
                error: String? = nil) {
        self.category = category
        self.priority = Swift.min(3, Swift.max(1, priority))
        self.place = place
        self.summary = summary
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.weapon = weapon
        self.focus = focus
        self.cursor = 0
        self.error = error
        self.cursor = text(of: focus)?.count ?? 0
    }

    // MARK: - Categories

    /// The categories in the order ←/→ cycle them.
    public static let categories: [IncidentCategory] = IncidentCategory.allCases

    /// The word the command parser reads (`traffic-accident`).
    public static func commandWord(_ c: IncidentCategory) -> String {
        switch c {
        case .dispute: return "dispute"
        case .theft: return "theft"
        case .assault: return "assault"
        case .trafficAccident: return "traffic-accident"
        case .suicideRisk: return "suicide-risk"
        case .domestic: return "domestic"
        case .noise: return "noise"
        case .missingPerson: return "missing-person"
        case .fire: return "fire"
        case .other: return "other"
        }
    }

    /// The category as the form shows it (`traffic accident`).
    public static func label(_ c: IncidentCategory) -> String {
        commandWord(c).replacingOccurrences(of: "-", with: " ")
    }

    // MARK: - Text fields

    /// The text of a text field; `nil` for the others.
    public func text(of field: Field) -> String? {
        switch field {
        case .place: return place
        case .summary: return summary
        case .callerName: return callerName
        case .callerPhone: return callerPhone
        default: return nil
        }
    }

    mutating func setText(_ t: String, of field: Field) {
        switch field {
        case .place: place = t
        case .summary: summary = t
        case .callerName: callerName = t
        case .callerPhone: callerPhone = t
        default: break
        }
    }

    /// Moves to a field, the cursor to the end of its text.
    mutating func focus(on field: Field) {
        focus = field
        cursor = text(of: field)?.count ?? 0
    }

    mutating func move(by step: Int) {
        let all = Field.allCases
        let i = (focus.rawValue + step) % all.count
        focus(on: all[(i + all.count) % all.count])
    }

    mutating func cycleCategory(by step: Int) {
        let all = Self.categories
        let i = all.firstIndex(of: category) ?? 0
        category = all[((i + step) % all.count + all.count) % all.count]
    }

    mutating func cyclePriority(by step: Int) {
        priority = ((priority - 1 + step) % 3 + 3) % 3 + 1
    }

    /// Inserts at the cursor; `false` when the text is full or `s` has control characters.
    mutating func insert(_ s: String) -> Bool {
        guard var t = text(of: focus),
              !s.unicodeScalars.contains(where: { Sanitizer.isControl($0) }),
              t.count + s.count <= Self.maxLength else { return false }
        let c = Swift.min(Swift.max(0, cursor), t.count)
        t.insert(contentsOf: s, at: t.index(t.startIndex, offsetBy: c))
        setText(t, of: focus)
        cursor = c + s.count
        return true
    }

    /// Deletes the character before the cursor (Backspace) or under it (Delete).
    mutating func delete(before: Bool) -> Bool {
        guard var t = text(of: focus) else { return false }
        let c = Swift.min(Swift.max(0, cursor), t.count)
        let k = before ? c - 1 : c
        guard k >= 0, k < t.count else { return false }
        t.remove(at: t.index(t.startIndex, offsetBy: k))
        setText(t, of: focus)
        cursor = k
        return true
    }

    // MARK: - Submitting

    /// Why the form cannot be submitted yet, or `nil`.
    public var problem: String? {
        if Self.clean(place).isEmpty || Self.clean(summary).isEmpty { return Self.missingMessage }
        let phone = Self.clean(callerPhone)
        if !phone.isEmpty,
           !(phone.allSatisfy { $0.isNumber || "+-() ".contains($0) } && phone.contains(where: \.isNumber)) {
            return Self.badPhoneMessage
        }
        return nil
    }

    /// The `new` command for the command parser, or `nil` while ``problem`` has something:
    /// `new CATEGORY P<n> at "PLACE" "SUMMARY"[ caller "NAME"][ phone PHONE][ weapon]`.
    ///
    /// Text is trimmed and quoted with `"`; a `"` or `\` inside is escaped with `\`, as
    /// the parser reads it.
    public func commandLine() -> String? {
        guard problem == nil else { return nil }
        var line = "new \(Self.commandWord(category)) P\(priority) at \(Self.quote(place)) \(Self.quote(summary))"
        let name = Self.clean(callerName)
        if !name.isEmpty { line += " caller " + Self.quote(name) }
        let phone = Self.clean(callerPhone)
        if !phone.isEmpty { line += " phone " + (phone.contains(" ") ? Self.quote(phone) : phone) }
        if weapon { line += " weapon" }
        return line
    }

    /// The `new` command, or `nil` while ``problem`` has something: what ``commandLine()``
    /// reads as, without a line to parse.
    public func command() -> Command? {
        guard problem == nil else { return nil }
        let name = Self.clean(callerName), phone = Self.clean(callerPhone)
        return .new(NewIncident(category: category, priority: priority, place: Self.clean(place), summary: Self.clean(summary),
                                callerName: name.isEmpty ? nil : name, callerPhone: phone.isEmpty ? nil : phone, weapon: weapon))
    }

    /// Trimmed, with control characters and line breaks made spaces.
    static func clean(_ s: String) -> String {
        String(String.UnicodeScalarView(s.unicodeScalars.map { Sanitizer.isControl($0) ? " " : $0 }))
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `"text"` with `\` and `"` escaped.
    static func quote(_ s: String) -> String {
        var out = "\""
        for ch in clean(s) {
            if ch == "\"" || ch == "\\" { out.append("\\") }
            out.append(ch)
        }
        return out + "\""
    }
}
