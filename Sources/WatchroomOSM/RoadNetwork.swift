import Foundation
import WatchroomCore
import WatchroomMapFormat

/// The simplified road network, ready to go into a map.
struct RoadNetworkBuild {
    var intersections: [Intersection] = []
    var streets: [Street] = []
    var segments: [Segment] = []
    var station: Station
    /// The feature key (`n123`, `w45`) of the station, if it came from an OSM feature.
    var stationKey: String?
    var stationSource: String
    /// Per profile: usable, kept and dropped length, and how far the station is from it.
    var profiles: [ImportProfileSummary]

    func apply(to map: PrecinctMap) -> PrecinctMap {
        var m = map
        m.intersections = intersections
        m.streets = streets
        m.segments = segments
        return m
    }
}

extension MapBuilder {
    /// Finds the station: `--station` (an id or LAT,LON), else the `amenity=police` nearest
    /// to the kept car network (a node of it marked in `network`), a building before a node.
    mutating func findStation(near network: [Bool]) throws -> (Station, String?, String) {
        let police = data.features.filter { $0.tags["amenity"] == "police" }
        func station(from f: Feature) -> Station? {
            guard let pos = centroid(f.geometry) else { return nil }
            let (name, roman) = OSMRules.names(f.tags)
            return Station(key: "station-" + f.key, name: name ?? "Police station", roman: roman, position: pos)
        }
        if let choice = options.station?.trimmingCharacters(in: .whitespaces) {
            let parts = choice.split(separator: ",")
            if parts.count == 2, let lat = Double(parts[0].trimmingCharacters(in: .whitespaces)),
               let lon = Double(parts[1].trimmingCharacters(in: .whitespaces)), (-90...90).contains(lat), (-180...180).contains(lon) {
                let p = projection.project(LatLon(lat: lat, lon: lon))
                return (Station(key: "station", name: "Police station", position: Point(x: MapBuilder.cm(p.x), y: MapBuilder.cm(p.y))),
                        nil, "--station \(lat),\(lon)")
            }
            guard let f = police.first(where: { $0.key == choice }) ?? data.features.first(where: { $0.key == choice }),
                  let st = station(from: f) else {
                let known = police.prefix(5).map(\.key).joined(separator: ", ")
                throw fail("--station \(choice): no such node or way in the extract (write n123 for node 123, w45 for way 45, or LAT,LON)"
                           + (known.isEmpty ? "" : "; amenity=police here: \(known)"))
            }
            return (st, f.key, "OSM \(f.key == choice ? choice : f.key), chosen with --station")
        }
        // A station building (a way) beats a node (often a police post or a kiosk); then
        // the one nearest the road network cars keep.
        var best: (Station, Feature, Double)?
        for f in police {
            guard let st = station(from: f) else { continue }
            var d = Double.infinity
            for v in network.indices where network[v] {
                let dx = positions[v].x - st.position.x, dy = positions[v].y - st.position.y
                d = Swift.min(d, dx * dx + dy * dy)
            }
            if case .node = f.geometry { d += 1e12 }
            if best == nil || d < best!.2 { best = (st, f, d) }
        }
        guard let (st, f, _) = best else {
            throw fail("no police station: the extract has no amenity=police node or way; pass --station LAT,LON (or the OSM id of the building, e.g. w123)")
        }
        let others = police.count - 1
        return (st, f.key, "OSM amenity=police \(f.key), line \(f.line)" + (others > 0 ? "; \(others) other amenity=police kept as landmarks, choose with --station" : ""))
    }

