import Foundation
import XCTest
import WatchroomCore
import WatchroomEngine
import WatchroomRouting
import WatchroomSimulation
import WatchroomTestSupport

/// A shift run headless with the real routing engine on the loop, as the console runs it.
struct Run {
    let map: PrecinctMap
    let envelopes: [EventEnvelope]
    let state: PrecinctState
    let seconds: Double
    let stats: SimulationStats
}

enum Fixture {
    static let start = Date(timeIntervalSince1970: 1_795_600_800) // 2026-11-25T18:00:00+08:00

    static func map() throws -> PrecinctMap { try TestMaps.jiangbei() }

    /// The simulator, the reducer and RoutingCore in one loop.
    static func run(_ map: PrecinctMap, _ config: SimulationConfig, hours: Double, step: Double = 1) -> Run {
        var core = RoutingCore(map: map)
        let clock = ContinuousClock()
        var shift = HeadlessShift(map: map, config: config, start: start)
        let elapsed = clock.measure {
            shift.run(until: start.addingTimeInterval(hours * 3600), step: step) { core.handle($0) }
        }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        XCTAssertEqual(PrecinctState.fold(shift.envelopes), shift.state)
        return Run(map: map, envelopes: shift.envelopes, state: shift.state, seconds: seconds, stats: shift.simulator.stats)
    }

    nonisolated(unsafe) private static var cached: [String: Run] = [:]
    private static let lock = NSLock()

    /// A two-hour demo shift, computed once per test process.
    static func demo() throws -> Run {
        let m = try map()
        return lock.withLock {
            if let r = cached["demo"] { return r }
            let r = run(m, SimulationConfig(seed: 7, profile: .demo), hours: 2)
            cached["demo"] = r
            return r
        }
    }
}

final class ShiftSimulatorTests: XCTestCase {

    // MARK: - Roster and start

    func testRosterIsAStationOfThirtyWithStableIDs() {
        let roster = Roster(carCount: 8, footCount: 6, stationStrength: 30)
        XCTAssertEqual(roster.units.map(\.id.rawValue),
                       ["C11", "C12", "C13", "C14", "C15", "C16", "C17", "C18", "F21", "F22", "F23", "F24", "F25", "F26"])
        XCTAssertEqual(roster.onPatrolCount, 22)
        XCTAssertEqual(roster.atStation.count, 8)
        let names = roster.units.flatMap(\.officers).map(\.name) + roster.atStation.map(\.name)
        XCTAssertEqual(Set(names).count, 30, "every officer has a distinct name")
        let badges = roster.units.flatMap(\.officers).map(\.badge) + roster.atStation.map(\.badge)
        XCTAssertEqual(Set(badges).count, 30)
        for u in roster.units where u.kind == .car {
            XCTAssertEqual(u.officers.count, 2)
            XCTAssertEqual(u.seats, 5)
            XCTAssertTrue(u.plate?.hasPrefix("渝A·") ?? false)
        }
        XCTAssertEqual(Roster(carCount: 8, footCount: 6, stationStrength: 30), roster, "the roster does not depend on a seed")
    }

    func testStartRegistersTheRosterOnTheRoads() throws {
        let map = try Fixture.map()
        let sim = ShiftSimulator(map: map, config: SimulationConfig(seed: 3))
        let events = sim.start(at: Fixture.start)
        guard case .shiftStarted(let s)? = events.first else { return XCTFail("shift.started first") }
        XCTAssertEqual(s.map.rawValue, "jiangbei-city")
        XCTAssertEqual(s.mode, .live)
        XCTAssertEqual(s.seed, 3)
        let registered = events.compactMap { e -> UnitRegistered? in if case .unitRegistered(let r) = e { return r }; return nil }
        XCTAssertEqual(registered.count, 14)
        XCTAssertEqual(registered.filter { $0.kind == .car }.count, 8)
        XCTAssertTrue(registered.allSatisfy { $0.status == .available })
        let positions = events.compactMap { e -> UnitPosition? in if case .unitPosition(let p) = e { return p }; return nil }
        XCTAssertEqual(Set(positions.map(\.unit)), Set(registered.map(\.id)))
        XCTAssertTrue(sim.start(at: Fixture.start).isEmpty, "start twice does nothing")
        // Cars start spread over the precinct, not in one spot.
        let carPoints = positions.filter { $0.unit.rawValue.hasPrefix("C") }.map(\.point)
        var minGap = Double.infinity
        for a in carPoints.indices { for b in carPoints.indices where b > a { minGap = min(minGap, carPoints[a].distance(to: carPoints[b])) } }
        XCTAssertGreaterThan(minGap, 150)
    }

