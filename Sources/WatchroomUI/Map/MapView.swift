import Foundation
import WatchroomCore

/// A symbol on the map for something that can be selected.
struct MapMarker {
    var x: Int
    var y: Int
    var glyph: Character
    var style: Style
    var target: ConsoleUIState.Selection
    /// Which marker wins a click on a crowded cell: higher first.
    var rank: Int
}

/// The map panel: static layer from the cache, then routes, labels and markers.
enum MapView {
    /// Markers in drawing order (later ones on top), in map-area cells.
    static func markers(map: PrecinctMap, state: PrecinctState, viewport vp: MapViewport, width w: Int, height h: Int,
                        glyphs: MapGlyphs, canBlink: Bool, blinkPhase: Bool,
                        selection: ConsoleUIState.Selection,
                        alerts: [IncidentID: AlertLevel] = [:]) -> [MapMarker] {
        var out: [MapMarker] = []
        out.reserveCapacity(state.units.count + state.incidents.count + map.cameras.count + 1)
        if let st = map.station, let c = vp.cell(of: st.position, width: w, height: h) {
            out.append(MapMarker(x: c.x, y: c.y, glyph: glyphs.station, style: Style(.station, [.bold]), target: .none, rank: 0))
        }
        for cam in map.cameras {
            guard let c = vp.cell(of: cam.position, width: w, height: h) else { continue }
            let online = state.isCameraOnline(CameraID(cam.key))
            out.append(MapMarker(x: c.x, y: c.y, glyph: glyphs.camera(facing: cam.facing, fieldOfView: cam.fieldOfView),
                                 style: online ? Style(.camera) : Style(.cameraOffline, [.dim]),
                                 target: .camera(CameraID(cam.key)), rank: 1))
        }
        for u in state.units.values {
            guard let c = vp.cell(of: u.position, width: w, height: h) else { continue }
            out.append(MapMarker(x: c.x, y: c.y, glyph: glyphs.unit(u.kind), style: Style(Words.unitRole(u.status), [.bold]),
                                 target: .unit(u.id), rank: 2))
        }
        for i in state.incidents.values {
            guard i.isOpen || selection == .incident(i.id) else { continue }
            guard let c = vp.cell(of: i.point, width: w, height: h) else { continue }
            let glyph = glyphs.incident(on: canBlink || blinkPhase)
            let attrs: Attributes = i.isOpen ? [.bold, .blink] : [.dim]
            let role: StyleRole = i.isOpen && alerts[i.id] != nil ? .alert : Words.incidentRole(i)
            out.append(MapMarker(x: c.x, y: c.y, glyph: glyph, style: Style(role, attrs),
                                 target: .incident(i.id), rank: 3))
        }
        out += edgeMarkers(state: state, viewport: vp, width: w, height: h, glyphs: glyphs,
                           canBlink: canBlink, blinkPhase: blinkPhase)
        // Deterministic order regardless of dictionary order: by rank, then position, then id.
        out.sort { a, b in
            if a.rank != b.rank { return a.rank < b.rank }
            if a.y != b.y { return a.y < b.y }
            if a.x != b.x { return a.x < b.x }
            return key(a.target) < key(b.target)
        }
        // The selected marker goes last, highlighted.
        if selection != .none, let k = out.lastIndex(where: { $0.target == selection }) {
            var m = out.remove(at: k)
            m.style.attributes.insert(.reverse)
            out.append(m)
        }
        return out
    }

    /// A side of the map panel.
    enum Side: Int, CaseIterable { case north, east, south, west }

