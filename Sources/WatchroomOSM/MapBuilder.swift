import Foundation
import WatchroomCore
import WatchroomMapFormat

/// Turns what the reader collected into a precinct map: projection, duplicate nodes,
/// reachability from the station, degree-two simplification, streets and features.
struct MapBuilder {
    var data: OSMData
    let options: OSMImportOptions
    let file: String
    var report = OSMImportReport()

    init(data: OSMData, options: OSMImportOptions, file: String) {
        self.data = data
        self.options = options
        self.file = file
    }

    func fail(_ message: String) -> OSMImportError {
        OSMImportError(file: file, line: 0, column: 0, message: message)
    }

    // Projection state.
    var projection = LocalProjection(origin: LatLon(lat: 0, lon: 0))
    var positions: [Point] = []

    static func cm(_ v: Double) -> Double { (v * 100).rounded() / 100 }

    func latLon(_ i: Int32) -> LatLon { LatLon(lat: Double(data.lat7[Int(i)]) / 1e7, lon: Double(data.lon7[Int(i)]) / 1e7) }

    mutating func build() throws -> OSMImportResult {
        report.bytesRead = data.bytes
        report.osmNodes = data.nodeID.count
        report.roadWays = data.roadWays.count
        guard !data.roadWays.isEmpty else {
            throw fail("no roads: the extract has no ways with a highway tag Watchroom routes on (is the bounding box right?)")
        }

        // Origin: the centre of --bbox, else of the road nodes.
        let origin: LatLon
        if let b = options.bbox {
            origin = LatLon(lat: (b.south + b.north) / 2, lon: (b.west + b.east) / 2)
        } else {
            var lo = (Int32.max, Int32.max), hi = (Int32.min, Int32.min)
            for r in data.roadRefs where r >= 0 {
                lo = (min(lo.0, data.lat7[Int(r)]), min(lo.1, data.lon7[Int(r)]))
                hi = (max(hi.0, data.lat7[Int(r)]), max(hi.1, data.lon7[Int(r)]))
            }
            guard lo.0 <= hi.0 else {
                // Fully unsorted input (every way before its nodes) lands here: say how to sort it.
                let unsorted = data.tally.count(DropReason.unsorted) > 0
                    ? "; nodes come after ways (the file is not sorted): run `osmium sort \(file) -o sorted.osm` and import that" : ""
                throw fail("no roads: every road way references nodes missing from the extract" + unsorted)
            }
            origin = LatLon(lat: (Double(lo.0) + Double(hi.0)) / 2e7, lon: (Double(lo.1) + Double(hi.1)) / 2e7)
        }
        let roundedOrigin = LatLon(lat: (origin.lat * 1e6).rounded() / 1e6, lon: (origin.lon * 1e6).rounded() / 1e6)
        projection = LocalProjection(origin: roundedOrigin)
        positions = (0..<data.nodeID.count).map { i in
            let p = projection.project(latLon(Int32(i)))
            return Point(x: MapBuilder.cm(p.x), y: MapBuilder.cm(p.y))
        }

        let graph = try buildGraph()
        var map = PrecinctMap(key: "x", name: "x", timeZone: "UTC", origin: roundedOrigin)
        if let b = options.bbox {
            let sw = projection.project(LatLon(lat: b.south, lon: b.west))
            let ne = projection.project(LatLon(lat: b.north, lon: b.east))
            map.declaredBounds = Rect(min: Point(x: (sw.x * 10).rounded(.down) / 10, y: (sw.y * 10).rounded(.down) / 10),
                                      max: Point(x: (ne.x * 10).rounded(.up) / 10, y: (ne.y * 10).rounded(.up) / 10))
        }
        map = graph.apply(to: map)
        map.station = graph.station
        let st = graph.station.position
        if let declared = map.declaredBounds {
            guard declared.contains(st) else {
                throw fail("the station (\(graph.stationSource)) lies outside --bbox: widen the box or choose another with --station")
            }
        } else if let fb = data.fileBounds {
            // The extract's <bounds>, grown to hold the network and the station.
            let sw = projection.project(LatLon(lat: fb.0, lon: fb.1))
            let ne = projection.project(LatLon(lat: fb.2, lon: fb.3))
            map.declaredBounds = MapBuilder.grown(Rect(min: sw, max: ne), toHold: [map.bounds.min, map.bounds.max, st])
        } else if !map.bounds.contains(st) {
            // The network's box plus 100 m, grown to hold a station placed away from the roads.
            map.declaredBounds = MapBuilder.grown(map.bounds, toHold: [st])
        }
        report.stationName = graph.station.name
        report.stationSource = graph.stationSource
        report.profiles = graph.profiles
        addFeatures(to: &map, graph: graph)

        // Header.
        let name = OSMRules.clean(options.name) ?? "Imported precinct"
        map.name = name
        map.roman = OSMRules.clean(options.roman)
        map.key = options.key ?? MapBuilder.slug(name)
        if let tz = options.timeZone {
            guard TimeZone(identifier: tz) != nil else {
                throw fail("unknown time zone \"\(tz)\": give an IANA zone such as Asia/Shanghai or Europe/Berlin")
            }
            map.timeZone = tz
        } else if let tag = data.timezoneTag, TimeZone(identifier: tag.zone) != nil {
            map.timeZone = tag.zone
            report.timeZoneSource = "from the timezone tag of OSM \(tag.source)"
        } else {
            map.timeZone = MapBuilder.guessTimeZone(lon: roundedOrigin.lon)
            report.timeZoneGuessed = true
        }
        report.timeZone = map.timeZone

        // Write, then read back through the checker: the imported map is exactly what
        // every other command will load.
        let tc = DispatchTime.now().uptimeNanoseconds
        let text = MapFormat.write(map)
        let checked = MapFormat.check(text: text, file: "<import>")
        report.checkSeconds = Double(DispatchTime.now().uptimeNanoseconds - tc) / 1e9
        guard !checked.hasErrors, let loaded = checked.map else {
            let first = checked.diagnostics.filter { $0.severity == .error }.prefix(5).map { "\($0)" }.joined(separator: "; ")
            throw fail("internal error: the imported map does not pass `map check` (\(checked.errorCount) errors: \(first)); please report this with the input file")
        }
        report.intersections = loaded.intersections.count
        report.segments = loaded.segments.count
        report.streets = loaded.streets.count
        report.onewaySegments = loaded.segments.filter(\.oneway).count
        report.carKm = loaded.segments.filter { $0.access.allowsCar }.reduce(0) { $0 + $1.lengthMeters } / 1000
        report.footKm = loaded.segments.filter { $0.access.allowsFoot }.reduce(0) { $0 + $1.lengthMeters } / 1000
        report.cameras = loaded.cameras.count
        report.addresses = loaded.addresses.count
        report.landmarks = loaded.landmarks.count
        report.areas = loaded.areas.count
        report.tally = data.tally
        return OSMImportResult(map: loaded, text: text, report: report)
    }

