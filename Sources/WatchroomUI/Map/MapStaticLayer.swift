import Foundation
import WatchroomCore

/// A name placed on the map: drawn each frame unless a marker sits on it.
struct MapLabel: Sendable, Hashable {
    /// Cells (x, y) of each character's first column, in order.
    var positions: [(x: Int, y: Int)] { zip(xs, ys).map { ($0, $1) } }
    var xs: [Int]
    var ys: [Int]
    var characters: [Character]
    /// Every cell the label covers (both halves of wide characters), as `y * width + x`.
    var cells: [Int]
    var style: Style
}

/// The parts of the map that do not move: areas, roads and the label positions, drawn
/// for one viewport and size.
struct MapStaticLayer {
    let width: Int
    let height: Int
    /// Areas and roads.
    var base: Grid
    /// Road weight per cell: 0 none, 1 footpath, 2 street, 3 major road.
    var weight: [UInt8]
    var labels: [MapLabel]

    private enum Straight: UInt8 { case none, horizontal, vertical }

    // swiftlint:disable:next function_body_length
    init(map: PrecinctMap, index: MapIndex, viewport vp: MapViewport, width w: Int, height h: Int,
         glyphs: MapGlyphs, traffic: [SegmentKey: TrafficOverride]) {
        width = Swift.max(0, w)
        height = Swift.max(0, h)
        // Empty ground in the roads' colour: a space looks the same in any colour, and a run of
        // road, space, road then needs no colour change on the wire.
        base = Grid(width: width, height: height, fill: Cell(" ", style: Style(.road)))
        let n = width * height
        weight = Array(repeating: 0, count: n)
        labels = []
        guard n > 0 else { return }

        @inline(__always) func col(_ p: Point) -> Double { vp.column(of: p, width: w) }
        @inline(__always) func row(_ p: Point) -> Double { vp.row(of: p, height: h) }

        // MARK: Areas
        var areaOf = Array(repeating: Int32(-1), count: n)
        let order: [AreaKind] = [.park, .square, .plaza, .building, .water, .river]
        for kind in order {
            for (ai, area) in map.areas.enumerated() where area.kind == kind && area.points.count >= 3 {
                var lo = (x: Double.infinity, y: Double.infinity), hi = (x: -Double.infinity, y: -Double.infinity)
                for p in area.points {
                    let c = col(p), r = row(p)
                    lo.x = Swift.min(lo.x, c); lo.y = Swift.min(lo.y, r); hi.x = Swift.max(hi.x, c); hi.y = Swift.max(hi.y, r)
                }
                guard lo.x.isFinite, hi.x.isFinite, lo.y.isFinite, hi.y.isFinite else { continue }
                let x0 = Swift.max(0, Int(Swift.max(-1, lo.x))), x1 = Swift.min(w - 1, Int(Swift.min(Double(w), hi.x)))
                let y0 = Swift.max(0, Int(Swift.max(-1, lo.y))), y1 = Swift.min(h - 1, Int(Swift.min(Double(h), hi.y)))
                guard x0 <= x1, y0 <= y1 else { continue }
                let ch = glyphs.area(kind)
                let style = Style(MapStaticLayer.role(kind))
                for y in y0...y1 {
                    for x in x0...x1 where area.contains(vp.point(atColumn: x, row: y, width: w, height: h)) {
                        base.set(x: x, y: y, ch, style: style)
                        areaOf[y * w + x] = Int32(ai)
                    }
                }
            }
        }

        // MARK: Roads
        var bits = Array(repeating: UInt8(0), count: n)
        var diag = Array(repeating: UInt8(0), count: n)
        var street = Array(repeating: Int32(-1), count: n)
        var jam = Array(repeating: UInt8(0), count: n) // 1 congested, 2 closed
        let N = MapGlyphs.north, E = MapGlyphs.east, S = MapGlyphs.south, W = MapGlyphs.west
        for (si, seg) in map.segments.enumerated() {
            let pts = MapIndex.polyline(map, si)
            guard pts.count >= 2 else { continue }
            let sw = MapIndex.weight(seg.roadClass)
            var segJam: UInt8 = 0
            if let t = traffic[SegmentKey(seg.key)] { segJam = t.closed ? 2 : (t.factor >= 1.5 ? 1 : 0) }
            let st = Int32(seg.street ?? -1)
            for k in 1..<pts.count {
                let ax = col(pts[k - 1]), ay = row(pts[k - 1]), bx = col(pts[k]), by = row(pts[k])
                let dx = bx - ax, dy = by - ay
                let angle = atan2(abs(dy) * MapViewport.rowAspect, abs(dx)) * 180 / .pi
                let cls = angle < 25 ? 0 : (angle > 65 ? 1 : 2)
                let fwdH: UInt8 = dx >= 0 ? E : W, backH: UInt8 = dx >= 0 ? W : E
                let fwdV: UInt8 = dy >= 0 ? S : N, backV: UInt8 = dy >= 0 ? N : S
                let rising: UInt8 = (dx >= 0) == (dy <= 0) ? 1 : 2
                CellLine.walk(ax, ay, bx, by, width: w, height: h) { x, y, isStart, isEnd in
                    guard x >= 0, y >= 0, x < w, y < h else { return }
                    let i = y * w + x
                    switch cls {
                    case 0:
                        if isStart && isEnd { bits[i] |= E | W } else {
                            if !isEnd { bits[i] |= fwdH }
                            if !isStart { bits[i] |= backH }
                        }
                    case 1:
                        if isStart && isEnd { bits[i] |= N | S } else {
                            if !isEnd { bits[i] |= fwdV }
                            if !isStart { bits[i] |= backV }
                        }
                    default:
                        diag[i] |= rising
                    }
                    if sw >= weight[i] {
                        weight[i] = sw
                        street[i] = st
                    }
                    jam[i] = Swift.max(jam[i], segJam)
                }
            }
        }

        // Junctions: the directions each intersection's roads leave its cell in.
        var nodeBits = Array(repeating: UInt8(0), count: n)
        var nodeDeg = Array(repeating: UInt8(0), count: n)
        var nodeDiag = Array(repeating: false, count: n)
        for (ni, node) in map.intersections.enumerated() where index.incidence.indices.contains(ni) {
            let nc = col(node.position), nr = row(node.position)
            guard nc >= 0, nr >= 0, nc < Double(w), nr < Double(h) else { continue }
            let i = Int(nr) * w + Int(nc)
            for (seg, starts) in index.incidence[ni] {
                var pts = MapIndex.polyline(map, seg)
                if !starts { pts.reverse() }
                guard pts.count >= 2 else { continue }
                var dx = 0.0, dy = 0.0
                for p in pts.dropFirst() {
                    dx = col(p) - nc; dy = row(p) - nr
                    if abs(dx) >= 1 || abs(dy) >= 1 { break }
                }
                let cx = Int((nc + dx).rounded(.down)), cy = Int((nr + dy).rounded(.down))
                if cx == Int(nc) && cy == Int(nr) { continue }
                let angle = atan2(abs(dy) * MapViewport.rowAspect, abs(dx)) * 180 / .pi
                nodeBits[i] |= angle < 45 ? (dx >= 0 ? E : W) : (dy >= 0 ? S : N)
                nodeDeg[i] = nodeDeg[i] &+ 1
                if angle >= 25 && angle <= 65 { nodeDiag[i] = true }
            }
        }

        // Glyphs.
        var straight = Array(repeating: Straight.none, count: n)
        for i in 0..<n where weight[i] > 0 {
            var b = bits[i]
            let nb = nodeBits[i]
            let corner = nb.nonzeroBitCount == 2 && nb != (E | W) && nb != (N | S)
            let ch: Character
            if nodeDeg[i] >= 3 || (nodeDeg[i] == 2 && corner && !nodeDiag[i]) {
                b |= nb
                ch = glyphs.road(bits: b, weight: weight[i])
            } else if b != 0 {
                ch = glyphs.road(bits: b, weight: weight[i])
                if b == E || b == W || b == E | W { straight[i] = .horizontal }
                if b == N || b == S || b == N | S { straight[i] = .vertical }
            } else {
                ch = glyphs.diagonal(diag[i] == 0 ? 1 : diag[i])
            }
            let role: StyleRole
            switch (jam[i], weight[i]) {
            case (2, _): role = .roadClosed
            case (1, _): role = .roadCongested
            case (_, 3): role = .roadMajor
            case (_, 1): role = .roadFoot
            default: role = .road
            }
            base.set(x: i % w, y: i / w, ch, style: Style(role, weight[i] >= 3 ? [.bold] : []))
        }

        // MARK: Labels
        // 0 free, 1 fixed marker, 2 label.
        var occupied = Array(repeating: UInt8(0), count: n)
        if let st = map.station, let c = vp.cell(of: st.position, width: w, height: h) { occupied[c.y * w + c.x] = 1 }
        for cam in map.cameras {
            if let c = vp.cell(of: cam.position, width: w, height: h) { occupied[c.y * w + c.x] = 1 }
        }

        func texts(_ name: String?, _ roman: String?) -> [[Character]] {
            var out: [[Character]] = []
            for t in [name, roman] {
                guard let t else { continue }
                let s = Sanitizer.inert(t).trimmingCharacters(in: .whitespaces)
                guard !s.isEmpty, glyphs.unicode || s.unicodeScalars.allSatisfy({ $0.isASCII }) else { continue }
                let chars = Array(s)
                if !out.contains(chars) { out.append(chars) }
            }
            return out
        }
        func textWidth(_ t: [Character]) -> Int { t.reduce(0) { $0 + DisplayWidth.of($1) } }
        func free(_ x: Int, _ y: Int) -> Bool { x >= 0 && y >= 0 && x < w && y < h && occupied[y * w + x] == 0 }
        func notLabel(_ x: Int, _ y: Int) -> Bool { !(x >= 0 && y >= 0 && x < w && y < h) || occupied[y * w + x] != 2 }

        var placed: [MapLabel] = []
        /// Places `t` left to right from (x, y) if every cell is free.
        func placeRow(_ t: [Character], x: Int, y: Int, style: Style, needEmpty: Bool) -> Bool {
            let tw = textWidth(t)
            guard x >= 0, x + tw <= w, y >= 0, y < h else { return false }
            for xx in x..<(x + tw) {
                guard free(xx, y) else { return false }
                if needEmpty && weight[y * w + xx] != 0 { return false }
            }
            guard notLabel(x - 1, y), notLabel(x + tw, y) else { return false }
            var label = MapLabel(xs: [], ys: [], characters: t, cells: [], style: style)
            var xx = x
            for ch in t {
                label.xs.append(xx); label.ys.append(y)
                for k in 0..<DisplayWidth.of(ch) { label.cells.append(y * w + xx + k); occupied[y * w + xx + k] = 2 }
                xx += DisplayWidth.of(ch)
            }
            placed.append(label)
            return true
        }
        func placeColumn(_ t: [Character], x: Int, y: Int, style: Style) -> Bool {
            guard x >= 0, x + 1 < w, y >= 0, y + t.count <= h else { return false }
            for r in y..<(y + t.count) {
                guard free(x, r), free(x + 1, r), weight[r * w + x + 1] == 0 else { return false }
            }
            guard notLabel(x, y - 1), notLabel(x, y + t.count) else { return false }
            var label = MapLabel(xs: [], ys: [], characters: t, cells: [], style: style)
            for k in 0..<t.count {
                label.xs.append(x); label.ys.append(y + k)
                label.cells.append((y + k) * w + x); label.cells.append((y + k) * w + x + 1)
                occupied[(y + k) * w + x] = 2; occupied[(y + k) * w + x + 1] = 2
            }
            placed.append(label)
            return true
        }

        // Runs of straight road cells per street.
        var hRuns: [Int32: [(y: Int, a: Int, len: Int)]] = [:]
        var vRuns: [Int32: [(x: Int, a: Int, len: Int)]] = [:]
        var cellsOf: [Int32: [Int]] = [:]
        for y in 0..<h {
            var x = 0
            while x < w {
                let i = y * w + x
                if street[i] >= 0 { cellsOf[street[i], default: []].append(i) }
                if straight[i] == .horizontal, street[i] >= 0 {
                    var e = x + 1
                    while e < w, straight[y * w + e] == .horizontal, street[y * w + e] == street[i] {
                        if street[y * w + e] >= 0 { cellsOf[street[i], default: []].append(y * w + e) }
                        e += 1
                    }
                    hRuns[street[i], default: []].append((y, x, e - x))
                    x = e
                } else {
                    x += 1
                }
            }
        }
        for x in 0..<w {
            var y = 0
            while y < h {
                let i = y * w + x
                if straight[i] == .vertical, street[i] >= 0 {
                    var e = y + 1
                    while e < h, straight[e * w + x] == .vertical, street[e * w + x] == street[i] { e += 1 }
                    vRuns[street[i], default: []].append((x, y, e - y))
                    y = e
                } else {
                    y += 1
                }
            }
        }

        // Major roads first, then streets by how close they pass to the middle of the
        // view (where the eye is), then longer first.
        var centreDistance: [Int32: Int] = [:]
        for (s, cells) in cellsOf {
            centreDistance[s] = cells.map { abs($0 % w - w / 2) + 2 * abs($0 / w - h / 2) }.min() ?? Int.max
        }
        let streetOrder = cellsOf.keys.filter { map.streets.indices.contains(Int($0)) }.sorted { a, b in
            let wa = MapIndex.weight(map.streets[Int(a)].roadClass) >= 3, wb = MapIndex.weight(map.streets[Int(b)].roadClass) >= 3
            if wa != wb { return wa }
            let da = centreDistance[a] ?? 0, db = centreDistance[b] ?? 0
            if da != db { return da < db }
            let ca = cellsOf[a]?.count ?? 0, cb = cellsOf[b]?.count ?? 0
            return ca != cb ? ca > cb : a < b
        }
        for s in streetOrder {
            let st = map.streets[Int(s)]
            let cells = cellsOf[s] ?? []
            guard cells.count >= 3 else { continue }
            let major = MapIndex.weight(st.roadClass) >= 3
            let style = Style(major ? .labelMajor : .label, major ? [.bold] : [])
            var done = false
            let hs = (hRuns[s] ?? []).sorted { $0.len > $1.len }
            let vs = (vRuns[s] ?? []).sorted { $0.len > $1.len }
            for t in texts(st.name, st.roman) where !done {
                let tw = textWidth(t)
                for r in hs where r.len >= tw + 2 {
                    if placeRow(t, x: r.a + (r.len - tw) / 2, y: r.y, style: style, needEmpty: false) { done = true; break }
                }
                if done { break }
                if glyphs.unicode, t.allSatisfy({ DisplayWidth.of($0) == 2 }) {
                    for r in vs where r.len >= t.count + 2 {
                        if placeColumn(t, x: r.x, y: r.a + (r.len - t.count) / 2, style: style) { done = true; break }
                    }
                }
                if done { break }
                // Beside the street, on empty ground, near its middle.
                let mx = cells.reduce(0) { $0 + $1 % w } / cells.count, my = cells.reduce(0) { $0 + $1 / w } / cells.count
                let near = cells.sorted { a, b in
                    let da = abs(a % w - mx) + 2 * abs(a / w - my), db = abs(b % w - mx) + 2 * abs(b / w - my)
                    return da != db ? da < db : a < b
                }
                for c in near.prefix(16) {
                    let x = c % w, y = c / w
                    if placeRow(t, x: x + 2, y: y, style: style, needEmpty: true) { done = true; break }
                    if placeRow(t, x: x - 1 - tw, y: y, style: style, needEmpty: true) { done = true; break }
                }
            }
        }

        // The station's name beside it.
        if let st = map.station, let c = vp.cell(of: st.position, width: w, height: h) {
            for t in texts(st.name, st.roman) {
                let tw = textWidth(t)
                if placeRow(t, x: c.x + 2, y: c.y, style: Style(.station), needEmpty: true) { break }
                if placeRow(t, x: c.x - 1 - tw, y: c.y, style: Style(.station), needEmpty: true) { break }
            }
        }

        // Area names inside their areas.
        for (ai, area) in map.areas.enumerated() {
            let mine = (0..<n).filter { areaOf[$0] == Int32(ai) }
            guard !mine.isEmpty else { continue }
            let midY = mine.reduce(0) { $0 + $1 / w } / mine.count
            var done = false
            for t in texts(area.name, area.roman) where !done {
                let tw = textWidth(t)
                for dy in [0, -1, 1, -2, 2, -3, 3] {
                    let y = midY + dy
                    guard y >= 0, y < h else { continue }
                    var x = 0
                    while x < w, !done {
                        if areaOf[y * w + x] == Int32(ai) && weight[y * w + x] == 0 {
                            var e = x
                            while e < w, areaOf[y * w + e] == Int32(ai), weight[y * w + e] == 0 { e += 1 }
                            if e - x >= tw + 2 {
                                done = placeRow(t, x: x + (e - x - tw) / 2, y: y, style: Style(.label, [.dim]), needEmpty: true)
                            }
                            x = e
                        } else {
                            x += 1
                        }
                    }
                    if done { break }
                }
            }
        }
        labels = placed
    }

