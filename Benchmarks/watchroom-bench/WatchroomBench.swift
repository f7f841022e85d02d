import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomRouting
import WatchroomUI

/// `watchroom-bench`: the benchmarks and the durability soak, built beside the product
/// but not in it (docs/benchmarks.md). Use a release build: `make bench`.
@main
struct WatchroomBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watchroom-bench",
        abstract: "Watchroom's benchmarks (use a release build: swift build -c release).",
        version: WatchroomVersion.current,
        subcommands: [Routing.self, Dispatch.self, Console.self, Replay.self, Record.self, RecordSoak.self, ServeBench.self, FanoutClients.self]
    )

    /// Files it creates (shift files) are private, as the product's are (docs/privacy.md).
    static func main() {
        umask(0o077)
        main(nil)
    }

    struct Routing: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "routing",
            abstract: "Graph build time and per-query median and p99, with a plain C Dijkstra side by side."
        )

        @Option(help: "The map file (default: the bundled map unless --generate is given).")
        var map: String?

        @Option(help: "Benchmark a generated city of this many intersections instead of a map file.")
        var generate: Int?

        @Option(help: "Units placed at random for the top-5 query.")
        var units: Int = 1000

        @Option(help: "Queries per kind.")
        var queries: Int = 200

        @Option(parsing: .unconditional, help: "Random seed (0 to 2^64-1).", transform: Seed.parse)
        var seed: UInt64 = 42

        @Flag(help: "Print JSON.")
        var json = false

        func validate() throws {
            if let generate, !(4...20_000_000).contains(generate) {
                throw ValidationError("--generate must be between 4 and 20000000")
            }
            guard units >= 1, queries >= 1 else { throw ValidationError("--units and --queries must be at least 1") }
        }

        func run() throws {
            let precinct: PrecinctMap
            let label: String
            if let generate {
                let t0 = Date()
                precinct = CityGenerator.generate(intersections: generate, seed: seed)
                label = "generated city, \(precinct.intersections.count) intersections (generated in \(String(format: "%.2f", Date().timeIntervalSince(t0))) s)"
            } else {
                let path = map ?? DefaultMap.path()
                precinct = try MapFile.load(path)
                label = path
            }
            let report = runRoutingBenchmark(map: precinct, label: label, units: units, queries: queries, seed: seed)
            if json {
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                FileHandle.standardOutput.write(try encoder.encode(report))
                FileHandle.standardOutput.write(Data("\n".utf8))
            } else {
                say(formatBenchmark(report))
            }
        }
    }

    struct Console: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "console",
            abstract: "Frame compose time (grid only, no terminal): median and p99 per frame."
        )

        @Option(help: "The map file (default: the bundled map).")
        var map: String?

        @Option(help: "Screen width in cells.") var width: Int = 160
        @Option(help: "Screen height in cells.") var height: Int = 48
        @Option(help: "Units on the map.") var units: Int = 300
        @Option(help: "Open incidents.") var incidents: Int = 20
        @Option(help: "Frames to compose.") var frames: Int = 600

        func validate() throws {
            guard (1...2000).contains(width), (1...1000).contains(height), units >= 0, incidents >= 0, frames >= 1 else {
                throw ValidationError("sizes 1...2000 x 1...1000, frames at least 1")
            }
        }

        func run() throws {
            let precinct = try MapFile.load(map ?? DefaultMap.path())
            let state = ConsoleBench.sampleState(map: precinct, units: units, incidents: incidents)
            let times = ConsoleBench.composeTimes(map: precinct, state: state, width: width, height: height, frames: frames)
            let sorted = times.dropFirst().sorted()
            func pct(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
            say(String(format: "console compose %dx%d, %d units, %d incidents, %d frames: first %.2f ms, median %.3f ms, p99 %.3f ms, max %.3f ms",
                       width, height, units, incidents, frames, times.first ?? 0, pct(0.5), pct(0.99), sorted.last ?? 0))
        }
    }
}
