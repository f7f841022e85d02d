import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomMapFormat
import WatchroomRouting

struct MapCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "map",
        abstract: "Check, summarise, export, generate or import precinct maps.",
        subcommands: [Check.self, Info.self, Export.self, Generate.self, MapImportCommand.self]
    )

    /// Loads a map or fails with the first error and how many more there are.
    static func load(_ path: String) throws -> PrecinctMap { try MapFile.load(path) }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate maps; print every problem as FILE:LINE:COLUMN: message.",
            discussion: "Exit status 0 when no file has errors (warnings allowed), 1 otherwise."
        )

        @Argument(help: "Map files to check.")
        var files: [String]

        @Option(help: "Print at most this many messages per file.")
        var limit: Int = 200

        func run() throws {
            var failed = false
            for file in files {
                let result = MapFormat.check(path: file)
                print(result.formatted(limit: max(0, limit)), terminator: "")
                let name = Sanitizer.inert(file)
                let errors = result.errorCount, warnings = result.warningCount
                if errors > 0 {
                    failed = true
                    say("\(name): \(errors) error\(errors == 1 ? "" : "s"), \(warnings) warning\(warnings == 1 ? "" : "s")")
                } else if let map = result.map {
                    say("\(name): ok — \(map.intersections.count) intersections, \(map.segments.count) segments, \(map.streets.count) streets, \(warnings) warning\(warnings == 1 ? "" : "s")")
                }
            }
            if failed { throw ExitCode(1) }
        }
    }

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print a summary of a map.")

        @Argument(help: "The map file.")
        var file: String

        func run() throws {
            let map = try MapCommand.load(file)
            say(MapSummary(map: map).text)
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export a map for other tools.",
            discussion: """
                edges-tsv: the routing graph, one directed arc per line after a header:
                  from<TAB>to<TAB>seconds<TAB>meters   (from and to are intersection ids)
                geojson:   streets, cameras, landmarks, addresses and areas for GIS tools
                wrmap:     the map in canonical Watchroom format
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case edgesTSV = "edges-tsv", geojson, wrmap
        }

        @Argument(help: "The map file.")
        var file: String

        @Option(help: "edges-tsv, geojson or wrmap.")
        var format: Format

        @Option(help: "car or foot (edges-tsv only).")
        var profile: ProfileOption = .car

        @Option(name: .shortAndLong, help: "Write here instead of standard output.")
        var output: String?

        @Flag(help: "Overwrite the output file if it exists.")
        var force = false

        func run() throws {
            try refuseExisting(output, force: force)
            let map = try MapCommand.load(file)
            let text: String
            switch format {
            case .edgesTSV: text = EdgesExport.tsv(map: map, profile: profile.profile)
            case .geojson: text = GeoJSONExport.export(map)
            case .wrmap: text = MapFormat.write(map)
            }
            try emit(text, to: output, force: force)
        }
    }

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Generate a synthetic city map (for benchmarks and load tests)."
        )

        @Option(help: "Number of intersections.")
        var intersections: Int = 10_000

        @Option(help: "Random seed; the same seed gives the same city.")
        var seed: UInt64 = 1

        @Option(name: .shortAndLong, help: "Write here instead of standard output.")
        var output: String?

        @Flag(help: "Overwrite the output file if it exists.")
        var force = false

        func validate() throws {
            guard (4...20_000_000).contains(intersections) else {
                throw ValidationError("--intersections must be between 4 and 20000000")
            }
        }

        func run() throws {
            try refuseExisting(output, force: force)
            let map = CityGenerator.generate(intersections: intersections, seed: seed)
            try emit(MapFormat.write(map), to: output, force: force)
        }
    }
}

enum ProfileOption: String, ExpressibleByArgument, CaseIterable {
    case car, foot
    var profile: RoutingProfile { self == .car ? .car : .foot }
}

/// Refuses, before any work, an output file that exists (unless `force`).
func refuseExisting(_ output: String?, force: Bool) throws {
    if let output, !force, FileManager.default.fileExists(atPath: output) {
        throw CLIError("\(output) exists: pass --force to overwrite it, or choose another -o")
    }
}

/// Writes a whole file into place (never replacing one that exists unless `force`, even
/// one that appeared meanwhile: ``OutputFile``), or to standard output.
func emit(_ text: String, to output: String?, force: Bool) throws {
    if let output {
        let tmp = output + ".tmp-\(getpid())"
        do {
            try text.write(toFile: tmp, atomically: false, encoding: .utf8)
        } catch {
            unlink(tmp)
            throw CLIError("\(output): cannot write (\(error.localizedDescription))")
        }
        try OutputFile.place(tmp, at: output, force: force)
    } else {
        FileHandle.standardOutput.write(Data(text.utf8))
        if !text.hasSuffix("\n") { FileHandle.standardOutput.write(Data("\n".utf8)) }
    }
}
