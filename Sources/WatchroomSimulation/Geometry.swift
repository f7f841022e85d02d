import Foundation
import WatchroomCore

/// Every segment's cumulative lengths along its polyline, in one flat array for the whole
/// map (the points stay in the map): not two arrays per segment, which on a city of half a
/// million segments is tens of megabytes of allocations. `shapes[s]` is a view of segment `s`.
struct SegmentShapes {
    private let map: PrecinctMap
    private let cumulative: [Double]
    /// Segment count + 1 entries: segment `s` has `cumulative[start[s] ..< start[s + 1]]`.
    private let start: [Int]

    init(map: PrecinctMap) {
        self.map = map
        var cumulative: [Double] = [], start: [Int] = [0]
        start.reserveCapacity(map.segments.count + 1)
        var total = 0
        for s in map.segments { total += s.shape.count + 2 }
        cumulative.reserveCapacity(total)
        for s in map.segments {
            var prev = map.intersections[s.from].position
            var walked = 0.0
            cumulative.append(0)
            for p in s.shape {
                walked += prev.distance(to: p)
                cumulative.append(walked)
                prev = p
            }
            cumulative.append(walked + prev.distance(to: map.intersections[s.to].position))
            start.append(cumulative.count)
        }
        self.cumulative = cumulative
        self.start = start
    }

    subscript(segment: Int) -> SegmentShape {
        let s = map.segments[segment]
        return SegmentShape(from: map.intersections[s.from].position, shape: s.shape, to: map.intersections[s.to].position,
                            cumulative: cumulative[start[segment]..<start[segment + 1]])
    }
}

/// A segment's polyline with cumulative lengths, for cheap point and heading look-ups.
struct SegmentShape {
    let from: Point
    let shape: [Point]
    let to: Point
    /// `cumulative[base + i]`: length from the first point to point `i`.
    let cumulative: ArraySlice<Double>
    private var base: Int { cumulative.startIndex }
    /// Points: `from`, the shape points, `to`.
    private var count: Int { shape.count + 2 }
    @inline(__always) private func point(_ i: Int) -> Point { i == 0 ? from : i <= shape.count ? shape[i - 1] : to }

    var length: Double { cumulative.last ?? 0 }

    /// The point at `fraction` of the length (as `Polyline.point(_:atFraction:)`).
    func point(at fraction: Double) -> Point {
        let total = length
        guard total > 0 else { return from }
        let d = max(0, min(1, fraction)) * total
        let i = piece(containing: d)
        let a = point(i), b = point(i + 1)
        let len = cumulative[base + i + 1] - cumulative[base + i]
        return len > 0 ? a.interpolated(to: b, t: (d - cumulative[base + i]) / len) : a
    }

    /// Compass heading of travel at `fraction`, along (`forward`) or against the drawing direction.
    func heading(at fraction: Double, forward: Bool) -> Double {
        guard length > 0 else { return 0 }
        var i = piece(containing: max(0, min(1, fraction)) * length)
        // Skip degenerate pieces.
        while i < count - 2, point(i).distance(to: point(i + 1)) < 1e-9 { i += 1 }
        let b = forward ? point(i).bearing(to: point(i + 1)) : point(i + 1).bearing(to: point(i))
        return b
    }

    /// Index (from 0) of the piece (point `i` to point `i + 1`) holding distance `d`.
    private func piece(containing d: Double) -> Int {
        var lo = 0, hi = count - 2
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if cumulative[base + mid] <= d { lo = mid } else { hi = mid - 1 }
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
