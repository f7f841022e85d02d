#if canImport(Glibc)
import Glibc
#endif
import CNCursesW
import Foundation
import Logging
import WatchroomUI

/// The one `TerminalBackend` that touches a terminal: ncurses (wide-character build).
///
/// One instance per process at a time (ncurses keeps process-wide state; see the notes on
/// several screens). Not thread-safe: use it from the loop that owns the screen.
///
/// Output: `draw` puts only the changed cells into ncurses' screen and ends with one
/// `doupdate`, which sends only what differs from what the terminal already shows; a frame
/// with no changes sends nothing at all.
public final class CursesBackend: TerminalBackend {
    /// Where the terminal is.
    public enum Device: Sendable, Hashable {
        /// Standard input and output (descriptors 0 and 1).
        case standard
        /// A terminal device opened by path, e.g. "/dev/tty".
        case path(String)
        /// Any pair of descriptors (a pseudo-terminal's slave side, for example). They are
        /// duplicated: the caller keeps and closes its own.
        case descriptors(input: Int32, output: Int32)
    }

    public struct Options: Sendable {
        /// Terminal type; `nil` reads `TERM` from `environment`.
        public var term: String?
        /// Read for `TERM` and `NO_COLOR`.
        public var environment: [String: String]
        /// Draw ASCII only even in a UTF-8 locale.
        public var forceASCII: Bool
        /// Report mouse clicks where the terminal supports them.
        public var mouse: Bool
        /// How long ncurses waits after Esc for the rest of an escape sequence.
        public var escapeDelayMilliseconds: Int
        /// Record SIGINT, SIGTERM and SIGHUP (see `pendingSignal()`) instead of dying.
        public var trapSignals: Bool
        /// In raw mode Ctrl-C is a key, not a signal: also record it as SIGINT.
        public var controlCInterrupts: Bool

        public init(term: String? = nil,
                    environment: [String: String] = ProcessInfo.processInfo.environment,
                    forceASCII: Bool = false, mouse: Bool = true, escapeDelayMilliseconds: Int = 25,
                    trapSignals: Bool = true, controlCInterrupts: Bool = true) {
            self.term = term
            self.environment = environment
            self.forceASCII = forceASCII
            self.mouse = mouse
            self.escapeDelayMilliseconds = escapeDelayMilliseconds
            self.trapSignals = trapSignals
            self.controlCInterrupts = controlCInterrupts
        }
    }

    public private(set) var capabilities: TerminalCapabilities
    /// The terminal type in use.
    public let term: String

    private let options: Options
    private var screen: OpaquePointer?
    private var window: UnsafeMutablePointer<WINDOW>?
    private var inputFile: UnsafeMutablePointer<FILE>?
    private var outputFile: UnsafeMutablePointer<FILE>?
    private let inputFD: Int32
    private var ownsSignalTrap = false
    private var needsRepaint = false
    private var hungUp = false
    private var controlC = false
    /// attr_t and colour pair per role, indexed by `StyleRole.rawValue`.
    private var roleAttributes: [attr_t] = []
    private var rolePairs: [Int16] = []
    /// Attributes each role leaves out (`Palette.Entry.ignores`).
    private var roleIgnores: [Attributes] = []
    /// Whether a role's colour pair has a background of its own (a space shows it).
    private var roleHasBackground: [Bool] = []
    private let logger: Logger

    private static let keyCodeYes: Int32 = 0o400
    private static let extraKeys: [(String, UInt32)] = [
        ("\u{1b}[A", KeyDecoder.Code.up), ("\u{1b}[B", KeyDecoder.Code.down),
        ("\u{1b}[C", KeyDecoder.Code.right), ("\u{1b}[D", KeyDecoder.Code.left),
        ("\u{1b}[H", KeyDecoder.Code.home), ("\u{1b}[F", KeyDecoder.Code.end),
        ("\u{1b}[1~", KeyDecoder.Code.home), ("\u{1b}[4~", KeyDecoder.Code.end),
    ]

    /// Whether the environment's character locale (`LC_ALL`, `LC_CTYPE`, `LANG`, the first
    /// set) names UTF-8.
    static func asksForUTF8(_ environment: [String: String]) -> Bool {
        let name = ["LC_ALL", "LC_CTYPE", "LANG"].lazy.compactMap { environment[$0] }.first { !$0.isEmpty } ?? ""
        return name.uppercased().replacingOccurrences(of: "-", with: "").contains("UTF8")
    }

