#if canImport(Glibc)
import Glibc
#endif
import Logging
@testable import WatchroomTerminal
import WatchroomUI
import XCTest

/// The real backend on a pseudo-terminal: what ncurses sends is read back from the master side.
final class CursesBackendTests: XCTestCase {
    private var savedLocale: String?

    override func setUp() {
        super.setUp()
        // A UTF-8 locale whatever the runner's environment; CursesBackend calls setlocale(LC_ALL, "").
        savedLocale = getenv("LC_ALL").map { String(cString: $0) }
        setenv("LC_ALL", "C.UTF-8", 1)
    }

    override func tearDown() {
        if let saved = savedLocale { setenv("LC_ALL", saved, 1) } else { unsetenv("LC_ALL") }
        setlocale(LC_ALL, "")
        super.tearDown()
    }

    private static let quiet = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    private func open(_ pty: PseudoTerminal, term: String = "xterm-256color", environment: [String: String] = [:],
                      controlCInterrupts: Bool = true) throws -> CursesBackend {
        var env = environment
        env["TERM"] = term
        let options = CursesBackend.Options(term: term, environment: env, controlCInterrupts: controlCInterrupts)
        return try CursesBackend(device: .descriptors(input: pty.slave, output: pty.slave), options: options,
                                 logger: Self.quiet)
    }

    /// A console-like 80x24 frame: boxes, a status bar, Chinese street names, a blinking P1.
    private func sampleGrid(width: Int = 80, height: Int = 24) -> Grid {
        var g = Grid(width: width, height: height)
        g.put(" WATCHROOM  Jiangbei precinct  night shift", x: 0, y: 0, style: Style(.header))
        g.fill(x: 0, y: height - 1, width: width, height: 1, with: Cell(" ", style: Style(.statusBar)))
        g.put(" F1 help  / command  q quit", x: 0, y: height - 1, style: Style(.statusBar))
        for (x0, w) in [(0, 56), (56, 24)] {
            g.put("┌" + String(repeating: "─", count: w - 2) + "┐", x: x0, y: 1, style: Style(.panelBorder))
            for y in 2..<(height - 2) {
                g.put("│", x: x0, y: y, style: Style(.panelBorder))
                g.put("│", x: x0 + w - 1, y: y, style: Style(.panelBorder))
            }
            g.put("└" + String(repeating: "─", count: w - 2) + "┘", x: x0, y: height - 2, style: Style(.panelBorder))
        }
        g.put(" Map ", x: 2, y: 1, style: Style(.panelTitleFocused))
        g.put(" Units ", x: 58, y: 1, style: Style(.panelTitle))
        for y in stride(from: 4, to: height - 3, by: 5) {
            g.put(String(repeating: "═", count: 50), x: 3, y: y, style: Style(.roadMajor))
        }
        g.put("永平门街", x: 6, y: 3, style: Style(.labelMajor))
        g.put("▲", x: 20, y: 6, style: Style(.incidentP1, .blink))
        g.put("◆", x: 30, y: 12, style: Style(.incidentP2))
        for (i, unit) in ["A-11 available", "A-12 en route", "B-03 on scene"].enumerated() {
            g.put(unit, x: 58, y: 3 + i, style: Style([.unitAvailable, .unitEnRoute, .unitOnScene][i]))
        }
        g.fill(x: 57, y: 4, width: 22, height: 1, with: Cell(" ", style: Style(.selection)))
        g.put("A-12 en route", x: 58, y: 4, style: Style(.selection))
        return g
    }

