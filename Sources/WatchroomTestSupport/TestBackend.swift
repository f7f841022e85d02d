import WatchroomUI

/// A terminal in memory: the console's frames are drawn into a cell grid (the screen as a
/// user would see it), keys and sizes are scripted. Key-by-key console tests run on it
/// without tmux; `readKey` never waits.
public final class TestBackend: TerminalBackend {
    public var capabilities: TerminalCapabilities
    /// What the screen shows now: every change drawn so far.
    public private(set) var screen: Grid
    /// How many frames were drawn (calls of `draw` with at least one change).
    public private(set) var frames = 0
    /// How many times the bell rang.
    public private(set) var bells = 0
    /// How many times a full redraw was asked for.
    public private(set) var invalidations = 0
    /// Whether the console restored the terminal.
    public private(set) var isShutDown = false
    /// A signal to report from `pendingSignal()` (as if SIGTERM or SIGHUP arrived).
    public var signal: Int32?
    private var keys: [Key] = []

    public init(width: Int = 120, height: Int = 40,
                capabilities: TerminalCapabilities = TerminalCapabilities(colours: .many, blink: true, unicode: true)) {
        self.capabilities = capabilities
        screen = Grid(width: max(1, width), height: max(1, height))
    }

    /// Queues keys for the console to read, in order.
    public func press(_ keys: Key...) { self.keys += keys }

    /// Queues the characters of `text` as key presses (`"\n"` as Enter, `"\t"` as Tab).
    public func type(_ text: String) {
        for c in text {
            switch c {
            case "\n", "\r\n": keys.append(.enter)
            case "\t": keys.append(.tab)
            default: keys.append(.character(c))
            }
        }
    }

    /// The terminal changes size: the screen is blank at the new size (as after a real
    /// resize, until the console draws it again) and a resize key is queued.
    public func resize(width: Int, height: Int) {
        screen = Grid(width: max(1, width), height: max(1, height))
        keys.append(.resize(width: screen.width, height: screen.height))
    }

    /// Keys queued and not yet read.
    public var pendingKeys: Int { keys.count }

    /// The screen's rows as text, trailing spaces removed.
    public var lines: [String] {
        screen.lines.map { line in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }
    }

    /// The whole screen as text, one row a line.
    public var text: String { lines.joined(separator: "\n") }

    // MARK: - TerminalBackend

    public func size() -> (width: Int, height: Int) { (screen.width, screen.height) }

    public func draw(_ changes: [CellChange]) {
        guard !changes.isEmpty else { return }
        frames += 1
        for change in changes {
            screen.put(change.cell.text, x: change.x, y: change.y, style: change.cell.style, maxWidth: max(1, Int(change.cell.width)))
        }
    }

    public func invalidate() { invalidations += 1 }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        keys.isEmpty ? nil : keys.removeFirst()
    }

    public func pendingSignal() -> Int32? { signal }

    public func bell() { bells += 1 }

    public func shutdown() { isShutDown = true }
}
