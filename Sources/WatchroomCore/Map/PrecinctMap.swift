/// A road junction (or dead end): a node of the road graph.
public struct Intersection: Hashable, Sendable {
    /// The id used in map files, on the command line and in events (e.g. `n12`).
    public var key: String
    public var position: Point
    public var latLon: LatLon?

    public init(key: String, position: Point, latLon: LatLon? = nil) {
        self.key = key
        self.position = position
        self.latLon = latLon
    }
}

/// A named street. Its segments carry the geometry.
public struct Street: Hashable, Sendable {
    public var key: String
    /// The name as the map gives it, in any script (e.g. `永平门街`).
    public var name: String
    /// A romanized or English name (e.g. `Yongping Gate Street`).
    public var roman: String?
    public var roadClass: RoadClass
    /// Speed for cars in km/h; `nil` means the road class default.
    public var speedKmh: Double?

    public init(key: String, name: String, roman: String? = nil, roadClass: RoadClass, speedKmh: Double? = nil) {
        self.key = key
        self.name = name
        self.roman = roman
        self.roadClass = roadClass
        self.speedKmh = speedKmh
    }
}

/// A piece of road between two intersections, with optional shape points for curves.
public struct Segment: Hashable, Sendable {
    public var key: String
    /// Index into `PrecinctMap.streets`, or `nil` for an unnamed road.
    public var street: Int?
    /// Index into `PrecinctMap.intersections`.
    public var from: Int
    /// Index into `PrecinctMap.intersections`.
    public var to: Int
    /// Intermediate points between `from` and `to`, in order.
    public var shape: [Point]
    /// Cars may only drive from `from` to `to`. Officers on foot ignore it.
    public var oneway: Bool
    public var roadClass: RoadClass
    /// Car speed in km/h (already resolved from segment, street or class default).
    public var speedKmh: Double
    public var access: Access
    /// Length in metres along the shape, computed from the geometry.
    public var lengthMeters: Double

    public init(key: String, street: Int?, from: Int, to: Int, shape: [Point] = [], oneway: Bool = false,
                roadClass: RoadClass, speedKmh: Double, access: Access, lengthMeters: Double) {
        self.key = key
        self.street = street
        self.from = from
        self.to = to
        self.shape = shape
        self.oneway = oneway
        self.roadClass = roadClass
        self.speedKmh = speedKmh
        self.access = access
        self.lengthMeters = lengthMeters
    }
}

/// The police station: where units start and return to.
public struct Station: Hashable, Sendable {
    public var key: String
    public var name: String
    public var roman: String?
    public var position: Point

    public init(key: String, name: String, roman: String? = nil, position: Point) {
        self.key = key
        self.name = name
        self.roman = roman
        self.position = position
    }
}

/// A surveillance camera and what it can see.
public struct Camera: Hashable, Sendable {
    public var key: String
    public var name: String
    public var position: Point
    /// Compass direction the camera looks at, degrees clockwise from north.
    public var facing: Double
    /// Horizontal field of view in degrees (360 for a dome that sees all round).
    public var fieldOfView: Double
    /// How far it sees usefully, in metres.
    public var range: Double
    /// `fixed`, `dome`, `ptz` ... free text from the map (OSM `camera:type`).
    public var kind: String?

    public init(key: String, name: String, position: Point, facing: Double, fieldOfView: Double, range: Double, kind: String? = nil) {
        self.key = key
        self.name = name
        self.position = position
        self.facing = facing
        self.fieldOfView = fieldOfView
        self.range = range
        self.kind = kind
    }

    /// Whether `p` lies inside the camera's field of view and range.
    public func sees(_ p: Point) -> Bool {
        let d = position.distance(to: p)
        if d > range { return false }
        if d < 1e-9 || fieldOfView >= 360 { return true }
        var delta = abs(position.bearing(to: p) - facing).truncatingRemainder(dividingBy: 360)
        if delta > 180 { delta = 360 - delta }
        return delta <= fieldOfView / 2
    }
}

/// A street address: a house number on a street at a position.
public struct Address: Hashable, Sendable {
    public var key: String
    /// Index into `PrecinctMap.streets`.
    public var street: Int
    public var number: String
    public var position: Point
    /// An optional building or business name at the address.
    public var name: String?

