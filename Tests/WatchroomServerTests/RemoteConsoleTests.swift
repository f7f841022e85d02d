import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol
import WatchroomServer
import WatchroomTestSupport
import WatchroomUI
import XCTest

/// The console on a served shift, key by key on a test backend: the real loop, desk and
/// renderer over a ``RemoteFeed`` on a real server's socket (`watchroom attach` without tmux).
extension ShiftServerTests {
    final class RemoteConsole {
        let client: ShiftClient
        let feed: RemoteFeed
        let backend = TestBackend(width: 160, height: 44)
        let app: ConsoleApp<TestBackend>

        init(socket: String, role: Role, zone: TimeZone) throws {
            client = ShiftClient(options: ShiftClient.Options(endpoint: .unix(socket), map: ShiftServerTests.map, role: role,
                                                              name: "console \(role)"),
                                 timeZone: zone)
            feed = RemoteFeed(client: client, map: ShiftServerTests.map)
            try client.connect(timeout: 10)
            let desk = DispatchDesk(map: ShiftServerTests.map, records: nil, observer: role == .viewer, index: ShiftServerTests.index)
            app = ConsoleApp(feed: feed, backend: backend, desk: desk, speed: feed.speed, bell: false)
            _ = app.settle()
        }

        /// A `:` command typed and sent, and the desk's answer drawn.
        func command(_ text: String) {
            backend.press(.character(":"))
            backend.type(text + "\n")
            _ = app.settle()
        }

        /// Turns the loop until the screen shows what `holds` wants; `false` after 10 s.
        func waitUntil(_ holds: (String) -> Bool) -> Bool {
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                _ = app.settle()
                if holds(backend.text) { return true }
                usleep(20_000)
            }
            return false
        }

        func waitFor(_ text: String) -> Bool { waitUntil { $0.contains(text) } }
    }

    func testAttachedConsolesACommandersDispatchAViewersRefusalAndTheServersClock() throws {
        try startServer()
        let a = try RemoteConsole(socket: socket, role: .commander, zone: zone)
        let v = try RemoteConsole(socket: socket, role: .viewer, zone: zone)
        defer { a.client.close(); v.client.close() }
        XCTAssertTrue(a.waitFor("commanders 1  viewers 1"), a.backend.text)
        XCTAssertTrue(v.waitFor("OBSERVER"), v.backend.text)

        // The commander's dispatch runs on the server: its answer here, its events everywhere.
        a.command("dispatch I0001 C16")
        XCTAssertTrue(a.waitFor("dispatched C16"), a.backend.text)
        XCTAssertTrue(v.waitFor("C16 dispatched to"), v.backend.text)
        XCTAssertEqual(shift.bus.state.incidents[IncidentID("I0001")]?.assignedUnits, [UnitID("C16")])
        XCTAssertTrue(a.waitFor("Caller: 张伟 13800001234"), "the dispatch selected the incident: \(a.backend.text)")

        // The viewer is refused by kind on its own console, and nothing changes.
        let before = shift.bus.lastSeq
        v.command("close I0001 20 calm")
        XCTAssertTrue(v.waitFor("Viewer is read-only: close is not available"), v.backend.text)
        v.command("select I0001")
        XCTAssertTrue(v.waitFor("Caller:"), v.backend.text)
        XCTAssertFalse(v.backend.text.contains("13800001234") || v.backend.text.contains("张伟"), v.backend.text)
        XCTAssertEqual(shift.bus.lastSeq, before)

        // The clock is the server's: a commander's speed is everyone's, and says so.
        a.command("speed 10")
        XCTAssertTrue(a.waitFor("(the server's clock: every console)"), a.backend.text)
        XCTAssertEqual(shift.clock.speed, 10)
        XCTAssertTrue(v.waitUntil { _ in v.feed.speed == 10 }, "the viewer's clock: \(v.feed.speed)")
    }

    func testAConsoleSaysTheConnectionIsLostAndComesBack() throws {
        try startServer()
        let a = try RemoteConsole(socket: socket, role: .commander, zone: zone)
        defer { a.client.close() }
        XCTAssertFalse(a.backend.text.contains("connection lost"))
        server.stop()
        XCTAssertTrue(a.waitFor("connection lost — reconnecting"), a.backend.text)
        shift.publish(.unitPosition(UnitPosition(unit: UnitID("C15"), point: Self.map.intersections[3].position)))
        try startServer()
        XCTAssertTrue(a.waitUntil { !$0.contains("connection lost") }, a.backend.text)
        let last = shift.bus.lastSeq
        XCTAssertTrue(a.client.wait(timeout: 10) { _, seq in seq >= last })
        XCTAssertEqual(a.client.state.digest, shift.bus.state.digest)
        XCTAssertEqual(a.client.duplicates + a.client.gaps, 0)
    }
}
