import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomOSM

/// `watchroom map import FILE.osm -o Maps/NAME.wrmap`: OpenStreetMap XML to a precinct map.
struct MapImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import OpenStreetMap XML (.osm) into a precinct map.",
        discussion: """
            Reads OSM XML as exported by osmium-tool, JOSM or the OSM API. A .osm.pbf must be
            converted first: `osmium cat x.osm.pbf -o x.osm` (apt-get install osmium-tool), or cut
            out a district with `osmium extract -b WEST,SOUTH,EAST,NORTH x.osm.pbf -o x.osm`.
            Keeps the roads cars can reach from the station and drive back from, and the paths
            officers on foot can walk to; prints what it dropped and why. See docs/osm-import.md.
            Negative coordinates need the = form: --bbox=-33.9,18.4,-33.8,18.5
            """
    )

    @Argument(help: "The OpenStreetMap XML file.")
    var file: String

    @Option(help: "Only import south,west,north,east (degrees).")
    var bbox: String?

    @Option(help: "The precinct's name (default: the output file's name).")
    var name: String?

    @Option(help: "A romanized or English precinct name.")
    var roman: String?

    @Option(help: "IANA time zone, e.g. Asia/Shanghai (default: guessed from the longitude).")
    var timezone: String?

    @Option(help: "Which station: an OSM id (n123 for a node, w45 for a way) or LAT,LON.")
    var station: String?

    @Flag(help: "Import building outlines as areas too.")
    var buildings = false

    @Option(name: .shortAndLong, help: "The map file to write (e.g. Maps/NAME.wrmap).")
    var output: String

    @Flag(help: "Overwrite the output file if it exists.")
    var force = false

    func run() throws {
        var options = OSMImportOptions(timeZone: timezone, station: station, buildings: buildings)
        if let bbox {
            switch OSMImportOptions.BBox.parse(bbox) {
            case .success(let b): options.bbox = b
            case .failure(let e): throw CLIError(e.message)
            }
        }
        let stem = URL(fileURLWithPath: output).deletingPathExtension().lastPathComponent
        options.name = name ?? stem
        options.roman = roman
        options.key = MapImportCommand.key(stem)
        if let timezone, TimeZone(identifier: timezone) == nil {
            throw CLIError("unknown time zone \"\(timezone)\": give an IANA zone such as Asia/Shanghai")
        }
        if !force && FileManager.default.fileExists(atPath: output) {
            throw CLIError("\(output) exists: pass --force to overwrite it, or choose another -o")
        }

        var st = stat()
        let total = stat(file, &st) == 0 ? Int(st.st_size) : 0
        let bar = ProgressBar(total: total, enabled: isatty(STDERR_FILENO) == 1)
        let started = Date()
        let result: OSMImportResult
        do {
            result = try OSMImporter.importFile(path: file, options: options) { bar.update($0) }
        } catch let e as OSMImportError {
            bar.finish()
            throw CLIError(e.description)
        }
        bar.finish()
        do {
            let tmp = output + ".tmp-\(getpid())"
            try result.text.write(toFile: tmp, atomically: false, encoding: .utf8)
            try OutputFile.place(tmp, at: output, force: force)
        } catch let e as CLIError {
            throw e
        } catch {
            throw CLIError("\(output): cannot write (\(error.localizedDescription))")
        }
        say(result.report.text)
        say(String(format: "wrote %@ in %.1f s; check it with `watchroom map check %@`", output, Date().timeIntervalSince(started), output))
    }

    /// A precinct key from the output file name (letters, digits, `-`, `_`, `.`).
    static func key(_ stem: String) -> String {
        let k = String(stem.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "-_.".unicodeScalars.contains($0)) }
            .map(Character.init))
        return k.isEmpty ? "imported" : k
    }
}

/// A one-line progress bar on standard error, drawn only when it is a terminal.
final class ProgressBar {
    let total: Int
    let enabled: Bool
    private var last = -1
    private var drawn = false

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func update(_ bytes: Int) {
        guard enabled, total > 0 else { return }
        let pct = min(100, bytes * 100 / total)
        guard pct != last else { return }
        last = pct
        let width = 30
        let filled = pct * width / 100
        let line = "\rreading [" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + String(format: "] %3d%%  %.1f / %.1f MB", pct, Double(bytes) / 1_000_000, Double(total) / 1_000_000)
        FileHandle.standardError.write(Data(line.utf8))
        drawn = true
    }

    func finish() {
        guard drawn else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drawn = false
    }
}