    // MARK: - Determinism

    func testSameSeedSameLinesDifferentSeedDifferentLines() throws {
        let map = try Fixture.map()
        let codec = EventCodec(timeZone: TimeZone(identifier: "Asia/Shanghai") ?? .current)
        func lines(_ seed: UInt64) throws -> String {
            try codec.encode(lines: Fixture.run(map, SimulationConfig(seed: seed, profile: .busy), hours: 0.5).envelopes)
        }
        let a = try lines(11), b = try lines(11), c = try lines(12)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertGreaterThan(a.count, 10_000)
    }

    func testCallGranularityDoesNotChangeTheFirstMinutes() throws {
        // The same times and states give the same events, whatever produced them.
        let map = try Fixture.map()
        let config = SimulationConfig(seed: 5, surroundings: false)
        let a = ShiftSimulator(map: map, config: config), b = ShiftSimulator(map: map, config: config)
        var sa = PrecinctState(), sb = PrecinctState()
        var seqA: UInt64 = 0, seqB: UInt64 = 0
        func feed(_ s: inout PrecinctState, _ seq: inout UInt64, _ evs: [SimulatedEvent]) {
            for e in evs { seq += 1; s.apply(EventEnvelope(seq: seq, time: e.time, event: e.event)) }
        }
        feed(&sa, &seqA, a.startTimed(at: Fixture.start))
        feed(&sb, &seqB, b.startTimed(at: Fixture.start))
        var outA: [SimulatedEvent] = [], outB: [SimulatedEvent] = []
        for k in 1...20 {
            let t = Fixture.start.addingTimeInterval(Double(k))
            let ea = a.advanceTimed(to: t, state: sa), eb = b.advanceTimed(to: t, state: sb)
            feed(&sa, &seqA, ea); feed(&sb, &seqB, eb)
            outA += ea; outB += eb
        }
        XCTAssertEqual(outA, outB)
    }

    // MARK: - Incidents

    func testFirstIncidentWithinTenSecondsInDemo() throws {
        let map = try Fixture.map()
        for seed: UInt64 in [1, 2, 3, 4, 5] {
            let envelopes = ShiftSimulator.generateShift(map: map, config: SimulationConfig(seed: seed, profile: .demo),
                                                         hours: 10.0 / 3600, start: Fixture.start)
            let first = envelopes.first { if case .incidentReported = $0.event { return true }; return false }
            XCTAssertNotNil(first, "seed \(seed): an incident within 10 s")
            if let first { XCTAssertLessThanOrEqual(first.time.timeIntervalSince(Fixture.start), 10) }
        }
    }

    func testIncidentRatesPerProfile() throws {
        let map = try Fixture.map()
        // Without units on the loop: counting calls only (cheap).
        func count(_ profile: SimulationProfile, hours: Double, seed: UInt64) -> Int {
            var config = SimulationConfig(seed: seed, profile: profile, autoDispatch: false, surroundings: false)
            config.carCount = 0
            config.footCount = 0
            return ShiftSimulator.generateShift(map: map, config: config, hours: hours, start: Fixture.start, step: 30)
                .filter { if case .incidentReported = $0.event { return true }; return false }.count
        }
        // Expected: demo 20/h, busy 8/h, quiet 2.5/h; bounds about ±4 standard deviations.
        let demo = count(.demo, hours: 10, seed: 1)
        XCTAssertTrue((200 - 60...200 + 60).contains(demo), "demo: \(demo) in 10 h")
        let busy = count(.busy, hours: 24, seed: 2)
        XCTAssertTrue((192 - 56...192 + 56).contains(busy), "busy: \(busy) in 24 h")
        let quiet = count(.quiet, hours: 40, seed: 3)
        XCTAssertTrue((100 - 40...100 + 40).contains(quiet), "quiet: \(quiet) in 40 h")
        var config = SimulationConfig(seed: 4, profile: .quiet, autoDispatch: false, surroundings: false)
        config.incidentsPerHour = 0
        XCTAssertEqual(ShiftSimulator.generateShift(map: map, config: config, hours: 2, start: Fixture.start, step: 60)
            .filter { if case .incidentReported = $0.event { return true }; return false }.count, 0)
    }

