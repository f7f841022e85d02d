import Foundation
import WatchroomCore
import WatchroomTestSupport

/// What the rules should make of Fixtures/osm/district.osm, written down by hand from the
/// fixture's ways, and shortest paths computed on it with Floyd–Warshall: an independent
/// reference for the importer and the router.
enum DistrictReference {
    static var path: String { CLIRunner.packageRoot.appendingPathComponent("Fixtures/osm/district.osm").path }

    static func bytes() throws -> [UInt8] { Array(try Data(contentsOf: URL(fileURLWithPath: path))) }

    /// One way as the rules read it: nodes in driving order, car speed, one-way.
    struct Way { var id: Int; var nodes: [Int]; var kmh: Double; var oneway: Bool }

    /// Ways patrol cars may use after pruning (w107 is a one-way trap, w111 is cut off,
    /// w108 private, w115 reversible, w109/110/112/120 foot only, w113 a track: on foot only).
    static let carWays: [Way] = [
        Way(id: 100, nodes: [1, 10, 2, 3], kmh: 30, oneway: false),
        Way(id: 101, nodes: [4, 5, 6], kmh: 32.19, oneway: false),        // 20 mph
        Way(id: 102, nodes: [7, 8, 9], kmh: 60, oneway: false),           // RU:urban
        Way(id: 103, nodes: [1, 4, 7], kmh: 40, oneway: true),            // secondary default
        Way(id: 104, nodes: [3, 6, 9], kmh: 30, oneway: true),            // oneway=-1, maxspeed=none
        Way(id: 105, nodes: [2, 5, 8], kmh: 6, oneway: false),            // walk
        Way(id: 106, nodes: [3, 20, 21, 3], kmh: 35, oneway: true),       // roundabout
        Way(id: 114, nodes: [7, 61], kmh: 25, oneway: false),             // cut at missing node 999
        Way(id: 116, nodes: [2, 63], kmh: 10, oneway: false),             // living_street, destination
        Way(id: 118, nodes: [5, 71], kmh: 25, oneway: false),             // node 70 duplicates node 5
        Way(id: 119, nodes: [6, 72], kmh: 25, oneway: false),             // access=no, emergency=yes
    ]

    /// Ways officers on foot may use (both ways, 1.4 m/s).
    static let footWays: [[Int]] = [
        [1, 10, 2, 3], [4, 5, 6], [7, 8, 9], [1, 4, 7], [3, 6, 9], [2, 5, 8], [3, 20, 21, 3], [6, 30],
        [8, 32, 33], [33, 34], [7, 61], [4, 62], [2, 63], [5, 71], [7, 73, 74],
        [9, 40],   // w113, a track: open to walkers by OpenStreetMap's default rules
    ]

    /// Node coordinates straight from the fixture's text.
    static func coordinates() throws -> [Int: LatLon] {
        let text = String(decoding: try bytes(), as: UTF8.self)
        let re = try NSRegularExpression(pattern: #"<node id="(\d+)" lat="([0-9.]+)" lon="([0-9.]+)""#)
        var out: [Int: LatLon] = [:]
        for m in re.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
            func g(_ i: Int) -> String { String(text[Range(m.range(at: i), in: text)!]) }
            let id = Int(g(1))!
            if out[id] == nil { out[id] = LatLon(lat: Double(g(2))!, lon: Double(g(3))!) }
        }
        return out
    }

    /// All-pairs fastest times in milliseconds over OSM node ids.
    struct AllPairs {
        var ids: [Int]
        var dist: [[Double]]
        func millis(_ a: Int, _ b: Int) -> Double {
            dist[ids.firstIndex(of: a)!][ids.firstIndex(of: b)!]
        }
    }

    static func floydWarshall(edges: [(Int, Int, Double)]) -> AllPairs {
        let ids = Array(Set(edges.flatMap { [$0.0, $0.1] })).sorted()
        let n = ids.count
        var d = [[Double]](repeating: [Double](repeating: .infinity, count: n), count: n)
        for i in 0..<n { d[i][i] = 0 }
        for (a, b, w) in edges {
            let i = ids.firstIndex(of: a)!, j = ids.firstIndex(of: b)!
            d[i][j] = min(d[i][j], w)
        }
        for k in 0..<n { for i in 0..<n where d[i][k] < .infinity { for j in 0..<n where d[i][k] + d[k][j] < d[i][j] {
            d[i][j] = d[i][k] + d[k][j]
        } } }
        return AllPairs(ids: ids, dist: d)
    }

    /// Floyd–Warshall on the car ways, lengths measured in `projection`.
    static func carTimes(projection: LocalProjection) throws -> AllPairs {
        let c = try coordinates()
        var edges: [(Int, Int, Double)] = []
        for w in carWays {
            for (a, b) in zip(w.nodes, w.nodes.dropFirst()) {
                let ms = projection.project(c[a]!).distance(to: projection.project(c[b]!)) / (w.kmh / 3.6) * 1000
                edges.append((a, b, ms))
                if !w.oneway { edges.append((b, a, ms)) }
            }
        }
        return floydWarshall(edges: edges)
    }

    static func footTimes(projection: LocalProjection) throws -> AllPairs {
        let c = try coordinates()
        var edges: [(Int, Int, Double)] = []
        for w in footWays {
            for (a, b) in zip(w, w.dropFirst()) {
                let ms = projection.project(c[a]!).distance(to: projection.project(c[b]!)) / 1.4 * 1000
                edges.append((a, b, ms)); edges.append((b, a, ms))
            }
        }
        return floydWarshall(edges: edges)
    }
}
