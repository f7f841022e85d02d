import Foundation
import WatchroomTestSupport
import XCTest

/// Issue 11, "the commander's view": the real binary in tmux.
final class CommanderViewE2ETests: XCTestCase {
    private var logPath = ""

    private func start(width: Int = 100, height: Int = 30, _ extra: [String] = [],
                       environment: [String: String] = [:]) throws -> TmuxSession {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        logPath = NSTemporaryDirectory() + "watchroom-view-\(UUID().uuidString).log"
        // `swift test` may run with NO_COLOR set; colour is under test here unless asked otherwise.
        let colour = environment["NO_COLOR"] == nil ? ["env", "-u", "NO_COLOR"] : []
        return try TmuxSession(command: colour + [binary, "--map", CLIRunner.defaultMapPath, "--seed", "3", "--log", logPath, "--no-record"] + extra,
                               width: width, height: height, environment: environment, holdAfterExit: true)
    }

    private func bytes(_ path: String) -> [UInt8] {
        (FileManager.default.contents(atPath: path)).map { [UInt8]($0) } ?? []
    }

    private static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard haystack.count >= n.count else { return false }
        return (0...(haystack.count - n.count)).contains { Array(haystack[$0..<$0 + n.count]) == n }
    }

    /// Item 8: a key press sends only what changed, never a clear and a full repaint;
    /// Ctrl-L still repaints everything.
    func testKeysSendOnlyWhatChanged() throws {
        let t = try start(width: 80, height: 24)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        let path = NSTemporaryDirectory() + "watchroom-bytes-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: path) }
        func clears(_ out: [UInt8]) -> Bool { Self.contains(out, "\u{1b}[2J") || Self.contains(out, "\u{1b}[H\u{1b}[J") }
        // What a full repaint costs here (Ctrl-L clears and sends every cell).
        usleep(300_000)
        t.pipeOutput(to: path)
        t.sendKeys("C-l")
        usleep(600_000)
        t.stopPipingOutput()
        let full = bytes(path)
        XCTAssertTrue(clears(full), "Ctrl-L repaints")
        for (key, wait) in [("Tab", ""), ("L", ""), ("?", "zoom in"), ("Escape", ""), ("Tab", "")] {
            usleep(300_000)
            t.pipeOutput(to: path)
            t.sendKeys(key)
            if !wait.isEmpty { XCTAssertTrue(t.waitFor(wait), t.screen()) }
            usleep(300_000)
            t.stopPipingOutput()
            let out = bytes(path)
            XCTAssertFalse(clears(out), "\(key) cleared the screen")
            // A key sends what changed: never a whole repaint; a panel switch a small part of one.
            XCTAssertLessThan(out.count, full.count, "\(key): \(out.count) of \(full.count) bytes")
            if key == "Tab" { XCTAssertLessThan(out.count, full.count / 8, "\(key): \(out.count) of \(full.count) bytes") }
        }
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    private func command(_ t: TmuxSession, _ text: String) {
        t.sendKeys(":")
        t.sendText(text)
        t.sendKeys("Enter")
    }

    /// Whether a captured line (with escapes) shows `glyph` in reverse video (the selection).
    private static func reversed(_ glyph: String, in lines: [String]) -> Bool {
        let pattern = "\u{1b}\\[([0-9;]*;)?7(;[0-9;]*)?m(\u{1b}\\[[0-9;]*m)*" + glyph
        return lines.contains { $0.range(of: pattern, options: .regularExpression) != nil }
    }

    /// Items 1 and 2: the whole precinct at start; panning stops at its edge; an open
    /// incident out of view has an arrow on the map's edge; a new P1 brings the map to it
    /// unless `:follow off`.
    func testWholePrecinctEdgeArrowsAndFollow() throws {
        let t = try start(width: 100, height: 30)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        XCTAssertTrue(t.capture()[1].contains("whole precinct"), t.capture()[1])
        t.sendKeys("+", "+", "+")
        for _ in 0..<12 { t.sendKeys("Left") }
        XCTAssertTrue(t.waitUntil { !$0.contains("whole precinct") }, t.screen())
        // At the west edge: the river bank (Jialing) is the first column, not empty space.
        XCTAssertTrue(t.waitUntil { _ in t.capture().dropFirst(2).prefix(10).allSatisfy { $0.hasPrefix("≈") } }, t.screen())
        let scale = t.capture()[1].range(of: #"\d+ m/col"#, options: .regularExpression).map { String(t.capture()[1][$0]) }
        command(t, "follow off")
        XCTAssertTrue(t.waitFor("Follow off"), t.screen())
        command(t, "new theft P1 at n10 \"bike\"")
        XCTAssertTrue(t.waitFor("reported 北城路"), t.screen())
        // Out of view, east: a reversed arrow on the east edge stands for the selected P1.
        XCTAssertTrue(t.waitUntil { _ in Self.reversed("⇒", in: t.capture(escapes: true)) }, t.capture(escapes: true).joined(separator: "\n"))
        command(t, "follow on")
        XCTAssertTrue(t.waitFor("Follow on"), t.screen())
        command(t, "new theft P1 at n4 \"bag\"")
        XCTAssertTrue(t.waitFor("reported 东山巷"), t.screen())
        // The map came to it: its marker is on the map, selected, at the same scale.
        XCTAssertTrue(t.waitUntil { _ in
            let lines = t.capture(escapes: true)
            return Self.reversed("▲", in: lines) || Self.reversed("△", in: lines)
        }, t.screen())
        XCTAssertTrue(t.capture()[1].contains(scale ?? "?"), t.capture()[1])
        t.sendKeys("0")
        XCTAssertTrue(t.waitUntil { $0.components(separatedBy: "\n")[1].contains("whole precinct") }, t.screen())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    /// Item 6 and the "too small" part of item 8: the shift clock reads as a duration
    /// beside the time of day; the refusal wraps to fit at 20x8.
    func testShiftClockAndTooSmallAt20x8() throws {
        let t = try start(width: 100, height: 30)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        let top = t.capture()[0]
        XCTAssertNotNil(top.range(of: #"\b\d\d:\d\d:\d\d(\+\d\d:\d\d)?  on shift 0h0\dm\b"#, options: .regularExpression), top)
        t.resize(width: 20, height: 8)
        XCTAssertTrue(t.waitFor("80x24"), t.screen())
        let text = t.capture().map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        XCTAssertTrue(text.contains("Terminal too small: 20x8."), text)
        XCTAssertTrue(text.contains("Watchroom needs at least 80x24."), text)
        XCTAssertTrue(text.contains("Resize, or press q to quit."), text)
        XCTAssertTrue(t.capture().allSatisfy { $0.count <= 20 })
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    /// Item 5: a paste into the intake form shows at once (every waiting key is handled
    /// before the next frame), and the form and the bottom bar say the same about submitting.
    func testPasteIntoTheFormShowsWithinAFrame() throws {
        let t = try start(width: 120, height: 36)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        t.sendKeys("n")
        XCTAssertTrue(t.waitFor("New incident"), t.screen())
        XCTAssertTrue(t.screen().contains("Tab next field  ←/→ choose  Ctrl-S submit"), t.screen())
        XCTAssertTrue(t.capture().last?.contains("Ctrl-S submit") == true, t.capture().last ?? "")
        t.sendKeys("Tab", "Tab", "Tab")
        usleep(300_000)
        let pasted = "Yongping Gate Street 23, courtyard gate, woman with a knife, calm"  // 67 characters
        let started = Date()
        t.sendText(pasted)
        XCTAssertTrue(t.waitUntil(timeout: 5) { $0.contains("woman with a knife, calm") || $0.contains("knife, calm") }, t.screen())
        let took = Date().timeIntervalSince(started)
        // One frame is 100 ms at most; tmux and the polling add their own.
        XCTAssertLessThan(took, 0.6, "the paste took \(took) s to show")
        t.sendKeys("Escape")
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    /// Items 4 and 5: `:help` lists every command from the table, `:help new` one; every
    /// overlay is titled by what it shows; `x` offers the disposition codes; `b` opens the
    /// background in an overlay; the bottom bar names the road and segment under the map's centre.
    func testHelpOverlaysAndTheirTitlesDispositionCodesAndRoadUnderTheCentre() throws {
        let records = NSTemporaryDirectory() + "watchroom-view-records-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: records) }
        let t = try start(width: 120, height: 36, ["--records-db", records])
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        // The road under the map's centre: a name and a segment id, as `traffic` takes it.
        XCTAssertNotNil(t.capture().last?.range(of: #"⌖ .+ · [A-Za-z0-9_-]+ *$"#, options: .regularExpression), t.capture().last ?? "")
        command(t, "help")
        XCTAssertTrue(t.waitFor("─ Commands ─"), t.screen())
        var seen = t.screen()
        t.sendKeys("PageDown")
        XCTAssertTrue(t.waitUntil { $0 != seen }, t.screen())
        seen += t.screen()
        t.sendKeys("End")
        XCTAssertTrue(t.waitFor("quit"), t.screen())
        seen += t.screen()
        for syntax in ["dispatch [INCIDENT] [UNIT...]", "speed N", "pause", "report", "zoom M", "follow on|off", "quit"] {
            XCTAssertTrue(seen.contains(syntax), "\(syntax): \(seen)")
        }
        t.sendKeys("Escape")
        command(t, "help new")
        XCTAssertTrue(t.waitFor("─ Command: new ─"), t.screen())
        XCTAssertTrue(t.screen().contains("traffic-accident"), t.screen())
        t.sendKeys("Escape")
        command(t, "lookup address 永平门街 23")
        XCTAssertTrue(t.waitFor("─ Background — address 永平门街 23"), t.screen())
        XCTAssertFalse(t.screen().contains("Shift summary"), t.screen())
        t.sendKeys("Escape")
        command(t, #"new dispute P1 at "永平门街 23" "knife" phone 138-0000-0000 weapon"#)
        // The command's own answer (not the ticker, which shows the event as soon as it is
        // published): the new incident is selected by then, so x has one to close.
        XCTAssertTrue(t.waitFor("P1 dispute at 永平门街"), t.screen())
        t.sendKeys("x")
        XCTAssertTrue(t.waitFor("Disposition code"), t.screen())
        XCTAssertTrue(t.screen().contains("11  Arrest made") && t.screen().contains("90  Other (see note)"), t.screen())
        t.sendText("ar")
        XCTAssertTrue(t.waitUntil { !$0.contains("10  Report taken") && $0.contains("11  Arrest made") }, t.screen())
        t.sendKeys("C-u", "Escape")
        t.sendKeys("b")
        XCTAssertTrue(t.waitFor("─ Background — 永平门街 (Yongping Gate Street) 23 / 138-0000-0000 ─"), t.screen())
        XCTAssertTrue(t.screen().contains("⚠ knife involved"), t.screen())
        t.sendKeys("Escape")
        t.sendKeys("?")
        XCTAssertTrue(t.waitFor(":help"), t.screen())
        t.sendKeys("Escape")
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    /// Item 3: `v` draws the camera's cone with its own glyph in a colour that reads (teal,
    /// not dark grey), also in NO_COLOR and --ascii; selecting another incident takes the
    /// cone and its "in view now" list away.
    func testCameraConesYouCanSee() throws {
        for (extra, environment, fill) in [([String](), [String: String](), "∴"), (["--ascii"], ["NO_COLOR": "1"], ",")] {
            let t = try start(width: 120, height: 40, extra, environment: environment)
            XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
            t.sendKeys("+", "+", "+")
            command(t, #"new dispute P1 at "永平门街 23" "knife" weapon"#)
            XCTAssertTrue(t.waitFor("0001"), t.screen())
            command(t, "goto 永平门街 23")
            XCTAssertTrue(t.waitFor("centred on"), t.screen())
            XCTAssertTrue(t.waitFor("Fastest"), "the details are ready: \(t.screen())")
            let before = t.capture().dropFirst(2).map { String($0.prefix(70)) }.joined().filter { String($0) == fill }.count
            t.sendKeys("v")
            XCTAssertTrue(t.waitFor("(shown)"), t.screen())
            let cone = { t.capture().dropFirst(2).map { String($0.prefix(70)) }.joined().filter { String($0) == fill }.count }
            XCTAssertTrue(t.waitUntil { _ in cone() > before + 5 }, "\(cone()) cone cells, \(before) before: \(t.screen())")
            if environment.isEmpty {
                // Dark teal: 30 of 256 colours, or cyan (36) where the terminal has 8 or 16.
                let teal = "\u{1b}\\[([0-9;]*;)?(36|38;5;30)(;[0-9;]*)?m(\u{1b}\\[[0-9;]*m)*" + fill
                XCTAssertTrue(t.capture(escapes: true).contains { $0.range(of: teal, options: .regularExpression) != nil },
                              t.capture(escapes: true).joined(separator: "\n"))
            }
            // Another incident selected: the cone and its list go.
            command(t, #"new noise P3 at "永平门街 18" "music""#)
            XCTAssertTrue(t.waitFor("0002"), t.screen())
            XCTAssertTrue(t.waitUntil { !$0.contains("(shown)") }, t.screen())
            XCTAssertTrue(t.waitUntil { _ in cone() <= before + 2 }, "\(cone()) cone cells, \(before) before: \(t.screen())")
            t.sendKeys("q", "y")
            XCTAssertEqual(t.waitForExit(timeout: 10), 0)
            t.kill()
        }
    }

    /// Item 4: after a dispatch, weapon, warnings and the caller's phone stay at the top of
    /// Details; the rest scrolls with PgUp/PgDn once the panel has the keys, with a "more" mark.
    func testSafetyFirstInDetailsAndItScrolls() throws {
        let records = NSTemporaryDirectory() + "watchroom-view-records-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: records) }
        let t = try start(width: 100, height: 30, ["--records-db", records, "--no-auto-dispatch"])
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        command(t, #"new dispute P1 at "永平门街 23" "woman threatening with a knife" phone 138-0000-0000 weapon"#)
        XCTAssertTrue(t.waitFor("Fastest"), t.screen())
        t.sendKeys("d")
        XCTAssertTrue(t.waitFor("en route"), t.screen())
        XCTAssertTrue(t.waitFor("⚠ knife involved"), t.screen())
        func details() -> String { t.screen() }
        XCTAssertTrue(details().contains("(weapon)"), details())
        XCTAssertTrue(details().contains("Caller: 138-0000-0000"), details())
        XCTAssertTrue(details().contains("more  Tab here, PgDn"), details())
        t.sendKeys("Tab", "Tab", "Tab")
        XCTAssertTrue(t.waitFor("more  PgUp PgDn"), t.screen())
        t.sendKeys("PageDown")
        XCTAssertTrue(t.waitUntil { $0.contains("▲ ") }, details())
        // Scrolled: the safety rows are still there.
        XCTAssertTrue(details().contains("⚠ knife involved"), details())
        XCTAssertTrue(details().contains("Caller: 138-0000-0000"), details())
        t.sendKeys("End")
        XCTAssertTrue(t.waitUntil { !$0.contains("▼ ") }, details())
        t.sendKeys("Home")
        XCTAssertTrue(t.waitUntil { !$0.contains("▲ ") }, details())
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    /// Item 7: with --ascii no name turns into "?": streets, places, cameras, the ticker,
    /// the details panel and the background overlay read in Latin letters.
    func testASCIINeverPrintsQuestionMarksForNames() throws {
        let records = NSTemporaryDirectory() + "watchroom-view-records-\(UUID().uuidString).sqlite"
        defer { try? FileManager.default.removeItem(atPath: records) }
        let t = try start(width: 120, height: 36, ["--ascii", "--records-db", records])
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        command(t, #"new dispute P1 at "永平门街 23" "knife" phone 138-0000-0000 weapon"#)
        XCTAssertTrue(t.waitFor("Yong Ping Men Jie"), t.screen())
        XCTAssertTrue(t.waitFor("Fastest"), "the details are ready: \(t.screen())")
        t.sendKeys("v")
        XCTAssertTrue(t.waitFor("in view now"), t.screen())
        XCTAssertTrue(t.waitFor("Jiangbeicheng"), t.screen())
        let screen = t.screen()
        XCTAssertTrue(screen.unicodeScalars.allSatisfy(\.isASCII), screen)
        XCTAssertFalse(screen.contains("?"), screen)
        XCTAssertTrue(screen.contains("Jiangbeicheng"), screen)
        t.sendKeys("b")
        XCTAssertTrue(t.waitFor("Background"), t.screen())
        XCTAssertTrue(t.waitUntil { !$0.contains("?") }, t.screen())
        t.sendKeys("Escape", "q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }
}
