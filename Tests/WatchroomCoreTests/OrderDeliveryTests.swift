import Foundation
@testable import WatchroomCore
import XCTest

/// `order.delivered` and `orders.sink` (docs/events.md): what `shift info` reads to list
/// the orders never delivered.
final class OrderDeliveryTests: XCTestCase {
    private func sheetEvent(_ unit: String, seq: UInt64) throws -> EventEnvelope {
        let sheet = DispatchOrderSheet(unit: UnitID(unit), callsign: unit, incident: "I0007", number: "2026-1125-0007",
                                       issued: Date(timeIntervalSince1970: 1_795_000_000), reinforcement: false,
                                       category: .dispute, priority: 1, summary: "knife", place: "永平门街 18",
                                       point: Point(x: 1, y: 2), weapon: true, callerName: nil, callerPhone: nil, route: nil,
                                       colleagues: [], cameras: [], traffic: [], warnings: [], notes: [])
        return EventEnvelope(seq: seq, time: Date(timeIntervalSince1970: 1_795_000_000),
                             event: try Event.orderIssued(sheet, timeZone: Samples.shanghai))
    }

    func testRoundTripAndNoStateChange() throws {
        let delivered = Event.orderDelivered(OrderDelivered(order: 15, unit: "C3", incident: "I0007", sink: "tcp:127.0.0.1:9000"))
        XCTAssertEqual(delivered.orderDelivered?.order, 15)
        let down = Event.ordersSink(OrdersSinkStatus(sink: "unix:/run/o.sock", up: false, reason: "refused", orders: 2))
        XCTAssertEqual(down.ordersSinkStatus?.up, false)
        XCTAssertEqual(down.ordersSinkStatus?.sink, "unix:/run/o.sock")
        XCTAssertNil(down.orderDelivered)
        var state = PrecinctState()
        state.apply(EventEnvelope(seq: 1, time: Date(timeIntervalSince1970: 0), event: delivered))
        state.apply(EventEnvelope(seq: 2, time: Date(timeIntervalSince1970: 0), event: down))
        XCTAssertEqual(state.anomalies.total, 0)
    }

    func testUndeliveredOrdersAreTheIssuedWithoutADelivery() throws {
        var u = UndeliveredOrders()
        u.add(try sheetEvent("C1", seq: 10))
        u.add(try sheetEvent("C2", seq: 11))
        XCTAssertTrue(u.orders.isEmpty, "no sink in the recording: nothing was to be delivered")
        u.add(EventEnvelope(seq: 12, time: Date(timeIntervalSince1970: 0),
                            event: .orderDelivered(OrderDelivered(order: 10, unit: "C1", incident: "I0007", sink: "s"))))
        XCTAssertEqual(u.orders.map(\.seq), [11])
        XCTAssertEqual(u.orders.first?.sheet.unit, "C2")
    }
}