    func testDrawsChangedCellsOnlyAndRestoresTheTerminal() throws {
        let pty = try PseudoTerminal(width: 80, height: 24)
        let backend = try open(pty)
        let start = pty.readAvailable()
        XCTAssertTrue(start.contains(sequence: "\u{1b}[?1049h"), "alternate screen (smcup)")
        XCTAssertTrue(start.contains(sequence: "\u{1b}[?25l"), "cursor hidden (civis)")
        XCTAssertEqual(backend.capabilities, TerminalCapabilities(colours: .many, blink: true, unicode: true))
        XCTAssertTrue(backend.size() == (80, 24))

        // First full frame.
        let grid = sampleGrid()
        let full = grid.diff(from: nil)
        backend.draw(full)
        let first = pty.readAvailable()
        print("first full 80x24 frame: \(first.count) bytes for \(full.count) cells")
        XCTAssertTrue(first.contains(sequence: "永平门街"), "street name as UTF-8")
        XCTAssertTrue(first.contains(sequence: "┌─"), "box drawing as plain characters")
        XCTAssertFalse(first.contains(sequence: "\u{1b}(0"), "no alternate character set")
        let sgr = first.sgrParameterLists()
        XCTAssertTrue(sgr.contains { $0.containsColour(foreground: 196) }, "P1 red (38;5;196)")
        XCTAssertTrue(sgr.contains { $0.hasPlain(5) }, "blink attribute (SGR 5)")
        XCTAssertLessThan(first.count, 4000)

        // Same frame again: nothing to send.
        backend.draw(grid.diff(from: grid))
        XCTAssertEqual(pty.readAvailable(timeoutMilliseconds: 100).count, 0, "idle frame")
        backend.draw(full)
        XCTAssertEqual(pty.readAvailable(timeoutMilliseconds: 100).count, 0, "identical cells redrawn")

        // One changed cell: a small write.
        var next = grid
        next.put("●", x: 40, y: 10, style: Style(.unitDispatched))
        let changes = next.diff(from: grid)
        XCTAssertEqual(changes.count, 1)
        backend.draw(changes)
        let one = pty.readAvailable()
        print("one changed cell: \(one.count) bytes: \(one.printable)")
        XCTAssertGreaterThan(one.count, 0)
        XCTAssertLessThan(one.count, 40)
        XCTAssertTrue(one.contains(sequence: "●"))

        // One changed cell with bold on top of the colour costs a full SGR (and its reset).
        var bold = next
        bold.put("!", x: 41, y: 10, style: Style(.incidentP1))
        backend.draw(bold.diff(from: next))
        let oneBold = pty.readAvailable()
        print("one changed bold cell: \(oneBold.count) bytes: \(oneBold.printable)")
        XCTAssertLessThan(oneBold.count, 48)
        next = bold

        // Blink toggled by redrawing (for terminals without blink): one cell each way.
        var off = next
        off.put(" ", x: 20, y: 6, style: Style(.normal))
        backend.draw(off.diff(from: next))
        let toggle = pty.readAvailable()
        print("blink-by-redraw toggle: \(toggle.count) bytes")
        XCTAssertLessThan(toggle.count, 40)

        // invalidate(): a full repaint (clear + everything) on the next draw, even with no changes.
        backend.invalidate()
        backend.draw([])
        let repaint = pty.readAvailable()
        print("repaint after invalidate: \(repaint.count) bytes")
        XCTAssertTrue(repaint.contains(sequence: "\u{1b}[H\u{1b}[2J"), "clear")
        XCTAssertTrue(repaint.contains(sequence: "永平门街"))

        // Shutdown restores the terminal, once.
        backend.shutdown()
        let end = pty.readAvailable()
        XCTAssertTrue(end.contains(sequence: "\u{1b}[?1049l"), "normal screen (rmcup): \(end.printable)")
        XCTAssertTrue(end.contains(sequence: "\u{1b}[?25h"), "cursor shown (cnorm): \(end.printable)")
        XCTAssertFalse(backend.isOpen)
        backend.shutdown()
        backend.draw(full)
        XCTAssertEqual(pty.readAvailable(timeoutMilliseconds: 100).count, 0, "nothing after shutdown")
    }

    /// What shows on a blank comes from the palette: a background or reverse does, a
    /// foreground colour or bold does not; under NO_COLOR underline does too. And a map row
    /// whose blanks take their neighbours' pen costs fewer bytes on the wire, with the same
    /// characters.
    func testBlanksInTheNeighboursPenCostFewerBytes() throws {
        let pty = try PseudoTerminal(width: 80, height: 24)
        let backend = try open(pty)
        _ = pty.readAvailable()
        XCTAssertFalse(backend.showsOnBlank(Style(.road)))
        XCTAssertFalse(backend.showsOnBlank(Style(.label, [.bold])))
        XCTAssertFalse(backend.showsOnBlank(Style(.incidentP3)))
        XCTAssertTrue(backend.showsOnBlank(Style(.selection)))
        XCTAssertTrue(backend.showsOnBlank(Style(.header)), "a background colour")
        XCTAssertTrue(backend.showsOnBlank(Style(.road, [.underline])))
        // A map-like row: roads, water and names with gaps between them.
        var g = Grid(width: 80, height: 24)
        for y in 2..<20 {
            for x in stride(from: y % 3, to: 78, by: 6) {
                g.put("─┼", x: x, y: y, style: Style(.roadFoot))
                g.put("≈", x: x + 3, y: y, style: Style(.water))
            }
            g.put("永平门街", x: 20 + y, y: y, style: Style(.label))
        }
        var settled = g
        settled.settleBlanks(showsOnBlank: backend.showsOnBlank)
        XCTAssertEqual(settled.lines, g.lines)
        backend.draw(g.diff(from: nil))
        let plain = pty.readAvailable()
        backend.invalidate()
        backend.draw(settled.diff(from: nil))
        let fewer = pty.readAvailable()
        print("map-like frame: \(plain.count) B, blanks settled \(fewer.count) B")
        XCTAssertLessThan(Double(fewer.count), Double(plain.count) * 0.9)
        backend.shutdown()

        let mono = try PseudoTerminal(width: 80, height: 24)
        let noColour = try open(mono, environment: ["NO_COLOR": "1"])
        XCTAssertTrue(noColour.showsOnBlank(Style(.incidentP3)), "underlined in monochrome")
        XCTAssertFalse(noColour.showsOnBlank(Style(.road)))
        noColour.shutdown()
    }

