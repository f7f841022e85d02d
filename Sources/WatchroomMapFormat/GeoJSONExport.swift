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
        var j = JSONWriter(projection: map.origin.map(LocalProjection.init))
        j.out.reserveCapacity(200 * (map.segments.count + map.cameras.count + map.addresses.count + 16))
        j.raw("{\"type\":\"FeatureCollection\",\"properties\":{\"precinct\":")
        j.string(map.key)
        j.raw(",\"name\":")
        j.string(map.name)
        if let projection = j.projection {
            j.raw(",\"frame\":\"lonlat\",\"note\":\"WGS 84 longitude/latitude from the map origin\",\"origin\":[")
            j.number(projection.origin.lon)
            j.raw(",")
            j.number(projection.origin.lat)
            j.raw("]")
        } else {
            j.raw(",\"frame\":\"local-metres\",\"note\":\"coordinates are metres east and north of the map's (0,0); the map has no origin\"")
        }
        j.raw("},\"features\":[")

        for s in map.segments {
            guard map.intersections.indices.contains(s.from), map.intersections.indices.contains(s.to) else { continue }
            let street = s.street.flatMap { map.streets.indices.contains($0) ? map.streets[$0] : nil }
            j.begin("LineString")
            j.raw("[")
            j.coordinate(map.intersections[s.from].position)
            for p in s.shape {
                j.raw(",")
                j.coordinate(p)
            }
            j.raw(",")
            j.coordinate(map.intersections[s.to].position)
            j.raw("]},\"properties\":{\"feature\":\"segment\"")
            j.property("id", s.key)
            j.property("street", street?.key)
            j.property("name", street?.name)
            j.property("roman", street?.roman)
            j.property("class", s.roadClass.rawValue)
            j.property("speed", s.speedKmh)
            j.raw(s.oneway ? ",\"oneway\":true" : ",\"oneway\":false")
            j.property("access", s.access.rawValue)
            j.property("length", s.lengthMeters)
            j.property("from", map.intersections[s.from].key)
            j.property("to", map.intersections[s.to].key)
            j.end()
        }
        for c in map.cameras {
            j.point(c.position, feature: "camera", id: c.key)
            j.property("name", c.name)
            j.property("facing", c.facing)
            j.property("fov", c.fieldOfView)
            j.property("range", c.range)
            j.property("kind", c.kind)
            j.end()
        }
        if let st = map.station {
            j.point(st.position, feature: "station", id: st.key)
            j.property("name", st.name)
            j.property("roman", st.roman)
            j.end()
        }
        for l in map.landmarks {
            j.point(l.position, feature: "landmark", id: l.key)
            j.property("name", l.name)
            j.property("roman", l.roman)
            j.property("kind", l.kind)
            j.end()
        }
        for a in map.addresses {
            let street = map.streets.indices.contains(a.street) ? map.streets[a.street] : nil
            j.point(a.position, feature: "address", id: a.key)
            j.property("street", street?.key)
            j.property("street_name", street?.name)
            j.property("number", a.number)
            j.property("name", a.name)
            j.end()
        }
        for a in map.areas where !a.points.isEmpty {
            j.begin("Polygon")
            j.raw("[[")
            for (i, p) in a.points.enumerated() {
                if i > 0 { j.raw(",") }
                j.coordinate(p)
            }
            if let f = a.points.first, a.points.last != f {
                j.raw(",")
                j.coordinate(f)
            }
            j.raw("]]},\"properties\":{\"feature\":\"area\"")
            j.property("id", a.key)
            j.property("kind", a.kind.rawValue)
            j.property("name", a.name)
            j.property("roman", a.roman)
            j.end()
        }
        j.raw("]}\n")
        return String(decoding: j.out, as: UTF8.self)
    }
}

/// Appends JSON text as UTF-8 bytes.
struct JSONWriter {
    var out: [UInt8] = []
    var projection: LocalProjection?
    var first = true

    mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }

    mutating func begin(_ geometryType: StaticString) {
        raw(first ? "\n" : ",\n")
        first = false
        raw("{\"type\":\"Feature\",\"geometry\":{\"type\":\"")
        raw(geometryType)
        raw("\",\"coordinates\":")
    }

    mutating func point(_ p: Point, feature: StaticString, id: String) {
        begin("Point")
        coordinate(p)
        raw("},\"properties\":{\"feature\":\"")
        raw(feature)
        raw("\"")
        property("id", id)
    }

    mutating func end() { raw("}}") }

    mutating func coordinate(_ p: Point) {
        raw("[")
        if let projection {
            let ll = projection.unproject(p)
            number(ll.lon)
            raw(",")
            number(ll.lat)
        } else {
            number(p.x)
            raw(",")
            number(p.y)
        }
        raw("]")
    }

    mutating func key(_ k: StaticString) {
        raw(",\"")
        raw(k)
        raw("\":")
    }

    mutating func property(_ k: StaticString, _ v: String?) {
        key(k)
        if let v { string(v) } else { raw("null") }
    }

    mutating func property(_ k: StaticString, _ v: Double) {
        key(k)
        number(v)
    }

    /// JSON has no NaN or infinity: those become `null`.
    mutating func number(_ v: Double) {
        guard v.isFinite else { return raw("null") }
        if v == v.rounded(), abs(v) < 1e15 {
            var n = Int64(v)
            if n < 0 { out.append(Bytes.minus); n = -n }
            if n == 0 { out.append(0x30); return }
            var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
            var count = 0
            withUnsafeMutableBytes(of: &digits) { d in
                while n > 0 {
                    d[count] = UInt8(n % 10) + 0x30
                    n /= 10
                    count += 1
                }
                while count > 0 {
                    count -= 1
                    out.append(d[count])
                }
            }
            return
        }
        out.append(contentsOf: v.description.utf8)
    }

    mutating func string(_ s: String) {
        out.append(Bytes.quote)
        for u in s.unicodeScalars {
            switch u.value {
            case 0x22: raw("\\\"")
            case 0x5C: raw("\\\\")
            case 0x0A: raw("\\n")
            case 0x09: raw("\\t")
            case 0x0D: raw("\\r")
            case 0x20..<0x7F: out.append(UInt8(u.value))
            default:
                let v = u.value
                if v < 0x20 || (v >= 0x7F && v <= 0x9F) || v == 0x2028 || v == 0x2029 {
                    let h = Array(String(v, radix: 16).utf8)
                    raw("\\u")
                    for _ in h.count..<4 { out.append(0x30) }
                    out.append(contentsOf: h)
                } else {
                    UTF8.encode(u) { out.append($0) }
                }
            }
        }
        out.append(Bytes.quote)
    }
}