    /// `r` grown to hold `points` with 10 m to spare, its corners on a 10 cm grid.
    static func grown(_ r: Rect, toHold points: [Point]) -> Rect {
        var lo = r.min, hi = r.max
        for p in points {
            lo = Point(x: min(lo.x, p.x - 10), y: min(lo.y, p.y - 10))
            hi = Point(x: max(hi.x, p.x + 10), y: max(hi.y, p.y + 10))
        }
        return Rect(min: Point(x: (lo.x * 10).rounded(.down) / 10, y: (lo.y * 10).rounded(.down) / 10),
                    max: Point(x: (hi.x * 10).rounded(.up) / 10, y: (hi.y * 10).rounded(.up) / 10))
    }

    /// A precinct key from a name: ASCII letters and digits, `-` between words.
    static func slug(_ s: String) -> String {
        var out = ""
        for u in s.lowercased().unicodeScalars {
            if (u >= "a" && u <= "z") || (u >= "0" && u <= "9") { out.unicodeScalars.append(u) }
            else if !out.isEmpty && !out.hasSuffix("-") { out += "-" }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "imported" : String(out.prefix(40))
    }

    /// `Etc/GMT-8` for longitude 120 (POSIX signs are inverted), `UTC` at 0.
    static func guessTimeZone(lon: Double) -> String {
        let h = Int((lon / 15).rounded())
        let id = h == 0 ? "UTC" : "Etc/GMT" + (h > 0 ? "-\(h)" : "+\(-h)")
        return TimeZone(identifier: id) != nil ? id : "UTC"
    }

    // MARK: - Features

    func centroid(_ g: FeatureGeometry) -> Point? {
        switch g {
        case .node(let i): return positions[Int(i)]
        case .way(let start, let count, _):
            var pts: [Point] = []
            for k in start..<(start + count) where data.featureRefs[k] >= 0 { pts.append(positions[Int(data.featureRefs[k])]) }
            return MapBuilder.centroid(pts)
        }
    }

    /// The area centroid of a closed ring, else the mean of the points.
    static func centroid(_ ptsIn: [Point]) -> Point? {
        guard !ptsIn.isEmpty else { return nil }
        var pts = ptsIn
        if pts.count > 1, pts.first == pts.last { pts.removeLast() }
        var a = 0.0, cx = 0.0, cy = 0.0
        if pts.count >= 3 {
            let o = pts[0]
            for i in 0..<pts.count {
                let p = Point(x: pts[i].x - o.x, y: pts[i].y - o.y)
                let q = Point(x: pts[(i + 1) % pts.count].x - o.x, y: pts[(i + 1) % pts.count].y - o.y)
                let c = p.x * q.y - q.x * p.y
                a += c; cx += (p.x + q.x) * c; cy += (p.y + q.y) * c
            }
            if abs(a) > 1e-6 {
                return Point(x: cm(o.x + cx / (3 * a)), y: cm(o.y + cy / (3 * a)))
            }
        }
        let n = Double(pts.count)
        return Point(x: cm(pts.reduce(0) { $0 + $1.x } / n), y: cm(pts.reduce(0) { $0 + $1.y } / n))
    }

    func ring(_ g: FeatureGeometry) -> [Point]? {
        guard case .way(let start, let count, let missing) = g, !missing, count >= 4,
              data.featureRefs[start] == data.featureRefs[start + count - 1] else { return nil }
        return cleanRing((start..<(start + count - 1)).map { positions[Int(data.featureRefs[$0])] })
    }

    func cleanRing(_ pts: [Point]) -> [Point]? {
        var out: [Point] = []
        for p in pts where out.last != p { out.append(p) }
        while out.count > 1 && out.first == out.last { out.removeLast() }
        return out.count >= 3 ? out : nil
    }

    mutating func addFeatures(to map: inout PrecinctMap, graph: RoadNetworkBuild) {
        let bounds = map.bounds
        var streetByName: [String: Int] = [:]
        for (i, s) in map.streets.enumerated() { streetByName[s.name] = i }
        var keys = Set<String>()
        func unique(_ k: String) -> String {
            var key = k, n = 2
            while keys.contains(key) { key = "\(k)-\(n)"; n += 1 }
            keys.insert(key)
            return key
        }
        var dropsOutside = 0, firstOutside: Int?
        func inside(_ p: Point, _ line: Int) -> Bool {
            if bounds.contains(p) { return true }
            dropsOutside += 1
            if firstOutside == nil { firstOutside = line }
            return false
        }
        for f in data.features {
            let t = f.tags
            if t["amenity"] == "police" && f.key == graph.stationKey { continue }
            let (name, roman) = OSMRules.names(t)
            // Cameras.
            if t["man_made"] == "surveillance" {
                if case .node = f.geometry, let pos = centroid(f.geometry) {
                    if let cam = OSMRules.camera(t) {
                        if !cam.directionKnown { data.tally.add(DropReason.cameraNoDirection, line: f.line) }
                        if inside(pos, f.line) {
                            map.cameras.append(Camera(key: unique("cam-" + f.key), name: name ?? OSMRules.clean(t["ref"]) ?? "camera \(f.key)",
                                                      position: pos, facing: cam.facing, fieldOfView: cam.fov, range: cam.range, kind: cam.kind))
                        }
                    } else {
                        data.tally.add(DropReason.cameraNotCamera, line: f.line)
                    }
                }
            }
            // Addresses.
            if let number = OSMRules.clean(t["addr:housenumber"]) {
                if let streetName = OSMRules.clean(t["addr:street"]) {
                    if let canonical = data.streetAliases[streetName], let si = streetByName[canonical], let pos = centroid(f.geometry) {
                        if inside(pos, f.line) {
                            map.addresses.append(Address(key: unique("addr-" + f.key), street: si, number: number, position: pos, name: name))
                        }
                    } else {
                        data.tally.add(DropReason.addressUnknownStreet, line: f.line)
                    }
                } else {
                    data.tally.add(DropReason.addressNoStreet, line: f.line)
                }
            }
            // Landmarks.
            if let kind = OSMRules.landmarkKind(t) {
                if let name, let pos = centroid(f.geometry) {
                    if t["amenity"] == "police" { data.tally.add(DropReason.otherPolice, line: f.line) }
                    if inside(pos, f.line) {
                        map.landmarks.append(Landmark(key: unique("lm-" + f.key), name: name, roman: roman, kind: kind, position: pos))
                    }
                } else if t["amenity"] != nil {
                    data.tally.add(DropReason.unnamedLandmark, line: f.line)
                }
            }
            // Areas.
            if case .way = f.geometry {
                if let kind = OSMRules.areaKind(t, buildings: options.buildings) {
                    if let pts = ring(f.geometry) {
                        if Rect(enclosing: pts).map({ overlaps($0, bounds) }) ?? false {
                            map.areas.append(Area(key: unique("area-" + f.key), kind: kind, name: name, roman: roman, points: pts))
                        } else {
                            data.tally.add(DropReason.areaOutside, line: f.line)
                        }
                    } else {
                        data.tally.add(DropReason.areaNotClosed, line: f.line)
                    }
                } else if t["building"] != nil && t["building"] != "no" && !options.buildings {
                    data.tally.add(DropReason.buildingsSkipped, line: f.line)
                }
            }
        }
        // Multipolygons: each closed outer ring becomes an area (holes are not drawn).
        for mp in data.multipolygons {
            guard let kind = OSMRules.areaKind(mp.tags, buildings: options.buildings) else {
                if mp.tags["building"] != nil { data.tally.add(DropReason.buildingsSkipped, line: mp.line) }
                continue
            }
            let (name, roman) = OSMRules.names(mp.tags)
            var pieces: [[Int32]] = []
            var broken = false
            for w in mp.outers {
                guard let r = data.memberWays[w] else { broken = true; continue }
                let refs = Array(data.memberRefs[r.start..<(r.start + r.count)])
                if refs.contains(-1) || refs.count < 2 { broken = true; continue }
                pieces.append(refs)
            }
            let (rings, open) = MapBuilder.assembleRings(pieces)
            if broken || open > 0 { data.tally.add(DropReason.multipolygonOpen, line: mp.line) }
            for (k, ringRefs) in rings.enumerated() {
                guard let pts = cleanRing(ringRefs.dropLast().map { positions[Int($0)] }), let box = Rect(enclosing: pts) else { continue }
                guard overlaps(box, bounds) else { data.tally.add(DropReason.areaOutside, line: mp.line); continue }
                map.areas.append(Area(key: unique("area-r\(mp.id)" + (rings.count > 1 ? "-\(k + 1)" : "")), kind: kind,
                                      name: name, roman: roman, points: pts))
            }
        }
        data.tally.add(DropReason.outsideMap, line: firstOutside, count: dropsOutside)
    }

    func overlaps(_ a: Rect, _ b: Rect) -> Bool {
        a.min.x <= b.max.x && a.max.x >= b.min.x && a.min.y <= b.max.y && a.max.y >= b.min.y
    }

    /// Joins way pieces end to end into closed rings. Returns the rings (first == last)
    /// and how many pieces were left over.
    static func assembleRings(_ input: [[Int32]]) -> (rings: [[Int32]], open: Int) {
        var pieces = input
        var rings: [[Int32]] = []
        var open = 0
        while let first = pieces.popLast() {
            var ring = first
            var progress = true
            while ring.first != ring.last && progress {
                progress = false
                for (i, p) in pieces.enumerated() {
                    if p.first == ring.last { ring += p.dropFirst() }
                    else if p.last == ring.last { ring += p.reversed().dropFirst() }
                    else { continue }
                    pieces.remove(at: i)
                    progress = true
                    break
                }
            }
            if ring.first == ring.last && ring.count >= 4 { rings.append(ring) } else { open += 1 }
        }
        return (rings, open)
    }
}
