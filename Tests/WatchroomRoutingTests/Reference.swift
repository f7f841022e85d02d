import WatchroomCore
@testable import WatchroomRouting

/// The routing `RoadPosition` (by segment index), whatever else is imported.
typealias RoadPosition = WatchroomRouting.RoadPosition

/// A deliberately naive router written straight from the segment list, to check the
/// CSR graph and its queries against: Bellman-Ford over 64-bit distances, with the same
/// partial-position rules spelled out again.
struct Reference {
    struct Arc { var from: Int; var to: Int; var weight: UInt64 }

    let map: PrecinctMap
    let profile: RoutingProfile
    let traffic: Traffic
    /// Per segment: the live weight along and against, or nil when that way is not allowed.
    var along: [UInt64?] = []
    var against: [UInt64?] = []
    var arcs: [Arc] = []

    init(map: PrecinctMap, profile: RoutingProfile, traffic: Traffic) {
        self.map = map
        self.profile = profile
        self.traffic = traffic
        for (i, s) in map.segments.enumerated() {
            let speed: Double?
            switch profile {
            case .car: speed = s.access != .foot && s.speedKmh > 0 ? s.speedKmh / 3.6 : nil
            case .foot: speed = s.access != .car ? 1.4 : nil
            }
            guard let speed, !traffic.closed[i] else { along.append(nil); against.append(nil); continue }
            let factor = profile == .car ? traffic.factors[i] : 1
            let millis = s.lengthMeters / speed * 1000
            let w = UInt64(min(Double(1 << 30), max(0, (millis * factor).rounded())))
            along.append(w)
            arcs.append(Arc(from: s.from, to: s.to, weight: w))
            if profile == .foot || !s.oneway {
                against.append(w)
                arcs.append(Arc(from: s.to, to: s.from, weight: w))
            } else {
                against.append(nil)
            }
        }
    }

    static func partial(_ w: UInt64, _ f: Double) -> UInt64 { UInt64(Double(w) * min(1, max(0, f)) + 0.5) }

    func sources(_ p: RoadPosition) -> [(node: Int, cost: UInt64)] {
        let s = map.segments[p.segment]
        var out: [(Int, UInt64)] = []
        if p.fraction >= 1 { out.append((s.to, 0)) } else if let w = along[p.segment] { out.append((s.to, Self.partial(w, 1 - p.fraction))) }
        if p.fraction <= 0 { out.append((s.from, 0)) } else if let w = against[p.segment] { out.append((s.from, Self.partial(w, p.fraction))) }
        return out
    }

    func targets(_ p: RoadPosition) -> [(node: Int, cost: UInt64)] {
        let s = map.segments[p.segment]
        var out: [(Int, UInt64)] = []
        if p.fraction <= 0 { out.append((s.from, 0)) } else if let w = along[p.segment] { out.append((s.from, Self.partial(w, p.fraction))) }
        if p.fraction >= 1 { out.append((s.to, 0)) } else if let w = against[p.segment] { out.append((s.to, Self.partial(w, 1 - p.fraction))) }
        return out
    }

    func direct(_ a: RoadPosition, _ b: RoadPosition) -> UInt64? {
        guard a.segment == b.segment else { return nil }
        if a.fraction == b.fraction { return 0 }
        if b.fraction > a.fraction { return along[a.segment].map { Self.partial($0, b.fraction - a.fraction) } }
        return against[a.segment].map { Self.partial($0, a.fraction - b.fraction) }
    }

    /// Bellman-Ford from weighted seeds; `UInt64.max` for unreachable nodes.
    func distances(_ seeds: [(node: Int, cost: UInt64)]) -> [UInt64] {
        var d = [UInt64](repeating: .max, count: map.intersections.count)
        for s in seeds { d[s.node] = min(d[s.node], s.cost) }
        var changed = true
        while changed {
            changed = false
            for a in arcs where d[a.from] != .max && d[a.from] + a.weight < d[a.to] {
                d[a.to] = d[a.from] + a.weight
                changed = true
            }
        }
        return d
    }

    /// A straight off-road leg walked at 5 km/h (1.4 m/s), in whole milliseconds, written again.
    static func leg(_ meters: Double) -> UInt64 { UInt64(min(Double(1 << 30), (meters / 1.4 * 1000).rounded())) }