    mutating func buildGraph() throws -> RoadNetworkBuild {
        // Duplicate nodes: one canonical node per centimetre position.
        let nodeCount = data.nodeID.count
        var canon = [Int32](repeating: -1, count: nodeCount)
        var byPosition: [Point: Int32] = [:]
        var merged = 0
        for r in data.roadRefs where r >= 0 && canon[Int(r)] < 0 {
            let p = positions[Int(r)]
            if let c = byPosition[p] {
                canon[Int(r)] = c
                merged += 1
            } else {
                byPosition[p] = r
                canon[Int(r)] = r
            }
        }
        data.tally.add(DropReason.mergedNodes, count: merged)

        // Edges between consecutive usable nodes.
        var eu: [Int32] = [], ev: [Int32] = [], eAttr: [Int32] = [], eWay: [Int32] = []
        for (wi, w) in data.roadWays.enumerated() {
            var prev: Int32 = -1
            var made = 0
            for k in w.refStart..<(w.refStart + w.refCount) {
                let r = data.roadRefs[k]
                guard r >= 0 else { prev = -1; continue }
                let c = canon[Int(r)]
                if prev >= 0 && c != prev {
                    eu.append(prev); ev.append(c); eAttr.append(w.attr); eWay.append(Int32(wi))
                    made += 1
                }
                prev = c
            }
            if made == 0 { data.tally.add(DropReason.tooShort, line: w.line) }
        }
        var car = [Bool](repeating: false, count: eu.count)
        var foot = [Bool](repeating: false, count: eu.count)
        var keep = [Bool](repeating: true, count: eu.count)
        for e in 0..<eu.count {
            car[e] = data.attrs[Int(eAttr[e])].car
            foot[e] = data.attrs[Int(eAttr[e])].foot
        }

        // Lengths, and what each profile may use before anything is dropped.
        var edgeLength = [Double](repeating: 0, count: eu.count)
        var carUsable = 0.0, footUsable = 0.0
        for e in 0..<eu.count {
            edgeLength[e] = positions[Int(eu[e])].distance(to: positions[Int(ev[e])])
            if car[e] { carUsable += edgeLength[e] }
            if foot[e] { footUsable += edgeLength[e] }
        }
        func csr(_ reverse: Bool) -> (start: [Int32], target: [Int32]) {
            var start = [Int32](repeating: 0, count: nodeCount + 1)
            for e in 0..<eu.count where car[e] {
                let oneway = data.attrs[Int(eAttr[e])].oneway
                start[Int(reverse ? ev[e] : eu[e]) + 1] += 1
                if !oneway { start[Int(reverse ? eu[e] : ev[e]) + 1] += 1 }
            }
            for v in 0..<nodeCount { start[v + 1] += start[v] }
            var fill = start
            var target = [Int32](repeating: 0, count: Int(start[nodeCount]))
            for e in 0..<eu.count where car[e] {
                let oneway = data.attrs[Int(eAttr[e])].oneway
                let (a, b) = reverse ? (ev[e], eu[e]) : (eu[e], ev[e])
                target[Int(fill[Int(a)])] = b; fill[Int(a)] += 1
                if !oneway { target[Int(fill[Int(b)])] = a; fill[Int(b)] += 1 }
            }
            return (start, target)
        }
        func tallyWays(_ edges: [Int], _ reason: String) -> Int {
            var seen = Set<Int32>()
            var first: Int?
            for e in edges where seen.insert(eWay[e]).inserted {
                let line = data.roadWays[Int(eWay[e])].line
                first = min(first ?? line, line)
            }
            data.tally.add(reason, line: first, count: seen.count)
            return seen.count
        }

        // Cars: keep the largest strongly connected part, by length (from any road on it a
        // car reaches every other and gets back), wherever the station is.
        guard car.contains(true) else {
            throw fail("no road cars may use: every road way is closed to cars (access) or missing nodes")
        }
        let graph = csr(false)
        let component = GraphAlgorithms.stronglyConnectedComponents(count: nodeCount, start: graph.start, target: graph.target)
        var partLength: [Int32: Double] = [:]
        for e in 0..<eu.count where car[e] && component[Int(eu[e])] == component[Int(ev[e])] {
            partLength[component[Int(eu[e])], default: 0] += edgeLength[e]
        }
        // The longest; equal lengths by the lower component number (deterministic).
        guard let carPart = partLength.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key else {
            throw fail("no road cars can both enter and leave: every car road is a one-way dead end; check the oneway tags")
        }
        var closedToCars: [Int] = [], droppedCar: [Int] = []
        for e in 0..<eu.count where car[e] {
            if component[Int(eu[e])] == carPart && component[Int(ev[e])] == carPart { continue }
            car[e] = false
            if foot[e] { closedToCars.append(e) } else { keep[e] = false; droppedCar.append(e) }
        }
        let carWaysDropped = tallyWays(closedToCars, DropReason.carUnreachable) + tallyWays(droppedCar, DropReason.carUnreachableDropped)

        // On foot (one-way rules do not apply): keep the largest connected part, by length.
        var uf = UnionFind(count: nodeCount)
        for e in 0..<eu.count where keep[e] && foot[e] { uf.union(Int(eu[e]), Int(ev[e])) }
        var footLength: [Int: Double] = [:]
        for e in 0..<eu.count where keep[e] && foot[e] { footLength[uf.find(Int(eu[e])), default: 0] += edgeLength[e] }
        var footWaysDropped = 0
        if let footPart = footLength.max(by: { ($0.value, -$0.key) < ($1.value, -$1.key) })?.key {
            var carOnly: [Int] = [], droppedFoot: [Int] = []
            for e in 0..<eu.count where keep[e] && foot[e] && uf.find(Int(eu[e])) != footPart {
                foot[e] = false
                if car[e] { carOnly.append(e) } else { keep[e] = false; droppedFoot.append(e) }
            }
            footWaysDropped = tallyWays(carOnly, DropReason.footUnreachable) + tallyWays(droppedFoot, DropReason.footUnreachableDropped)
        }

        // The station: the chosen one, else the police station nearest the kept car network.
        var onCarNetwork = [Bool](repeating: false, count: nodeCount)
        for e in 0..<eu.count where car[e] { onCarNetwork[Int(eu[e])] = true; onCarNetwork[Int(ev[e])] = true }
        let (station, stationKey, stationSource) = try findStation(near: onCarNetwork)
        /// The distance from the station to the nearest road kept for a profile (nil when none).
        func stationDistance(_ usable: [Bool]) -> Double? {
            var best: Double?
            for e in 0..<eu.count where keep[e] && usable[e] {
                let d = Self.distance(station.position, positions[Int(eu[e])], positions[Int(ev[e])])
                best = Swift.min(best ?? d, d)
            }
            return best
        }
        var carKept = 0.0, footKept = 0.0
        for e in 0..<eu.count where keep[e] {
            if car[e] { carKept += edgeLength[e] }
            if foot[e] { footKept += edgeLength[e] }
        }
        let profiles = [
            ImportProfileSummary(profile: .cars, usableKm: carUsable / 1000, keptKm: carKept / 1000, waysDropped: carWaysDropped,
                                 stationMeters: stationDistance(car)),
            ImportProfileSummary(profile: .onFoot, usableKm: footUsable / 1000, keptKm: footKept / 1000, waysDropped: footWaysDropped,
                                 stationMeters: stationDistance(foot)),
        ]

        // Simplify: chains of degree-two nodes with the same attributes become one segment.
        func oneway(_ e: Int) -> Bool { car[e] && data.attrs[Int(eAttr[e])].oneway }
        var degree = [Int32](repeating: 0, count: nodeCount + 1)
        for e in 0..<eu.count where keep[e] { degree[Int(eu[e]) + 1] += 1; degree[Int(ev[e]) + 1] += 1 }
        var incStart = degree
        for v in 0..<nodeCount { incStart[v + 1] += incStart[v] }
        var fill = incStart
        var inc = [Int32](repeating: 0, count: Int(incStart[nodeCount]))
        for e in 0..<eu.count where keep[e] {
            inc[Int(fill[Int(eu[e])])] = Int32(e); fill[Int(eu[e])] += 1
            inc[Int(fill[Int(ev[e])])] = Int32(e); fill[Int(ev[e])] += 1
        }
        var junction = [Bool](repeating: false, count: nodeCount)
        for v in 0..<nodeCount {
            let d = incStart[v + 1] - incStart[v]
            if d == 0 { continue }
            if d != 2 { junction[v] = true; continue }
            let a = Int(inc[Int(incStart[v])]), b = Int(inc[Int(incStart[v]) + 1])
            if eAttr[a] != eAttr[b] || car[a] != car[b] || foot[a] != foot[b] || oneway(a) != oneway(b) {
                junction[v] = true
            } else if oneway(a) && (Int(ev[a]) == v) == (Int(ev[b]) == v) {
                junction[v] = true // both enter or both leave
            }
        }
        var visited = [Bool](repeating: false, count: eu.count)
        var out = RoadNetworkBuild(station: station, stationKey: stationKey, stationSource: stationSource, profiles: profiles)
        var nodeOut = [Int32](repeating: -1, count: nodeCount)
        var streetIndex: [String: Int] = [:]
        var streetClassLength: [[RoadClass: Double]] = []
        var wayUses: [Int32: Int] = [:]

        func nodeKey(_ v: Int) -> Int {
            if nodeOut[v] < 0 {
                nodeOut[v] = Int32(out.intersections.count)
                out.intersections.append(Intersection(key: "n\(data.nodeID[v])", position: positions[v], latLon: latLon(Int32(v))))
            }
            return Int(nodeOut[v])
        }
        func walk(from j: Int, edge e0: Int) {
            var path = [j]
            var cur = j
            var e = e0
            while true {
                visited[e] = true
                let next = Int(eu[e]) == cur ? Int(ev[e]) : Int(eu[e])
                path.append(next)
                if junction[next] { break }
                let a = Int(inc[Int(incStart[next])]), b = Int(inc[Int(incStart[next]) + 1])
                e = a == e ? b : a
                cur = next
                if visited[e] { break }
            }
            if oneway(e0) && Int(eu[e0]) != j { path.reverse() }
            let attr = data.attrs[Int(eAttr[e0])]
            let from = nodeKey(path[0]), to = nodeKey(path[path.count - 1])
            let points = path.map { positions[$0] }
            let length = Polyline.length(points)
            var street: Int?
            if let name = attr.name {
                if let s = streetIndex[name] { street = s } else {
                    street = out.streets.count
                    streetIndex[name] = out.streets.count
                    out.streets.append(Street(key: "s\(out.streets.count + 1)", name: name, roman: attr.roman, roadClass: attr.roadClass))
                    streetClassLength.append([:])
                }
                streetClassLength[street!][attr.roadClass, default: 0] += length
                if out.streets[street!].roman == nil, let r = attr.roman { out.streets[street!].roman = r }
            }
            let way = eWay[e0]
            let uses = wayUses[way, default: 0] + 1
            wayUses[way] = uses
            let wayID = data.roadWays[Int(way)].id
            let access: Access = car[e0] && foot[e0] ? .all : car[e0] ? .car : .foot
            out.segments.append(Segment(key: uses == 1 ? "w\(wayID)" : "w\(wayID)-\(uses)", street: street, from: from, to: to,
                                        shape: Array(points.dropFirst().dropLast()), oneway: oneway(e0),
                                        roadClass: attr.roadClass, speedKmh: car[e0] ? attr.speedKmh : attr.roadClass.defaultSpeedKmh,
                                        access: access, lengthMeters: length))
        }
        for e in 0..<eu.count where keep[e] && !visited[e] {
            if junction[Int(eu[e])] { walk(from: Int(eu[e]), edge: e) } else if junction[Int(ev[e])] { walk(from: Int(ev[e]), edge: e) }
        }
        // Closed chains with no junction (a ring on its own): start at one of its nodes.
        for e in 0..<eu.count where keep[e] && !visited[e] {
            junction[Int(eu[e])] = true
            walk(from: Int(eu[e]), edge: e)
        }
        // A street's class is the class of most of its length.
        for i in out.streets.indices {
            if let cls = streetClassLength[i].max(by: { $0.value < $1.value || ($0.value == $1.value && $0.key.rawValue > $1.key.rawValue) })?.key {
                out.streets[i].roadClass = cls
            }
        }
        return out
    }
}

extension MapBuilder {
    /// The distance from `p` to the straight piece `a`–`b`.
    static func distance(_ p: Point, _ a: Point, _ b: Point) -> Double {
        let dx = b.x - a.x, dy = b.y - a.y
        let len2 = dx * dx + dy * dy
        var t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0
        t = Swift.max(0, Swift.min(1, t))
        return p.distance(to: Point(x: a.x + dx * t, y: a.y + dy * t))
    }
}