    public init(key: String, street: Int, number: String, position: Point, name: String? = nil) {
        self.key = key
        self.street = street
        self.number = number
        self.position = position
        self.name = name
    }
}

/// A named place people call in by: a school, a hospital, a mall, a gate.
public struct Landmark: Hashable, Sendable {
    public var key: String
    public var name: String
    public var roman: String?
    /// Free text such as `school`, `hospital`, `market` (OSM amenity values fit).
    public var kind: String
    public var position: Point

    public init(key: String, name: String, roman: String? = nil, kind: String, position: Point) {
        self.key = key
        self.name = name
        self.roman = roman
        self.kind = kind
        self.position = position
    }
}

/// What an area is, for drawing.
public enum AreaKind: String, CaseIterable, Sendable, Codable {
    case river, water, park, square, building, plaza
}

/// A polygon drawn on the map: a river, a park, a square.
public struct Area: Hashable, Sendable {
    public var key: String
    public var kind: AreaKind
    public var name: String?
    public var roman: String?
    /// The outline; the last point joins the first.
    public var points: [Point]

    public init(key: String, kind: AreaKind, name: String? = nil, roman: String? = nil, points: [Point]) {
        self.key = key
        self.kind = kind
        self.name = name
        self.roman = roman
        self.points = points
    }

    /// Even-odd point-in-polygon test.
    public func contains(_ p: Point) -> Bool {
        guard points.count >= 3 else { return false }
        var inside = false
        var j = points.count - 1
        for i in 0..<points.count {
            let a = points[i], b = points[j]
            if (a.y > p.y) != (b.y > p.y), p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x {
                inside.toggle()
            }
            j = i
        }
        return inside
    }
}

/// A whole precinct: the road network and everything placed on it.
///
/// Entities are held in arrays; an entity's index is its dense id inside the process,
/// its `key` is its stable id in files and events.
public struct PrecinctMap: Sendable, Hashable {
    /// Short machine name, e.g. `jiangbei-city`.
    public var key: String
    public var name: String
    public var roman: String?
    /// IANA time zone identifier, e.g. `Asia/Shanghai`.
    public var timeZone: String
    /// Latitude/longitude of the metric origin (x = 0, y = 0), when known.
    public var origin: LatLon?
    /// The map's extent; `nil` means "the network's bounding box plus a margin".
    public var declaredBounds: Rect?

    public var intersections: [Intersection] = []
    public var streets: [Street] = []
    public var segments: [Segment] = []
    public var station: Station?
    public var cameras: [Camera] = []
    public var addresses: [Address] = []
    public var landmarks: [Landmark] = []
    public var areas: [Area] = []

    public init(key: String, name: String, roman: String? = nil, timeZone: String, origin: LatLon? = nil, declaredBounds: Rect? = nil) {
        self.key = key
        self.name = name
        self.roman = roman
        self.timeZone = timeZone
        self.origin = origin
        self.declaredBounds = declaredBounds
    }

    /// The full polyline of a segment, from its `from` intersection to its `to` intersection.
    public func polyline(ofSegment index: Int) -> [Point] {
        let s = segments[index]
        return [intersections[s.from].position] + s.shape + [intersections[s.to].position]
    }

    /// The declared bounds, or the road network's bounding box grown by 100 m.
    public var bounds: Rect {
        if let declaredBounds { return declaredBounds }
        var pts = intersections.map(\.position)
        for s in segments { pts.append(contentsOf: s.shape) }
        guard let r = Rect(enclosing: pts) else { return Rect(min: .zero, max: .zero) }
        return r.insetBy(-100)
    }

    /// The roads' bounding box (every intersection and shape point), grown by `margin`
    /// metres: what the console's default view fits. The declared bounds when there
    /// are no roads.
    public func roadBounds(margin: Double = 20) -> Rect {
        var pts = intersections.map(\.position)
        for s in segments { pts.append(contentsOf: s.shape) }
        guard let r = Rect(enclosing: pts) else { return bounds }
        return r.insetBy(-margin)
    }

    /// Display name of a street: `永平门街 (Yongping Gate Street)`.
    public func streetLabel(_ index: Int?) -> String {
        guard let index, streets.indices.contains(index) else { return "unnamed road" }
        let s = streets[index]
        if let r = s.roman, !r.isEmpty, r != s.name { return "\(s.name) (\(r))" }
        return s.name
    }
}