    func testIncidentsArePlausible() throws {
        let run = try Fixture.demo()
        let reports = run.envelopes.compactMap { e -> IncidentReported? in
            if case .incidentReported(let r) = e.event { return r }; return nil
        }
        XCTAssertGreaterThan(reports.count, 20)
        XCTAssertEqual(Set(reports.map(\.id)).count, reports.count, "ids unique")
        XCTAssertEqual(Set(reports.compactMap(\.number)).count, reports.count, "numbers unique")
        XCTAssertGreaterThanOrEqual(Set(reports.map(\.category)).count, 6, "a mix of categories")
        XCTAssertGreaterThanOrEqual(Set(reports.map(\.priority)).count, 3)
        let labels = Set(run.map.addresses.map { run.map.streets[$0.street].name })
        let landmarkNames = Set(run.map.landmarks.map(\.name))
        for r in reports {
            XCTAssertTrue((1...3).contains(r.priority))
            XCTAssertFalse(r.summary.isEmpty)
            XCTAssertTrue(labels.contains { r.place.contains($0) } || landmarkNames.contains { r.place.contains($0) },
                          "\(r.place) is a real address, landmark or crossing")
            XCTAssertTrue(r.callerPhone?.hasPrefix("138-0000-") ?? false, "fictional phone")
            XCTAssertNotNil(r.road)
            XCTAssertTrue(r.number?.hasPrefix("2026-1125-") ?? false, r.number ?? "")
            if r.weapon { XCTAssertEqual(r.priority, 1) }
        }
    }

    // MARK: - Movement

    func testPositionsLieOnTheRoadsAndRespectSpeedAccessAndOneWay() throws {
        let run = try Fixture.demo()
        let map = run.map
        let index = RoadPosition.segmentIndex(of: map)
        let kinds = Dictionary(uniqueKeysWithValues: run.state.units.values.map { ($0.id, $0.kind) })
        let maxCarSpeed = map.segments.map(\.speedKmh).max().map { $0 / 3.6 } ?? 20
        var last: [UnitID: (time: Date, point: Point, road: RoadLocation)] = [:]
        var count = 0, checkedPairs = 0, oneWayPairs = 0
        for e in run.envelopes {
            guard case .unitPosition(let p) = e.event else { continue }
            count += 1
            guard let road = p.road, let s = index[road.segment], let kind = kinds[p.unit] else {
                XCTFail("position without a known road: \(p)")
                continue
            }
            let seg = map.segments[s]
            let expected = Polyline.point(map.polyline(ofSegment: s), atFraction: road.fraction)
            XCTAssertLessThan(expected.distance(to: p.point), 1, "\(p.unit) at \(road) off its road")
            if kind == .car {
                XCTAssertTrue(seg.access.allowsCar, "car \(p.unit) on foot-only \(seg.key)")
            } else {
                XCTAssertTrue(seg.access.allowsFoot, "officer \(p.unit) on car-only \(seg.key)")
            }
            if let prev = last[p.unit] {
                let dt = e.time.timeIntervalSince(prev.time)
                let d = prev.point.distance(to: p.point)
                let limit = kind == .car ? maxCarSpeed : RoutingProfile.footSpeedMetersPerSecond
                XCTAssertLessThanOrEqual(d, limit * dt * 1.02 + 0.5, "\(p.unit) jumped \(d) m in \(dt) s")
                if prev.road.segment == road.segment {
                    checkedPairs += 1
                    let along = abs(road.fraction - prev.road.fraction) * seg.lengthMeters
                    let segLimit = kind == .car ? seg.speedKmh / 3.6 : RoutingProfile.footSpeedMetersPerSecond
                    XCTAssertLessThanOrEqual(along, segLimit * dt * 1.02 + 0.5, "\(p.unit) too fast on \(seg.key)")
                    if kind == .car, seg.oneway {
                        oneWayPairs += 1
                        XCTAssertGreaterThanOrEqual(road.fraction, prev.road.fraction - 1e-9, "\(p.unit) against one-way \(seg.key)")
                    }
                }
            }
            last[p.unit] = (e.time, p.point, road)
        }
        XCTAssertGreaterThan(count, 10_000)
        XCTAssertGreaterThan(checkedPairs, 5_000)
        XCTAssertGreaterThan(oneWayPairs, 0, "some car drove a one-way street")
    }

