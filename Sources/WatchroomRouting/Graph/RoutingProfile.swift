import WatchroomCore

/// How a unit travels: by patrol car or on foot.
///
/// A profile decides which segments a unit may use, in which directions, and how fast.
public enum RoutingProfile: String, CaseIterable, Sendable, Codable {
    /// A patrol car: respects one-way streets, uses car-access segments at the segment's speed.
    case car
    /// An officer on foot: ignores one-way rules, uses foot-access segments at walking speed.
    case foot

    /// Walking speed of an officer on foot: 5 km/h, rounded to 1.4 m/s.
    public static let footSpeedMetersPerSecond: Double = 1.4

    /// Whether congestion factors slow this profile down. Car traffic does not slow officers
    /// on foot; closures apply to every profile.
    public var feelsCongestion: Bool { self == .car }

    /// Speed on `segment` in metres per second, or `nil` when the profile may not use it at all.
    public func speedMetersPerSecond(on segment: Segment) -> Double? {
        switch self {
        case .car:
            guard segment.access.allowsCar, segment.speedKmh > 0, segment.speedKmh.isFinite else { return nil }
            return segment.speedKmh / 3.6
        case .foot:
            guard segment.access.allowsFoot else { return nil }
            return Self.footSpeedMetersPerSecond
        }
    }

    /// Whether the profile may travel along `segment` against its drawing direction (`to` → `from`).
    public func allowsReverse(on segment: Segment) -> Bool {
        self == .foot || !segment.oneway
    }
}
