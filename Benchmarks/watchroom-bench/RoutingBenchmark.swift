import CDijkstra
import Foundation
import WatchroomCore
import WatchroomRouting

/// What `watchroom-bench routing` measured. Times are in milliseconds.
struct RoutingBenchmarkReport: Codable, Sendable {
    /// Percentiles of a list of per-query times.
    struct Timing: Codable, Sendable {
        var count: Int
        var medianMs: Double
        var p99Ms: Double
        var meanMs: Double
    }

    var label: String
    var nodes: Int
    var segments: Int
    var carArcs: Int
    var footArcs: Int
    var units: Int
    var queries: Int
    var seed: UInt64
    /// Building the car and the foot graph (CSR forward and backward) and their live weights.
    var buildCarMs: Double
    var buildFootMs: Double
    /// Car, fastest route between random positions, turn-by-turn steps included.
    var pointToPoint: Timing
    /// Car, one-to-all from a random node: Swift and C on the same graph and sources, interleaved.
    var oneToAllSwift: Timing
    var oneToAllC: Timing
    /// Median Swift time over median C time (lower is better; 1.0 is parity).
    var oneToAllRatio: Double
    /// Whether every Swift one-to-all run gave exactly the C distances.
    var oneToAllAgree: Bool
    /// Car, the 5 fastest of `units` random units to a random incident.
    var top5: Timing
}

/// Benchmarks the routing core on `map`: graph build, point-to-point, one-to-all against the C
/// yardstick, and top-5-of-`units`. Deterministic for a seed (positions come from SplitMix64).
func runRoutingBenchmark(map: PrecinctMap, label: String, units: Int, queries: Int, seed: UInt64) -> RoutingBenchmarkReport {
    var rng = SplitMix64(seed: seed)

    var t = benchNow()
    let car = RoadGraph(map: map, profile: .car)
    let carWeights = LiveWeights(graph: car)
    let buildCar = benchMs(since: t)
    t = benchNow()
    let foot = RoadGraph(map: map, profile: .foot)
    _ = LiveWeights(graph: foot)
    let buildFoot = benchMs(since: t)

    let usable = (0..<map.segments.count).filter { car.isUsable(segment: $0) }
    // Routing positions name segments by index.
    func randomPosition() -> WatchroomRouting.RoadPosition {
        guard !usable.isEmpty else { return WatchroomRouting.RoadPosition(segment: 0, fraction: 0) }
        return WatchroomRouting.RoadPosition(segment: usable[rng.nextInt(below: usable.count)], fraction: rng.nextUnit())
    }
    let n = max(1, queries)

    // WATCHROOM_BENCH_TOP5_ONLY=1 skips point to point and one-to-all (for profiling the top-5 query).
    let environment = ProcessInfo.processInfo.environment
    let top5Only = environment["WATCHROOM_BENCH_TOP5_ONLY"] == "1"

    // Point to point.
    let routeQuery = RouteQuery(graph: car)
    var p2p: [Double] = []
    if !usable.isEmpty && !top5Only {
        for _ in 0..<n {
            let a = randomPosition(), b = randomPosition()
            t = benchNow()
            let route = routeQuery.fastest(from: a, to: b, weights: carWeights)
            p2p.append(benchMs(since: t))
            benchSink(route?.millis ?? 0)
        }
    }

    // One to all, Swift and C interleaved, alternating which goes first.
    let oneToAll = OneToAllQuery(graph: car)
    var swiftTimes: [Double] = [], cTimes: [Double] = []
    var agree = true
    let nodeCount = car.nodeCount
    if nodeCount > 0, !top5Only, let ws = cdijkstra_workspace_create(UInt32(nodeCount)) {
        defer { cdijkstra_workspace_destroy(ws) }
        var cDist = [UInt32](repeating: 0, count: nodeCount)
        for q in 0..<n {
            let source = rng.nextInt(below: nodeCount)
            func runSwift() {
                let t0 = benchNow()
                oneToAll.run(fromNode: source, weights: carWeights)
                swiftTimes.append(benchMs(since: t0))
            }
            func runC() {
                let t0 = benchNow()
                car.firstOut.withUnsafeBufferPointer { fo in
                    car.head.withUnsafeBufferPointer { hd in
                        carWeights.forward.withUnsafeBufferPointer { wt in
                            cDist.withUnsafeMutableBufferPointer { d in
                                _ = cdijkstra_one_to_all(ws, UInt32(nodeCount), fo.baseAddress, hd.baseAddress,
                                                         wt.baseAddress, UInt32(source), d.baseAddress)
                            }
                        }
                    }
                }
                cTimes.append(benchMs(since: t0))
            }
            if q % 2 == 0 { runSwift(); runC() } else { runC(); runSwift() }
            let same = oneToAll.withDistances { s in s.elementsEqual(cDist) }
            agree = agree && same
        }
    }

    // Top 5 of `units` units.
    let unitPositions = (0..<max(0, units)).map { _ in randomPosition() }
    let nearest = NearestUnitsQuery(graph: car)
    var top5: [Double] = []
    if !usable.isEmpty && !unitPositions.isEmpty {
        for _ in 0..<n {
            let incident = randomPosition()
            t = benchNow()
            let ranked = nearest.nearest(5, of: unitPositions, to: incident, weights: carWeights)
            top5.append(benchMs(since: t))
            benchSink(ranked.first?.millis ?? 0)
        }
    }

    let swiftTiming = benchTiming(swiftTimes), cTiming = benchTiming(cTimes)
    return RoutingBenchmarkReport(
        label: label, nodes: map.intersections.count, segments: map.segments.count,
        carArcs: car.arcCount, footArcs: foot.arcCount, units: units, queries: n, seed: seed,
        buildCarMs: buildCar, buildFootMs: buildFoot,
        pointToPoint: benchTiming(p2p), oneToAllSwift: swiftTiming, oneToAllC: cTiming,
        oneToAllRatio: cTiming.medianMs > 0 ? swiftTiming.medianMs / cTiming.medianMs : 0,
        oneToAllAgree: agree, top5: benchTiming(top5))
}

