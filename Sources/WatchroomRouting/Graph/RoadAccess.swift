import WatchroomCore

/// Where a unit or a scene joins the roads of a profile: a road position and the straight
/// off-road leg between the place itself and that position.
///
/// A leg is covered at walking speed, 5 km/h (``RoutingProfile/footSpeedMetersPerSecond``),
/// whatever the profile: the crew walks from where the car stops.
public struct RoadAccess: Hashable, Sendable {
    public var position: RoadPosition
    /// Length of the straight leg in metres (0 for a place on the road).
    public var offRoadMeters: Double

    public init(position: RoadPosition, offRoadMeters: Double = 0) {
        self.position = position
        self.offRoadMeters = offRoadMeters.isFinite ? Swift.max(0, offRoadMeters) : 0
    }

    /// The leg's walking time in milliseconds, rounded, at most ``RoadGraph/maxFiniteWeight``.
    public var offRoadMillis: UInt32 { Self.legMillis(offRoadMeters) }

    /// The walking time of a leg of `meters`, rounded to a millisecond and bounded.
    public static func legMillis(_ meters: Double) -> UInt32 {
        RoadGraph.liveWeight(millis: meters / RoutingProfile.footSpeedMetersPerSecond * 1000, factor: 1)
    }

    /// A place at `point` joined to the road position `position` (its leg is the straight
    /// line from `point` to where `position` lies on the drawn segment).
    public init(point: Point, position: RoadPosition, map: PrecinctMap) {
        let onRoad = Polyline.point(map.polyline(ofSegment: position.segment), atFraction: position.fraction)
        self.init(position: position, offRoadMeters: point.distance(to: onRoad))
    }
}
