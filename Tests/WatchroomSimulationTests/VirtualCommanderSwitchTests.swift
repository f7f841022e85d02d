import Foundation
import WatchroomCore
import WatchroomSimulation
import WatchroomTestSupport
import XCTest

/// The virtual commander's switch: which calls it may act on, and the hand-over.
final class VirtualCommanderSwitchTests: XCTestCase {
    private func reported(_ id: IncidentID) -> Event {
        .incidentReported(IncidentReported(id: id, number: nil, category: .theft, priority: 2, summary: "s", place: "p",
                                           point: .zero, road: nil, callerName: nil, callerPhone: nil, weapon: false))
    }

    func testTheCommandersCallsAreTheirsAndACloseHandsOver() {
        let v = VirtualCommander(on: true)
        XCTAssertTrue(v.mayAct(on: "I0001"))
        // Taking in a call or setting a status touches it; the rest stays the virtual commander's.
        XCTAssertFalse(v.commanderPublished([reported("I0002")]))
        XCTAssertFalse(v.commanderPublished([.unitStatus(UnitStatusChange(unit: "C11", status: .onScene, incident: "I0003"))]))
        XCTAssertFalse(v.mayAct(on: "I0002"))
        XCTAssertFalse(v.mayAct(on: "I0003"))
        XCTAssertTrue(v.mayAct(on: "I0001"))
        XCTAssertTrue(v.isOn)
        // A close of anything: off for good.
        XCTAssertTrue(v.commanderPublished([.incidentClosed(IncidentClosed(id: "I0009", disposition: .resolved))]))
        XCTAssertFalse(v.isOn)
        XCTAssertEqual(v.offReason, .handedOver("you closed I0009"))
        XCTAssertFalse(v.mayAct(on: "I0001"))
        // Switched on again by hand; a dispatch hands over again.
        v.set(on: true)
        XCTAssertTrue(v.mayAct(on: "I0001"))
        XCTAssertFalse(v.mayAct(on: "I0002"), "still the commander's")
        XCTAssertTrue(v.commanderPublished([.dispatch(DispatchOrder(incident: "I0004", units: ["C12"], by: "commander"))]))
        XCTAssertEqual(v.offReason, .handedOver("you sent units to I0004"))
        v.set(on: false)
        XCTAssertEqual(v.offReason, .switchedOff)
    }

    func testASimulatedShiftWithTheCommanderOffDispatchesNothing() throws {
        var config = SimulationConfig(seed: 4, profile: .busy)
        config.autoDispatch = true
        var shift = HeadlessShift(map: try TestMaps.jiangbei(), config: config, start: Date(timeIntervalSince1970: 1_795_000_000))
        shift.simulator.commander.set(on: false)
        shift.run(until: Date(timeIntervalSince1970: 1_795_000_000 + 3600)) { _ in [] }
        XCTAssertFalse(shift.envelopes.contains { if case .dispatch = $0.event { return true } else { return false } })
        XCTAssertTrue(shift.envelopes.contains { if case .incidentReported = $0.event { return true } else { return false } })
    }
}
