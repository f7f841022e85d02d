import Foundation

/// A position in a precinct's local metric frame.
///
/// `x` grows to the east and `y` to the north, both in metres from the map's origin.
public struct Point: Hashable, Sendable, Codable {
    public var x: Double
    public var y: Double

    public init(x: Double, y: Double) {
        self.x = x
        self.y = y
    }

    public static let zero = Point(x: 0, y: 0)

    /// Straight-line distance in metres.
    public func distance(to other: Point) -> Double {
        let dx = other.x - x, dy = other.y - y
        return (dx * dx + dy * dy).squareRoot()
    }

    /// Compass bearing from `self` to `other` in degrees: 0 is north, 90 is east.
    public func bearing(to other: Point) -> Double {
        let deg = atan2(other.x - x, other.y - y) * 180 / .pi
        return deg < 0 ? deg + 360 : deg
    }

    /// The point a fraction `t` (0...1) of the way from `self` to `other`.
    public func interpolated(to other: Point, t: Double) -> Point {
        Point(x: x + (other.x - x) * t, y: y + (other.y - y) * t)
    }
}

/// Latitude and longitude in degrees (WGS 84).
public struct LatLon: Hashable, Sendable, Codable {
    public var lat: Double
    public var lon: Double

    public init(lat: Double, lon: Double) {
        self.lat = lat
        self.lon = lon
    }
}

/// An axis-aligned rectangle in the metric frame.
public struct Rect: Hashable, Sendable, Codable {
    public var min: Point
    public var max: Point

    public init(min: Point, max: Point) {
        self.min = min
        self.max = max
    }

    /// The smallest rectangle holding every point, or `nil` for none.
    public init?<S: Sequence>(enclosing points: S) where S.Element == Point {
        var it = points.makeIterator()
        guard let first = it.next() else { return nil }
        var lo = first, hi = first
        while let p = it.next() {
            lo.x = Swift.min(lo.x, p.x); lo.y = Swift.min(lo.y, p.y)
            hi.x = Swift.max(hi.x, p.x); hi.y = Swift.max(hi.y, p.y)
        }
        self.init(min: lo, max: hi)
    }

    public var width: Double { max.x - min.x }
    public var height: Double { max.y - min.y }

    public func contains(_ p: Point) -> Bool {
        p.x >= min.x && p.x <= max.x && p.y >= min.y && p.y <= max.y
    }

    public func insetBy(_ d: Double) -> Rect {
        Rect(min: Point(x: min.x + d, y: min.y + d), max: Point(x: max.x - d, y: max.y - d))
    }
}

/// A local equirectangular projection around an origin: accurate to well under a
/// metre across a city-sized area, and trivially invertible.
public struct LocalProjection: Hashable, Sendable {
    public let origin: LatLon
    private let metresPerDegreeLat: Double
    private let metresPerDegreeLon: Double

    public init(origin: LatLon) {
        self.origin = origin
        let phi = origin.lat * .pi / 180
        // WGS 84 series expansions for the length of a degree.
        metresPerDegreeLat = 111_132.92 - 559.82 * cos(2 * phi) + 1.175 * cos(4 * phi)
        metresPerDegreeLon = 111_412.84 * cos(phi) - 93.5 * cos(3 * phi)
    }

    public func project(_ ll: LatLon) -> Point {
        Point(x: (ll.lon - origin.lon) * metresPerDegreeLon, y: (ll.lat - origin.lat) * metresPerDegreeLat)
    }

    public func unproject(_ p: Point) -> LatLon {
        LatLon(lat: origin.lat + p.y / metresPerDegreeLat, lon: origin.lon + p.x / metresPerDegreeLon)
    }
}
