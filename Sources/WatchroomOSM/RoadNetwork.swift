import Foundation
import WatchroomCore

/// The simplified road network, ready to go into a map.
struct RoadNetworkBuild {
    var intersections: [Intersection] = []
    var streets: [Street] = []
    var segments: [Segment] = []
    var station: Station
    /// The feature key (`n123`, `w45`) of the station, if it came from an OSM feature.
    var stationKey: String?
    var stationSource: String

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
    /// to the middle of the road network.
    mutating func findStation() throws -> (Station, String?, String) {
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
        // the one nearest the middle of the road network.
        var best: (Station, Feature, Double)?
        for f in police {
            guard let st = station(from: f) else { continue }
            var d = st.position.x * st.position.x + st.position.y * st.position.y
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

        let (station, stationKey, stationSource) = try findStation()
        func nearest(_ touched: [Bool]) -> Int? {
            var best: Int?
            var bestD = Double.infinity
            for v in 0..<nodeCount where touched[v] {
                let d = positions[v].distance(to: station.position)
                if d < bestD { bestD = d; best = v }
            }
            return best
        }
        func tallyWays(_ edges: [Int], _ reason: String) {
            var seen = Set<Int32>()
            var first: Int?
            for e in edges where seen.insert(eWay[e]).inserted {
                let line = data.roadWays[Int(eWay[e])].line
                first = min(first ?? line, line)
            }
            data.tally.add(reason, line: first, count: seen.count)
        }

        // Cars: keep the strongly connected component of the station's nearest node
        // (reachable from it and able to drive back).
        var carTouch = [Bool](repeating: false, count: nodeCount)
        for e in 0..<eu.count where car[e] { carTouch[Int(eu[e])] = true; carTouch[Int(ev[e])] = true }
        guard let carHome = nearest(carTouch) else {
            throw fail("no road cars may use: every road way is closed to cars (access) or missing nodes")
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
        func reach(_ g: (start: [Int32], target: [Int32]), from s: Int) -> [Bool] {
            var seen = [Bool](repeating: false, count: nodeCount)
            var queue = [Int32(s)]
            seen[s] = true
            var h = 0
            while h < queue.count {
                let v = Int(queue[h]); h += 1
                for k in Int(g.start[v])..<Int(g.start[v + 1]) {
                    let w = Int(g.target[k])
                    if !seen[w] { seen[w] = true; queue.append(Int32(w)) }
                }
            }
            return seen
        }
        let fromHome = reach(csr(false), from: carHome)
        let toHome = reach(csr(true), from: carHome)
        var closedToCars: [Int] = [], droppedCar: [Int] = []
        for e in 0..<eu.count where car[e] {
            let u = Int(eu[e]), v = Int(ev[e])
            if fromHome[u] && toHome[u] && fromHome[v] && toHome[v] { continue }
            car[e] = false
            if foot[e] { closedToCars.append(e) } else { keep[e] = false; droppedCar.append(e) }
        }
        tallyWays(closedToCars, DropReason.carUnreachable)
        tallyWays(droppedCar, DropReason.carUnreachableDropped)

        // On foot: keep the connected piece of the station's nearest node.
        var footTouch = [Bool](repeating: false, count: nodeCount)
        var parent = (0..<Int32(nodeCount)).map { $0 }
        func find(_ x0: Int32) -> Int32 {
            var x = x0
            while parent[Int(x)] != x { parent[Int(x)] = parent[Int(parent[Int(x)])]; x = parent[Int(x)] }
            return x
        }
        for e in 0..<eu.count where keep[e] && foot[e] {
            footTouch[Int(eu[e])] = true; footTouch[Int(ev[e])] = true
            let a = find(eu[e]), b = find(ev[e])
            if a != b { parent[Int(a)] = b }
        }
        if let footHome = nearest(footTouch) {
            let root = find(Int32(footHome))
            var carOnly: [Int] = [], droppedFoot: [Int] = []
            for e in 0..<eu.count where keep[e] && foot[e] && find(eu[e]) != root {
                foot[e] = false
                if car[e] { carOnly.append(e) } else { keep[e] = false; droppedFoot.append(e) }
            }
            tallyWays(carOnly, DropReason.footUnreachable)
            tallyWays(droppedFoot, DropReason.footUnreachableDropped)
        }

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
        var out = RoadNetworkBuild(station: station, stationKey: stationKey, stationSource: stationSource)
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
