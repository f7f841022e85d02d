import ArgumentParser
import Foundation
import WatchroomCore
import WatchroomRouting

struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks (use a release build: swift build -c release).",
        subcommands: [Routing.self]
    )

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

        @Option(help: "Random seed.")
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
                precinct = try MapCommand.load(path)
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
}
