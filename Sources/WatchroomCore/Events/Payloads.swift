import Foundation

// The typed payload of each event kind. On the wire each is the `data` object of a
// line (see docs/events.md); optional fields are omitted when `nil`, and fields
// this build does not know are ignored when reading.

// MARK: - Shift and clock

/// `shift.started`: a shift begins on a map, live, replayed or as a drill.
public struct ShiftStarted: Hashable, Sendable, Codable {
    public var map: MapKey
    /// IANA time zone of the precinct (`PrecinctMap.timeZone`), e.g. `Asia/Shanghai`.
    public var timeZone: String
    public var mode: ShiftMode
    /// Seed of the random generator for generated or drill shifts.
    public var seed: UInt64?
    /// What a replay or drill plays back (a recording's name), free text.
    public var source: String?

    public init(map: MapKey, timeZone: String, mode: ShiftMode, seed: UInt64? = nil, source: String? = nil) {
        self.map = map
        self.timeZone = timeZone
        self.mode = mode
        self.seed = seed
        self.source = source
    }
}

/// `clock.tick`: time passes with nothing else happening (drives blinking, motion, timers).
public struct ClockTick: Hashable, Sendable, Codable {
    /// Simulated seconds per real second at the tick, when not 1.
    public var speed: Double?

    public init(speed: Double? = nil) { self.speed = speed }
}

// MARK: - Incidents

/// `incident.reported`: a call came in. The envelope's time is the time of the call.
public struct IncidentReported: Hashable, Sendable, Codable {
    public var id: IncidentID
    /// The number people read out, e.g. `2026-1125-0007` (see ``IncidentNumber``).
    public var number: String?
    public var category: IncidentCategory
    /// 1 (most urgent) to 3.
    public var priority: Int
    public var summary: String
    /// Human place label: an address, a landmark, a crossing.
    public var place: String
    public var point: Point
    /// Where on the road network the incident is, when it has been snapped to a road.
    public var road: RoadLocation?
    public var callerName: String?
    public var callerPhone: String?
    /// A weapon was mentioned.
    public var weapon: Bool

    public init(id: IncidentID, number: String? = nil, category: IncidentCategory, priority: Int, summary: String,
                place: String, point: Point, road: RoadLocation? = nil, callerName: String? = nil,
                callerPhone: String? = nil, weapon: Bool = false) {
        self.id = id
        self.number = number
        self.category = category
        self.priority = priority
        self.summary = summary
        self.place = place
        self.point = point
        self.road = road
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.weapon = weapon
    }

    enum CodingKeys: String, CodingKey {
        case id, number, category, priority, summary, place, point, road, callerName, callerPhone, weapon
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(IncidentID.self, forKey: .id)
        number = try c.decodeIfPresent(String.self, forKey: .number)
        category = try c.decode(IncidentCategory.self, forKey: .category)
        priority = try c.decodePriority(forKey: .priority)
        summary = try c.decodeIfPresent(String.self, forKey: .summary) ?? ""
        place = try c.decodeIfPresent(String.self, forKey: .place) ?? ""
        point = try c.decode(Point.self, forKey: .point)
        road = try c.decodeIfPresent(RoadLocation.self, forKey: .road)
        callerName = try c.decodeIfPresent(String.self, forKey: .callerName)
        callerPhone = try c.decodeIfPresent(String.self, forKey: .callerPhone)
        weapon = try c.decodeIfPresent(Bool.self, forKey: .weapon) ?? false
    }
}

/// `incident.updated`: new information on an open incident. Only the fields present change.
public struct IncidentUpdated: Hashable, Sendable, Codable {
    public var id: IncidentID
    public var category: IncidentCategory?
    public var priority: Int?
    public var summary: String?
    public var place: String?
    public var point: Point?
    public var road: RoadLocation?
    public var callerName: String?
    public var callerPhone: String?
    public var weapon: Bool?
    /// A line for the incident's log ("suspect left towards the river").
    public var note: String?

    public init(id: IncidentID, category: IncidentCategory? = nil, priority: Int? = nil, summary: String? = nil,
                place: String? = nil, point: Point? = nil, road: RoadLocation? = nil, callerName: String? = nil,
                callerPhone: String? = nil, weapon: Bool? = nil, note: String? = nil) {
        self.id = id
        self.category = category
        self.priority = priority
        self.summary = summary
        self.place = place
        self.point = point
        self.road = road
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.weapon = weapon
        self.note = note
    }

