import WatchroomCore

/// One piece of a route: a stretch of one segment travelled in one direction.
public struct RouteSegment: Hashable, Sendable, Codable {
    /// Index into `PrecinctMap.segments`.
    public var segment: Int
    /// Whether the stretch runs along the segment's drawing direction (`from` → `to`).
    public var forward: Bool
    /// Where the stretch starts and ends, as fractions of the segment (0 = `from`, 1 = `to`).
    public var startFraction: Double
    public var endFraction: Double
    public var meters: Double
    /// Travel time of the stretch in milliseconds, with the traffic the route was planned with.
    public var millis: UInt32

    public init(segment: Int, forward: Bool, startFraction: Double, endFraction: Double, meters: Double, millis: UInt32) {
        self.segment = segment
        self.forward = forward
        self.startFraction = startFraction
        self.endFraction = endFraction
        self.meters = meters
        self.millis = millis
    }
}

/// A planned route between two road positions.
public struct Route: Hashable, Sendable {
    /// Travel time in milliseconds (the exact integer the search minimised).
    public var millis: UInt32
    /// Length in metres along the roads.
    public var meters: Double
    /// The stretches of road in travel order; consecutive stretches meet at a node.
    public var segments: [RouteSegment]
    /// Turn-by-turn directions, from `depart` to `arrive`.
    public var steps: [RouteStep]
    /// The route's geometry from the start position to the end position, shape points included.
    public var polyline: [Point]

    /// Travel time in seconds.
    public var seconds: Double { Double(millis) / 1000 }

    public init(millis: UInt32, meters: Double, segments: [RouteSegment], steps: [RouteStep], polyline: [Point]) {
        self.millis = millis
        self.meters = meters
        self.segments = segments
        self.steps = steps
        self.polyline = polyline
    }
}

/// The manoeuvre at the start of a step.
public enum Turn: String, CaseIterable, Sendable, Codable {
    case depart, straight, slightLeft, left, sharpLeft, slightRight, right, sharpRight, uTurn, arrive

    /// Classifies a change of heading in degrees, in (-180, 180], positive clockwise (right).
    ///
    /// Within 20° is straight, up to 60° slight, up to 120° a turn, up to 165° sharp,
    /// beyond that a U-turn.
    public static func classify(headingChange delta: Double) -> Turn {
        let m = abs(delta)
        if m < 20 { return .straight }
        if m > 165 { return .uTurn }
        let right = delta > 0
        if m <= 60 { return right ? .slightRight : .slightLeft }
        if m <= 120 { return right ? .right : .left }
        return right ? .sharpRight : .sharpLeft
    }
}

/// One instruction of turn-by-turn directions.
public struct RouteStep: Hashable, Sendable, Codable {
    /// English text, e.g. `Turn left onto 永平门街 (Yongping Gate Street)`.
    public var instruction: String
    /// The street this step travels along (display label), `unnamed road` when it has no name.
    public var streetName: String
    public var turn: Turn
    /// Length and travel time of the step (0 for `arrive`).
    public var meters: Double
    public var seconds: Double
    /// Where the manoeuvre happens.
    public var location: Point
    /// Compass heading when setting off along the step, degrees clockwise from north.
    public var bearing: Double

    public init(instruction: String, streetName: String, turn: Turn, meters: Double, seconds: Double,
                location: Point, bearing: Double) {
        self.instruction = instruction
        self.streetName = streetName
        self.turn = turn
        self.meters = meters
        self.seconds = seconds
        self.location = location
        self.bearing = bearing
    }
}
