import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomRouting

extension WatchroomBench {
    // MARK: - dispatch

    struct Dispatch: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "dispatch",
            abstract: "One-key dispatch end to end on a city: ranking, routes and order sheets for the plan's units.",
            discussion: """
                Builds one routing index for the map and, over it, the routing engine and the
                console's command executor (as `watchroom run` and the console do). Places the
                units on random roads (two in three patrol cars), then for each incident: the call
                at a random point up to 40 m off a road (priority 1 to 3, one in ten with a
                weapon), the engine's recommendation, and the timed part: `dispatch` (the response
                plan's units ranked with the one-to-many query, their order sheets with routes and
                colleagues) plus the `route.assigned` the engine answers for each dispatched unit.
                Units stay available between incidents.
                """
        )

        @Option(help: "The map file (default: a generated city of --generate intersections).")
        var map: String?

        @Option(help: "Intersections of the generated city when no --map is given.")
        var generate: Int = 250_000

        @Option(help: "Units on duty.")
        var units: Int = 1000

        @Option(help: "Incidents dispatched.")
        var incidents: Int = 200

        @Option(help: "Random seed.")
        var seed: UInt64 = 42

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            guard (4...20_000_000).contains(generate) else { throw ValidationError("--generate must be between 4 and 20000000") }
            guard (1...100_000).contains(units), (1...100_000).contains(incidents) else {
                throw ValidationError("--units and --incidents must be between 1 and 100000")
            }
        }

        func run() throws {
            let precinct: PrecinctMap
            let label: String
            if let map {
                precinct = try MapFile.load(map)
                label = map
            } else {
                precinct = CityGenerator.generate(intersections: generate, seed: seed)
                label = "generated city, \(precinct.intersections.count) intersections"
            }
            let report = try runDispatchBenchmark(map: precinct, label: label, units: units, incidents: incidents, seed: seed)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                FileHandle.standardOutput.write(try encoder.encode(report))
                FileHandle.standardOutput.write(Data("\n".utf8))
            } else {
                say(report.text)
            }
        }
    }
}

/// What `watchroom-bench dispatch` measured. Times in milliseconds.
struct DispatchBenchmarkReport: Codable, Sendable {
    var label: String
    var nodes: Int
    var segments: Int
    var units: Int
    var incidents: Int
    var seed: UInt64
    /// Building the routing index (both graphs, both place resolvers) once.
    var indexMs: Double
    /// The engine's recommendation when a call comes in (top 5, both profiles).
    var recommend: RoutingBenchmarkReport.Timing
    /// `dispatch` end to end: ranking, routes and order sheets for the plan's units, and the
    /// engine's `route.assigned` for each.
    var dispatch: RoutingBenchmarkReport.Timing
    /// Units sent per dispatch, on average.
    var unitsPerDispatch: Double
    /// The process's peak resident memory when done (MB).
    var peakResidentMB: Double

    var text: String {
        func t(_ x: RoutingBenchmarkReport.Timing) -> String {
            String(format: "median %.2f ms, p99 %.2f ms, mean %.2f ms (%d runs)", x.medianMs, x.p99Ms, x.meanMs, x.count)
        }
        return [
            "\(label): \(nodes) intersections, \(segments) segments; \(units) units, \(incidents) incidents, seed \(seed)",
            String(format: "routing index (graphs and place resolvers, built once): %.0f ms", indexMs),
            "recommendation on a call: " + t(recommend),
            String(format: "dispatch end to end (%.1f units each): ", unitsPerDispatch) + t(dispatch),
            String(format: "peak resident memory: %.0f MB", peakResidentMB),
        ].joined(separator: "\n")
    }
}

func runDispatchBenchmark(map: PrecinctMap, label: String, units unitCount: Int, incidents: Int, seed: UInt64) throws -> DispatchBenchmarkReport {
    var rng = SplitMix64(seed: seed)
    var t = benchNow()
    let index = RoutingIndex(map: map)
    let indexMs = benchMs(since: t)
    var core = RoutingCore(index: index)
    let executor = CommandExecutor(routing: DispatchRouting(index: index))
    let usable = map.segments.indices.filter { index.car.isUsable(segment: $0) }
    guard !usable.isEmpty else { throw CLIError("the map has no road cars may use") }
    let start = ISOTime.parse("2026-03-14T20:00:00+08:00") ?? Date(timeIntervalSince1970: 1_773_489_600)
    var seq: UInt64 = 0
    var now = start
    func feed(_ event: Event) -> [Event] {
        seq += 1
        return core.handle(EventEnvelope(seq: seq, time: now, event: event))
    }
    /// A random place on a road cars may use: its point and keyed road position.
    func onRoad() -> (Point, RoadLocation) {
        let s = usable[rng.nextInt(below: usable.count)]
        let f = rng.nextUnit()
        let p = Polyline.point(map.polyline(ofSegment: s), atFraction: f)
        return (p, RoadPosition(segment: s, fraction: f).keyed(in: map))
    }
    _ = feed(.shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: .live, seed: seed)))
    for k in 0..<unitCount {
        let (p, road) = onRoad()
        let id = UnitID(String(format: "U%04d", k))
        _ = feed(.unitRegistered(UnitRegistered(id: id, kind: k % 3 == 2 ? .officerOnFoot : .car, home: p)))
        _ = feed(.unitPosition(UnitPosition(unit: id, point: p, road: road)))
    }
    var recommend: [Double] = [], dispatch: [Double] = []
    var sent = 0
    for k in 0..<incidents {
        now = now.addingTimeInterval(30)
        let (p, _) = onRoad()
        let angle = rng.nextUnit() * 2 * Double.pi, off = rng.nextUnit() * 40
        let point = Point(x: p.x + off * cos(angle), y: p.y + off * sin(angle))
        let id = IncidentID(String(format: "I%05d", k + 1))
        let categories = IncidentCategory.allCases
        let report = IncidentReported(id: id, category: categories[rng.nextInt(below: categories.count)],
                                      priority: 1 + rng.nextInt(below: 3), summary: "bench call", place: "bench",
                                      point: point, weapon: rng.nextUnit() < 0.1)
        t = benchNow()
        let replies = feed(.incidentReported(report))
        recommend.append(benchMs(since: t))
        for r in replies { _ = feed(r) }

        t = benchNow()
        let outcome = try executor.execute(line: "dispatch \(id.rawValue)", state: core.state,
                                           context: CommandContext(now: now)).get()
        var routes = 0
        for case .dispatch(let order) in outcome.events {
            for u in order.units where core.route(u, to: id, at: now) != nil { routes += 1 }
            sent += order.units.count
        }
        dispatch.append(benchMs(since: t))
        if routes == 0 { throw CLIError("incident \(k + 1): nothing dispatched") }
    }
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return DispatchBenchmarkReport(
        label: label, nodes: map.intersections.count, segments: map.segments.count, units: unitCount, incidents: incidents,
        seed: seed, indexMs: indexMs, recommend: benchTiming(recommend), dispatch: benchTiming(dispatch),
        unitsPerDispatch: Double(sent) / Double(max(1, incidents)), peakResidentMB: Double(usage.ru_maxrss) / 1024)
}
