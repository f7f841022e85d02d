import WatchroomCore

extension MapFormat {
    /// The map as canonical `.wrmap` text: header, then nodes, streets, segments, the
    /// station, cameras, addresses, landmarks and areas, each in model order. Defaults
    /// are left out, so `check(write(m))` gives back an equal map for any map `check` made.
    public static func write(_ map: PrecinctMap) -> String {
        var w = MapWriter()
        w.write(map)
        return w.out
    }
}

struct MapWriter {
    var out = ""

    /// Shortest text that reads back to exactly `v`.
    static func number(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return v.description
    }

    static func point(_ p: Point) -> String { number(p.x) + "," + number(p.y) }

    static func points(_ ps: [Point]) -> String {
        "\"" + ps.map(point).joined(separator: " ") + "\""
    }

    /// A double-quoted value with `"`, `\`, line breaks, tabs and control characters escaped.
    static func quoted(_ s: String) -> String {
        var r = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": r += "\\\""
            case "\\": r += "\\\\"
            case "\n": r += "\\n"
            case "\t": r += "\\t"
            default:
                if u.value < 0x20 || (u.value >= 0x7F && u.value <= 0x9F) {
                    r += "\\u{" + String(u.value, radix: 16, uppercase: true) + "}"
                } else {
                    r.unicodeScalars.append(u)
                }
            }
        }
        return r + "\""
    }

    /// Bare when the value is a plain word, quoted otherwise.
    static func value(_ s: String) -> String {
        guard !s.isEmpty else { return "\"\"" }
        for c in s.utf8 where !(Bytes.isIDChar(c) || c == 0x2F || c == Bytes.plus) { return quoted(s) }
        return s
    }

    mutating func line(_ parts: String...) {
        for p in parts { out += p }
        out += "\n"
    }

    mutating func write(_ map: PrecinctMap) {
        out.reserveCapacity(64 * (map.intersections.count + map.segments.count + 8))
        line("watchroom-map 1")
        var precinct = "precinct key=" + MapWriter.value(map.key) + " name=" + MapWriter.quoted(map.name)
        if let r = map.roman { precinct += " roman=" + MapWriter.quoted(r) }
        line(precinct, " timezone=", MapWriter.value(map.timeZone))
        if let o = map.origin { line("origin lat=", MapWriter.number(o.lat), " lon=", MapWriter.number(o.lon)) }
        if let b = map.declaredBounds { line("bounds min=", MapWriter.point(b.min), " max=", MapWriter.point(b.max)) }

        if !map.intersections.isEmpty { out += "\n" }
        for n in map.intersections {
            var s = "node " + n.key + " at=" + MapWriter.point(n.position)
            if let ll = n.latLon { s += " lat=" + MapWriter.number(ll.lat) + " lon=" + MapWriter.number(ll.lon) }
            line(s)
        }
        if !map.streets.isEmpty { out += "\n" }
        for st in map.streets {
            var s = "street " + st.key + " name=" + MapWriter.quoted(st.name)
            if let r = st.roman { s += " roman=" + MapWriter.quoted(r) }
            s += " class=" + st.roadClass.rawValue
            if let v = st.speedKmh { s += " speed=" + MapWriter.number(v) }
            line(s)
        }
        if !map.segments.isEmpty { out += "\n" }
        func nodeKey(_ i: Int) -> String { map.intersections.indices.contains(i) ? map.intersections[i].key : "?" }
        for seg in map.segments {
            var s = "segment " + seg.key + " from=" + nodeKey(seg.from) + " to=" + nodeKey(seg.to)
            var street: Street?
            if let i = seg.street, map.streets.indices.contains(i) {
                street = map.streets[i]
                s += " street=" + map.streets[i].key
            }
            if seg.roadClass != street?.roadClass { s += " class=" + seg.roadClass.rawValue }
            if seg.speedKmh != (street?.speedKmh ?? seg.roadClass.defaultSpeedKmh) {
                s += " speed=" + MapWriter.number(seg.speedKmh)
            }
            if seg.oneway { s += " oneway=yes" }
            if seg.access != seg.roadClass.defaultAccess { s += " access=" + seg.access.rawValue }
            if !seg.shape.isEmpty { s += " shape=" + MapWriter.points(seg.shape) }
            line(s)
        }
        if let st = map.station {
            out += "\n"
            var s = "station " + st.key + " name=" + MapWriter.quoted(st.name)
            if let r = st.roman { s += " roman=" + MapWriter.quoted(r) }
            line(s, " at=", MapWriter.point(st.position))
        }
        if !map.cameras.isEmpty { out += "\n" }
        for c in map.cameras {
            var s = "camera " + c.key + " name=" + MapWriter.quoted(c.name) + " at=" + MapWriter.point(c.position)
            s += " facing=" + MapWriter.number(c.facing) + " fov=" + MapWriter.number(c.fieldOfView)
            s += " range=" + MapWriter.number(c.range)
            if let k = c.kind { s += " kind=" + MapWriter.value(k) }
            line(s)
        }
        if !map.addresses.isEmpty { out += "\n" }
        for a in map.addresses {
            let street = map.streets.indices.contains(a.street) ? map.streets[a.street].key : "?"
            var s = "address " + a.key + " street=" + street + " number=" + MapWriter.quoted(a.number)
            s += " at=" + MapWriter.point(a.position)
            if let n = a.name { s += " name=" + MapWriter.quoted(n) }
            line(s)
        }
        if !map.landmarks.isEmpty { out += "\n" }
        for l in map.landmarks {
            var s = "landmark " + l.key + " name=" + MapWriter.quoted(l.name)
            if let r = l.roman { s += " roman=" + MapWriter.quoted(r) }
            line(s, " kind=", MapWriter.value(l.kind), " at=", MapWriter.point(l.position))
        }
        if !map.areas.isEmpty { out += "\n" }
        for a in map.areas {
            var s = "area " + a.key + " kind=" + a.kind.rawValue
            if let n = a.name { s += " name=" + MapWriter.quoted(n) }
            if let r = a.roman { s += " roman=" + MapWriter.quoted(r) }
            line(s, " points=", MapWriter.points(a.points))
        }
    }
}