    func testPositionRateIsBounded() throws {
        let run = try Fixture.demo()
        var perMinute: [UnitID: [Int: Int]] = [:]
        for e in run.envelopes {
            guard case .unitPosition(let p) = e.event else { continue }
            let minute = Int(e.time.timeIntervalSince(Fixture.start) / 60)
            perMinute[p.unit, default: [:]][minute, default: 0] += 1
        }
        var busiest = 0
        for (unit, minutes) in perMinute {
            let interval = unit.rawValue.hasPrefix("C") ? 2.0 : 4.0
            for (_, n) in minutes {
                busiest = max(busiest, n)
                XCTAssertLessThanOrEqual(Double(n), 60 / interval + 3, "\(unit) reported \(n) positions in a minute")
            }
        }
        XCTAssertGreaterThanOrEqual(busiest, 25, "moving cars do report every two seconds")
    }

    func testCarsDriveAtBelievableSpeeds() throws {
        let run = try Fixture.demo()
        var speeds: [Double] = []
        for e in run.envelopes {
            if case .unitPosition(let p) = e.event, p.unit.rawValue.hasPrefix("C"), let v = p.speedKmh, v > 0 { speeds.append(v) }
        }
        let mean = speeds.reduce(0, +) / Double(max(1, speeds.count))
        XCTAssertTrue((15...50).contains(mean), "mean car speed \(mean) km/h")
    }

    // MARK: - Dispatch and response

    func testAutoDispatchedUnitsArriveAndIncidentsClose() throws {
        let run = try Fixture.demo()
        let state = run.state
        XCTAssertEqual(state.anomalies.total, 0, state.anomalies.recent.joined(separator: "\n"))
        let end = Fixture.start.addingTimeInterval(2 * 3600)
        let incidents = state.incidentsInOrder
        XCTAssertGreaterThan(incidents.count, 20)
        var closed = 0
        for inc in incidents {
            if inc.reportedAt < end.addingTimeInterval(-40 * 60) {
                XCTAssertEqual(inc.status, .closed, "\(inc.id) \(inc.category) reported \(inc.reportedAt) still \(inc.status)")
            }
            if inc.status == .closed {
                closed += 1
                XCTAssertNotNil(inc.arrivedAt, "\(inc.id) closed with someone on scene")
                XCTAssertEqual(inc.dispatchedBy, "auto")
                if let d = inc.dispatchedAt { XCTAssertTrue((19...61).contains(d.timeIntervalSince(inc.reportedAt)) || inc.respondedUnits.count > 0) }
                XCTAssertNotNil(inc.disposition)
                if inc.weapon || inc.priority == 1 { XCTAssertGreaterThanOrEqual(inc.respondedUnits.count, 2, "\(inc.id)") }
            }
        }
        XCTAssertGreaterThan(closed, 15)
        // Every unit that was dispatched went en route and arrived, in that order.
        for unit in state.unitsInOrder {
            var expecting: [UnitStatus] = []
            for h in unit.history {
                if h.status == .dispatched { expecting = [.enRoute, .onScene] }
                if let next = expecting.first, h.status == next { expecting.removeFirst() }
            }
        }
        let arrivals = run.envelopes.filter { if case .unitArrived = $0.event { return true }; return false }.count
        let dispatched = run.envelopes.reduce(0) { n, e in if case .dispatch(let d) = e.event { return n + d.units.count }; return n }
        XCTAssertGreaterThan(Double(arrivals), Double(dispatched) * 0.85, "\(arrivals) arrivals for \(dispatched) dispatched units")
        // Response times are plausible: first arrival within 15 minutes of the call.
        let responses = incidents.compactMap(\.responseSeconds)
        XCTAssertTrue(responses.allSatisfy { $0 < 15 * 60 }, "\(responses.max() ?? 0)")
        // Units go back to patrol: at the end most units are available.
        XCTAssertGreaterThan(state.units.values.filter { $0.status.isAssignable }.count, 5)
    }

