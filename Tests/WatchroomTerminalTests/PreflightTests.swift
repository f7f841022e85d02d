import WatchroomTerminal
import XCTest

final class PreflightTests: XCTestCase {
    private let tty: (Int32) -> Bool = { _ in true }

    func testAFullTerminalIsReady() {
        XCTAssertEqual(CursesBackend.preflight(environment: ["TERM": "xterm-256color"], isatty: tty), .ready)
        XCTAssertEqual(CursesBackend.preflight(environment: ["TERM": "linux"], isatty: tty), .ready)
    }

    func testDumbUnsetOrEmptyTermIsRefused() {
        for env: [String: String] in [[:], ["TERM": ""], ["TERM": "dumb"]] {
            guard case .refused(let r) = CursesBackend.preflight(environment: env, isatty: tty) else {
                return XCTFail("\(env) accepted")
            }
            XCTAssertTrue(r.description.hasPrefix("Watchroom needs a full-screen terminal ("), r.description)
            XCTAssertTrue(r.description.hasSuffix("; try TERM=xterm-256color"), r.description)
        }
        XCTAssertEqual(CursesBackend.preflight(environment: ["TERM": "dumb"], isatty: tty),
                       .refused(.dumbTerminal(term: "dumb")))
        XCTAssertEqual(TerminalRefusal.dumbTerminal(term: "dumb").description,
                       "Watchroom needs a full-screen terminal (TERM is dumb); try TERM=xterm-256color")
        XCTAssertEqual(TerminalRefusal.dumbTerminal(term: nil).description,
                       "Watchroom needs a full-screen terminal (TERM is not set); try TERM=xterm-256color")
    }

    func testNoTerminalOnEitherSideIsRefused() {
        let expected = "no terminal: Watchroom's console needs a terminal; for scripts use `watchroom route` / `watchroom map`"
        for notTTY: Int32 in [0, 1] {
            let r = CursesBackend.preflight(environment: ["TERM": "xterm-256color"], isatty: { $0 != notTTY })
            XCTAssertEqual(r, .refused(.noTerminal))
        }
        XCTAssertEqual(TerminalRefusal.noTerminal.description, expected)
        // Scripts (no terminal, TERM unset) get the hint for scripts.
        XCTAssertEqual(CursesBackend.preflight(environment: [:], isatty: { _ in false }), .refused(.noTerminal))
    }
}
