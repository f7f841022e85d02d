import Foundation
import XCTest
import WatchroomCore
import WatchroomEngine
import WatchroomRouting
import WatchroomSimulation
import WatchroomTestSupport

/// `ShiftSimulator.resume(from:at:)`: a shift folded after one hour and taken over by a
/// fresh simulator goes on like a shift simulated straight through.
final class ResumeTests: XCTestCase {
    /// Positions valid on the roads their unit's kind may use.
    private func checkPositions(_ envelopes: [EventEnvelope], map: PrecinctMap, kinds: [UnitID: UnitKind],
                                file: StaticString = #filePath, line: UInt = #line) -> Int {
        let index = RoadPosition.segmentIndex(of: map)
        var count = 0
        for e in envelopes {
            guard case .unitPosition(let p) = e.event else { continue }
            count += 1
            guard let road = p.road, let s = index[road.segment], let kind = kinds[p.unit] else {
                XCTFail("position without a known road or unit: \(p)", file: file, line: line)
                continue
            }
            let expected = Polyline.point(map.polyline(ofSegment: s), atFraction: road.fraction)
            XCTAssertLessThan(expected.distance(to: p.point), 1, "\(p.unit) off its road", file: file, line: line)
            XCTAssertTrue(kind == .car ? map.segments[s].access.allowsCar : map.segments[s].access.allowsFoot,
                          "\(p.unit) on a road its kind may not use", file: file, line: line)
        }
        return count
    }

    func testOneHourFoldedAndResumedGoesOnLikeTwoHoursStraight() throws {
        let map = try Fixture.map()
        let config = SimulationConfig(seed: 11, profile: .demo)
        let start = Fixture.start
        let end = start.addingTimeInterval(7200)

        // One hour (then on to the first moment a unit is on its way), folded, resumed by a
        // fresh simulator, on to the second hour's end.
        var core = RoutingCore(map: map)
        var first = HeadlessShift(map: map, config: config, start: start)
        first.run(until: start.addingTimeInterval(3600)) { core.handle($0) }
        while !first.state.units.values.contains(where: { $0.status == .enRoute }),
              first.time < start.addingTimeInterval(4800) {
            first.run(until: first.time.addingTimeInterval(5)) { core.handle($0) }
        }
        let mid = first.time

        // Straight through.
        var straightCore = RoutingCore(map: map)
        var straight = HeadlessShift(map: map, config: config, start: start)
        straight.run(until: end) { straightCore.handle($0) }
        let straightSecondHour = straight.envelopes.filter { $0.time > mid }
        let scale = end.timeIntervalSince(mid) / 3600
        let folded = PrecinctState.fold(first.envelopes)
        XCTAssertEqual(folded, first.state)
        let committed = folded.unitsInOrder.filter { $0.status == .dispatched || $0.status == .enRoute }
        let onScene = folded.unitsInOrder.filter { $0.status == .onScene }
        let openAtMid = Set(folded.openIncidents.map(\.id))
        XCTAssertFalse(openAtMid.isEmpty, "some incidents open at the hour (seed choice)")
        XCTAssertFalse(committed.isEmpty, "some units on their way at the hour (seed choice)")
        XCTAssertFalse(onScene.isEmpty, "some units on scene at the hour (seed choice)")

        var resumed = HeadlessShift(map: map, config: config, resuming: folded, at: mid) { core.handle($0) }
        resumed.run(until: end) { core.handle($0) }
        let after = resumed.envelopes
        XCTAssertEqual(after.first?.seq, folded.lastSeq + 1, "numbering goes on")

        // Nothing already in the state again.
        for e in after {
            switch e.event {
            case .shiftStarted: XCTFail("shift.started again")
            case .unitRegistered(let r): XCTFail("\(r.id) registered again")
            default: break
            }
        }
        XCTAssertEqual(resumed.state.anomalies.duplicateIncident, 0)
        XCTAssertEqual(resumed.state.anomalies.unknownUnit, 0)
        XCTAssertEqual(resumed.state.units.count, folded.units.count)
        XCTAssertTrue(after.allSatisfy { $0.time >= mid })

        // Positions on the roads, at a rate like the straight run's second hour.
        let kinds = Dictionary(uniqueKeysWithValues: folded.units.values.map { ($0.id, $0.kind) })
        let positions = checkPositions(after, map: map, kinds: kinds)
        let straightPositions = straightSecondHour.filter { if case .unitPosition = $0.event { return true }; return false }.count
        XCTAssertGreaterThan(Double(positions), Double(straightPositions) * 0.6, "units keep moving")
        XCTAssertLessThan(Double(positions), Double(straightPositions) * 1.6)
        XCTAssertGreaterThan(scale, 0.5)
        // Every unit moves in the second hour (patrol, response or back from a scene).
        let moved = Set(after.compactMap { e -> UnitID? in if case .unitPosition(let p) = e.event { return p.unit }; return nil })
        XCTAssertEqual(moved.count, folded.units.count, "every unit reported a position")

        // Incidents keep closing: those open at the hour and new ones.
        let closed = Set(after.compactMap { e -> IncidentID? in if case .incidentClosed(let c) = e.event { return c.id }; return nil })
        XCTAssertFalse(closed.intersection(openAtMid).isEmpty, "incidents open at the hour get closed")
        let reported = after.compactMap { e -> IncidentID? in if case .incidentReported(let r) = e.event { return r.id }; return nil }
        XCTAssertFalse(reported.isEmpty, "calls keep coming")
        XCTAssertTrue(Set(reported).isDisjoint(with: Set(folded.incidents.keys)), "new ids")
        XCTAssertFalse(closed.intersection(Set(reported)).isEmpty, "new incidents are dispatched and closed")
        let straightReported = straightSecondHour.filter { if case .incidentReported = $0.event { return true }; return false }.count
        XCTAssertGreaterThan(reported.count, straightReported / 3)

        // Dispatched units keep moving and arrive; units on scene stay until the close.
        let arrived = Set(after.compactMap { e -> UnitID? in if case .unitArrived(let a) = e.event { return a.unit }; return nil })
        for u in committed {
            XCTAssertTrue(arrived.contains(u.id), "\(u.id) (\(u.status) at the hour) arrives")
        }
        for u in onScene {
            let firstPosition = after.first { if case .unitPosition(let p) = $0.event { return p.unit == u.id }; return false }
            let release = after.first {
                if case .incidentClosed(let c) = $0.event { return c.id == u.incident }
                if case .unitStatus(let s) = $0.event { return s.unit == u.id }
                return false
            }
            if let firstPosition {
                XCTAssertNotNil(release, "\(u.id) on scene leaves only once released")
                if let release { XCTAssertGreaterThanOrEqual(firstPosition.seq, release.seq, "\(u.id) stayed on scene") }
            }
        }
        // The virtual commander still dispatches.
        XCTAssertTrue(after.contains { if case .dispatch(let d) = $0.event { return d.by == "auto" }; return false })
    }