    /// Open incidents outside the view: on each side of the map area, one arrow pointing
    /// their way where the most urgent of them lies (in its priority's colour, blinking
    /// for P1), with the count beside it when several share that side. Each cell selects
    /// that most urgent incident.
    static func edgeMarkers(state: PrecinctState, viewport vp: MapViewport, width w: Int, height h: Int,
                            glyphs: MapGlyphs, canBlink: Bool, blinkPhase: Bool) -> [MapMarker] {
        guard w >= 3, h >= 3 else { return [] }
        // Per side: how many, and the most urgent (then nearest the view, then by id).
        var count = [Int](repeating: 0, count: 4)
        var best: [(incident: IncidentRecord, along: Int, distance: Double)?] = Array(repeating: nil, count: 4)
        let hw = Double(w) / 2, hh = Double(h) / 2
        for i in state.incidents.values where i.isOpen {
            guard vp.cell(of: i.point, width: w, height: h) == nil else { continue }
            let dx = vp.column(of: i.point, width: w) - hw, dy = vp.row(of: i.point, height: h) - hh
            guard dx.isFinite, dy.isFinite else { continue }
            // Where the line from the centre leaves the area.
            let side: Side, along: Int
            if abs(dx) * hh >= abs(dy) * hw {
                side = dx > 0 ? .east : .west
                along = Int((hh + dy * hw / abs(dx)).rounded(.down))
            } else {
                side = dy > 0 ? .south : .north
                along = Int((hw + dx * hh / abs(dy)).rounded(.down))
            }
            let s = side.rawValue
            count[s] += 1
            let distance = (dx * dx + dy * dy * 4).squareRoot()
            if let b = best[s] {
                let better = i.priority != b.incident.priority ? i.priority < b.incident.priority
                    : distance != b.distance ? distance < b.distance : i.id.rawValue < b.incident.id.rawValue
                guard better else { continue }
            }
            best[s] = (i, along, distance)
        }
        var out: [MapMarker] = []
        for side in Side.allCases {
            guard let b = best[side.rawValue] else { continue }
            let n = count[side.rawValue]
            let label = n > 1 ? String(Swift.min(n, 99)) : ""
            let arrow = glyphs.edgeArrow(side.rawValue)
            let text: [Character]
            var x: Int, y: Int
            switch side {
            case .north: (x, y) = (b.along, 0); text = [arrow] + Array(label)
            case .south: (x, y) = (b.along, h - 1); text = [arrow] + Array(label)
            case .west: (x, y) = (0, b.along); text = [arrow] + Array(label)
            case .east: (x, y) = (w - 1 - label.count, b.along); text = Array(label) + [arrow]
            }
            x = Swift.min(w - text.count, Swift.max(0, x))
            y = Swift.min(h - 1, Swift.max(0, y))
            var attrs: Attributes = [.bold]
            if b.incident.priority <= 1 {
                if canBlink { attrs.insert(.blink) } else if !blinkPhase { attrs = [.dim] }
            }
            let style = Style(Words.incidentRole(b.incident), attrs)
            for (k, c) in text.enumerated() {
                out.append(MapMarker(x: x + k, y: y, glyph: c, style: style, target: .incident(b.incident.id), rank: 3))
            }
        }
        return out
    }

    private static func key(_ s: ConsoleUIState.Selection) -> String {
        switch s {
        case .none: return ""
        case .incident(let i): return i.rawValue
        case .unit(let u): return u.rawValue
        case .camera(let c): return c.rawValue
        }
    }

    /// The marker nearest to a map-area cell within one cell (incidents before units
    /// before cameras on ties), if any.
    static func hit(_ markers: [MapMarker], x: Int, y: Int) -> MapMarker? {
        var best: MapMarker?
        var bestScore = Int.max
        for m in markers where m.target != .none {
            let d = Swift.max(abs(m.x - x), abs(m.y - y))
            guard d <= 1 else { continue }
            let score = d * 10 - m.rank
            if score < bestScore { best = m; bestScore = score }
        }
        return best
    }