    func testControlCharactersInCellsNeverReachTheTerminal() throws {
        XCTAssertEqual(CellText.sanitized("a\u{1b}[2Jb\u{7f}\u{9b}", unicode: true).map(\.value),
                       Array("a?[2Jb??".unicodeScalars).map(\.value))
        XCTAssertEqual(String(String.UnicodeScalarView(CellText.sanitized("街é", unicode: false))), "??")
        XCTAssertEqual(CellText.sanitized("", unicode: true), [" "])

        let pty = try PseudoTerminal(width: 20, height: 5)
        let backend = try open(pty)
        defer { backend.shutdown() }
        _ = pty.readAvailable()
        // Build cells by hand: Grid itself would already have cleaned these.
        let evil = [CellChange(x: 1, y: 1, cell: Cell("\u{1b}", style: Style())),
                    CellChange(x: 2, y: 1, cell: Cell("\u{07}", style: Style())),
                    CellChange(x: 3, y: 1, cell: Cell("\u{9b}", style: Style())),
                    CellChange(x: 4, y: 1, cell: Cell("x\u{1b}]0;pwned\u{07}", style: Style()))]
        backend.draw(evil)
        let out = pty.readAvailable()
        XCTAssertFalse(out.contains(0x07), out.printable)
        XCTAssertFalse(out.contains(sequence: "pwned"), out.printable)
        XCTAssertFalse(out.contains(0x9B) && !out.contains(sequence: "\u{9b}"), out.printable)
        XCTAssertTrue(out.contains(sequence: "???x"), out.printable)
    }

    func testKeysTypedOnTheTerminal() throws {
        let pty = try PseudoTerminal(width: 80, height: 24)
        let backend = try open(pty)
        defer { backend.shutdown() }
        _ = pty.readAvailable()
        let table: [(String, Key)] = [
            ("\u{1b}OA", .up), ("\u{1b}OB", .down), ("\u{1b}OD", .left), ("\u{1b}OC", .right),
            ("\u{1b}[A", .up), ("\u{1b}[B", .down), ("\u{1b}[D", .left), ("\u{1b}[C", .right),
            ("\u{1b}[5~", .pageUp), ("\u{1b}[6~", .pageDown), ("\u{1b}OH", .home), ("\u{1b}OF", .end),
            ("\r", .enter), ("\n", .enter), ("\t", .tab), ("\u{1b}[Z", .backTab),
            ("\u{7f}", .backspace), ("\u{08}", .backspace), ("\u{1b}[3~", .delete),
            ("\u{1b}OP", .function(1)), ("\u{1b}[24~", .function(12)),
            ("q", .character("q")), ("永", .character("永")), ("\u{12}", .control("r")),
            ("\u{1b}[<0;5;3M", .mouse(x: 4, y: 2, button: 1)),
        ]
        for (bytes, key) in table {
            pty.type(bytes)
            XCTAssertEqual(backend.readKey(timeoutMilliseconds: 500), key, "typed \(Array(bytes.utf8))")
        }
        // A lone Esc arrives after the short escape delay.
        pty.type("\u{1b}")
        let clock = ContinuousClock()
        let start = clock.now
        XCTAssertEqual(backend.readKey(timeoutMilliseconds: 1000), .escape)
        XCTAssertLessThan(clock.now - start, .milliseconds(300))
        // Nothing typed: nil after the timeout.
        XCTAssertNil(backend.readKey(timeoutMilliseconds: 30))
        XCTAssertNil(backend.pendingSignal())
        // Ctrl-C is a key in raw mode, and also a reason to stop.
        pty.type("\u{03}")
        XCTAssertEqual(backend.readKey(timeoutMilliseconds: 500), .control("c"))
        XCTAssertEqual(backend.pendingSignal(), SIGINT)
        XCTAssertTrue(backend.interrupted)
    }

