/// A key press or other input, decoded by the backend.
public enum Key: Sendable, Hashable {
    case character(Character)
    case up, down, left, right
    case pageUp, pageDown, home, end
    case enter, tab, backTab, backspace, delete, escape
    case function(Int)
    /// Ctrl plus a letter, lowercased (`.control("c")`).
    case control(Character)
    /// A mouse click at a screen cell.
    case mouse(x: Int, y: Int, button: Int)
    /// The terminal changed size.
    case resize(width: Int, height: Int)
}

/// What the terminal can show, as the backend found it.
public struct TerminalCapabilities: Sendable, Hashable {
    public enum Colours: Sendable, Hashable { case none, eight, many }

    public var colours: Colours
    /// The terminal has a blink attribute (otherwise blink is done by redrawing).
    public var blink: Bool
    /// The locale is UTF-8: box-drawing and CJK can be shown; otherwise ASCII fallbacks.
    public var unicode: Bool

    public init(colours: Colours, blink: Bool, unicode: Bool) {
        self.colours = colours
        self.blink = blink
        self.unicode = unicode
    }
}

/// The narrow interface between views and a terminal: only a backend touches one.
public protocol TerminalBackend: AnyObject {
    var capabilities: TerminalCapabilities { get }
    /// Current size in cells.
    func size() -> (width: Int, height: Int)
    /// Draws changed cells (as produced by `Grid.diff`), then moves output to the terminal.
    func draw(_ changes: [CellChange])
    /// Redraws everything on the next `draw` (after a resize or a corrupted screen).
    func invalidate()
    /// Waits up to `timeoutMilliseconds` for input; `nil` when none came.
    func readKey(timeoutMilliseconds: Int) -> Key?
    /// A signal (SIGINT, SIGTERM, SIGHUP) that arrived and asks the console to leave; `nil` when none.
    func pendingSignal() -> Int32?
    /// Rings the terminal's bell (a new priority-1 call).
    func bell()
    /// Restores the terminal. Safe to call twice.
    func shutdown()
    /// Whether a cell in `style` looks different from a plain space when its text is a
    /// space (a background colour, reverse, underline): see `Grid.settleBlanks`.
    func showsOnBlank(_ style: Style) -> Bool
}

extension TerminalBackend {
    /// Without a palette to ask, every style may show.
    public func showsOnBlank(_ style: Style) -> Bool { true }
}