    /// Opens the terminal full-screen.
    ///
    /// Sets the locale from the environment first (`setlocale(LC_ALL, "")`), so wide
    /// characters work in a UTF-8 locale. Throws `TerminalRefusal` when the device cannot
    /// be opened or ncurses does not know the terminal; never exits the process.
    public init(device: Device = .standard, options: Options = Options(),
                logger: Logger = Logger(label: "watchroom.terminal")) throws {
        self.options = options
        self.logger = logger
        let termName = options.term ?? options.environment["TERM"] ?? ""
        term = termName
        if termName.isEmpty || termName == "dumb" {
            throw TerminalRefusal.dumbTerminal(term: options.term ?? options.environment["TERM"])
        }

        if setlocale(LC_ALL, "") == nil, Self.asksForUTF8(options.environment) {
            // A UTF-8 locale this system has not generated (zh_CN.UTF-8 on a bare Debian): the
            // terminal still speaks UTF-8, so draw in C.UTF-8 rather than fall back to ASCII.
            setlocale(LC_ALL, "C.UTF-8")
        }
        let codeset = cn_codeset().map { String(cString: $0) } ?? ""
        let unicode = !options.forceASCII && codeset.uppercased().replacingOccurrences(of: "-", with: "") == "UTF8"

        // Our own descriptors, so closing our FILEs never closes the caller's.
        let (inFD, outFD) = try Self.duplicate(device)
        guard let input = fdopen(inFD, "r"), let output = fdopen(outFD, "w") else {
            let e = errno
            Glibc.close(inFD)
            Glibc.close(outFD)
            throw TerminalRefusal.cannotOpen(term: termName, reason: String(cString: strerror(e)))
        }
        inputFile = input
        outputFile = output
        inputFD = inFD

        if options.trapSignals { ownsSignalTrap = SignalTrap.install() }
        // Size from the terminal (ioctl), not from stale LINES/COLUMNS variables.
        use_tioctl(true)
        guard let scr = newterm(termName, output, input) else {
            if ownsSignalTrap { SignalTrap.remove() }
            ownsSignalTrap = false
            fclose(input)
            fclose(output)
            inputFile = nil
            outputFile = nil
            throw TerminalRefusal.cannotOpen(term: termName, reason: "ncurses does not know this terminal type")
        }
        screen = scr
        set_term(scr)
        let win = cn_stdscr()
        window = win

        raw()
        noecho()
        nonl()
        intrflush(win, false)
        keypad(win, true)
        scrollok(win, false)
        leaveok(win, true)
        curs_set(0)
        // Never abandon a refresh halfway because a key is waiting: one frame, one burst.
        typeahead(-1)
        set_escdelay(Int32(clamping: options.escapeDelayMilliseconds))
        // keypad() puts the terminal in application mode (arrows send ESC O A), which is what
        // terminfo lists; some terminals send ESC [ A regardless. Accept both.
        for (sequence, code) in Self.extraKeys { define_key(sequence, Int32(code)) }

        var colours = TerminalCapabilities.Colours.none
        var defaultColours = false
        if options.environment["NO_COLOR"] == nil, has_colors() {
            start_color()
            defaultColours = use_default_colors() == OK
            colours = Palette.colourMode(environment: options.environment, hasColours: true,
                                         colourCount: Int(cn_COLORS()))
        }
        capabilities = TerminalCapabilities(colours: colours, blink: cn_has_blink() != 0, unicode: unicode)
        setUpPalette(defaultColours: defaultColours)

        if options.mouse {
            mousemask(cn_mouse_mask_clicks(), nil)
            // Report presses at once instead of waiting to compose clicks.
            mouseinterval(0)
        }
        // ncurses 6.4 flushes after every cursor move until the screen has once come back
        // from endwin (state "initial" vs "running"): 60 small writes per frame instead of
        // one burst. Leave and resume once, now, so every later frame is one buffered write.
        endwin()
        wrefresh(win)
        let (w, h) = size()
        logger.info("terminal opened", metadata: [
            "term": "\(termName)", "size": "\(w)x\(h)", "colours": "\(colours)",
            "blink": "\(capabilities.blink)", "unicode": "\(unicode)", "codeset": "\(codeset)",
        ])
    }

    deinit { shutdown() }

    private static func duplicate(_ device: Device) throws -> (Int32, Int32) {
        switch device {
        case .standard:
            return try dupPair(0, 1)
        case .descriptors(let i, let o):
            return try dupPair(i, o)
        case .path(let path):
            let fd = open(path, O_RDWR | O_NOCTTY | O_CLOEXEC)
            guard fd >= 0 else { throw TerminalRefusal.noTerminal }
            defer { Glibc.close(fd) }
            return try dupPair(fd, fd)
        }
    }

