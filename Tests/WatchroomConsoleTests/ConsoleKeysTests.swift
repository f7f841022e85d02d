import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomSimulation
import WatchroomTestSupport
import WatchroomUI
import XCTest

/// The console key by key on a test backend: the real loop, feed, desk, routing and
/// renderer, the screen read back as text. No tmux, no sleeps: the loop's turns are driven
/// one by one and the desk and routing queues are waited for.
final class ConsoleKeysTests: XCTestCase {
    /// A simulated shift on the default map with its clock stopped, and one P2 call on a
    /// road near the middle of the map.
    final class Console {
        let setup: LiveShiftSetup
        let backend: TestBackend
        let app: ConsoleApp<TestBackend>
        let incident: IncidentID = "I9001"

        init(width: Int = 140, height: Int = 44) throws {
            let map = try TestMaps.jiangbei()
            var config = SimulationConfig(seed: 7, profile: .quiet)
            config.autoDispatch = false
            config.includeShiftStarted = false
            config.carCount = 6
            config.footCount = 2
            setup = LiveShiftSetup(map: map, simulation: config, speed: 1)
            setup.clock.pause()
            backend = TestBackend(width: width, height: height)
            let desk = setup.desk(records: nil, observer: false)
            setup.start()
            app = ConsoleApp(shift: setup.shift, backend: backend, desk: desk, speed: 1, bell: true)
            // A call on the middle of the longest road, so every car has a way there.
            let longest = map.segments.indices.max { map.segments[$0].lengthMeters < map.segments[$1].lengthMeters } ?? 0
            let line = map.polyline(ofSegment: longest)
            let point = Polyline.point(line, atFraction: 0.5)
            setup.shift.publish(.incidentReported(IncidentReported(
                id: incident, number: "2026-0001", category: .dispute, priority: 2, summary: "Shouting in a shop",
                place: "Test Street 1", point: point)))
            try settle()
        }

        deinit { try? setup.stop() }

        /// Turns until the shift, the routing engine and the desk have nothing in hand.
        func settle() throws {
            setup.shift.routing.drain()
            XCTAssertNil(app.settle())
            setup.shift.routing.drain()
            XCTAssertNil(app.settle())
        }

        func press(_ keys: Key...) throws {
            for key in keys { backend.press(key) }
            try settle()
        }

        var screen: String { backend.text }
    }

    func testStartsWithEveryPanelAndTheCall() throws {
        let c = try Console()
        XCTAssertEqual(c.backend.lines.count, 44)
        XCTAssertTrue(c.screen.contains("Incidents 1 open"), c.screen)
        XCTAssertTrue(c.screen.contains("P2 0001 dispute  Test Street"), c.screen)
        XCTAssertTrue(c.screen.contains("P2 dispute reported Test Street 1"), c.screen)
        XCTAssertTrue(c.screen.contains("Units 8/8 free"), c.screen)
        XCTAssertGreaterThan(c.backend.frames, 0)
    }