    func testResumeOnlyTheNamedUnitsAndAdoptMoreLater() throws {
        let map = try Fixture.map()
        var config = SimulationConfig(seed: 5, profile: .quiet)
        config.autoDispatch = false
        config.incidentsPerHour = 0
        config.surroundings = false
        config.includeShiftStarted = false
        var core = RoutingCore(map: map)
        var first = HeadlessShift(map: map, config: SimulationConfig(seed: 5, profile: .quiet, autoDispatch: false,
                                                                       incidentsPerHour: 0, surroundings: false),
                                  start: Fixture.start)
        first.run(until: Fixture.start.addingTimeInterval(60)) { core.handle($0) }
        let state = first.state
        let sim = ShiftSimulator(map: map, config: config)
        XCTAssertEqual(sim.resume(from: state, at: Fixture.start.addingTimeInterval(60), only: [UnitID("C11")]), [])
        XCTAssertEqual(sim.simulatedUnits, [UnitID("C11")])
        let events = sim.advance(to: Fixture.start.addingTimeInterval(180), state: state)
        let units = Set(events.flatMap(\.unitIDs))
        XCTAssertEqual(units, [UnitID("C11")], "only the simulated unit moves")
        XCTAssertEqual(sim.adopt([UnitID("F21"), UnitID("C11"), UnitID("nobody")], state: state), [])
        XCTAssertEqual(sim.simulatedUnits, [UnitID("C11"), UnitID("F21")])
        XCTAssertTrue(sim.simulates(UnitID("F21")))
        XCTAssertFalse(sim.simulates(UnitID("C12")))
    }

    func testResumeOnAStartedSimulatorDoesNothing() throws {
        let map = try Fixture.map()
        let sim = ShiftSimulator(map: map, config: SimulationConfig(seed: 1))
        _ = sim.start(at: Fixture.start)
        XCTAssertEqual(sim.resume(from: PrecinctState(), at: Fixture.start), [])
    }
}
