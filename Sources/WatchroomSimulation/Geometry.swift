import Foundation
import WatchroomCore

/// A segment's polyline with cumulative lengths, for cheap point and heading look-ups.
struct SegmentShape {
    let points: [Point]
    /// `cumulative[i]`: length from `points[0]` to `points[i]`.
    let cumulative: [Double]

    init(points: [Point]) {
        self.points = points
        var c = [0.0]
        c.reserveCapacity(points.count)
        for i in 1..<max(1, points.count) { c.append(c[i - 1] + points[i - 1].distance(to: points[i])) }
        cumulative = c
    }

    var length: Double { cumulative.last ?? 0 }

    /// The point at `fraction` of the length (as `Polyline.point(_:atFraction:)`).
    func point(at fraction: Double) -> Point {
        guard let first = points.first else { return .zero }
        let total = length
        guard points.count > 1, total > 0 else { return first }
        let d = max(0, min(1, fraction)) * total
        let i = piece(containing: d)
        let a = points[i], b = points[i + 1]
        let len = cumulative[i + 1] - cumulative[i]
        return len > 0 ? a.interpolated(to: b, t: (d - cumulative[i]) / len) : a
    }

    /// Compass heading of travel at `fraction`, along (`forward`) or against the drawing direction.
    func heading(at fraction: Double, forward: Bool) -> Double {
        guard points.count > 1, length > 0 else { return 0 }
        var i = piece(containing: max(0, min(1, fraction)) * length)
        // Skip degenerate pieces.
        while i < points.count - 2, points[i].distance(to: points[i + 1]) < 1e-9 { i += 1 }
        let b = forward ? points[i].bearing(to: points[i + 1]) : points[i + 1].bearing(to: points[i])
        return b
    }

    /// Index of the piece (`points[i]` to `points[i+1]`) holding distance `d`.
    private func piece(containing d: Double) -> Int {
        var lo = 0, hi = points.count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if cumulative[mid] <= d { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}

/// One stretch of a unit's path: part of a segment in one direction.
struct PathLeg: Hashable {
    var segment: Int
    var forward: Bool
    var start: Double
    var end: Double
}

/// Rounds to `digits` decimal places (for the wire: bytes matter).
@inline(__always) func rounded(_ v: Double, _ scale: Double) -> Double {
    (v * scale).rounded() / scale
}
