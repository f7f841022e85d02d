import WatchroomCore

/// A uniform grid over a map's segments for nearest-segment look-ups ("snapping").
///
/// Each cell lists the segments whose pieces' bounding boxes overlap it, in CSR form.
/// A look-up scans rings of cells outward from the point's cell until no unscanned cell
/// can hold anything nearer than the best found.
public struct SegmentGrid: Sendable {
    /// A point on a segment and how far it is from where we looked.
    public struct Hit: Hashable, Sendable {
        public var position: RoadPosition
        public var point: Point
        public var distance: Double
    }

    private let map: PrecinctMap
    private let origin: Point
    private let cellSize: Double
    private let columns: Int
    private let rows: Int
    private let cellStart: [UInt32]
    private let items: [UInt32]

    /// Indexes the segments of `map` for which `include` holds.
    ///
    /// - Complexity: O(segment pieces + cells).
    public init(map: PrecinctMap, including include: (Int) -> Bool = { _ in true }) {
        self.map = map
        var lo = Point(x: Double.infinity, y: Double.infinity), hi = Point(x: -Double.infinity, y: -Double.infinity)
        var pieces = 0
        var included: [Int] = []
        for s in map.segments.indices where include(s) {
            included.append(s)
            Self.forEachPoint(map, s) { p in
                lo.x = Swift.min(lo.x, p.x); lo.y = Swift.min(lo.y, p.y)
                hi.x = Swift.max(hi.x, p.x); hi.y = Swift.max(hi.y, p.y)
            }
            pieces += map.segments[s].shape.count + 1
        }
        if included.isEmpty { lo = .zero; hi = .zero }
        let width = Swift.max(1, hi.x - lo.x), height = Swift.max(1, hi.y - lo.y)
        // About two pieces per cell.
        let size = Swift.max(1, (width * height / Double(Swift.max(1, pieces)) * 2).squareRoot())
        let columns = Swift.max(1, Swift.min(1 << 14, Int(width / size) + 1))
        let rows = Swift.max(1, Swift.min(1 << 14, Int(height / size) + 1))
        let cellSize = Swift.max(width / Double(columns), height / Double(rows)) * (1 + 1e-9)
        origin = lo
        self.cellSize = cellSize
        self.columns = columns
        self.rows = rows

        // Two passes: count per cell, then fill.
        var counts = [UInt32](repeating: 0, count: columns * rows + 1)
        func cells(_ a: Point, _ b: Point, _ body: (Int) -> Void) {
            let x0 = Swift.max(0, Swift.min(columns - 1, Int((Swift.min(a.x, b.x) - lo.x) / cellSize)))
            let x1 = Swift.max(0, Swift.min(columns - 1, Int((Swift.max(a.x, b.x) - lo.x) / cellSize)))
            let y0 = Swift.max(0, Swift.min(rows - 1, Int((Swift.min(a.y, b.y) - lo.y) / cellSize)))
            let y1 = Swift.max(0, Swift.min(rows - 1, Int((Swift.max(a.y, b.y) - lo.y) / cellSize)))
            for y in y0...y1 { for x in x0...x1 { body(y * columns + x) } }
        }
        var lastCell = -1
        for s in included {
            lastCell = -1
            Self.forEachPiece(map, s) { a, b in
                cells(a, b) { c in
                    if c != lastCell { counts[c] += 1 }
                    lastCell = c
                }
            }
        }
        var start = [UInt32](repeating: 0, count: columns * rows + 1)
        var running: UInt32 = 0
        for c in 0..<(columns * rows) { start[c] = running; running += counts[c] }
        start[columns * rows] = running
        var fill = start
        var items = [UInt32](repeating: 0, count: Int(running))
        for s in included {
            lastCell = -1
            Self.forEachPiece(map, s) { a, b in
                cells(a, b) { c in
                    if c != lastCell {
                        items[Int(fill[c])] = UInt32(s)
                        fill[c] += 1
                    }
                    lastCell = c
                }
            }
        }
        cellStart = start
        self.items = items
    }

