import Foundation

/// Measurements along an ordered list of points.
public enum Polyline {
    /// Total length in metres.
    public static func length(_ points: [Point]) -> Double {
        guard points.count > 1 else { return 0 }
        var total = 0.0
        for i in 1..<points.count { total += points[i - 1].distance(to: points[i]) }
        return total
    }

    /// The point at `fraction` (0...1) of the polyline's length.
    public static func point(_ points: [Point], atFraction fraction: Double) -> Point {
        guard let first = points.first else { return .zero }
        guard points.count > 1 else { return first }
        let total = length(points)
        guard total > 0 else { return first }
        var remaining = Swift.max(0, Swift.min(1, fraction)) * total
        for i in 1..<points.count {
            let d = points[i - 1].distance(to: points[i])
            if remaining <= d, d > 0 {
                return points[i - 1].interpolated(to: points[i], t: remaining / d)
            }
            remaining -= d
        }
        return points[points.count - 1]
    }

    /// The closest point of the polyline to `p`: its fraction along the length and its distance.
    public static func project(_ p: Point, onto points: [Point]) -> (fraction: Double, distance: Double, point: Point) {
        guard let first = points.first else { return (0, .infinity, p) }
        guard points.count > 1 else { return (0, p.distance(to: first), first) }
        let total = length(points)
        var best = (fraction: 0.0, distance: Double.infinity, point: first)
        var walked = 0.0
        for i in 1..<points.count {
            let a = points[i - 1], b = points[i]
            let dx = b.x - a.x, dy = b.y - a.y
            let len2 = dx * dx + dy * dy
            var t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0
            t = Swift.max(0, Swift.min(1, t))
            let q = Point(x: a.x + dx * t, y: a.y + dy * t)
            let d = q.distance(to: p)
            let segLen = len2.squareRoot()
            if d < best.distance {
                best = (total > 0 ? (walked + t * segLen) / total : 0, d, q)
            }
            walked += segLen
        }
        return best
    }

    /// Bearing of the polyline where it leaves its first point and where it reaches its last.
    public static func endBearings(_ points: [Point]) -> (start: Double, end: Double) {
        guard points.count > 1 else { return (0, 0) }
        var i = 1
        while i < points.count - 1, points[0].distance(to: points[i]) < 1e-9 { i += 1 }
        var j = points.count - 2
        while j > 0, points[j].distance(to: points[points.count - 1]) < 1e-9 { j -= 1 }
        return (points[0].bearing(to: points[i]), points[j].bearing(to: points[points.count - 1]))
    }
}
