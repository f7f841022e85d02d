import WatchroomCore

/// One line of the key table: what to press and what it does.
public struct KeyBinding: Sendable, Hashable {
    /// How the key is written in the help (`Tab`, `+ =`): the same in every language.
    public var keys: String
    /// The key of what it does in the interface tables (`key.panel`).
    public var textKey: String

    public init(_ keys: String, _ textKey: String) {
        self.keys = keys
        self.textKey = textKey
    }

    /// What it does, in English.
    public var action: String { action(in: .english) }

    /// What it does, in `language`.
    public func action(in language: InterfaceLanguage) -> String { language.t(textKey) }

    /// The keys as the help shows them in `language`: key names stay (`Tab`, `Ctrl-L`), a
    /// described input is translated (`Mouse click`).
    public func keys(in language: InterfaceLanguage) -> String {
        keys == "Mouse click" ? language.t("key.mouseClick") : keys
    }
}

/// One hint of the bottom bar: the key, the word for it, and the rank at which it is left
/// out when the bar is short (lower goes first; 0 stays).
public struct KeyHint: Sendable, Hashable {
    public var key: String
    public var textKey: String
    public var drop: Int

    public init(_ key: String, _ textKey: String, drop: Int) {
        self.key = key
        self.textKey = textKey
        self.drop = drop
    }

    /// `d dispatch`, in `language`.
    public func hint(in language: InterfaceLanguage) -> String { key + " " + language.t(textKey) }

    /// `d dispatch`.
    public var hint: String { hint(in: .english) }
}

/// Every key the console answers to. The help overlay lists exactly these.
public enum KeyTable {
    public static let unicodeBindings: [KeyBinding] = [
        KeyBinding("Tab  Shift-Tab", "key.panel"),
        KeyBinding("← ↑ → ↓  h j k l", "key.pan"),
        KeyBinding("+ =   -", "key.zoom"),
        KeyBinding("0", "key.whole"),
        KeyBinding("c", "key.centre"),
        KeyBinding("Enter", "key.enter"),
        KeyBinding("PgUp PgDn Home End", "key.page"),
        KeyBinding("Esc", "key.escape"),
        KeyBinding("L", "key.legend"),
        KeyBinding("d  r", "key.dispatch"),
        KeyBinding("n  x", "key.new"),
        KeyBinding("v  b", "key.camera"),
        KeyBinding("s", "key.summary"),
        KeyBinding("?", "key.help"),
        KeyBinding(":", "key.command"),
        KeyBinding(":zoom N", "key.zoomCommand"),
        KeyBinding(":goto PLACE", "key.gotoCommand"),
        KeyBinding(":help  :quit", "key.helpCommand"),
        KeyBinding("q  Ctrl-C", "key.quit"),
        KeyBinding("Ctrl-L", "key.redraw"),
        KeyBinding("Mouse click", "key.mouse"),
    ]

    /// The same table with ASCII arrows.
    public static let asciiBindings: [KeyBinding] = unicodeBindings.map {
        $0.keys.hasPrefix("←") ? KeyBinding("arrows  h j k l", $0.textKey) : $0
    }

    public static func bindings(unicode: Bool) -> [KeyBinding] { unicode ? unicodeBindings : asciiBindings }

    /// The keys of a replay, in place of the dispatch keys (which would change the world).
    public static let replayBindings: [KeyBinding] = [
        KeyBinding("Space", "key.replay.pause"),
        KeyBinding("<  >", "key.replay.speed"),
        KeyBinding(".", "key.replay.step"),
        KeyBinding("n  N", "key.replay.incident"),
        KeyBinding("[  ]", "key.replay.ends"),
        KeyBinding(":goto 21:30", "key.replay.goto"),
        KeyBinding("v  b  s", "key.replay.live"),
    ]

    /// The table for a mode: a replay lists its own keys instead of `d r n x`.
    public static func bindings(unicode: Bool, mode: ShiftMode) -> [KeyBinding] {
        let base = bindings(unicode: unicode)
        guard mode == .replay else { return base }
        let dispatchKeys: Set<String> = ["d  r", "n  x", "v  b", "s"]
        var out: [KeyBinding] = []
        for b in base where !dispatchKeys.contains(b.keys) {
            out.append(b)
            if b.keys == "L" { out += replayBindings }
        }
        return out
    }

    /// The live console's key hints (the bottom bar), in the order shown.
    public static let liveHints: [KeyHint] = [
        KeyHint("?", "hint.help", drop: 0), KeyHint(":", "hint.command", drop: 8), KeyHint("Tab", "hint.panel", drop: 5),
        KeyHint("d", "hint.dispatch", drop: 9), KeyHint("r", "hint.reinforce", drop: 6), KeyHint("n", "hint.new", drop: 7),
        KeyHint("x", "hint.close", drop: 1), KeyHint("v", "hint.camera", drop: 2), KeyHint("b", "hint.background", drop: 3),
        KeyHint("s", "hint.summary", drop: 4), KeyHint("q", "hint.quit", drop: 0),
    ]

    /// The key hints that fit in `width` columns: whole hints only, never one cut in half,
    /// the least needed left out first.
    public static func hintLine(width: Int, language: InterfaceLanguage = .english) -> String {
        var shown = liveHints
        func text() -> String { " " + shown.map { $0.hint(in: language) }.joined(separator: "  ") }
        for rank in 1...9 where DisplayWidth.of(text()) > width {
            shown.removeAll { $0.drop == rank }
        }
        return text()
    }
}