    /// The nearest point on an indexed segment to `p`, or `nil` when nothing is indexed.
    ///
    /// - Complexity: O(k) for the k segment pieces in the cells scanned; a handful of cells
    ///   for a point on or near the network.
    public func nearest(to p: Point) -> Hit? {
        guard !items.isEmpty else { return nil }
        guard p.x.isFinite, p.y.isFinite else { return nil }
        // Clamped as doubles first: `Int(_:)` traps on a point far off the grid.
        let cx = Int(((p.x - origin.x) / cellSize).rounded(.down).clamped(to: 0...Double(columns - 1)))
        let cy = Int(((p.y - origin.y) / cellSize).rounded(.down).clamped(to: 0...Double(rows - 1)))
        var best: Hit?
        var ring = 0
        while true {
            let x0 = cx - ring, x1 = cx + ring, y0 = cy - ring, y1 = cy + ring
            for y in Swift.max(0, y0)...Swift.min(rows - 1, y1) {
                let onEdgeRow = y == y0 || y == y1
                var x = Swift.max(0, x0)
                while x <= Swift.min(columns - 1, x1) {
                    if onEdgeRow || x == x0 || x == x1 { scan(cell: y * columns + x, p, &best) }
                    x = (onEdgeRow || x == x1) ? x + 1 : x1
                }
            }
            // Everything not yet scanned lies beyond the scanned square.
            let covered = x0 <= 0 && y0 <= 0 && x1 >= columns - 1 && y1 >= rows - 1
            if covered { break }
            if let b = best {
                var margin = Double.infinity
                if x0 > 0 { margin = Swift.min(margin, p.x - (origin.x + Double(x0) * cellSize)) }
                if y0 > 0 { margin = Swift.min(margin, p.y - (origin.y + Double(y0) * cellSize)) }
                if x1 < columns - 1 { margin = Swift.min(margin, origin.x + Double(x1 + 1) * cellSize - p.x) }
                if y1 < rows - 1 { margin = Swift.min(margin, origin.y + Double(y1 + 1) * cellSize - p.y) }
                if b.distance <= margin { break }
            }
            ring += 1
        }
        return best
    }

    private func scan(cell: Int, _ p: Point, _ best: inout Hit?) {
        for k in Int(cellStart[cell])..<Int(cellStart[cell + 1]) {
            let s = Int(items[k])
            guard let h = Self.project(p, onto: s, map) else { continue }
            if let b = best, !(h.distance < b.distance || (h.distance == b.distance && s < b.position.segment)) { continue }
            best = h
        }
    }

    /// The nearest point of segment `s` to `p`, without building the polyline array.
    static func project(_ p: Point, onto s: Int, _ map: PrecinctMap) -> Hit? {
        var bestD2 = Double.infinity, bestAlong = 0.0, bestPoint = p
        var walked = 0.0
        forEachPiece(map, s) { a, b in
            let dx = b.x - a.x, dy = b.y - a.y
            let len2 = dx * dx + dy * dy
            var t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0
            t = Swift.max(0, Swift.min(1, t))
            let q = Point(x: a.x + dx * t, y: a.y + dy * t)
            let d2 = (q.x - p.x) * (q.x - p.x) + (q.y - p.y) * (q.y - p.y)
            let len = len2.squareRoot()
            if d2 < bestD2 { bestD2 = d2; bestAlong = walked + t * len; bestPoint = q }
            walked += len
        }
        guard bestD2.isFinite else { return nil }
        let fraction = walked > 0 ? Swift.max(0, Swift.min(1, bestAlong / walked)) : 0
        return Hit(position: RoadPosition(segment: s, fraction: fraction), point: bestPoint, distance: bestD2.squareRoot())
    }

    private static func forEachPoint(_ map: PrecinctMap, _ s: Int, _ body: (Point) -> Void) {
        let seg = map.segments[s]
        body(map.intersections[seg.from].position)
        for q in seg.shape { body(q) }
        body(map.intersections[seg.to].position)
    }

    private static func forEachPiece(_ map: PrecinctMap, _ s: Int, _ body: (Point, Point) -> Void) {
        let seg = map.segments[s]
        var prev = map.intersections[seg.from].position
        for q in seg.shape { body(prev, q); prev = q }
        body(prev, map.intersections[seg.to].position)
    }
}