    /// Leg + road + leg, or nil when no road leads from `a` to `b`.
    func fastest(_ a: RoadAccess, _ b: RoadAccess) -> UInt64? {
        fastest(a.position, b.position).map { Self.leg(a.offRoadMeters) + $0 + Self.leg(b.offRoadMeters) }
    }

    func fastest(_ a: RoadPosition, _ b: RoadPosition) -> UInt64? {
        let d = distances(sources(a))
        var best = direct(a, b) ?? .max
        for t in targets(b) where d[t.node] != .max { best = min(best, d[t.node] + t.cost) }
        return best == .max ? nil : best
    }
}

/// Seeded random test maps: 5-40 nodes, a spanning tree plus extra segments, curves,
/// one-ways, car-only and foot-only segments, parallel segments and the odd loop.
enum TestMaps {
    static func random(seed: UInt64) -> PrecinctMap {
        var rng = SplitMix64(seed: seed)
        let n = 5 + rng.nextInt(below: 36)
        var map = PrecinctMap(key: "random-\(seed)", name: "随机", roman: "Random", timeZone: "Asia/Shanghai")
        for i in 0..<n {
            map.intersections.append(Intersection(key: "n\(i)", position: Point(x: rng.nextUnit() * 1000, y: rng.nextUnit() * 1000)))
        }
        map.streets = [Street(key: "a", name: "甲街", roman: "Jia Street", roadClass: .residential),
                       Street(key: "b", name: "乙路", roman: "Yi Road", roadClass: .primary)]
        func add(_ a: Int, _ b: Int) {
            var shape: [Point] = []
            if rng.nextUnit() < 0.2 || a == b {
                let pa = map.intersections[a].position
                shape = [Point(x: pa.x + rng.nextUnit() * 80 - 40, y: pa.y + rng.nextUnit() * 80 - 40),
                         Point(x: pa.x + rng.nextUnit() * 80 - 40, y: pa.y + rng.nextUnit() * 80 - 40)]
            }
            let classes: [RoadClass] = [.primary, .residential, .service, .footway, .trunk, .livingStreet]
            let cls = classes[rng.nextInt(below: classes.count)]
            let length = Polyline.length([map.intersections[a].position] + shape + [map.intersections[b].position])
            map.segments.append(Segment(key: "s\(map.segments.count)", street: rng.nextUnit() < 0.8 ? rng.nextInt(below: 2) : nil,
                                        from: a, to: b, shape: shape, oneway: rng.nextUnit() < 0.3, roadClass: cls,
                                        speedKmh: cls.defaultSpeedKmh, access: cls.defaultAccess, lengthMeters: max(0.5, length)))
        }
        for i in 1..<n { add(rng.nextInt(below: i), i) }
        for _ in 0..<rng.nextInt(below: n + 1) { add(rng.nextInt(below: n), rng.nextInt(below: n)) }
        return map
    }

    static func randomTraffic(_ map: PrecinctMap, _ rng: inout SplitMix64) -> Traffic {
        var t = Traffic(map: map)
        for s in map.segments.indices {
            if rng.nextUnit() < 0.3 { t.setFactor(0.5 + rng.nextUnit() * 3.5, forSegment: s) }
            if rng.nextUnit() < 0.08 { t.setClosed(true, segment: s) }
        }
        return t
    }

    /// A random position with an off-road leg: none half the time, else up to 600 m.
    static func randomAccess(_ map: PrecinctMap, _ rng: inout SplitMix64) -> RoadAccess {
        let p = randomPosition(map, &rng)
        return RoadAccess(position: p, offRoadMeters: rng.nextUnit() < 0.5 ? 0 : rng.nextUnit() * 600)
    }

    static func randomPosition(_ map: PrecinctMap, _ rng: inout SplitMix64) -> RoadPosition {
        let s = rng.nextInt(below: map.segments.count)
        let r = rng.nextUnit()
        let f = r < 0.08 ? 0 : r < 0.16 ? 1 : rng.nextUnit()
        return RoadPosition(segment: s, fraction: f)
    }
}
