import Foundation

// What became of the order sheets `--orders` sends (docs/dispatch.md): `order.delivered`
// when a sheet is handed in full to the sink, `orders.sink` when the sink goes down or
// comes back. Like `order.issued` they ride the bus as extension types and change no
// state; a recording holds them, so `shift info` can list the orders never delivered.

extension EventType {
    /// `order.delivered`: one `order.issued` handed in full to the `--orders` sink.
    public static let orderDelivered = "order.delivered"
    /// `orders.sink`: the `--orders` sink went down or came back.
    public static let ordersSink = "orders.sink"
}

/// `order.delivered`: which order (the seq of its `order.issued`) reached which sink.
public struct OrderDelivered: Hashable, Sendable, Codable {
    /// The seq of the `order.issued` event.
    public var order: UInt64
    public var unit: UnitID
    public var incident: IncidentID
    /// The sink as given to `--orders` (`unix:PATH`, `tcp:127.0.0.1:9000`, a path).
    public var sink: String

    public init(order: UInt64, unit: UnitID, incident: IncidentID, sink: String) {
        self.order = order
        self.unit = unit
        self.incident = incident
        self.sink = sink
    }
}

/// `orders.sink`: the sink is down (with why, and how many orders wait) or back up.
public struct OrdersSinkStatus: Hashable, Sendable, Codable {
    public var sink: String
    public var up: Bool
    /// Why it is down (`cannot connect: Connection refused`); `nil` when up.
    public var reason: String?
    /// Orders waiting to be delivered (when down), or re-delivered on coming back (when up).
    public var orders: Int

    public init(sink: String, up: Bool, reason: String? = nil, orders: Int) {
        self.sink = sink
        self.up = up
        self.reason = reason
        self.orders = orders
    }
}

extension Event {
    public static func orderDelivered(_ d: OrderDelivered) -> Event {
        .unknown(type: EventType.orderDelivered, json: extensionJSON(d))
    }

    public static func ordersSink(_ s: OrdersSinkStatus) -> Event {
        .unknown(type: EventType.ordersSink, json: extensionJSON(s))
    }

    /// The payload of an `order.delivered` event, or `nil` for any other event.
    public var orderDelivered: OrderDelivered? { extensionPayload(EventType.orderDelivered) }

    /// The payload of an `orders.sink` event, or `nil` for any other event.
    public var ordersSinkStatus: OrdersSinkStatus? { extensionPayload(EventType.ordersSink) }

    private func extensionPayload<T: Decodable>(_ wanted: String) -> T? {
        guard case .unknown(let type, let json) = self, type == wanted else { return nil }
        return try? EventCodec.makeDecoder().decode(T.self, from: Data(json.utf8))
    }

    /// Canonical JSON (sorted keys) of a payload made only of strings, integers and booleans.
    private static func extensionJSON<T: Encodable>(_ value: T) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// The orders of a recording that never reached their `--orders` sink: every
/// `order.issued` without an `order.delivered`, once the recording shows a sink at all
/// (an `orders.sink` or `order.delivered` event). Empty for a shift without `--orders`.
public struct UndeliveredOrders {
    private var issued: [(seq: UInt64, time: Date, sheet: DispatchOrderSheet)] = []
    private var delivered: Set<UInt64> = []
    private var sinkSeen = false

    public init() {}

    public mutating func add(_ envelope: EventEnvelope) {
        guard case .unknown(let type, _) = envelope.event else { return }
        switch type {
        case EventType.orderIssued:
            if let sheet = envelope.event.orderSheet { issued.append((envelope.seq, envelope.time, sheet)) }
        case EventType.orderDelivered:
            sinkSeen = true
            if let d = envelope.event.orderDelivered { delivered.insert(d.order) }
        case EventType.ordersSink:
            sinkSeen = true
        default:
            break
        }
    }

    /// The undelivered orders, oldest first: seq, time issued and sheet.
    public var orders: [(seq: UInt64, time: Date, sheet: DispatchOrderSheet)] {
        sinkSeen ? issued.filter { !delivered.contains($0.seq) } : []
    }
}