    func testRoutesAreFollowedToTheirEnd() throws {
        let run = try Fixture.demo()
        // The position reported with an arrival is the end of the unit's last route.
        var lastRoute: [UnitID: RouteAssigned] = [:]
        var lastPosition: [UnitID: UnitPosition] = [:]
        let index = RoadPosition.segmentIndex(of: run.map)
        var checked = 0
        for e in run.envelopes {
            switch e.event {
            case .routeAssigned(let r): lastRoute[r.unit] = r
            case .unitPosition(let p): lastPosition[p.unit] = p
            case .unitArrived(let a):
                guard let r = lastRoute[a.unit], r.incident == a.incident, let to = r.to, let p = lastPosition[a.unit] else { continue }
                guard let s = index[to.segment] else { continue }
                let end = Polyline.point(run.map.polyline(ofSegment: s), atFraction: to.fraction)
                XCTAssertLessThan(p.point.distance(to: end), 1, "\(a.unit) arrived at its route's end")
                checked += 1
            default: break
            }
        }
        XCTAssertGreaterThan(checked, 20)
    }

    func testUnitsFollowTheEngineRoutesAndArriveAroundTheETA() throws {
        let run = try Fixture.demo()
        XCTAssertGreaterThan(run.stats.routesFollowed, 20)
        XCTAssertLessThanOrEqual(Double(run.stats.ownWay), Double(run.stats.routesFollowed) * 0.05,
                          "auto-dispatch reports positions first, so routes start where the units are: \(run.stats)")
        var lastRoute: [UnitID: (time: Date, route: RouteAssigned)] = [:]
        var checked = 0
        for e in run.envelopes {
            switch e.event {
            case .routeAssigned(let r): lastRoute[r.unit] = (e.time, r)
            case .unitArrived(let a):
                guard let (t, r) = lastRoute[a.unit], r.incident == a.incident, r.seconds > 30 else { continue }
                let actual = e.time.timeIntervalSince(t)
                // Junction slow-downs make it a little later; never much earlier.
                XCTAssertGreaterThan(actual, r.seconds * 0.9 - 2, "\(a.unit) to \(a.incident)")
                XCTAssertLessThan(actual, r.seconds * 1.35 + 20, "\(a.unit) to \(a.incident)")
                checked += 1
            default: break
            }
        }
        XCTAssertGreaterThan(checked, 15)
    }

    func testRerouteAfterAClosureIsFollowedFromWhereTheCarIs() throws {
        let map = try Fixture.map()
        var config = SimulationConfig(seed: 8, profile: .demo, autoDispatch: false, surroundings: false)
        config.incidentsPerHour = 0
        var core = RoutingCore(map: map)
        var run = HeadlessShift(map: map, config: config, start: Fixture.start)
        run.run(until: Fixture.start.addingTimeInterval(30)) { core.handle($0) }
        let car = UnitID("C11")
        guard let from = run.state.units[car]?.position,
              let far = map.addresses.max(by: { $0.position.distance(to: from) < $1.position.distance(to: from) }) else {
            return XCTFail("no address")
        }
        run.publish(.incidentReported(IncidentReported(id: "R1", category: .fire, priority: 1, summary: "Smoke",
                                                       place: "far", point: far.position)), at: run.time) { core.handle($0) }
        run.publish(.dispatch(DispatchOrder(incident: "R1", units: [car], by: "commander")), at: run.time) { core.handle($0) }
        guard let first = run.state.units[car]?.route, first.legs.count > 6 else { return XCTFail("a long route") }
        run.run(until: run.time.addingTimeInterval(10)) { core.handle($0) }
        // Close a segment well ahead of the car.
        let closed = first.legs[first.legs.count / 2 + 1].segment
        let closedAt = run.time
        run.publish(.trafficChanged(TrafficChanged(segment: closed, closed: true)), at: run.time) { core.handle($0) }
        guard let second = run.state.units[car]?.route else { return XCTFail("still routed") }
        XCTAssertNotEqual(second.legs, first.legs, "re-routed around the closure")
        XCTAssertFalse(second.legs.contains { $0.segment == closed })
        run.run(until: run.time.addingTimeInterval(15 * 60)) { core.handle($0) }
        let after = run.envelopes.filter { $0.time > closedAt }
        for e in after { if case .unitPosition(let p) = e.event, p.unit == car { XCTAssertNotEqual(p.road?.segment, closed) } }
        XCTAssertTrue(after.contains { if case .unitArrived(let a) = $0.event { return a.unit == car }; return false })
        XCTAssertEqual(run.state.anomalies.total, 0, run.state.anomalies.recent.joined(separator: "\n"))
        XCTAssertEqual(run.simulator.stats.routesFollowed, 2, "first route and re-route followed: \(run.simulator.stats)")
    }

