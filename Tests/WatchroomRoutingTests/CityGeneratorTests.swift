import XCTest
import WatchroomCore
@testable import WatchroomRouting
#if canImport(CDijkstra)
import CDijkstra
#endif

final class CityGeneratorTests: XCTestCase {
    func testDeterministicForASeed() {
        let a = CityGenerator.generate(intersections: 3_000, seed: 11)
        let b = CityGenerator.generate(intersections: 3_000, seed: 11)
        let c = CityGenerator.generate(intersections: 3_000, seed: 12)
        XCTAssertEqual(a.intersections, b.intersections)
        XCTAssertEqual(a.segments, b.segments)
        XCTAssertEqual(a.streets, b.streets)
        XCTAssertEqual(a.landmarks, b.landmarks)
        XCTAssertNotEqual(a.segments, c.segments)
    }

    func testExactSizeNamesAndPlaces() {
        for n in [4, 5, 17, 1_000, 1_001] {
            let city = CityGenerator.generate(intersections: n, seed: 1)
            XCTAssertEqual(city.intersections.count, n)
            XCTAssertNotNil(city.station)
            XCTAssertEqual(Set(city.streets.map(\.name)).count, city.streets.count, "street names are unique")
            XCTAssertTrue(city.segments.allSatisfy { $0.lengthMeters > 0 })
        }
        let city = CityGenerator.generate(intersections: 10_000, seed: 3)
        XCTAssertGreaterThan(city.segments.filter(\.oneway).count, 100)
        XCTAssertGreaterThan(city.segments.filter { !$0.shape.isEmpty }.count, 100)
        XCTAssertGreaterThan(city.segments.filter { $0.street == nil }.count, 50, "diagonals")
        let resolver = PlaceResolver(map: city, profile: .car)
        XCTAssertNoThrow(try resolver.resolve("中央市场"))
        XCTAssertNoThrow(try resolver.resolve("\(city.streets[1].name) 6"))
    }

    func testCarAndFootGraphsAreStronglyConnected() {
        for (n, seed) in [(4, 1), (50, 2), (2_000, 3), (20_000, 4)] as [(Int, UInt64)] {
            let city = CityGenerator.generate(intersections: n, seed: seed)
            for profile in RoutingProfile.allCases {
                let graph = RoadGraph(map: city, profile: profile)
                XCTAssertEqual(reached(graph.firstOut, graph.head), n, "\(profile) \(n): all reachable from node 0")
                XCTAssertEqual(reached(graph.backFirstOut, graph.backHead), n, "\(profile) \(n): node 0 reachable from all")
            }
        }
    }

    private func reached(_ firstOut: [UInt32], _ head: [UInt32]) -> Int {
        var seen = [Bool](repeating: false, count: firstOut.count - 1)
        var stack = [0]
        seen[0] = true
        var count = 1
        while let u = stack.popLast() {
            for a in Int(firstOut[u])..<Int(firstOut[u + 1]) where !seen[Int(head[a])] {
                seen[Int(head[a])] = true
                count += 1
                stack.append(Int(head[a]))
            }
        }
        return count
    }

    func testOneToAllMatchesAPlainDijkstraOnAGeneratedCity() {
        let city = CityGenerator.generate(intersections: 5_000, seed: 8)
        let graph = RoadGraph(map: city, profile: .car)
        let weights = LiveWeights(graph: graph)
        let query = OneToAllQuery(graph: graph)
        var rng = SplitMix64(seed: 2)
        for _ in 0..<5 {
            let source = rng.nextInt(below: graph.nodeCount)
            query.run(fromNode: source, weights: weights)
            XCTAssertEqual(query.distances, plainDijkstra(graph, weights.forward, source))
        }
    }

    /// An O(n²) Dijkstra with no heap at all.
    private func plainDijkstra(_ g: RoadGraph, _ w: [UInt32], _ s: Int) -> [UInt32] {
        var dist = [UInt64](repeating: .max, count: g.nodeCount)
        var done = [Bool](repeating: false, count: g.nodeCount)
        dist[s] = 0
        for _ in 0..<g.nodeCount {
            var u = -1
            for v in 0..<g.nodeCount where !done[v] && dist[v] != .max && (u < 0 || dist[v] < dist[u]) { u = v }
            if u < 0 { break }
            done[u] = true
            for a in Int(g.firstOut[u])..<Int(g.firstOut[u + 1]) {
                let v = Int(g.head[a])
                dist[v] = min(dist[v], dist[u] + UInt64(w[a]))
            }
        }
        return dist.map { $0 == .max ? UInt32.max : UInt32($0) }
    }

    #if canImport(CDijkstra)
    func testSwiftAndCOneToAllAgreeExactly() throws {
        let city = CityGenerator.generate(intersections: 40_000, seed: 6)
        let graph = RoadGraph(map: city, profile: .car)
        var traffic = Traffic(map: city)
        var rng = SplitMix64(seed: 3)
        for _ in 0..<500 { traffic.setFactor(1 + rng.nextUnit() * 3, forSegment: rng.nextInt(below: city.segments.count)) }
        let weights = LiveWeights(graph: graph, traffic: traffic)
        let query = OneToAllQuery(graph: graph)
        let ws = try XCTUnwrap(cdijkstra_workspace_create(UInt32(graph.nodeCount)))
        defer { cdijkstra_workspace_destroy(ws) }
        var cDist = [UInt32](repeating: 0, count: graph.nodeCount)
        for _ in 0..<10 {
            let source = rng.nextInt(below: graph.nodeCount)
            query.run(fromNode: source, weights: weights)
            let settled = cDist.withUnsafeMutableBufferPointer { d in
                cdijkstra_one_to_all(ws, UInt32(graph.nodeCount), graph.firstOut, graph.head, weights.forward, UInt32(source), d.baseAddress)
            }
            XCTAssertEqual(Int(settled), graph.nodeCount)
            XCTAssertEqual(query.distances, cDist)
        }
    }
    #endif
}
