import WatchroomCore

/// Look-ups the map view needs, built once per map.
struct MapIndex {
    /// Segment index by key.
    let segmentByKey: [String: Int]
    /// For each intersection: its segments and whether the segment starts there.
    let incidence: [[(segment: Int, starts: Bool)]]
    /// Camera index by key.
    let cameraByKey: [String: Int]
    /// Street draw weight (1 footpath, 2 street, 3 major road) by street index.
    let mapKey: String
    let counts: [Int]

    init(_ map: PrecinctMap) {
        var byKey: [String: Int] = [:]
        var inc = Array(repeating: [(segment: Int, starts: Bool)](), count: map.intersections.count)
        for (i, s) in map.segments.enumerated() {
            byKey[s.key] = i
            if inc.indices.contains(s.from) { inc[s.from].append((i, true)) }
            if inc.indices.contains(s.to) { inc[s.to].append((i, false)) }
        }
        segmentByKey = byKey
        incidence = inc
        var cams: [String: Int] = [:]
        for (i, c) in map.cameras.enumerated() { cams[c.key] = i }
        cameraByKey = cams
        mapKey = map.key
        counts = [map.intersections.count, map.segments.count, map.streets.count, map.areas.count, map.cameras.count]
    }

    /// Whether this index was built from `map` (same key and entity counts).
    func matches(_ map: PrecinctMap) -> Bool {
        mapKey == map.key
            && counts == [map.intersections.count, map.segments.count, map.streets.count, map.areas.count, map.cameras.count]
    }

    /// The polyline of a segment, or empty when its indices are broken.
    static func polyline(_ map: PrecinctMap, _ i: Int) -> [Point] {
        guard map.segments.indices.contains(i) else { return [] }
        let s = map.segments[i]
        guard map.intersections.indices.contains(s.from), map.intersections.indices.contains(s.to) else { return [] }
        return map.polyline(ofSegment: i)
    }

    /// 1 footpath, 2 street, 3 major road.
    static func weight(_ c: RoadClass) -> UInt8 {
        switch c {
        case .motorway, .trunk, .primary, .secondary, .motorwayLink, .trunkLink, .primaryLink, .secondaryLink: return 3
        case .pedestrian, .footway, .path, .steps: return 1
        default: return 2
        }
    }
}