    static func draw(_ input: ConsoleFrameInput, rect: CellRect, into grid: inout Grid, cache: MapRasterCache) {
        guard !rect.isEmpty else { return }
        let w = rect.width, h = rect.height
        let vp = ConsoleModel.viewport(input.ui, map: input.map, rect: rect)
        let glyphs = MapGlyphs(unicode: input.capabilities.unicode)
        let layer = cache.layer(map: input.map, viewport: vp, width: w, height: h, glyphs: glyphs, traffic: input.state.traffic)
        grid.blit(layer.base, x: rect.x, y: rect.y)

        // Routes of the selection.
        let index = cache.mapIndex(input.map)
        var routes: [RouteAssigned] = []
        switch input.ui.selection {
        case .incident(let id):
            if let inc = input.state.incidents[id] {
                for u in inc.assignedUnits { if let r = input.state.units[u]?.route { routes.append(r) } }
            }
        case .unit(let id):
            if let r = input.state.units[id]?.route { routes.append(r) }
        default: break
        }
        let routeStyle = Style(.route, [.bold])
        for r in routes {
            for leg in r.legs {
                guard let si = index.segmentByKey[leg.segment.rawValue] else { continue }
                let pts = MapIndex.polyline(input.map, si)
                guard pts.count >= 2 else { continue }
                for k in 1..<pts.count {
                    CellLine.walk(vp.column(of: pts[k - 1], width: w), vp.row(of: pts[k - 1], height: h),
                                  vp.column(of: pts[k], width: w), vp.row(of: pts[k], height: h), width: w, height: h) { x, y, _, _ in
                        guard x >= 0, y >= 0, x < w, y < h, layer.weight[y * w + x] > 0 else { return }
                        grid.restyle(x: rect.x + x, y: rect.y + y, routeStyle)
                    }
                }
            }
        }

        let marks = markers(map: input.map, state: input.state, viewport: vp, width: w, height: h, glyphs: glyphs,
                              canBlink: input.capabilities.blink, blinkPhase: input.blinkPhase,
                              selection: input.ui.selection, alerts: input.alerts)
        if let cone = input.cameraCone, cone.count >= 3 {
            shadeCone(cone, viewport: vp, rect: rect, fill: glyphs.coneFill, into: &grid)
        }
        var taken = [Bool](repeating: false, count: w * h)
        for m in marks { taken[m.y * w + m.x] = true }
        for label in layer.labels where !label.cells.contains(where: { taken[$0] }) {
            for k in 0..<label.characters.count {
                grid.put(String(label.characters[k]), x: rect.x + label.xs[k], y: rect.y + label.ys[k], style: label.style)
            }
        }
        for m in marks { grid.set(x: rect.x + m.x, y: rect.y + m.y, m.glyph, style: m.style) }

        if input.ui.showLegend ?? (w >= 100 && h >= 30) {
            drawLegend(glyphs: glyphs, rect: rect, language: input.language, into: &grid)
        }
    }

    /// The picked camera's view: the cells whose centre lies inside `polygon` take the
    /// cone's colour, keeping their text; empty ones get the `fill` glyph. Drawn before labels and markers, so it never
    /// hides either.
    static func shadeCone(_ polygon: [Point], viewport vp: MapViewport, rect: CellRect, fill: Character,
                          into grid: inout Grid) {
        let w = rect.width, h = rect.height
        let cols = polygon.map { vp.column(of: $0, width: w) }, rows = polygon.map { vp.row(of: $0, height: h) }
        guard let minC = cols.min(), let maxC = cols.max(), let minR = rows.min(), let maxR = rows.max(),
              minC.isFinite, maxC.isFinite, minR.isFinite, maxR.isFinite else { return }
        let x0 = Swift.max(0, Int(Swift.max(-1, minC).rounded(.down))), x1 = Swift.min(w - 1, Int(Swift.min(Double(w), maxC).rounded(.up)))
        let y0 = Swift.max(0, Int(Swift.max(-1, minR).rounded(.down))), y1 = Swift.min(h - 1, Int(Swift.min(Double(h), maxR).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                // Cell centres in the same column/row space as the polygon.
                let px = Double(x) + 0.5, py = Double(y) + 0.5
                var inside = false
                var j = polygon.count - 1
                for i in 0..<polygon.count {
                    let (xi, yi, xj, yj) = (cols[i], rows[i], cols[j], rows[j])
                    if (yi > py) != (yj > py), px < (xj - xi) * (py - yi) / (yj - yi) + xi { inside.toggle() }
                    j = i
                }
                guard inside else { continue }
                let cell = grid[rect.x + x, rect.y + y]
                if cell.text == " " {
                    // Empty ground in view gets the cone's own glyph, so the cone shows without colour too.
                    grid.set(x: rect.x + x, y: rect.y + y, fill, style: Style(.cameraCone))
                } else {
                    grid.restyle(x: rect.x + x, y: rect.y + y, Style(.cameraCone, cell.style.attributes.subtracting([.reverse])))
                }
            }
        }
    }

