import Foundation
import WatchroomCore
import WatchroomMapFormat

/// What `watchroom map import` may be told.
public struct OSMImportOptions: Sendable {
    public struct BBox: Sendable, Equatable {
        public var south, west, north, east: Double
        public init(south: Double, west: Double, north: Double, east: Double) {
            self.south = south; self.west = west; self.north = north; self.east = east
        }

        /// Parses `south,west,north,east` in degrees; the message says what is wrong.
        public static func parse(_ text: String) -> Result<BBox, OSMImportError> {
            func bad(_ m: String) -> Result<BBox, OSMImportError> {
                .failure(OSMImportError(file: "--bbox", line: 0, column: 0, message: m))
            }
            let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 4 else { return bad("--bbox takes four numbers: south,west,north,east (degrees), got \"\(text)\"") }
            var v: [Double] = []
            for p in parts {
                guard let d = Double(p), d.isFinite else { return bad("--bbox: \"\(p)\" is not a number (expected south,west,north,east in degrees)") }
                v.append(d)
            }
            let b = BBox(south: v[0], west: v[1], north: v[2], east: v[3])
            guard (-90...90).contains(b.south), (-90...90).contains(b.north) else { return bad("--bbox: latitudes must lie in -90...90") }
            guard (-180...180).contains(b.west), (-180...180).contains(b.east) else { return bad("--bbox: longitudes must lie in -180...180") }
            guard b.south < b.north else { return bad("--bbox: south (\(b.south)) must be less than north (\(b.north))") }
            guard b.west < b.east else { return bad("--bbox: west (\(b.west)) must be less than east (\(b.east)); boxes across the antimeridian are not supported") }
            guard b.north - b.south <= 2, b.east - b.west <= 2 else {
                return bad("--bbox: at most 2 degrees a side (a precinct, not a country); the local projection is only accurate for a city")
            }
            return .success(b)
        }
    }

    public var bbox: BBox?
    /// The precinct's display name; default "Imported precinct".
    public var name: String?
    public var roman: String?
    /// The precinct key (an ID); default derived from the name.
    public var key: String?
    /// An IANA zone; default: the file's first valid `timezone` tag, else guessed from the
    /// longitude as `Etc/GMT±N` (and reported).
    public var timeZone: String?
    /// Which police station: `n123` / `w456` (an OSM node or way id) or `LAT,LON`.
    public var station: String?
    /// Import `building=*` outlines as areas.
    public var buildings = false

    public init(bbox: BBox? = nil, name: String? = nil, roman: String? = nil, key: String? = nil,
                timeZone: String? = nil, station: String? = nil, buildings: Bool = false) {
        self.bbox = bbox; self.name = name; self.roman = roman; self.key = key
        self.timeZone = timeZone; self.station = station; self.buildings = buildings
    }
}

/// What an import produced and what it left out.
public struct OSMImportReport: Sendable {
    public var bytesRead = 0
    public var osmNodes = 0
    public var roadWays = 0
    public var intersections = 0
    public var segments = 0
    public var streets = 0
    public var onewaySegments = 0
    public var carKm = 0.0
    public var footKm = 0.0
    public var cameras = 0
    public var addresses = 0
    public var landmarks = 0
    public var areas = 0
    public var stationName = ""
    public var stationSource = ""
    public var timeZone = ""
    public var timeZoneGuessed = false
    /// Where the zone came from when the file named it (`timezone=*` on a boundary).
    public var timeZoneSource: String?
    public var tally = ImportTally()
    /// Wall-clock seconds spent reading and tokenizing the XML, building the map, and
    /// writing and re-checking it.
    public var readSeconds = 0.0
    public var buildSeconds = 0.0
    public var checkSeconds = 0.0