    func testResizeIsReportedAndFollowed() throws {
        let pty = try PseudoTerminal(width: 80, height: 24)
        let backend = try open(pty)
        defer { backend.shutdown() }
        _ = pty.readAvailable()
        backend.draw(sampleGrid().diff(from: nil))
        _ = pty.readAvailable()
        XCTAssertTrue(pty.setSize(width: 100, height: 30))
        // This process is not the pty's foreground group, so the kernel sends it no SIGWINCH: raise it.
        kill(getpid(), SIGWINCH)
        var key: Key?
        for _ in 0..<5 where key == nil { key = backend.readKey(timeoutMilliseconds: 200) }
        XCTAssertEqual(key, .resize(width: 100, height: 30))
        XCTAssertTrue(backend.size() == (100, 30))
        // The next frame repaints everything at the new size.
        backend.draw(sampleGrid(width: 100, height: 30).diff(from: nil))
        let frame = pty.readAvailable()
        print("first full 100x30 frame after resize: \(frame.count) bytes")
        XCTAssertTrue(frame.contains(sequence: "\u{1b}[H\u{1b}[2J"))
        XCTAssertTrue(frame.contains(sequence: "永平门街"))
    }

    func testSignalsAreRecordedNotFatal() throws {
        let pty = try PseudoTerminal(width: 40, height: 10)
        let backend = try open(pty)
        defer { backend.shutdown() }
        _ = pty.readAvailable()
        guard backend.trapsSignals else { return XCTFail("signal trap not installed; not raising SIGTERM") }
        XCTAssertNil(backend.pendingSignal())
        kill(getpid(), SIGTERM)
        XCTAssertEqual(backend.pendingSignal(), SIGTERM)
        XCTAssertNil(backend.readKey(timeoutMilliseconds: 1000))
        // A hang-up after it does not replace the first reason.
        kill(getpid(), SIGHUP)
        XCTAssertEqual(backend.pendingSignal(), SIGTERM)
    }

    func testTerminalGoneIsAHangUp() throws {
        let pty = try PseudoTerminal(width: 40, height: 10)
        let backend = try open(pty)
        _ = pty.readAvailable()
        pty.closeMaster()
        let clock = ContinuousClock()
        let start = clock.now
        XCTAssertNil(backend.readKey(timeoutMilliseconds: 1000))
        XCTAssertLessThan(clock.now - start, .milliseconds(900))
        XCTAssertEqual(backend.pendingSignal(), SIGHUP)
        backend.shutdown()  // writes to a dead terminal: must return
        XCTAssertFalse(backend.isOpen)
    }

    func testCapabilitiesFollowTermAndNoColor() throws {
        let cases: [(String, [String: String], TerminalCapabilities)] = [
            ("xterm-256color", ["NO_COLOR": ""], TerminalCapabilities(colours: .none, blink: true, unicode: true)),
            ("screen", [:], TerminalCapabilities(colours: .eight, blink: true, unicode: true)),
            ("xterm-mono", [:], TerminalCapabilities(colours: .none, blink: false, unicode: true)),
        ]
        for (term, env, expected) in cases {
            let pty = try PseudoTerminal(width: 40, height: 10)
            let backend = try open(pty, term: term, environment: env)
            _ = pty.readAvailable()
            XCTAssertEqual(backend.capabilities, expected, term)
            var g = Grid(width: 40, height: 10)
            g.put("P1", x: 1, y: 1, style: Style(.incidentP1, .blink))
            g.put("sel", x: 1, y: 2, style: Style(.selection))
            backend.draw(g.diff(from: nil))
            let out = pty.readAvailable()
            let sgr = out.sgrParameterLists()
            if expected.colours == .none {
                XCTAssertFalse(sgr.contains { $0.contains(38) || $0.contains(where: { (30...37).contains($0) }) },
                               "\(term): colour sent: \(out.printable)")
            }
            if expected.blink {
                XCTAssertTrue(sgr.contains { $0.hasPlain(5) }, "\(term): \(out.printable)")
            } else {
                XCTAssertFalse(out.contains(sequence: "\u{1b}[5m"), "\(term): \(out.printable)")
            }
            XCTAssertTrue(sgr.contains { $0.hasPlain(7) }, "\(term): selection reversed: \(out.printable)")
            backend.shutdown()
        }
    }