    /// The legend box in the map's bottom right corner.
    static func drawLegend(glyphs: MapGlyphs, rect: CellRect, language lang: InterfaceLanguage = .english, into grid: inout Grid) {
        let u = glyphs.unicode
        func w(_ key: String) -> String { lang.t(key) }
        typealias Part = (String, Style)
        let rows: [[Part]] = [
            [(String(glyphs.officerOnFoot), Style(.unitAvailable, [.bold])), (" " + w("legend.foot") + "  ", .normal),
             (String(glyphs.car), Style(.unitAvailable, [.bold])), (" " + w("legend.car"), .normal)],
            [(String(glyphs.unit(.car)), Style(.unitAvailable)), (" " + w("legend.free") + " ", .normal), (String(glyphs.unit(.car)), Style(.unitEnRoute)),
             (" " + w("legend.moving") + " ", .normal), (String(glyphs.unit(.car)), Style(.unitOnScene)), (" " + w("legend.scene"), .normal)],
            [(String(glyphs.incident(on: true)), Style(.incidentP1, [.bold])), (" " + w("legend.incident") + " P1 ", .normal),
             (String(glyphs.incident(on: true)), Style(.incidentP2, [.bold])), (" P2 ", .normal),
             (String(glyphs.incident(on: true)), Style(.incidentP3, [.bold])), (" P3", .normal)],
            [(String(glyphs.camera(facing: 45, fieldOfView: 90)), Style(.camera)), (" " + w("legend.camera") + "  ", .normal),
             (String(glyphs.camera(facing: 0, fieldOfView: 360)), Style(.camera)), (" " + w("legend.dome"), .normal)],
            [(String(glyphs.camera(facing: 90, fieldOfView: 90)), Style(.cameraOffline, [.dim])), (" " + w("legend.cameraOffline"), .normal)],
            [(String(glyphs.station), Style(.station, [.bold])), (" " + w("legend.station"), .normal)],
            [(u ? "━" : "=", Style(.roadMajor, [.bold])), (" " + w("legend.main") + "  ", .normal), (u ? "─" : "-", Style(.road)),
             (" " + w("legend.street") + "  ", .normal), (u ? "┄" : "-", Style(.roadFoot)), (" " + w("legend.path"), .normal)],
            [(u ? "─" : "-", Style(.route, [.bold])), (" " + w("legend.route") + "  ", .normal), (String(glyphs.area(.river)), Style(.river)),
             (" " + w("legend.water") + "  ", .normal), (String(glyphs.area(.park)), Style(.park)), (" " + w("legend.park"), .normal)],
        ]
        let inner = rows.map { $0.reduce(0) { $0 + DisplayWidth.of($1.0) } }.max() ?? 0
        let bw = inner + 4, bh = rows.count + 2
        guard rect.width >= bw + 2, rect.height >= bh + 2 else { return }
        let x0 = rect.x + rect.width - bw, y0 = rect.y + rect.height - bh
        Chrome.box(x: x0, y: y0, width: bw, height: bh, title: w("legend.title"), unicode: u, into: &grid)
        for (r, parts) in rows.enumerated() {
            var x = x0 + 2
            for (text, style) in parts { x += grid.put(text, x: x, y: y0 + 1 + r, style: style) }
        }
    }
}
