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

/// What an import kept of one profile's roads.
public struct ImportProfileSummary: Sendable, Equatable {
    public enum Profile: String, Sendable {
        case cars = "cars"
        case onFoot = "on foot"
    }

    public var profile: Profile
    /// Length of the roads the profile may use in the extract, and of those kept (the largest
    /// connected part), in km.
    public var usableKm: Double
    public var keptKm: Double
    public var droppedKm: Double { Swift.max(0, usableKm - keptKm) }
    /// Ways with a piece taken from the profile (dropped, or closed to it).
    public var waysDropped: Int
    /// How far the station is from the nearest kept road of the profile (nil: none kept).
    public var stationMeters: Double?

    public init(profile: Profile, usableKm: Double, keptKm: Double, waysDropped: Int, stationMeters: Double?) {
        self.profile = profile
        self.usableKm = usableKm
        self.keptKm = keptKm
        self.waysDropped = waysDropped
        self.stationMeters = stationMeters
    }

    /// A station farther than this from a profile's network is warned about (metres).
    public static let stationWarningMeters = 250.0

    /// `cars: kept 85.2 km of 86.0 km usable, dropped 0.8 km (12 ways)`.
    public var line: String {
        String(format: "%@: kept %.1f km of %.1f km usable, dropped %.1f km (%d way%@)", profile.rawValue, keptKm, usableKm,
               droppedKm, waysDropped, waysDropped == 1 ? "" : "s")
    }

    /// What a user should look at: less than half kept, or the station far from the network.
    public var warnings: [String] {
        var out: [String] = []
        if usableKm > 0 && keptKm < usableKm / 2 {
            out.append(String(format: "%@ keep only %.1f km of the %.1f km usable (less than half): the rest is cut off from the largest connected part; look for ways cut at the edge of the extract or --bbox, and access tags",
                              profile == .cars ? "cars" : "officers on foot", keptKm, usableKm))
        }
        if let d = stationMeters, d > Self.stationWarningMeters {
            out.append(String(format: "the station is %.0f m from the nearest road %@ may use: every ETA from it includes that walk; choose another with --station",
                              d, profile == .cars ? "cars" : "officers on foot"))
        } else if stationMeters == nil {
            out.append("no road is kept for \(profile == .cars ? "cars" : "officers on foot")")
        }
        return out
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
    /// Cars, then on foot: kept, dropped, the station's distance.
    public var profiles: [ImportProfileSummary] = []
    /// Every profile's warnings.
    public var warnings: [String] { profiles.flatMap(\.warnings) }
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
        for p in profiles { lines.append(p.line) }
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
        for w in warnings { lines.append("warning: " + w) }
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
