import Foundation
import XCTest
import WatchroomCore
import WatchroomEngine
import WatchroomRouting
import WatchroomSimulation
import WatchroomTestSupport

/// Scripted calls: the knife dispute of the brief in every busy night.
final class ScriptedCallTests: XCTestCase {
    func testBusyNightHasTheKnifeDisputeAtYongpingGateStreet23WithReinforcement() throws {
        let map = try Fixture.map()
        var config = SimulationConfig(seed: 2, profile: .busy)
        XCTAssertEqual(config.scriptedCalls, [.knifeDispute(after: 7800)])
        config.positionInterval = 6
        config.footPositionInterval = 12
        var core = RoutingCore(map: map)
        var shift = HeadlessShift(map: map, config: config, start: Fixture.start)
        shift.run(until: Fixture.start.addingTimeInterval(7800 + 1800)) { core.handle($0) }

        let knife = shift.state.incidentsInOrder.filter { $0.place.contains("永平门街 23") && $0.summary.contains("knife") }
        XCTAssertEqual(knife.count, 1, "one knife dispute: \(knife.map(\.place))")
        guard let k = knife.first else { return }
        XCTAssertEqual(k.reportedAt, Fixture.start.addingTimeInterval(7800))
        XCTAssertEqual(k.priority, 1)
        XCTAssertTrue(k.weapon)
        XCTAssertEqual(k.category, .dispute)
        XCTAssertEqual(k.callerPhone, "138-0000-2323")
        let address = try XCTUnwrap(map.addresses.first { $0.key == "a06" })
        XCTAssertEqual(k.point, address.position)
        // First response of two units, then reinforcement of two more by the virtual commander.
        let dispatches = shift.envelopes.compactMap { e -> DispatchOrder? in
            if case .dispatch(let d) = e.event, d.incident == k.id { return d }
            return nil
        }
        XCTAssertEqual(dispatches.count, 2, "\(dispatches)")
        XCTAssertEqual(dispatches.first?.units.count, 2)
        XCTAssertEqual(dispatches.last?.note, "reinforcement")
        XCTAssertEqual(dispatches.last?.units.count, 2)
        XCTAssertTrue(dispatches.allSatisfy { $0.by == "auto" })
        XCTAssertEqual(Set(dispatches.flatMap(\.units)).count, 4, "four different units")
    }

    func testQuietAndDemoHaveNoScriptedCallAndAMapWithoutTheAddressSkipsIt() throws {
        XCTAssertEqual(SimulationConfig(profile: .quiet).scriptedCalls, [])
        XCTAssertEqual(SimulationConfig(profile: .demo).scriptedCalls, [])
        let map = try Fixture.map()
        var call = ScriptedCall.knifeDispute(after: 5)
        call.number = "9999"
        let config = SimulationConfig(seed: 3, profile: .quiet, incidentsPerHour: 0, scriptedCalls: [call])
        var shift = HeadlessShift(map: map, config: config, start: Fixture.start)
        shift.run(until: Fixture.start.addingTimeInterval(60)) { _ in [] }
        XCTAssertTrue(shift.state.incidents.isEmpty)
    }
}