    func testTrafficAndCamerasChangeAndUnitsAreRerouted() throws {
        let run = try Fixture.demo()
        var offline = 0, online = 0, jams = 0, closures = 0, reopen = 0
        for e in run.envelopes {
            switch e.event {
            case .cameraStatus(let c): if c.online { online += 1 } else { offline += 1 }
            case .trafficChanged(let t):
                if t.closed { closures += 1 } else if t.factor > 1 { jams += 1; XCTAssertTrue((1.5...3).contains(t.factor)) } else { reopen += 1 }
            default: break
            }
        }
        XCTAssertGreaterThan(offline, 2)
        XCTAssertGreaterThan(online, 1)
        XCTAssertGreaterThan(jams, 3)
        XCTAssertGreaterThan(reopen, 2)
        XCTAssertGreaterThanOrEqual(closures, 0)
        let mapCameras = Set(run.map.cameras.map(\.key))
        XCTAssertTrue(run.state.cameras.keys.allSatisfy { mapCameras.contains($0.rawValue) })
    }

    func testHumanDispatchWithoutAutoCommander() throws {
        // A commander dispatches a moving car by hand; the route starts at its last
        // reported position, and the car has driven on since. It must still get there.
        let map = try Fixture.map()
        var config = SimulationConfig(seed: 21, profile: .demo, autoDispatch: false, surroundings: false)
        config.incidentsPerHour = 0
        var core = RoutingCore(map: map)
        var run = HeadlessShift(map: map, config: config, start: Fixture.start)
        run.run(until: Fixture.start.addingTimeInterval(61), step: 1) { core.handle($0) }
        let target = map.addresses[map.addresses.count / 2]
        let report = IncidentReported(id: "H1", category: .theft, priority: 2, summary: "Bag snatched", place: "test",
                                      point: target.position)
        run.publish(.incidentReported(report), at: run.time, respond: { core.handle($0) })
        // Advance 1.5 s more so the car moves past its last reported position (reported every 2 s).
        run.run(until: run.time.addingTimeInterval(1.5), step: 1) { core.handle($0) }
        let car = UnitID("C13")
        XCTAssertNotEqual(run.state.units[car]?.positionAt, run.time, "the car reported a while ago")
        XCTAssertGreaterThan(run.state.units[car]?.speedKmh ?? 0, 0, "and was driving")
        run.publish(.dispatch(DispatchOrder(incident: "H1", units: [car], by: "commander")), at: run.time,
                    respond: { core.handle($0) })
        XCTAssertNotNil(run.state.units[car]?.route)
        run.run(until: run.time.addingTimeInterval(20 * 60), step: 1) { core.handle($0) }
        let history = run.state.units[car]?.history.map(\.status) ?? []
        XCTAssertTrue(history.contains(.enRoute), "\(history)")
        XCTAssertTrue(history.contains(.onScene), "\(history)")
        XCTAssertEqual(run.state.incidents["H1"]?.status, .closed, "auto-close still on")
        XCTAssertEqual(run.state.anomalies.total, 0, run.state.anomalies.recent.joined(separator: "\n"))
        XCTAssertEqual(run.state.units[car]?.status, .available)
        XCTAssertEqual(run.simulator.stats, SimulationStats(routesFollowed: 1, ownWay: 0),
                       "the route from its last report is followed from where it is now")
    }

    func testUnitsOutOfServiceStayPut() throws {
        let map = try Fixture.map()
        var config = SimulationConfig(seed: 2, autoDispatch: false, surroundings: false)
        config.incidentsPerHour = 0
        var run = HeadlessShift(map: map, config: config, start: Fixture.start)
        run.run(until: Fixture.start.addingTimeInterval(10)) { _ in [] }
        run.publish(.unitStatus(UnitStatusChange(unit: "C11", status: .outOfService)), at: run.time) { _ in [] }
        let before = run.state.units["C11"]?.position
        let count = run.envelopes.count
        run.run(until: run.time.addingTimeInterval(120)) { _ in [] }
        XCTAssertEqual(run.state.units["C11"]?.position, before)
        XCTAssertFalse(run.envelopes[count...].contains { $0.event.unitIDs.contains("C11") })
        run.publish(.unitStatus(UnitStatusChange(unit: "C11", status: .available)), at: run.time) { _ in [] }
        run.run(until: run.time.addingTimeInterval(120)) { _ in [] }
        XCTAssertNotEqual(run.state.units["C11"]?.position, before, "back on patrol")
    }