    /// The summary printed at the end of an import (text from the file is made inert).
    public var text: String {
        var lines: [String] = []
        lines.append(String(format: "read %.1f MB: %d OSM nodes, %d road ways", Double(bytesRead) / 1_000_000, osmNodes, roadWays))
        lines.append("station: \(stationName) (\(stationSource))")
        let zoneNote = timeZoneGuessed ? " (guessed from the longitude; pass --timezone, e.g. Asia/Shanghai)"
            : timeZoneSource.map { " (\($0))" } ?? ""
        lines.append("time zone: \(timeZone)\(zoneNote)")
        lines.append(String(format: "streets: %d named, %d segments (%d one-way) between %d intersections; %.1f km for cars, %.1f km on foot",
                            streets, segments, onewaySegments, intersections, carKm, footKm))
        lines.append("cameras: \(cameras), addresses: \(addresses), landmarks: \(landmarks), areas: \(areas)")
        if tally.entries.isEmpty {
            lines.append("nothing dropped")
        } else {
            lines.append("dropped or changed:")
            for e in tally.entries {
                let at = e.firstLine.map { " (first at line \($0))" } ?? ""
                lines.append(String(format: "%9d  ", e.count) + e.reason + at)
            }
        }
        lines.append(String(format: "time: %.2f s reading XML, %.2f s building the map, %.2f s writing and checking it",
                            readSeconds, buildSeconds, checkSeconds))
        return Sanitizer.inert(lines.joined(separator: "\n"), keepNewlines: true)
    }
}

public struct OSMImportResult: Sendable {
    public var map: PrecinctMap
    /// The map in canonical `.wrmap` text, already checked clean.
    public var text: String
    public var report: OSMImportReport
}

/// Imports OpenStreetMap XML into a precinct map (docs/osm-import.md).
public enum OSMImporter {
    /// Reads `path` as a stream in 1 MB chunks. `progress` gets the bytes read so far.
    public static func importFile(path: String, options: OSMImportOptions = OSMImportOptions(),
                                  progress: ((Int) -> Void)? = nil) throws -> OSMImportResult {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw OSMImportError(file: path, line: 0, column: 0, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw OSMImportError(file: path, line: 0, column: 0, message: "not a regular file")
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw OSMImportError(file: path, line: 0, column: 0, message: "cannot read: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var head = [UInt8](repeating: 0, count: 16)
        let n = pread(fd, &head, 16, 0)
        try sniff(Array(head.prefix(max(n, 0))), file: path)
        return try run(source: FileByteSource(fd: fd), file: path, options: options, progress: progress)
    }

    /// Imports bytes held in memory; `maxRead` limits each read (tests of chunk boundaries).
    public static func importBytes(_ bytes: [UInt8], file: String = "<osm>", options: OSMImportOptions = OSMImportOptions(),
                                   maxRead: Int = 1 << 20) throws -> OSMImportResult {
        try sniff(Array(bytes.prefix(16)), file: file)
        return try run(source: MemoryByteSource(bytes, maxRead: maxRead), file: file, options: options, progress: nil)
    }

    /// Refuses compressed and binary files with what to do instead.
    static func sniff(_ head: [UInt8], file: String) throws {
        if head.starts(with: [0x1F, 0x8B]) {
            throw OSMImportError(file: file, line: 0, column: 0, message: "gzip-compressed: unpack it first (gunzip -k FILE) and import the .osm")
        }
        if head.starts(with: [0x42, 0x5A, 0x68]) {
            throw OSMImportError(file: file, line: 0, column: 0, message: "bzip2-compressed: unpack it first (bunzip2 -k FILE) and import the .osm")
        }
        // PBF starts with a 4-byte big-endian header length, then "OSMHeader".
        if head.count >= 4, head[0] == 0, head[1] == 0 {
            throw OSMImportError(file: file, line: 0, column: 0,
                                 message: "this is a binary .osm.pbf file, not OSM XML: convert it with `osmium cat FILE.osm.pbf -o FILE.osm` (apt-get install osmium-tool)")
        }
    }

    static func run(source: ByteSource, file: String, options: OSMImportOptions, progress: ((Int) -> Void)?) throws -> OSMImportResult {
        let tok = XMLTokenizer(source: source)
        var reader = OSMReader(tokenizer: tok, options: options)
        reader.progress = progress
        let t0 = DispatchTime.now().uptimeNanoseconds
        do {
            try reader.run()
        } catch let e as XMLSyntaxError {
            throw OSMImportError(file: file, line: e.line, column: e.column, message: e.message)
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        var builder = MapBuilder(data: reader.data, options: options, file: file)
        var result = try builder.build()
        result.report.readSeconds = Double(t1 - t0) / 1e9
        result.report.buildSeconds = Double(DispatchTime.now().uptimeNanoseconds - t1) / 1e9 - result.report.checkSeconds
        return result
    }
}
