import Foundation

/// An incident as the console knows it now.
public struct IncidentRecord: Hashable, Sendable, Codable {
    public var id: IncidentID
    public var number: String?
    public var category: IncidentCategory
    public var priority: Int
    public var summary: String
    public var place: String
    public var point: Point
    public var road: RoadLocation?
    public var callerName: String?
    public var callerPhone: String?
    public var weapon: Bool

    /// Derived from its units' statuses (see ``PrecinctState``).
    public var status: IncidentStatus
    /// Units committed to it now (`Dispatched`, `EnRoute` or `OnScene`), in dispatch order.
    public var assignedUnits: [UnitID]
    /// Every unit ever sent to it, in dispatch order (reinforcements after first response).
    public var respondedUnits: [UnitID]

    /// When the call came in.
    public var reportedAt: Date
    /// The seq of its `incident.reported`: orders incidents by arrival.
    public var reportedSeq: UInt64
    /// First dispatch, first unit en route, first arrival, close.
    public var dispatchedAt: Date?
    public var enRouteAt: Date?
    public var arrivedAt: Date?
    public var closedAt: Date?
    /// Who gave the first dispatch order.
    public var dispatchedBy: String?
    public var disposition: Disposition?
    public var closeNote: String?
    /// Notes from updates, in order.
    public var notes: [IncidentNote]
    /// The latest ranking of units from the routing engine, fastest first.
    public var recommendation: [UnitRecommendation]
    public var recommendedAt: Date?
    /// With the latest ranking: how far the scene lies from the nearest usable road (metres).
    public var sceneOffRoadMeters: Double?

    public var isOpen: Bool { status != .closed }

    /// Seconds from the call to the first arrival, once someone has arrived.
    public var responseSeconds: TimeInterval? { arrivedAt.map { $0.timeIntervalSince(reportedAt) } }

    init(reported p: IncidentReported, at time: Date, seq: UInt64) {
        id = p.id
        number = p.number
        category = p.category
        priority = min(3, max(1, p.priority))
        summary = p.summary
        place = p.place
        point = p.point
        road = p.road
        callerName = p.callerName
        callerPhone = p.callerPhone
        weapon = p.weapon
        status = .active
        assignedUnits = []
        respondedUnits = []
        reportedAt = time
        reportedSeq = seq
        notes = []
        recommendation = []
    }
}

/// A timestamped line in an incident's log.
public struct IncidentNote: Hashable, Sendable, Codable {
    public var time: Date
    public var text: String

    public init(time: Date, text: String) {
        self.time = time
        self.text = text
    }
}

/// An officer on foot or a car as the console knows it now.
public struct UnitRecord: Hashable, Sendable, Codable {
    public var id: UnitID
    public var callsign: String
    public var kind: UnitKind
    public var name: String?
    public var badge: String?
    public var plate: String?
    public var seats: Int?
    public var crew: [String]
    public var home: Point

    public var status: UnitStatus
    public var statusSince: Date
    /// Every status change in order, starting with the status at registration.
    public var history: [UnitStatusEntry]

    public var position: Point
    public var road: RoadLocation?
    public var heading: Double?
    public var speedKmh: Double?
    /// When the position was last reported (`nil`: still at home since registration).
    public var positionAt: Date?

    /// The incident it is committed to; set only while `status.isCommitted`.
    public var incident: IncidentID?
    /// Its planned route to `incident`, until it arrives or is released.
    public var route: RouteAssigned?

    init(registered p: UnitRegistered, at time: Date) {
        id = p.id
        callsign = p.callsign
        kind = p.kind
        name = p.name
        badge = p.badge
        plate = p.plate
        seats = p.seats
        crew = p.crew
        home = p.home
        status = p.status ?? .available
        statusSince = time
        history = [UnitStatusEntry(status: status, time: time, incident: nil)]
        position = p.home
    }

    mutating func updateDetails(_ p: UnitRegistered) {
        callsign = p.callsign
        kind = p.kind
        name = p.name
        badge = p.badge
        plate = p.plate
        seats = p.seats
        crew = p.crew
        home = p.home
    }
}

/// One entry in a unit's status history.
public struct UnitStatusEntry: Hashable, Sendable, Codable {
    public var status: UnitStatus
    public var time: Date
    public var incident: IncidentID?

    public init(status: UnitStatus, time: Date, incident: IncidentID?) {
        self.status = status
        self.time = time
        self.incident = incident
    }
}

/// A camera's reported state. Cameras never reported are online.
public struct CameraRecord: Hashable, Sendable, Codable {
    public var online: Bool
    public var since: Date

    public init(online: Bool, since: Date) {
        self.online = online
        self.since = since
    }
}

/// A segment whose travel differs from normal.
public struct TrafficOverride: Hashable, Sendable, Codable {
    public var factor: Double
    public var closed: Bool
    public var since: Date

    public init(factor: Double, closed: Bool, since: Date) {
        self.factor = factor
        self.closed = closed
        self.since = since
    }
}

/// Events the reducer ignored or could not fully use, counted by reason.
public struct Anomalies: Hashable, Sendable, Codable {
    /// seq not greater than the last applied one (duplicate or late).
    public var outOfOrder = 0
    /// Referred to an incident id never reported.
    public var unknownIncident = 0
    /// Referred to a unit id never registered.
    public var unknownUnit = 0
    /// `incident.reported` for an id already known.
    public var duplicateIncident = 0
    /// An action on a closed incident (dispatch, arrival, second close).
    public var closedIncident = 0
    /// A route for an incident the unit is no longer committed to.
    public var staleRoute = 0
    /// Event types this build does not know (recorded by a newer version).
    public var unknownType = 0
    /// The last few messages, newest last (at most ``Anomalies/recentLimit``).
    public var recent: [String] = []

    public static let recentLimit = 20

    public init() {}

    /// All counts added up.
    public var total: Int {
        outOfOrder + unknownIncident + unknownUnit + duplicateIncident + closedIncident + staleRoute + unknownType
    }

    mutating func note(_ message: String) {
        recent.append(message)
        if recent.count > Anomalies.recentLimit { recent.removeFirst(recent.count - Anomalies.recentLimit) }
    }
}