    func testBigClockJumpsStayBounded() throws {
        // A console at 1000x calls advance with 100 s jumps: positions stay one per interval,
        // the [Event] form keeps one position per unit per run of positions.
        let map = try Fixture.map()
        let sim = ShiftSimulator(map: map, config: SimulationConfig(seed: 9, autoDispatch: false, surroundings: false))
        var state = PrecinctState()
        var seq: UInt64 = 0
        for e in sim.start(at: Fixture.start) { seq += 1; state.apply(EventEnvelope(seq: seq, time: Fixture.start, event: e)) }
        let timed = sim.advanceTimed(to: Fixture.start.addingTimeInterval(100), state: state)
        let positions = timed.filter { if case .unitPosition = $0.event { return true }; return false }
        XCTAssertLessThanOrEqual(positions.count, 8 * 51 + 6 * 26 + 14 * 3)
        let sim2 = ShiftSimulator(map: map, config: SimulationConfig(seed: 9, autoDispatch: false, surroundings: false))
        _ = sim2.start(at: Fixture.start)
        let events = sim2.advance(to: Fixture.start.addingTimeInterval(100), state: state)
        let plain = events.filter { if case .unitPosition = $0 { return true }; return false }
        XCTAssertLessThanOrEqual(plain.count, 14 * 4, "positions coalesced")
        XCTAssertEqual(events.filter { if case .incidentReported = $0 { return true }; return false }.count,
                       timed.filter { if case .incidentReported = $0.event { return true }; return false }.count)
    }

    func testFastForwardThroughTheBusWithBigJumps() throws {
        // A console at 1000x: `advance` every 100 simulated seconds, events stamped with the
        // call's time as `EventBus.publish` does, the routing engine answering on the bus.
        let map = try Fixture.map()
        let sim = ShiftSimulator(map: map, config: SimulationConfig(seed: 4, profile: .demo))
        var core = RoutingCore(map: map)
        var bus = HeadlessBus()
        var state: PrecinctState { bus.state }
        func publish(_ events: [Event], at time: Date) {
            for event in events { bus.publish(event, at: time) { core.handle($0) } }
        }
        publish(sim.start(at: Fixture.start), at: Fixture.start)
        for k in 1...72 {
            let t = Fixture.start.addingTimeInterval(Double(k) * 100)
            publish(sim.advance(to: t, state: state), at: t)
        }
        XCTAssertEqual(state.anomalies.total, 0, state.anomalies.recent.joined(separator: "\n"))
        let closed = state.incidents.values.filter { !$0.isOpen }
        XCTAssertGreaterThan(closed.count, 20)
        XCTAssertTrue(closed.allSatisfy { $0.arrivedAt != nil })
        XCTAssertLessThan(state.lastSeq, 72 * 14 * 3 + 2_000, "positions coalesced per call")
    }

    // MARK: - Performance

    func testTwelveHourBusyShiftGeneratesQuickly() throws {
        let map = try Fixture.map()
        let run = Fixture.run(map, SimulationConfig(seed: 42, profile: .busy), hours: 12)
        let incidents = run.state.incidents.count
        print("12 h busy shift: \(run.envelopes.count) events, \(incidents) incidents, \(String(format: "%.2f", run.seconds)) s")
        XCTAssertEqual(run.state.anomalies.total, 0, run.state.anomalies.recent.joined(separator: "\n"))
        XCTAssertTrue((50...150).contains(incidents), "\(incidents)")
        XCTAssertEqual(run.state.incidents.values.filter { $0.isOpen && $0.reportedAt < run.state.now?.addingTimeInterval(-3600) ?? .distantPast }.count, 0)
        XCTAssertLessThan(run.seconds, 120, "debug build; release is far quicker")
    }
}
