import WatchroomCore

/// Exports a map as a GeoJSON FeatureCollection for viewing in GIS tools.
///
/// With `map.origin` set, coordinates are `[lon, lat]` (WGS 84) through `LocalProjection`.
/// Without it they are raw local metres `[x, y]`, and the collection's `properties.frame`
/// says `local-metres` (GeoJSON viewers will place them near 0°N 0°E).
///
/// Every feature has `properties.feature`: `segment`, `camera`, `station`, `landmark`,
/// `address` or `area`, and `properties.id` (the map key).
public enum GeoJSONExport {
    public static func export(_ map: PrecinctMap) -> String {
        var j = JSONWriter()
        let projection = map.origin.map(LocalProjection.init)
        func coord(_ p: Point) -> String {
            if let projection {
                let ll = projection.unproject(p)
                return "[" + JSONWriter.number(ll.lon) + "," + JSONWriter.number(ll.lat) + "]"
            }
            return "[" + JSONWriter.number(p.x) + "," + JSONWriter.number(p.y) + "]"
        }
        j.out += "{\"type\":\"FeatureCollection\",\"properties\":{"
        j.out += "\"precinct\":" + JSONWriter.string(map.key) + ",\"name\":" + JSONWriter.string(map.name)
        if let projection {
            j.out += ",\"frame\":\"lonlat\",\"note\":\"WGS 84 longitude/latitude from the map origin\""
            j.out += ",\"origin\":[" + JSONWriter.number(projection.origin.lon) + "," + JSONWriter.number(projection.origin.lat) + "]"
        } else {
            j.out += ",\"frame\":\"local-metres\",\"note\":\"coordinates are metres east and north of the map's (0,0); the map has no origin\""
        }
        j.out += "},\"features\":["
        var first = true
        func feature(_ geometryType: String, _ coordinates: String, _ props: [(String, String)]) {
            if !first { j.out += ",\n" }
            first = false
            j.out += "{\"type\":\"Feature\",\"geometry\":{\"type\":\"\(geometryType)\",\"coordinates\":" + coordinates + "},\"properties\":{"
            j.out += props.map { JSONWriter.string($0.0) + ":" + $0.1 }.joined(separator: ",")
            j.out += "}}"
        }
        func opt(_ s: String?) -> String { s.map(JSONWriter.string) ?? "null" }

        for (i, s) in map.segments.enumerated() {
            guard map.intersections.indices.contains(s.from), map.intersections.indices.contains(s.to) else { continue }
            let line = "[" + map.polyline(ofSegment: i).map(coord).joined(separator: ",") + "]"
            let street = s.street.flatMap { map.streets.indices.contains($0) ? map.streets[$0] : nil }
            feature("LineString", line, [
                ("feature", "\"segment\""), ("id", JSONWriter.string(s.key)), ("street", opt(street?.key)),
                ("name", opt(street?.name)), ("roman", opt(street?.roman)), ("class", JSONWriter.string(s.roadClass.rawValue)),
                ("speed", JSONWriter.number(s.speedKmh)), ("oneway", s.oneway ? "true" : "false"),
                ("access", JSONWriter.string(s.access.rawValue)), ("length", JSONWriter.number(s.lengthMeters)),
                ("from", JSONWriter.string(map.intersections[s.from].key)), ("to", JSONWriter.string(map.intersections[s.to].key)),
            ])
        }
        for c in map.cameras {
            feature("Point", coord(c.position), [
                ("feature", "\"camera\""), ("id", JSONWriter.string(c.key)), ("name", JSONWriter.string(c.name)),
                ("facing", JSONWriter.number(c.facing)), ("fov", JSONWriter.number(c.fieldOfView)),
                ("range", JSONWriter.number(c.range)), ("kind", opt(c.kind)),
            ])
        }
        if let st = map.station {
            feature("Point", coord(st.position), [
                ("feature", "\"station\""), ("id", JSONWriter.string(st.key)), ("name", JSONWriter.string(st.name)),
                ("roman", opt(st.roman)),
            ])
        }
        for l in map.landmarks {
            feature("Point", coord(l.position), [
                ("feature", "\"landmark\""), ("id", JSONWriter.string(l.key)), ("name", JSONWriter.string(l.name)),
                ("roman", opt(l.roman)), ("kind", JSONWriter.string(l.kind)),
            ])
        }
        for a in map.addresses {
            let street = map.streets.indices.contains(a.street) ? map.streets[a.street] : nil
            feature("Point", coord(a.position), [
                ("feature", "\"address\""), ("id", JSONWriter.string(a.key)), ("street", opt(street?.key)),
                ("street_name", opt(street?.name)), ("number", JSONWriter.string(a.number)), ("name", opt(a.name)),
            ])
        }
        for a in map.areas where !a.points.isEmpty {
            var ring = a.points
            if let f = ring.first, ring.last != f { ring.append(f) }
            let polygon = "[[" + ring.map(coord).joined(separator: ",") + "]]"
            feature("Polygon", polygon, [
                ("feature", "\"area\""), ("id", JSONWriter.string(a.key)), ("kind", JSONWriter.string(a.kind.rawValue)),
                ("name", opt(a.name)), ("roman", opt(a.roman)),
            ])
        }
        j.out += "]}\n"
        return j.out
    }
}

struct JSONWriter {
    var out = ""

    /// JSON has no NaN or infinity: those become `null`.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }

    static func string(_ s: String) -> String {
        var r = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\t": r += "\\t"
            case "\r": r += "\\r"
            default:
                if u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F) || u.value == 0x2028 || u.value == 0x2029 {
                    let h = String(u.value, radix: 16)
                    r += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    r.unicodeScalars.append(u)
                }
            }
        }
        return r + "\""
    }
}