    private static func dupPair(_ i: Int32, _ o: Int32) throws -> (Int32, Int32) {
        guard isatty(i) != 0, isatty(o) != 0 else { throw TerminalRefusal.noTerminal }
        let a = dup(i)
        let b = dup(o)
        guard a >= 0, b >= 0 else {
            if a >= 0 { Glibc.close(a) }
            if b >= 0 { Glibc.close(b) }
            throw TerminalRefusal.noTerminal
        }
        return (a, b)
    }

    // MARK: - Colours

    private func setUpPalette(defaultColours: Bool) {
        let table = Palette.for(capabilities)
        roleAttributes = Array(repeating: 0, count: StyleRole.allCases.count)
        rolePairs = Array(repeating: 0, count: StyleRole.allCases.count)
        roleIgnores = Array(repeating: [], count: StyleRole.allCases.count)
        roleHasBackground = Array(repeating: false, count: StyleRole.allCases.count)
        for role in StyleRole.allCases {
            let entry = table[role] ?? Palette.Entry(-1)
            let i = Int(role.rawValue)
            roleAttributes[i] = Self.attributeBits(entry.attributes)
            roleIgnores[i] = entry.ignores
            guard capabilities.colours != .none else { continue }
            roleHasBackground[i] = entry.background >= 0
            var fg = entry.foreground, bg = entry.background
            if !defaultColours {
                if fg < 0 { fg = 7 }
                if bg < 0 { bg = 0 }
            }
            let pair = Int16(i + 1)
            if init_pair(pair, fg, bg) == OK { rolePairs[i] = pair }
        }
    }

    private static func attributeBits(_ a: Attributes) -> attr_t {
        var bits = cn_A_NORMAL()
        if a.contains(.bold) { bits |= cn_A_BOLD() }
        if a.contains(.blink) { bits |= cn_A_BLINK() }
        if a.contains(.reverse) { bits |= cn_A_REVERSE() }
        if a.contains(.underline) { bits |= cn_A_UNDERLINE() }
        if a.contains(.dim) { bits |= cn_A_DIM() }
        return bits
    }

    // MARK: - TerminalBackend

    public func size() -> (width: Int, height: Int) {
        guard let win = window, screen != nil else { return (0, 0) }
        var y: Int32 = 0, x: Int32 = 0
        cn_getmaxyx(win, &y, &x)
        return (Int(x), Int(y))
    }

    public func draw(_ changes: [CellChange]) {
        guard let scr = screen, let win = window else { return }
        if changes.isEmpty && !needsRepaint { return }
        set_term(scr)
        if needsRepaint {
            clearok(cn_curscr(), true)
            needsRepaint = false
        }
        let (width, height) = size()
        var cc = cchar_t()
        var atX = -1, atY = -1
        var glyph: [wchar_t] = []
        glyph.reserveCapacity(6)
        let blinkOK = capabilities.blink
        for change in changes {
            let cell = change.cell
            guard cell.width != 0, change.x >= 0, change.y >= 0, change.x < width, change.y < height else { continue }
            let role = Int(cell.style.role.rawValue)
            var extra = cell.style.attributes.subtracting(roleIgnores[role])
            if !blinkOK { extra.remove(.blink) }
            let attrs = roleAttributes[role] | Self.attributeBits(extra)
            let pair = rolePairs[role]
            let columns = Self.glyph(for: cell, unicode: capabilities.unicode, into: &glyph)
            if change.x != atX || change.y != atY { wmove(win, Int32(change.y), Int32(change.x)) }
            setcchar(&cc, glyph, attrs, pair, nil)
            wadd_wch(win, &cc)
            // The grid said two columns but this character takes one here: blank the second.
            if columns < Int(cell.width), change.x + 1 < width {
                setcchar(&cc, [wchar_t(32), 0], attrs, pair, nil)
                wadd_wch(win, &cc)
            }
            atX = change.x + Swift.max(columns, Int(cell.width))
            atY = change.y
        }
        wnoutrefresh(win)
        doupdate()
    }

    /// Fills `out` with the NUL-terminated wide characters to draw for `cell` and returns
    /// the columns they take. Never lets a control character through, and keeps ncurses'
    /// idea of widths (libc `wcwidth`) in step with the grid's.
    private static func glyph(for cell: Cell, unicode: Bool, into out: inout [wchar_t]) -> Int {
        out.removeAll(keepingCapacity: true)
        let scalars = CellText.sanitized(cell.text, unicode: unicode)
        let want = Swift.max(1, Int(cell.width))
        var head = scalars.first ?? " "
        var w = Int(cn_wcwidth(wchar_t(bitPattern: head.value)))
        if w <= 0 || w > want {
            head = "?"
            w = 1
        }
        out.append(wchar_t(bitPattern: head.value))
        // Combining marks (zero width) ride on the head, up to ncurses' limit of 5 in all.
        for s in scalars.dropFirst() where out.count < 5 {
            if cn_wcwidth(wchar_t(bitPattern: s.value)) == 0 { out.append(wchar_t(bitPattern: s.value)) }
        }
        out.append(0)
        return w
    }

