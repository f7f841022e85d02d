import WatchroomCore

/// One line of the key table: what to press and what it does.
public struct KeyBinding: Sendable, Hashable {
    /// How the key is written in the help (`Tab`, `+ =`).
    public var keys: String
    public var action: String

    public init(_ keys: String, _ action: String) {
        self.keys = keys
        self.action = action
    }
}

/// Every key the console answers to. The help overlay lists exactly these.
public enum KeyTable {
    public static let unicodeBindings: [KeyBinding] = [
        KeyBinding("Tab  Shift-Tab", "next / previous panel"),
        KeyBinding("← ↑ → ↓  h j k l", "pan the map; move in lists"),
        KeyBinding("+ =   -", "zoom in   zoom out"),
        KeyBinding("0", "back to the whole precinct"),
        KeyBinding("c", "centre on the selection"),
        KeyBinding("Enter", "select the row (map: nearest marker)"),
        KeyBinding("PgUp PgDn Home End", "page, first, last in lists"),
        KeyBinding("Esc", "clear the selection; close"),
        KeyBinding("L", "legend on / off"),
        KeyBinding("d  r", "dispatch / reinforce the selected incident"),
        KeyBinding("n  x", "new incident (form) / close the selected one"),
        KeyBinding("v  b", "next camera / background lookup, selected"),
        KeyBinding("s", "shift summary (Esc closes)"),
        KeyBinding("?", "this help"),
        KeyBinding(":", "command line"),
        KeyBinding(":zoom N", "N metres per column"),
        KeyBinding(":goto PLACE", "go to a place"),
        KeyBinding(":help  :quit", "every command and its syntax; quit now"),
        KeyBinding("q  Ctrl-C", "quit (asks y / n)"),
        KeyBinding("Ctrl-L", "redraw the screen"),
        KeyBinding("Mouse click", "select a marker or a row"),
    ]

    /// The same table with ASCII arrows.
    public static let asciiBindings: [KeyBinding] = unicodeBindings.map {
        $0.keys.hasPrefix("←") ? KeyBinding("arrows  h j k l", $0.action) : $0
    }

    public static func bindings(unicode: Bool) -> [KeyBinding] { unicode ? unicodeBindings : asciiBindings }

    /// The keys of a replay, in place of the dispatch keys (which would change the world).
    public static let replayBindings: [KeyBinding] = [
        KeyBinding("Space", "pause / play"),
        KeyBinding("<  >", "slower / faster: 1 2 5 10 ... 1000x"),
        KeyBinding(".", "one event on (pauses)"),
        KeyBinding("n  N", "next / previous incident"),
        KeyBinding("[  ]", "start / end of the shift (Home End on the map)"),
        KeyBinding(":goto 21:30", "jump to a time; also ISO 8601, +30m, -1h"),
        KeyBinding("v  b  s", "camera / background / summary, as live"),
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

    /// The live console's key hints (the bottom bar), in the order shown, each with the
    /// rank at which it is left out when the bar is short (lower goes first; 0 stays).
    public static let liveHints: [(hint: String, drop: Int)] = [
        ("? help", 0), (": command", 8), ("Tab panel", 5), ("d dispatch", 9), ("r reinforce", 6), ("n new", 7),
        ("x close", 1), ("v camera", 2), ("b background", 3), ("s summary", 4), ("q quit", 0),
    ]

    /// The key hints that fit in `width` columns: whole hints only, never one cut in half,
    /// the least needed left out first.
    public static func hintLine(width: Int) -> String {
        var shown = liveHints
        func text() -> String { " " + shown.map(\.hint).joined(separator: "  ") }
        for rank in 1...9 where DisplayWidth.of(text()) > width {
            shown.removeAll { $0.drop == rank }
        }
        return text()
    }
}