    func testTabSelectDispatchShowsTheRouteAndEta() throws {
        let c = try Console()
        // `d` with nothing selected says what to do first.
        try c.press(.character("d"))
        XCTAssertTrue(c.screen.contains("Select an incident first"), c.screen)
        XCTAssertNil(c.setup.shift.bus.state.incidents[c.incident]?.dispatchedAt)
        // Tab to the incident queue, Enter selects its first (only) call.
        try c.press(.tab, .enter)
        XCTAssertTrue(c.screen.contains("▸P2 0001 dispute"), c.screen)
        XCTAssertTrue(c.screen.contains("Fastest  ETA"), c.screen)
        try c.press(.character("d"))
        let state = c.setup.shift.bus.state
        let assigned = try XCTUnwrap(state.incidents[c.incident]?.assignedUnits.first, c.screen)
        let callsign = try XCTUnwrap(state.units[assigned]?.callsign)
        XCTAssertNotNil(state.units[assigned]?.route, "the routing engine routed the unit sent")
        XCTAssertTrue(c.screen.contains("dispatched \(callsign)"), c.screen)
        // The details panel lists the unit sent with its ETA (minutes and seconds).
        let row = try XCTUnwrap(c.backend.lines.first { $0.contains(callsign) && $0.range(of: #"\d+:\d\d"#, options: .regularExpression) != nil },
                                c.screen)
        XCTAssertFalse(row.isEmpty)
        // Frames drawn as diffs add up to the frame drawn whole (Ctrl-L repaints; it also
        // clears the message line).
        let incremental = c.backend.lines.dropLast()
        try c.press(.control("l"))
        XCTAssertGreaterThan(c.backend.invalidations, 0)
        XCTAssertEqual(incremental, c.backend.lines.dropLast())
    }

    func testATypoOnTheCommandLineIsRefusedWithTheReason() throws {
        let c = try Console()
        c.backend.type(":dispatchh I9001\n")
        try c.settle()
        XCTAssertTrue(c.screen.contains("unknown command 'dispatchh'"), c.screen)
        XCTAssertNil(c.setup.shift.bus.state.incidents[c.incident]?.dispatchedAt)
    }

    func testResizeRedrawsAtTheNewSize() throws {
        let c = try Console()
        c.backend.resize(width: 100, height: 30)
        try c.settle()
        XCTAssertEqual(c.backend.lines.count, 30)
        XCTAssertEqual(c.backend.screen.width, 100)
        XCTAssertTrue(c.screen.contains("P2 0001 Test Street 1"), c.screen)
        // Too small for the console: it says so instead of drawing a broken screen.
        c.backend.resize(width: 20, height: 8)
        try c.settle()
        XCTAssertFalse(c.screen.contains("P2 0001"), c.screen)
        XCTAssertTrue(c.screen.contains("Terminal too small:"), c.screen)
        XCTAssertTrue(c.screen.contains("least 80x24."), c.screen)
        XCTAssertEqual(c.backend.lines.count, 8)

    }

    func testQuitAsksThenYesQuits() throws {
        let c = try Console()
        c.backend.press(.character("q"))
        XCTAssertNil(c.app.turn())
        XCTAssertTrue(c.screen.lowercased().contains("quit"), c.screen)
        c.backend.press(.character("n"))
        XCTAssertNil(c.app.turn(), "n keeps the console open")
        c.backend.press(.character("q"), .character("y"))
        XCTAssertEqual(c.app.turn(), .quit)
    }

    func testASignalEndsTheLoop() throws {
        let c = try Console()
        c.backend.signal = SIGTERM
        XCTAssertEqual(c.app.turn(), .signal(SIGTERM))
    }

    /// A paused replay of what `live` has recorded so far, in a console on the test backend.
    private func replay(of live: Console) -> (ReplayFeed, TestBackend, ConsoleApp<TestBackend>) {
        let recorded = live.setup.shift.bus.envelopes(after: 0)
        let feed = ReplayFeed(map: live.setup.map, cursor: ReplayCursor(envelopes: recorded), speed: 1,
                              timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current)
        feed.pause()
        let backend = TestBackend(width: 140, height: 44)
        let app = ConsoleApp(feed: feed, backend: backend, desk: DispatchDesk(map: live.setup.map, records: nil, observer: false),
                             speed: 1, bell: false)
        return (feed, backend, app)
    }

    func testAReplayRefusesADispatchAndChangesNothing() throws {
        let live = try Console()
        let (feed, backend, app) = replay(of: live)
        backend.press(.character("]"))
        XCTAssertNil(app.settle())
        XCTAssertTrue(backend.text.contains("REPLAY"), backend.text)
        XCTAssertTrue(backend.text.contains("P2 0001"), backend.text)
        let before = feed.state
        backend.type(":dispatch I9001\n")
        XCTAssertNil(app.settle())
        XCTAssertTrue(backend.text.contains("Replay is read-only: dispatch is not available"), backend.text)
        // The d key gives the same command, refused the same way: by its kind, not its spelling.
        backend.press(.tab, .enter, .character("r"))
        XCTAssertNil(app.settle())
        XCTAssertTrue(backend.text.contains("Replay is read-only: reinforce is not available"), backend.text)
        backend.type(":traffic e1 closed\n")
        XCTAssertNil(app.settle())
        XCTAssertTrue(backend.text.contains("Replay is read-only: traffic is not available"), backend.text)
        // What only reads still works: the summary opens.
        backend.type(":summary\n")
        XCTAssertNil(app.settle())
        XCTAssertTrue(backend.text.contains("Shift summary"), backend.text)
        XCTAssertEqual(feed.state.incidents[live.incident]?.assignedUnits, [])
        XCTAssertEqual(feed.state, before)
    }

    func testAReplayRefusesATimeOutsideTheShiftAndStaysPut() throws {
        let live = try Console()
        let (feed, backend, app) = replay(of: live)
        backend.press(.character("["))
        XCTAssertNil(app.settle())
        let start = feed.now()
        backend.type(":goto +999999h\n")
        XCTAssertNil(app.settle())
        XCTAssertTrue(backend.text.contains("+999999h is after the end of the shift"), backend.text)
        XCTAssertEqual(feed.now(), start, "refused: the replay did not move to the end")
        backend.type(":goto -1h\n")
        XCTAssertNil(app.settle())
        XCTAssertTrue(backend.text.contains("-1h is before the start of the shift"), backend.text)
        XCTAssertEqual(feed.now(), start)
    }
}
