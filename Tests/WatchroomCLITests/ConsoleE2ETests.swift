import Foundation
import WatchroomTestSupport
import XCTest

/// The real binary in a real terminal (tmux): what the screen shows.
final class ConsoleE2ETests: XCTestCase {
    private var logPath = ""

    private func start(width: Int = 100, height: Int = 30, _ extra: [String] = [],
                       environment: [String: String] = [:]) throws -> TmuxSession {
        guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
        let binary = try XCTUnwrap(CLIRunner.binaryPath(), "run `swift build` first")
        logPath = NSTemporaryDirectory() + "watchroom-e2e-\(UUID().uuidString).log"
        return try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "3", "--log", logPath, "--no-record"] + extra,
                               width: width, height: height, environment: environment, holdAfterExit: true)
    }

    private func assertClockWithSeconds(_ screen: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertNotNil(screen.range(of: #"\b\d\d:\d\d:\d\d\b"#, options: .regularExpression), screen, file: file, line: line)
    }

    func testOpensOnTheDefaultMapAndComesAliveThenQuitsCleanly() throws {
        let t = try start(width: 120, height: 36)
        XCTAssertTrue(t.waitFor("江北城", timeout: 15), t.screen())
        XCTAssertTrue(t.waitFor("LIVE"), t.screen())
        assertClockWithSeconds(t.screen())
        XCTAssertTrue(t.screen().contains("北城路"), "street names on the whole precinct: \(t.screen())")
        // The precinct comes alive within ten seconds: an incident is reported.
        XCTAssertTrue(t.waitFor("reported", timeout: 10), t.screen())
        XCTAssertTrue(t.screen().contains("▲"), "a blinking incident marker: \(t.screen())")
        t.sendKeys("q")
        XCTAssertTrue(t.waitFor("Quit Watchroom? y/n"), t.screen())
        t.sendKeys("n")
        XCTAssertTrue(t.waitUntil { !$0.contains("Quit Watchroom?") }, t.screen())
        XCTAssertTrue(t.isRunning)
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
        // The terminal is restored: the alternate screen is gone, the console's frame with it.
        XCTAssertFalse(t.screen().contains("LIVE"), t.screen())
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        XCTAssertTrue(log.contains("terminal restored"), log)
        XCTAssertNotNil(log.range(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d"#, options: .regularExpression), log)
    }

    func testHelpOverlayZoomAndCommandLine() throws {
        let t = try start()
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        t.sendKeys("?")
        XCTAssertTrue(t.waitFor("zoom in"), t.screen())
        t.sendKeys("Escape")
        XCTAssertTrue(t.waitUntil { !$0.contains("zoom in") }, t.screen())
        let before = t.screen().range(of: #"\d+(\.\d+)? m/col"#, options: .regularExpression).map { String(t.screen()[$0]) }
        t.sendKeys("-")
        XCTAssertTrue(t.waitUntil { s in
            s.range(of: #"\d+(\.\d+)? m/col"#, options: .regularExpression).map { String(s[$0]) } != before
        }, t.screen())
        t.sendKeys(":")
        t.sendText("goto 永平门街 18")
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("centred on"), t.screen())
        t.sendKeys(":")
        t.sendText("frobnicate")
        t.sendKeys("Enter")
        XCTAssertTrue(t.waitFor("unknown command"), t.screen())
        t.sendKeys("C-c")
        XCTAssertNotNil(t.waitForExit(timeout: 10))
    }

    func testResizeAtAnyMomentAndTooSmall() throws {
        let t = try start(width: 100, height: 30)
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        t.resize(width: 60, height: 15)
        XCTAssertTrue(t.waitFor("80x24", timeout: 5), "says how big it must be: \(t.screen())")
        t.resize(width: 160, height: 48)
        XCTAssertTrue(t.waitUntil(timeout: 5) { $0.contains("LIVE") && !$0.contains("80x24") }, t.screen())
        let lines = t.capture()
        XCTAssertEqual(lines.count, 48)
        // No debris: the status bar is on the first row, the key bar on the last.
        XCTAssertTrue(lines[0].contains("LIVE"), lines[0])
        XCTAssertTrue(lines[47].contains("quit"), lines[47])
        for size in [(80, 24), (81, 25), (200, 60), (80, 24)] {
            t.resize(width: size.0, height: size.1)
            usleep(150_000)
        }
        XCTAssertTrue(t.waitUntil(timeout: 5) { $0.contains("LIVE") }, t.screen())
        XCTAssertTrue(t.isRunning)
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    func testSignalsRestoreTheTerminal() throws {
        for signal in ["TERM", "HUP"] {
            let t = try start()
            XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
            let pid = try XCTUnwrap(watchroomPid(), "no watchroom process found")
            kill(pid, signal == "TERM" ? SIGTERM : SIGHUP)
            let status = t.waitForExit(timeout: 10)
            XCTAssertNotNil(status, signal)
            XCTAssertFalse(t.screen().contains("LIVE"), "\(signal): \(t.screen())")
            let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
            XCTAssertTrue(log.contains("terminal restored"), "\(signal): \(log)")
            t.kill()
        }
    }

    func testASCIIFallbackInANonUTF8Locale() throws {
        let t = try start(environment: ["LANG": "C", "LC_ALL": "C"])
        XCTAssertTrue(t.waitFor("LIVE", timeout: 15), t.screen())
        XCTAssertTrue(t.waitFor("Jiangbeicheng"), t.screen())
        usleep(500_000)
        let screen = t.screen()
        XCTAssertTrue(screen.unicodeScalars.allSatisfy { $0.isASCII }, screen)
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }

    func testDumbTerminalIsRefused() throws {
        let t = try start(environment: ["TERM": "dumb"])
        XCTAssertEqual(t.waitForExit(timeout: 10), 1)
        XCTAssertTrue(t.screen().contains("full-screen terminal"), t.screen())
    }

    /// The newest watchroom process whose log file is this test's.
    private func watchroomPid() -> pid_t? { CLIRunner.newestProcess(matching: logPath) }
}