    public func showsOnBlank(_ style: Style) -> Bool {
        let role = Int(style.role.rawValue)
        guard role < roleAttributes.count else { return true }
        let visible: Attributes = [.reverse, .underline]
        return roleHasBackground[role] || !style.attributes.subtracting(roleIgnores[role]).isDisjoint(with: visible)
            || roleAttributes[role] & (cn_A_REVERSE() | cn_A_UNDERLINE()) != 0
    }

    public func invalidate() {
        needsRepaint = true
    }

    public func readKey(timeoutMilliseconds: Int) -> Key? {
        guard let scr = screen, let win = window else { return nil }
        if pendingSignal() != nil { return nil }
        set_term(scr)
        wtimeout(win, Int32(clamping: timeoutMilliseconds))
        let start = ContinuousClock.now
        var ch: wint_t = 0
        let r = wget_wch(win, &ch)
        if r == Self.keyCodeYes {
            switch ch {
            case KeyDecoder.Code.resize:
                needsRepaint = true
                let (w, h) = size()
                logger.debug("terminal resized", metadata: ["size": "\(w)x\(h)"])
                return .resize(width: w, height: h)
            case KeyDecoder.Code.mouse:
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                let button = cn_mouse_button(event.bstate)
                guard button != 0 else { return nil }
                return .mouse(x: Int(event.x), y: Int(event.y), button: Int(button))
            default:
                return KeyDecoder.decode(ch, isKeyCode: true)
            }
        }
        if r == OK {
            if ch == 3 && options.controlCInterrupts { controlC = true }
            return KeyDecoder.decode(ch, isKeyCode: false)
        }
        // ERR long before the timeout, and not for a signal: is the terminal still there?
        if timeoutMilliseconds > 10, SignalTrap.caught() == nil,
           ContinuousClock.now - start < .milliseconds(timeoutMilliseconds / 2),
           cn_fd_hung_up(inputFD) != 0 {
            hungUp = true
            logger.notice("terminal hung up")
        }
        return nil
    }

    /// The reason to stop, if any: SIGINT, SIGTERM or SIGHUP caught; SIGHUP also when the
    /// terminal went away without one (its input reports a hang-up); SIGINT when Ctrl-C was
    /// typed (raw mode delivers it as `.control("c")` too) unless `controlCInterrupts` is off.
    ///
    /// The loop checks it after every `readKey`, then calls `shutdown()` and exits.
    public func pendingSignal() -> Int32? {
        if ownsSignalTrap, let s = SignalTrap.caught() { return s }
        if hungUp { return SIGHUP }
        if controlC { return SIGINT }
        return nil
    }

    /// Whether `pendingSignal()` has something.
    public var interrupted: Bool { pendingSignal() != nil }

    /// Whether this backend installed the SIGINT/SIGTERM/SIGHUP trap.
    var trapsSignals: Bool { ownsSignalTrap }

    /// Whether the screen is still open (not shut down).
    public var isOpen: Bool { screen != nil }

    /// Rings the terminal's bell (or flashes where it has none).
    public func bell() {
        guard screen != nil else { return }
        _ = beep()
    }

    public func shutdown() {
        guard let scr = screen else { return }
        set_term(scr)
        if options.mouse { mousemask(0, nil) }
        endwin()
        delscreen(scr)
        screen = nil
        window = nil
        if let f = outputFile { fclose(f) }
        if let f = inputFile { fclose(f) }
        outputFile = nil
        inputFile = nil
        if ownsSignalTrap { SignalTrap.remove() }
        ownsSignalTrap = false
        logger.info("terminal restored")
    }
}

/// What a cell's text may send to the terminal.
enum CellText {

    /// The scalars of `text` with C0, DEL and C1 controls replaced by "?", and (when the
    /// terminal is not UTF-8) anything beyond ASCII replaced by "?". Empty text is a space.
    static func sanitized(_ text: String, unicode: Bool) -> [Unicode.Scalar] {
        var out: [Unicode.Scalar] = []
        for s in text.unicodeScalars {
            let v = s.value
            if v < 0x20 || (v >= 0x7F && v < 0xA0) {
                out.append("?")
            } else if !unicode && v > 0x7E {
                // A few common symbols have a plain stand-in; anything else is "?".
                out.append(Grid.asciiStandIn[String(s)].flatMap { $0.unicodeScalars.first } ?? "?")
            } else {
                out.append(s)
            }
        }
        return out.isEmpty ? [" "] : out
    }
}