/// The report as a few lines of text for the terminal.
func formatBenchmark(_ r: RoutingBenchmarkReport) -> String {
    func ms(_ v: Double) -> String { String(format: v < 10 ? "%.3f ms" : "%.1f ms", v) }
    func line(_ name: String, _ t: RoutingBenchmarkReport.Timing) -> String {
        let padded = name.padding(toLength: 24, withPad: " ", startingAt: 0)
        return "  \(padded) median \(ms(t.medianMs))  p99 \(ms(t.p99Ms))  (\(t.count) queries)"
    }
    var out = """
    routing benchmark: \(r.label)
      \(r.nodes) intersections, \(r.segments) segments; car graph \(r.carArcs) arcs, foot graph \(r.footArcs) arcs; seed \(r.seed)
      build car graph           \(ms(r.buildCarMs))
      build foot graph          \(ms(r.buildFootMs))

    """
    out += line("point to point (car)", r.pointToPoint) + "\n"
    out += line("one-to-all Swift", r.oneToAllSwift) + "\n"
    out += line("one-to-all C", r.oneToAllC) + "\n"
    out += "  Swift / C (median)        \(String(format: "%.2f", r.oneToAllRatio))x"
        + (r.oneToAllAgree ? "  (distances identical)" : "  (DISTANCES DIFFER)") + "\n"
    out += line("top 5 of \(r.units) units", r.top5) + "\n"
    return out
}

// MARK: - Timing helpers

func benchNow() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

func benchMs(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6 }

func benchTiming(_ samples: [Double]) -> RoutingBenchmarkReport.Timing {
    guard !samples.isEmpty else { return .init(count: 0, medianMs: 0, p99Ms: 0, meanMs: 0) }
    let sorted = samples.sorted()
    let median = sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    let p99 = sorted[min(sorted.count - 1, Int((Double(sorted.count) * 0.99).rounded(.up)) - 1)]
    return .init(count: sorted.count, medianMs: median, p99Ms: p99, meanMs: sorted.reduce(0, +) / Double(sorted.count))
}

/// Keeps a result alive so the optimiser cannot drop the work that produced it.
@inline(never) private func benchSink(_ value: UInt32) {
    if value == 0xDEAD_BEEF { print("", terminator: "") }
}
