import Foundation

extension EventEnvelope {
    /// What in this event lies outside ``Bounds`` (its time, a coordinate, a duration,
    /// a distance, a fraction), or `nil` when every number is in range. Replay and
    /// drills skip such an event with a warning; `shift verify` names its row.
    public var outOfRange: String? {
        do { try Bounds.check(time: time) } catch { return "time \(ISOTime.format(time, offsetSeconds: 0)): \(error)" }
        return event.outOfRange
    }
}

extension Event {
    /// What in the payload lies outside ``Bounds``, or `nil`.
    public var outOfRange: String? {
        switch self {
        case .incidentReported(let p):
            return Self.problem(p.point, "point") ?? p.road.flatMap(\.outOfRange)
        case .incidentUpdated(let p):
            return p.point.flatMap { Self.problem($0, "point") } ?? p.road.flatMap(\.outOfRange)
        case .unitRegistered(let p):
            return Self.problem(p.home, "home")
        case .unitPosition(let p):
            if let problem = Self.problem(p.point, "point") ?? p.road.flatMap(\.outOfRange) { return problem }
            if let h = p.heading, !h.isFinite { return "heading \(h) is not a finite number" }
            if let v = p.speedKmh, !(v.isFinite && v >= 0 && v <= 1_000) { return "speed \(v) km/h is not from 0 to 1000" }
            return nil
        case .routeAssigned(let p):
            if let problem = Self.problem(duration: p.seconds, "route seconds") ?? Self.problem(meters: p.meters, "route meters") {
                return problem
            }
            do { try Bounds.check(time: p.eta) } catch { return "eta: \(error)" }
            return p.from.flatMap(\.outOfRange) ?? p.to.flatMap(\.outOfRange)
        case .unitsRecommended(let p):
            for r in p.ranked {
                if let problem = Self.problem(duration: r.seconds, "\(r.unit) seconds")
                    ?? Self.problem(meters: r.meters, "\(r.unit) meters")
                    ?? Self.problem(meters: r.straightLineMeters, "\(r.unit) straightLineMeters") {
                    return problem
                }
            }
            return nil
        case .clockTick(let p):
            if let s = p.speed, !(s.isFinite && s >= 0 && s <= 1_000_000) { return "clock speed \(s) is not from 0 to 1,000,000" }
            return nil
        case .trafficChanged(let p):
            return p.factor.isFinite && p.factor >= 0 && p.factor <= 1_000 ? nil : "traffic factor \(p.factor) is not from 0 to 1000"
        default:
            return nil
        }
    }

    private static func problem(_ p: Point, _ what: String) -> String? {
        do { try Bounds.check(p) } catch { return "\(what) \(error)" }
        return nil
    }

    private static func problem(duration seconds: Double, _ what: String) -> String? {
        do { try Bounds.check(duration: seconds) } catch { return "\(what): \(error)" }
        return nil
    }

    private static func problem(meters: Double, _ what: String) -> String? {
        meters.isFinite && meters >= 0 && meters <= Bounds.maxDistanceFromOrigin
            ? nil : "\(what) \(meters) is not from 0 to 10000 km"
    }
}

extension RoadLocation {
    /// What is wrong with the fraction (it must be finite, from 0 to 1), or `nil`.
    public var outOfRange: String? {
        fraction.isFinite && fraction >= 0 && fraction <= 1 ? nil : "road fraction \(fraction) is not from 0 to 1"
    }
}