    enum CodingKeys: String, CodingKey {
        case id, category, priority, summary, place, point, road, callerName, callerPhone, weapon, note
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(IncidentID.self, forKey: .id)
        category = try c.decodeIfPresent(IncidentCategory.self, forKey: .category)
        priority = c.contains(.priority) ? try c.decodePriority(forKey: .priority) : nil
        summary = try c.decodeIfPresent(String.self, forKey: .summary)
        place = try c.decodeIfPresent(String.self, forKey: .place)
        point = try c.decodeIfPresent(Point.self, forKey: .point)
        road = try c.decodeIfPresent(RoadLocation.self, forKey: .road)
        callerName = try c.decodeIfPresent(String.self, forKey: .callerName)
        callerPhone = try c.decodeIfPresent(String.self, forKey: .callerPhone)
        weapon = try c.decodeIfPresent(Bool.self, forKey: .weapon)
        note = try c.decodeIfPresent(String.self, forKey: .note)
    }
}

/// `incident.closed`: the incident is over; its units become available.
public struct IncidentClosed: Hashable, Sendable, Codable {
    public var id: IncidentID
    public var disposition: Disposition
    public var note: String?

    public init(id: IncidentID, disposition: Disposition, note: String? = nil) {
        self.id = id
        self.disposition = disposition
        self.note = note
    }
}

// MARK: - Units

/// `unit.registered`: an officer on foot or a car joins the shift (or its details change).
public struct UnitRegistered: Hashable, Sendable, Codable {
    public var id: UnitID
    /// What the radio calls it; defaults to the id's text.
    public var callsign: String
    public var kind: UnitKind
    /// Officer's name (on foot) or crew leader (car).
    public var name: String?
    public var badge: String?
    /// Number plate of a car.
    public var plate: String?
    public var seats: Int?
    /// Names of the officers in a car.
    public var crew: [String]
    /// Where the unit starts and returns to.
    public var home: Point
    /// Status at registration; `Available` when omitted.
    public var status: UnitStatus?

    public init(id: UnitID, callsign: String? = nil, kind: UnitKind, name: String? = nil, badge: String? = nil,
                plate: String? = nil, seats: Int? = nil, crew: [String] = [], home: Point, status: UnitStatus? = nil) {
        self.id = id
        self.callsign = callsign ?? id.rawValue
        self.kind = kind
        self.name = name
        self.badge = badge
        self.plate = plate
        self.seats = seats
        self.crew = crew
        self.home = home
        self.status = status
    }

    enum CodingKeys: String, CodingKey {
        case id, callsign, kind, name, badge, plate, seats, crew, home, status
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(UnitID.self, forKey: .id)
        callsign = try c.decodeIfPresent(String.self, forKey: .callsign) ?? id.rawValue
        kind = try c.decode(UnitKind.self, forKey: .kind)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        badge = try c.decodeIfPresent(String.self, forKey: .badge)
        plate = try c.decodeIfPresent(String.self, forKey: .plate)
        seats = try c.decodeIfPresent(Int.self, forKey: .seats)
        crew = try c.decodeIfPresent([String].self, forKey: .crew) ?? []
        home = try c.decode(Point.self, forKey: .home)
        status = try c.decodeIfPresent(UnitStatus.self, forKey: .status)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(callsign, forKey: .callsign)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(name, forKey: .name)
        try c.encodeIfPresent(badge, forKey: .badge)
        try c.encodeIfPresent(plate, forKey: .plate)
        try c.encodeIfPresent(seats, forKey: .seats)
        if !crew.isEmpty { try c.encode(crew, forKey: .crew) }
        try c.encode(home, forKey: .home)
        try c.encodeIfPresent(status, forKey: .status)
    }
}

/// `unit.position`: where a unit is now.
public struct UnitPosition: Hashable, Sendable, Codable {
    public var unit: UnitID
    public var point: Point
    public var road: RoadLocation?
    /// Compass degrees, 0 north, clockwise.
    public var heading: Double?
    public var speedKmh: Double?

    public init(unit: UnitID, point: Point, road: RoadLocation? = nil, heading: Double? = nil, speedKmh: Double? = nil) {
        self.unit = unit
        self.point = point
        self.road = road
        self.heading = heading
        self.speedKmh = speedKmh
    }
}

/// `unit.status`: a unit's EIDO status changed (the officer pressed a status key,
/// or the console set it).
public struct UnitStatusChange: Hashable, Sendable, Codable {
    public var unit: UnitID
    public var status: UnitStatus
    /// The incident the status concerns (for `Dispatched`, `EnRoute`, `OnScene`).
    public var incident: IncidentID?
    public var note: String?

    public init(unit: UnitID, status: UnitStatus, incident: IncidentID? = nil, note: String? = nil) {
        self.unit = unit
        self.status = status
        self.incident = incident
        self.note = note
    }
}

// MARK: - Dispatch and routing

/// `dispatch`: the commander sends units to an incident (first response or reinforcement).
public struct DispatchOrder: Hashable, Sendable, Codable {
    public var incident: IncidentID
    public var units: [UnitID]
    /// Who gave the order: an operator's name or id, or `drill`, `auto`.
    public var by: String
    public var note: String?

