import WatchroomCore

/// The facts `watchroom map info` prints about a map.
public struct MapSummary: Sendable {
    public var key: String
    public var name: String
    public var roman: String?
    public var timeZone: String
    public var origin: LatLon?
    public var bounds: Rect
    public var nodeCount: Int
    public var streetCount: Int
    public var segmentCount: Int
    public var onewaySegmentCount: Int
    public var cameraCount: Int
    public var addressCount: Int
    public var landmarkCount: Int
    public var areaCount: Int
    /// Total length of the segments cars may use, in km.
    public var carRoadKm: Double
    /// Total length of the segments officers on foot may use, in km.
    public var footRoadKm: Double
    public var stationName: String?
    /// Street labels (`name (roman)`) in map order.
    public var streetNames: [String]
    /// How many street names `text` lists before `... and N more`.
    public static let listedStreets = 40

    public init(map: PrecinctMap) {
        key = map.key
        name = map.name
        roman = map.roman
        timeZone = map.timeZone
        origin = map.origin
        bounds = map.bounds
        nodeCount = map.intersections.count
        streetCount = map.streets.count
        segmentCount = map.segments.count
        var oneway = 0
        var car = 0.0, foot = 0.0
        for s in map.segments {
            if s.oneway { oneway += 1 }
            if s.access.allowsCar { car += s.lengthMeters }
            if s.access.allowsFoot { foot += s.lengthMeters }
        }
        onewaySegmentCount = oneway
        carRoadKm = car / 1000
        footRoadKm = foot / 1000
        cameraCount = map.cameras.count
        addressCount = map.addresses.count
        landmarkCount = map.landmarks.count
        areaCount = map.areas.count
        stationName = map.station.map { s in
            if let r = s.roman, !r.isEmpty, r != s.name { return "\(s.name) (\(r))" }
            return s.name
        }
        streetNames = map.streets.indices.map { map.streetLabel($0) }
    }

    static func km(_ v: Double) -> String {
        let r = (v * 100).rounded() / 100
        let whole = Int64(r.rounded(.towardZero))
        let cents = Int64((abs(r - Double(whole)) * 100).rounded())
        return "\(whole).\(cents < 10 ? "0" : "")\(cents)"
    }

    /// A plain-text report, one fact a line; untrusted names have control characters escaped.
    public var text: String {
        let clean = TextSanitizer.escapeControls
        var lines: [String] = []
        lines.append("precinct:   \(clean(name))" + (roman.map { $0 != name && !$0.isEmpty ? " (\(clean($0)))" : "" } ?? "") + " [\(clean(key))]")
        lines.append("time zone:  \(clean(timeZone))")
        if let o = origin {
            lines.append("origin:     lat \(o.lat), lon \(o.lon)")
        } else {
            lines.append("origin:     none (local metres only)")
        }
        lines.append("bounds:     \(formatNumber(bounds.min.x)),\(formatNumber(bounds.min.y)) to \(formatNumber(bounds.max.x)),\(formatNumber(bounds.max.y)) (\(formatNumber(bounds.width)) m x \(formatNumber(bounds.height)) m)")
        lines.append("station:    \(stationName.map(clean) ?? "none")")
        lines.append("nodes:      \(nodeCount)")
        lines.append("streets:    \(streetCount)")
        lines.append("segments:   \(segmentCount) (\(onewaySegmentCount) one-way)")
        lines.append("roads:      \(MapSummary.km(carRoadKm)) km by car, \(MapSummary.km(footRoadKm)) km on foot")
        lines.append("cameras:    \(cameraCount)")
        lines.append("addresses:  \(addressCount)")
        lines.append("landmarks:  \(landmarkCount)")
        lines.append("areas:      \(areaCount)")
        if !streetNames.isEmpty {
            lines.append("street names:")
            for s in streetNames.prefix(MapSummary.listedStreets) { lines.append("  \(clean(s))") }
            if streetNames.count > MapSummary.listedStreets {
                lines.append("  ... and \(streetNames.count - MapSummary.listedStreets) more")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