    func testForcedASCII() throws {
        let pty = try PseudoTerminal(width: 20, height: 5)
        let options = CursesBackend.Options(term: "xterm-256color", environment: ["TERM": "xterm-256color"],
                                            forceASCII: true)
        let backend = try CursesBackend(device: .descriptors(input: pty.slave, output: pty.slave), options: options,
                                        logger: Self.quiet)
        defer { backend.shutdown() }
        _ = pty.readAvailable()
        XCTAssertFalse(backend.capabilities.unicode)
        var g = Grid(width: 20, height: 5)
        g.put("街a", x: 0, y: 0, style: Style())
        backend.draw(g.diff(from: nil))
        let out = pty.readAvailable()
        XCTAssertTrue(out.allSatisfy { $0 < 0x80 }, out.printable)
        XCTAssertTrue(out.contains(sequence: "? a"), out.printable)
    }

    func testRefusals() throws {
        let pty = try PseudoTerminal(width: 40, height: 10)
        XCTAssertThrowsError(try open(pty, term: "watchroom-no-such-terminal")) { error in
            guard case TerminalRefusal.cannotOpen(let term, _)? = error as? TerminalRefusal else {
                return XCTFail("\(error)")
            }
            XCTAssertEqual(term, "watchroom-no-such-terminal")
        }
        XCTAssertThrowsError(try open(pty, term: "dumb")) { error in
            XCTAssertEqual(error as? TerminalRefusal, .dumbTerminal(term: "dumb"))
        }
        // A pipe is not a terminal.
        var fds: [Int32] = [0, 0]
        XCTAssertEqual(pipe(&fds), 0)
        defer { close(fds[0]); close(fds[1]) }
        XCTAssertThrowsError(try CursesBackend(device: .descriptors(input: fds[0], output: fds[1]),
                                               options: .init(term: "xterm-256color"), logger: Self.quiet)) { error in
            XCTAssertEqual(error as? TerminalRefusal, .noTerminal)
        }
        // The pty is still usable afterwards (a failed open left no screen behind).
        let backend = try open(pty)
        XCTAssertTrue(backend.isOpen)
        backend.shutdown()
    }
}

// MARK: - Reading terminal output

extension [UInt8] {
    func contains(sequence text: String) -> Bool {
        let needle = Array(text.utf8)
        guard !needle.isEmpty, needle.count <= count else { return false }
        for i in 0...(count - needle.count) where self[i] == needle[0] {
            if Array(self[i..<(i + needle.count)]) == needle { return true }
        }
        return false
    }

    /// The parameters of every SGR sequence (ESC [ ... m); an empty list stands for 0.
    func sgrParameterLists() -> [[Int]] {
        var out: [[Int]] = []
        var i = 0
        while i + 1 < count {
            if self[i] == 0x1B, self[i + 1] == 0x5B {
                var j = i + 2
                while j < count, (0x30...0x3F).contains(self[j]) { j += 1 }
                if j < count, self[j] == 0x6D {
                    let text = String(decoding: self[(i + 2)..<j], as: UTF8.self)
                    out.append(text.isEmpty ? [0] : text.split(separator: ";", omittingEmptySubsequences: false)
                        .map { Int($0) ?? 0 })
                }
                i = j
            } else {
                i += 1
            }
        }
        return out
    }

    /// Control bytes made visible, for failure messages.
    var printable: String {
        String(decoding: self, as: UTF8.self).unicodeScalars.map { s in
            s.value == 0x1B ? "\\e" : (s.value < 0x20 || s.value == 0x7F) ? "\\x\(String(s.value, radix: 16))" : String(s)
        }.joined()
    }
}

extension [Int] {
    /// `value` as an attribute of its own, not inside a 38;5;n / 48;5;n colour.
    func hasPlain(_ value: Int) -> Bool {
        var i = 0
        while i < count {
            if self[i] == 38 || self[i] == 48 {
                i += (i + 1 < count && self[i + 1] == 5) ? 3 : 5
                continue
            }
            if self[i] == value { return true }
            i += 1
        }
        return false
    }

    func containsColour(foreground: Int) -> Bool {
        for i in 0..<Swift.max(0, count - 2) where self[i] == 38 && self[i + 1] == 5 && self[i + 2] == foreground {
            return true
        }
        return false
    }
}
