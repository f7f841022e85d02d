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
        return try TmuxSession(command: [binary, "--map", CLIRunner.defaultMapPath, "--seed", "3", "--log", logPath, "--no-record"] + extra,
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
        for (key, wait) in [("Tab", ""), ("L", ""), ("?", "zoom in"), ("Escape", ""), ("Tab", "")] {
            usleep(300_000)
            t.pipeOutput(to: path)
            t.sendKeys(key)
            if !wait.isEmpty { XCTAssertTrue(t.waitFor(wait), t.screen()) }
            usleep(300_000)
            t.stopPipingOutput()
            let out = bytes(path)
            XCTAssertFalse(Self.contains(out, "\u{1b}[2J") || Self.contains(out, "\u{1b}[H\u{1b}[J"), "\(key) cleared the screen")
            // A full 80x24 frame is about 5 KB; a key that changes a panel sends far less.
            if key == "Tab" { XCTAssertLessThan(out.count, 1_200, "\(key): \(out.count) bytes") }
            XCTAssertLessThan(out.count, 6_000, "\(key): \(out.count) bytes")
        }
        t.pipeOutput(to: path)
        t.sendKeys("C-l")
        usleep(600_000)
        t.stopPipingOutput()
        let repaint = bytes(path)
        XCTAssertTrue(Self.contains(repaint, "\u{1b}[2J") || Self.contains(repaint, "\u{1b}[H\u{1b}[J"), "Ctrl-L repaints")
        t.sendKeys("q", "y")
        XCTAssertEqual(t.waitForExit(timeout: 10), 0)
    }
}