    public init(incident: IncidentID, units: [UnitID], by: String, note: String? = nil) {
        self.incident = incident
        self.units = units
        self.by = by
        self.note = note
    }
}

/// `route.assigned`: the routing engine planned a unit's way to an incident.
public struct RouteAssigned: Hashable, Sendable, Codable {
    public var unit: UnitID
    public var incident: IncidentID
    /// Planned travel time.
    public var seconds: Double
    public var meters: Double
    /// The segments in travel order with their direction (wire name `segments`).
    public var legs: [RouteLeg]
    /// Where on the first segment the route starts and on the last it ends.
    public var from: RoadLocation?
    public var to: RoadLocation?
    /// Turn-by-turn lines for the officer's phone ("Turn left onto 永平门街").
    public var steps: [String]
    /// Expected arrival.
    public var eta: Date
    /// Why a unit already under way got a new route ("石门桥 closed"); `nil` for a first route.
    public var reroute: String?

    public init(unit: UnitID, incident: IncidentID, seconds: Double, meters: Double, legs: [RouteLeg],
                from: RoadLocation? = nil, to: RoadLocation? = nil, steps: [String] = [], eta: Date,
                reroute: String? = nil) {
        self.reroute = reroute
        self.unit = unit
        self.incident = incident
        self.seconds = seconds
        self.meters = meters
        self.legs = legs
        self.from = from
        self.to = to
        self.steps = steps
        self.eta = eta
    }

    enum CodingKeys: String, CodingKey {
        case unit, incident, seconds, meters, legs = "segments", from, to, steps, eta, reroute
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unit = try c.decode(UnitID.self, forKey: .unit)
        incident = try c.decode(IncidentID.self, forKey: .incident)
        seconds = try c.decode(Double.self, forKey: .seconds)
        meters = try c.decode(Double.self, forKey: .meters)
        legs = try c.decodeIfPresent([RouteLeg].self, forKey: .legs) ?? []
        from = try c.decodeIfPresent(RoadLocation.self, forKey: .from)
        to = try c.decodeIfPresent(RoadLocation.self, forKey: .to)
        steps = try c.decodeIfPresent([String].self, forKey: .steps) ?? []
        eta = try c.decode(Date.self, forKey: .eta)
        reroute = try c.decodeIfPresent(String.self, forKey: .reroute)
    }
}

/// `units.recommended`: the routing engine's ranking of units for an incident, fastest first.
public struct UnitsRecommended: Hashable, Sendable, Codable {
    public var incident: IncidentID
    public var ranked: [UnitRecommendation]
    /// How far the scene lies from the nearest road any unit may use, in metres (absent in
    /// older recordings, and when no unit may use any road).
    public var sceneOffRoadMeters: Double?

    public init(incident: IncidentID, ranked: [UnitRecommendation], sceneOffRoadMeters: Double? = nil) {
        self.incident = incident
        self.ranked = ranked
        self.sceneOffRoadMeters = sceneOffRoadMeters
    }
}

/// `unit.arrived`: a unit reached an incident's scene (it becomes `OnScene`).
public struct UnitArrived: Hashable, Sendable, Codable {
    public var unit: UnitID
    public var incident: IncidentID

    public init(unit: UnitID, incident: IncidentID) {
        self.unit = unit
        self.incident = incident
    }
}

// MARK: - Surroundings

/// `camera.status`: a camera went offline or came back.
public struct CameraStatus: Hashable, Sendable, Codable {
    public var camera: CameraID
    public var online: Bool

    public init(camera: CameraID, online: Bool) {
        self.camera = camera
        self.online = online
    }
}

/// `traffic.changed`: travel on a segment is slower (or faster) than usual, or closed.
/// A factor of 1 with `closed` false returns the segment to normal.
public struct TrafficChanged: Hashable, Sendable, Codable {
    public var segment: SegmentKey
    /// Multiplier on travel time: 1 normal, 2 twice as slow.
    public var factor: Double
    public var closed: Bool

    public init(segment: SegmentKey, factor: Double = 1, closed: Bool = false) {
        self.segment = segment
        self.factor = factor
        self.closed = closed
    }

    enum CodingKeys: String, CodingKey { case segment, factor, closed }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        segment = try c.decode(SegmentKey.self, forKey: .segment)
        factor = try c.decodeIfPresent(Double.self, forKey: .factor) ?? 1
        closed = try c.decodeIfPresent(Bool.self, forKey: .closed) ?? false
    }
}

// MARK: - Helpers

extension KeyedDecodingContainer {
    /// A priority, which must be 1, 2 or 3.
    func decodePriority(forKey key: Key) throws -> Int {
        let p = try decode(Int.self, forKey: key)
        guard (1...3).contains(p) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "priority must be 1, 2 or 3, not \(p)")
        }
        return p
    }
}
