import Foundation

// `order.issued`: the dispatch order one unit receives, as its phone would show it.
//
// The sheet travels on the bus as an extension event: `Event.orderIssued(_:timeZone:)`
// wraps it as `.unknown(type: "order.issued", json:)` and `Event.orderSheet` reads it
// back, so every existing `switch` over `Event` keeps compiling. The reducer knows the
// type and does not count it as an anomaly. See docs/events.md.

extension EventType {
    /// `order.issued`: one unit's dispatch order sheet (``DispatchOrderSheet``).
    public static let orderIssued = "order.issued"
}

/// Everything an officer needs on the way to an incident, built per dispatched unit.
public struct DispatchOrderSheet: Hashable, Sendable, Codable {
    /// The unit the order is for.
    public var unit: UnitID
    public var callsign: String
    public var incident: IncidentID
    /// The incident number people read out, e.g. `2026-1125-0007`.
    public var number: String?
    /// When the order was given.
    public var issued: Date
    /// `true` when this unit is sent as reinforcement (not the first response).
    public var reinforcement: Bool
    public var category: IncidentCategory
    public var priority: Int
    public var summary: String
    public var place: String
    public var point: Point
    public var weapon: Bool
    /// Caller's name and phone, masked in observer mode.
    public var callerName: String?
    public var callerPhone: String?
    /// The route, or `nil` when no road leads there now.
    public var route: OrderRoute?
    /// The other units on this incident, then the nearest other available units.
    public var colleagues: [OrderColleague]
    /// Cameras that see the incident first, then the nearest others.
    public var cameras: [OrderCamera]
    /// Slow or closed roads on the route.
    public var traffic: [OrderTraffic]
    /// Background warnings from the records lookup ("knife involved, 2025-03").
    public var warnings: [String]
    /// Extra lines from the response plan ("fire brigade called").
    public var notes: [String]

    public init(unit: UnitID, callsign: String, incident: IncidentID, number: String?, issued: Date, reinforcement: Bool,
                category: IncidentCategory, priority: Int, summary: String, place: String, point: Point, weapon: Bool,
                callerName: String?, callerPhone: String?, route: OrderRoute?, colleagues: [OrderColleague],
                cameras: [OrderCamera], traffic: [OrderTraffic], warnings: [String], notes: [String]) {
        self.unit = unit
        self.callsign = callsign
        self.incident = incident
        self.number = number
        self.issued = issued
        self.reinforcement = reinforcement
        self.category = category
        self.priority = priority
        self.summary = summary
        self.place = place
        self.point = point
        self.weapon = weapon
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.route = route
        self.colleagues = colleagues
        self.cameras = cameras
        self.traffic = traffic
        self.warnings = warnings
        self.notes = notes
    }
}

/// The route on an order sheet.
public struct OrderRoute: Hashable, Sendable, Codable {
    public var seconds: Double
    public var meters: Double
    /// Expected arrival (ISO 8601 with offset on the wire).
    public var eta: Date
    public var steps: [OrderStep]

    public init(seconds: Double, meters: Double, eta: Date, steps: [OrderStep]) {
        self.seconds = seconds
        self.meters = meters
        self.eta = eta
        self.steps = steps
    }
}

/// One turn-by-turn line.
public struct OrderStep: Hashable, Sendable, Codable {
    public var instruction: String
    public var street: String
    public var meters: Double
    public var seconds: Double

    public init(instruction: String, street: String, meters: Double, seconds: Double) {
        self.instruction = instruction
        self.street = street
        self.meters = meters
        self.seconds = seconds
    }
}

/// A colleague on an order sheet: another unit on the incident or a nearby available one.
public struct OrderColleague: Hashable, Sendable, Codable {
    public var unit: UnitID
    public var callsign: String
    public var kind: UnitKind
    public var status: UnitStatus
    /// Whether it is assigned to the same incident.
    public var assigned: Bool
    /// Travel time to the incident and arrival, when a road leads there (0 when on scene).
    public var seconds: Double?
    public var eta: Date?
    public var straightLineMeters: Double

    public init(unit: UnitID, callsign: String, kind: UnitKind, status: UnitStatus, assigned: Bool,
                seconds: Double?, eta: Date?, straightLineMeters: Double) {
        self.unit = unit
        self.callsign = callsign
        self.kind = kind
        self.status = status
        self.assigned = assigned
        self.seconds = seconds
        self.eta = eta
        self.straightLineMeters = straightLineMeters
    }
}

/// A camera on an order sheet.
public struct OrderCamera: Hashable, Sendable, Codable {
    public var camera: CameraID
    public var name: String
    /// Whether the incident lies inside its field of view and range.
    public var sees: Bool
    public var meters: Double
    public var online: Bool

    public init(camera: CameraID, name: String, sees: Bool, meters: Double, online: Bool) {
        self.camera = camera
        self.name = name
        self.sees = sees
        self.meters = meters
        self.online = online
    }
}

/// A slow or closed segment on the route.
public struct OrderTraffic: Hashable, Sendable, Codable {
    public var segment: SegmentKey
    public var street: String
    public var factor: Double
    public var closed: Bool

    public init(segment: SegmentKey, street: String, factor: Double, closed: Bool) {
        self.segment = segment
        self.street = street
        self.factor = factor
        self.closed = closed
    }
}

extension Event {
    /// An `order.issued` event carrying `sheet` (times written in `timeZone`).
    ///
    /// - Throws: ``EventEncodingError`` when the sheet holds a non-finite number.
    public static func orderIssued(_ sheet: DispatchOrderSheet, timeZone: TimeZone) throws -> Event {
        .unknown(type: EventType.orderIssued, json: try DispatchOrderSheet.json(sheet, timeZone: timeZone))
    }

    /// The order sheet of an `order.issued` event, or `nil` for any other event.
    public var orderSheet: DispatchOrderSheet? {
        guard case .unknown(let type, let json) = self, type == EventType.orderIssued else { return nil }
        return try? EventCodec.makeDecoder().decode(DispatchOrderSheet.self, from: Data(json.utf8))
    }
}

extension DispatchOrderSheet {
    /// Canonical JSON of the sheet (keys sorted, times ISO 8601 with offset in `timeZone`):
    /// the `data` object of its event and one line of an orders file.
    public static func json(_ sheet: DispatchOrderSheet, timeZone: TimeZone) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, enc in
            var c = enc.singleValueContainer()
            try c.encode(ISOTime.format(date, timeZone: timeZone))
        }
        do {
            return String(decoding: try encoder.encode(sheet), as: UTF8.self)
        } catch {
            throw EventEncodingError.unencodable(type: EventType.orderIssued, reason: String(describing: error))
        }
    }
}
