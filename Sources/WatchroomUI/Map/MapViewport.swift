import Foundation
import WatchroomCore

/// What part of the precinct the map shows: a centre and a scale.
///
/// A terminal cell is about twice as tall as it is wide, so a row covers
/// ``rowAspect`` times the metres of a column and the map keeps its true shape.
public struct MapViewport: Sendable, Hashable {
    /// The map point at the middle of the map area.
    public var centre: Point
    /// Metres across one column.
    public var metresPerColumn: Double

    /// Rows are this many times taller than columns are wide.
    public static let rowAspect = 2.0
    /// The closest zoom: half a metre per column.
    public static let minMetresPerColumn = 0.5
    /// The farthest zoom: 5 km per column.
    public static let maxMetresPerColumn = 5000.0
    /// One `+` or `-` step.
    public static let zoomStep = 1.5

    /// A viewport; a scale outside the allowed range (or not finite) is clamped, a
    /// centre that is not finite becomes the origin.
    public init(centre: Point, metresPerColumn: Double) {
        self.centre = centre.x.isFinite && centre.y.isFinite ? centre : .zero
        let m = metresPerColumn.isFinite ? metresPerColumn : 10
        self.metresPerColumn = Swift.min(MapViewport.maxMetresPerColumn, Swift.max(MapViewport.minMetresPerColumn, m))
    }

    public var metresPerRow: Double { metresPerColumn * MapViewport.rowAspect }

    /// The viewport that shows all of `rect` in an area of `width` x `height` cells.
    public static func fitting(_ rect: Rect, width: Int, height: Int) -> MapViewport {
        let w = Double(Swift.max(1, width)), h = Double(Swift.max(1, height))
        let scale = Swift.max(rect.width / w, rect.height / (h * rowAspect)) * 1.02
        let centre = Point(x: (rect.min.x + rect.max.x) / 2, y: (rect.min.y + rect.max.y) / 2)
        return MapViewport(centre: centre, metresPerColumn: scale > 0 ? scale : 10)
    }

    /// The continuous column of `p` in an area `width` columns wide (cell `c` spans `c..<c+1`).
    @inline(__always) public func column(of p: Point, width: Int) -> Double {
        (p.x - centre.x) / metresPerColumn + Double(width) / 2
    }

    /// The continuous row of `p` in an area `height` rows tall; rows grow southwards.
    @inline(__always) public func row(of p: Point, height: Int) -> Double {
        (centre.y - p.y) / metresPerRow + Double(height) / 2
    }

    /// The cell holding `p`, or `nil` when it lies outside the area.
    public func cell(of p: Point, width: Int, height: Int) -> (x: Int, y: Int)? {
        let c = column(of: p, width: width), r = row(of: p, height: height)
        guard c.isFinite, r.isFinite, c >= 0, r >= 0, c < Double(width), r < Double(height) else { return nil }
        return (Int(c), Int(r))
    }

    /// The map point at the centre of cell `(x, y)`.
    public func point(atColumn x: Int, row y: Int, width: Int, height: Int) -> Point {
        Point(x: centre.x + (Double(x) + 0.5 - Double(width) / 2) * metresPerColumn,
              y: centre.y - (Double(y) + 0.5 - Double(height) / 2) * metresPerRow)
    }

    /// Zoomed in (`factor > 1`) or out (`factor < 1`) about the centre.
    public func zoomed(by factor: Double) -> MapViewport {
        guard factor.isFinite, factor > 0 else { return self }
        return MapViewport(centre: centre, metresPerColumn: metresPerColumn / factor)
    }

    /// Moved by whole cells: positive columns go east, positive rows go south.
    public func panned(columns: Int, rows: Int) -> MapViewport {
        MapViewport(centre: Point(x: centre.x + Double(columns) * metresPerColumn,
                                  y: centre.y - Double(rows) * metresPerRow),
                    metresPerColumn: metresPerColumn)
    }

    /// Moved as little as possible so that `area` never leaves a `width` x `height` view:
    /// along an axis where the view is smaller than `area` the view stays inside it (its
    /// edge stops at the area's edge); where it is larger, all of `area` stays in view.
    public func clamped(to area: Rect, width: Int, height: Int) -> MapViewport {
        func clamp(_ c: Double, _ lo: Double, _ hi: Double, half: Double) -> Double {
            guard lo.isFinite, hi.isFinite, half.isFinite else { return c }
            if 2 * half >= hi - lo { return Swift.min(lo + half, Swift.max(hi - half, c)) }
            return Swift.min(hi - half, Swift.max(lo + half, c))
        }
        let hw = Double(Swift.max(1, width)) * metresPerColumn / 2
        let hh = Double(Swift.max(1, height)) * metresPerRow / 2
        return MapViewport(centre: Point(x: clamp(centre.x, area.min.x, area.max.x, half: hw),
                                         y: clamp(centre.y, area.min.y, area.max.y, half: hh)),
                           metresPerColumn: metresPerColumn)
    }

    /// Centred on `p` at the same scale.
    public func centred(on p: Point) -> MapViewport {
        MapViewport(centre: p, metresPerColumn: metresPerColumn)
    }
}
