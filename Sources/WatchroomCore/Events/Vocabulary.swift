import Foundation

/// Whether a shift is happening now, is a recording played back, or is a drill.
public enum ShiftMode: String, CaseIterable, Sendable, Codable {
    case live, replay, drill
}

/// What kind of incident was reported.
///
/// Decoding is tolerant: a category this build does not know (written by a newer
/// version) reads as `.other`, so the incident still shows.
public enum IncidentCategory: String, CaseIterable, Sendable, Codable {
    case dispute, theft, assault, trafficAccident, suicideRisk, domestic, noise, missingPerson, fire, other

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        self = IncidentCategory(rawValue: raw) ?? .other
    }

    /// The category as people say it (`traffic accident`, `suicide risk`), for every
    /// screen and report; the raw value stays the wire name.
    public var words: String {
        switch self {
        case .trafficAccident: return "traffic accident"
        case .suicideRisk: return "suicide risk"
        case .missingPerson: return "missing person"
        default: return rawValue
        }
    }
}

/// Whether a unit walks or drives: it picks the routing profile.
public enum UnitKind: String, CaseIterable, Sendable, Codable {
    case officerOnFoot, car
}

/// A unit's status, in NENA EIDO's vocabulary and spelling.
public enum UnitStatus: String, CaseIterable, Sendable, Codable {
    case available = "Available"
    case dispatched = "Dispatched"
    case enRoute = "EnRoute"
    case onScene = "OnScene"
    case cleared = "Cleared"
    case outOfService = "OutOfService"
    case busy = "Busy"

    /// Whether a unit in this status is committed to an incident
    /// (`Dispatched`, `EnRoute`, `OnScene`).
    public var isCommitted: Bool {
        switch self {
        case .dispatched, .enRoute, .onScene: return true
        default: return false
        }
    }

    /// Whether a unit in this status can take a new dispatch (`Available`, `Cleared`).
    public var isAssignable: Bool { self == .available || self == .cleared }
}

/// An incident's status, in NENA EIDO's vocabulary and spelling.
public enum IncidentStatus: String, CaseIterable, Sendable, Codable {
    case active = "Active"
    case resourcesAssigned = "ResourcesAssigned"
    case resourcesEnroute = "ResourcesEnroute"
    case resourcesOnscene = "ResourcesOnscene"
    case closed = "Closed"
}

/// How an incident ended: an open vocabulary of short codes.
///
/// The common codes are constants; any other string is carried as is.
public struct Disposition: StringIdentifier {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Handled on scene, nothing further.
    public static let resolved: Disposition = "resolved"
    /// Someone was arrested.
    public static let arrest: Disposition = "arrest"
    /// A report was written for follow-up.
    public static let report: Disposition = "report"
    /// Passed to another agency (fire, medical, city services).
    public static let referred: Disposition = "referred"
    /// Nothing found at the scene.
    public static let unfounded: Disposition = "unfounded"
    /// The same incident was already reported.
    public static let duplicate: Disposition = "duplicate"
    /// The caller called off the request.
    public static let cancelled: Disposition = "cancelled"
}

/// A place on the road network: a segment and how far along it, from its `from`
/// intersection (0) to its `to` intersection (1).
public struct RoadLocation: Hashable, Sendable, Codable {
    public var segment: SegmentKey
    public var fraction: Double

    public init(segment: SegmentKey, fraction: Double) {
        self.segment = segment
        self.fraction = fraction
    }
}

/// One segment of a route and the direction it is travelled in.
public struct RouteLeg: Hashable, Sendable, Codable {
    public var segment: SegmentKey
    /// `true` from the segment's `from` to its `to` intersection.
    public var forward: Bool

    public init(segment: SegmentKey, forward: Bool) {
        self.segment = segment
        self.forward = forward
    }
}

/// One unit in a ranked recommendation: how long and how far to the incident.
///
/// `seconds` and `meters` are totals from where the unit is to the scene: the road part plus
/// the straight off-road legs between the unit and its road, and between the road and the
/// scene (walked at 5 km/h), so `meters` is never below `straightLineMeters`.
public struct UnitRecommendation: Hashable, Sendable, Codable {
    public var unit: UnitID
    /// Travel time, off-road legs included.
    public var seconds: Double
    /// Travel distance, off-road legs included.
    public var meters: Double
    /// Distance as the crow flies, for comparison.
    public var straightLineMeters: Double
    /// The part of `meters` off the roads the unit may use (0 in recordings made before the
    /// field existed).
    public var offRoadMeters: Double

    public init(unit: UnitID, seconds: Double, meters: Double, straightLineMeters: Double, offRoadMeters: Double = 0) {
        self.unit = unit
        self.seconds = seconds
        self.meters = meters
        self.straightLineMeters = straightLineMeters
        self.offRoadMeters = offRoadMeters
    }

    private enum CodingKeys: String, CodingKey {
        case unit, seconds, meters, straightLineMeters, offRoadMeters
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unit = try c.decode(UnitID.self, forKey: .unit)
        seconds = try c.decode(Double.self, forKey: .seconds)
        meters = try c.decode(Double.self, forKey: .meters)
        straightLineMeters = try c.decode(Double.self, forKey: .straightLineMeters)
        offRoadMeters = try c.decodeIfPresent(Double.self, forKey: .offRoadMeters) ?? 0
    }
}

/// An incident number as people read it out: `2026-1125-0007` (year, month and day in
/// the precinct's time zone, then the day's running number).
public enum IncidentNumber {
    public static func make(day date: Date, timeZone: TimeZone, ordinal: Int) -> String {
        let f = ISOTime.Fields(date: date, offsetSeconds: (timeZone.secondsFromGMT(for: date) / 60) * 60)
        return ISOTime.pad(f.year, 4) + "-" + ISOTime.pad(f.month, 2) + ISOTime.pad(f.day, 2) + "-" + ISOTime.pad(ordinal, 4)
    }
}
