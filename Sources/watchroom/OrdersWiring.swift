import Foundation
import Logging
import WatchroomCore
import WatchroomEngine

/// `--orders`: every dispatch order of a live shift written as JSON Lines to a sink. No
/// order vanishes: a sink that fails is shown (ORDERS DOWN, the ticker, the log) and its
/// orders are re-delivered in order when it is back; every delivery is recorded, so
/// `shift info` can list what never arrived.
enum OrdersWiring {
    /// The writer and its bus subscription, or `(nil, nil)` without `--orders`.
    static func connect(_ orders: String?, shift: LiveShift, timeZone: String) throws -> (OrdersWriter?, SubscriptionToken?) {
        guard let orders else { return (nil, nil) }
        let sink: OrdersSink
        switch OrdersSink.parse(orders) {
        case .failure(let error): throw CLIError("--orders \(orders): \(error)")
        case .success(let s): sink = s
        }
        let name = sink.description
        let ordersLog = Logger(label: "watchroom.orders")
        let writer = OrdersWriter(sink: sink, timeZone: ISOTime.timeZone(named: timeZone) ?? .current,
                                  onStatus: { status in
                                      switch status {
                                      case .down(let reason, let waiting):
                                          ordersLog.error("ORDERS DOWN: \(reason); \(waiting) waiting")
                                          shift.publish(.ordersSink(OrdersSinkStatus(sink: name, up: false, reason: reason, orders: waiting)))
                                      case .up(let redelivered):
                                          ordersLog.notice("orders to \(name) back up; \(redelivered) re-delivered")
                                          shift.publish(.ordersSink(OrdersSinkStatus(sink: name, up: true, orders: redelivered)))
                                      }
                                  },
                                  onDelivered: { tag in
                                      shift.publish(.orderDelivered(OrderDelivered(order: tag.seq, unit: tag.unit, incident: tag.incident, sink: name)))
                                  })
        let token = shift.bus.subscribe { envelope in
            if let sheet = envelope.event.orderSheet { writer.write(sheet, seq: envelope.seq) }
        }
        return (writer, token)
    }
}