    static func role(_ kind: AreaKind) -> StyleRole {
        switch kind {
        case .river: return .river
        case .water: return .water
        case .park: return .park
        case .square, .plaza: return .square
        case .building: return .building
        }
    }
}

/// Pre-drawn static map layers, so a frame only draws what moves.
///
/// Holds the layer for the last (map, viewport, size, glyph set, traffic) it was asked
/// for; a frame with the same inputs reuses it. Not thread-safe: one per render loop.
public final class MapRasterCache {
    private var index: MapIndex?
    private var layer: MapStaticLayer?
    private var key: Key?
    /// How many times a layer was drawn (cache misses), for tests and benchmarks.
    public private(set) var builds = 0

    private struct Key: Equatable {
        var viewport: MapViewport
        var width: Int
        var height: Int
        var unicode: Bool
        var traffic: [SegmentKey: TrafficOverride]
    }

    public init() {}

    func mapIndex(_ map: PrecinctMap) -> MapIndex {
        if let index, index.matches(map) { return index }
        let i = MapIndex(map)
        index = i
        layer = nil
        key = nil
        return i
    }

    func layer(map: PrecinctMap, viewport: MapViewport, width: Int, height: Int, glyphs: MapGlyphs,
               traffic: [SegmentKey: TrafficOverride]) -> MapStaticLayer {
        let idx = mapIndex(map)
        let k = Key(viewport: viewport, width: width, height: height, unicode: glyphs.unicode, traffic: traffic)
        if let layer, key == k { return layer }
        let l = MapStaticLayer(map: map, index: idx, viewport: viewport, width: width, height: height,
                               glyphs: glyphs, traffic: traffic)
        layer = l
        key = k
        builds += 1
        return l
    }
}
