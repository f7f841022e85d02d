import WatchroomCore

/// Generates synthetic cities for tests and benchmarks.
///
/// The city is a perturbed grid about 120 m apart: every 8th street (and the edges) is a
/// two-way arterial at 50 km/h, every 4th a tertiary street at 35 km/h, the rest residential
/// at 25 km/h. About a third of the non-arterial streets are one-way, alternating in
/// direction. Because every arterial and the whole edge ring are two-way, the car graph is
/// strongly connected: any node can drive along its street to an arterial in the street's
/// direction, and any node can be reached along its street from an arterial upstream.
/// A few unnamed diagonals, curved segments (one shape point), a station near the centre,
/// landmarks and addresses complete it.
public enum CityGenerator {
    /// Grid spacing in metres.
    public static let spacing: Double = 120

    /// A city of exactly `intersections` nodes (at least 4), the same for the same seed.
    ///
    /// - Complexity: O(intersections); about a second per million in a release build.
    public static func generate(intersections n: Int, seed: UInt64) -> PrecinctMap {
        precondition(n >= 4, "a city needs at least 4 intersections")
        var rng = SplitMix64(seed: seed)
        let columns = Swift.max(2, Int(Double(n).squareRoot().rounded(.up)))
        let rows = (n + columns - 1) / columns
        let partial = n - (rows - 1) * columns          // nodes in the top row (1...columns)
        let lastFull = partial == columns ? rows - 1 : rows - 2

        var map = PrecinctMap(key: "generated-\(n)", name: "合成城", roman: "Synthetic City",
                              timeZone: "Asia/Shanghai", origin: LatLon(lat: 29.5717, lon: 106.5743))
        map.intersections.reserveCapacity(n)
        for j in 0..<rows {
            for i in 0..<columns where j * columns + i < n {
                let x = Double(i) * spacing + (rng.nextUnit() - 0.5) * 30
                let y = Double(j) * spacing + (rng.nextUnit() - 0.5) * 30
                map.intersections.append(Intersection(key: "n\(j * columns + i)", position: Point(x: x, y: y)))
            }
        }

        // Streets: one per row (roads, west-east) and one per column (streets, south-north).
        func roadClass(_ k: Int, last: Int) -> RoadClass {
            if k % 8 == 0 || k == last { return .primary }
            return k % 4 == 0 ? .tertiary : .residential
        }
        let rowStreet0 = 0
        for j in 0..<rows {
            let cls = j > lastFull ? RoadClass.residential : roadClass(j, last: lastFull)
            let (name, roman) = streetName(j, kind: cls == .primary ? "大道" : "路", romanKind: cls == .primary ? "Avenue" : "Road")
            map.streets.append(Street(key: "r\(j)", name: name, roman: roman, roadClass: cls))
        }
        let columnStreet0 = rows
        for i in 0..<columns {
            let cls = roadClass(i, last: columns - 1)
            let (name, roman) = streetName(i + 7, kind: cls == .primary ? "大街" : "街", romanKind: cls == .primary ? "Boulevard" : "Street")
            map.streets.append(Street(key: "c\(i)", name: name, roman: roman, roadClass: cls))
        }
        // One-way choice per street: 0 two-way, +1 along increasing index, -1 against.
        var rowWay = [Int](repeating: 0, count: rows)
        for j in 0..<rows where j <= lastFull && map.streets[rowStreet0 + j].roadClass != .primary && rng.nextUnit() < 0.35 {
            rowWay[j] = j % 2 == 0 ? 1 : -1
        }
        var columnWay = [Int](repeating: 0, count: columns)
        for i in 0..<columns where map.streets[columnStreet0 + i].roadClass != .primary && rng.nextUnit() < 0.35 {
            columnWay[i] = i % 2 == 0 ? 1 : -1
        }

        map.segments.reserveCapacity(2 * n + n / 20)
        func addSegment(_ a: Int, _ b: Int, street: Int?, cls: RoadClass, way: Int, curve: Bool) {
            let (from, to) = way < 0 ? (b, a) : (a, b)
            let pa = map.intersections[from].position, pb = map.intersections[to].position
            var shape: [Point] = []
            var length = pa.distance(to: pb)
            if curve {
                let mid = pa.interpolated(to: pb, t: 0.5)
                let dx = pb.x - pa.x, dy = pb.y - pa.y
                let len = Swift.max(1e-9, (dx * dx + dy * dy).squareRoot())
                let off = (rng.nextUnit() < 0.5 ? -1.0 : 1.0) * (5 + rng.nextUnit() * 10)
                let q = Point(x: mid.x - dy / len * off, y: mid.y + dx / len * off)
                shape = [q]
                length = pa.distance(to: q) + q.distance(to: pb)
            }
            map.segments.append(Segment(key: "s\(map.segments.count)", street: street, from: from, to: to, shape: shape,
                                        oneway: way != 0, roadClass: cls, speedKmh: cls.defaultSpeedKmh,
                                        access: cls.defaultAccess, lengthMeters: length))
        }
        for j in 0..<rows {
            for i in 0..<columns where j * columns + i < n {
                let u = j * columns + i
                if i + 1 < columns && u + 1 < n {
                    let cls = map.streets[rowStreet0 + j].roadClass
                    addSegment(u, u + 1, street: rowStreet0 + j, cls: cls, way: rowWay[j],
                               curve: cls == .residential && rng.nextUnit() < 0.08)
                }
                if u + columns < n {
                    let cls = map.streets[columnStreet0 + i].roadClass
                    // Pieces up into the partial top row stay two-way.
                    addSegment(u, u + columns, street: columnStreet0 + i, cls: cls, way: j + 1 <= lastFull ? columnWay[i] : 0,
                               curve: cls == .residential && rng.nextUnit() < 0.08)
                }
                if i + 1 < columns && j + 1 <= lastFull && rng.nextUnit() < 0.04 {
                    let flip = rng.nextUnit() < 0.5
                    let (a, b) = flip ? (u + 1, u + columns) : (u, u + columns + 1)
                    addSegment(a, b, street: nil, cls: .unclassified, way: 0, curve: false)
                }
            }
        }

        let centre = (rows / 2) * columns + columns / 2
        let c = map.intersections[Swift.min(centre, n - 1)].position
        map.station = Station(key: "station", name: "合成城派出所", roman: "Synthetic City Police Station",
                              position: Point(x: c.x + 12, y: c.y + 9))
        let landmarkNames: [(String, String, String)] = [
            ("合成城第一医院", "Synthetic City First Hospital", "hospital"), ("合成城小学", "Synthetic City Primary School", "school"),
            ("中央市场", "Central Market", "market"), ("北门", "North Gate", "gate"), ("江边公园", "Riverside Park", "park"),
            ("东山寺", "Dongshan Temple", "temple"), ("新华商场", "Xinhua Mall", "mall"), ("火车站", "Railway Station", "station"),
        ]
        for (k, l) in landmarkNames.enumerated() {
            let p = map.intersections[rng.nextInt(below: n)].position
            map.landmarks.append(Landmark(key: "l\(k)", name: l.0, roman: l.1, kind: l.2,
                                          position: Point(x: p.x + 20, y: p.y - 15)))
        }
        // Even house numbers along the first rows, 2 per block, set back 10 m.
        for j in 0..<Swift.min(rows, 10) {
            for i in 0..<Swift.min(columns - 1, 20) where j * columns + i + 1 < n {
                let a = map.intersections[j * columns + i].position, b = map.intersections[j * columns + i + 1].position
                for h in 0..<2 {
                    let p = a.interpolated(to: b, t: 0.3 + 0.4 * Double(h))
                    map.addresses.append(Address(key: "a\(j)-\(i)-\(h)", street: rowStreet0 + j, number: "\((i * 2 + h + 1) * 2)",
                                                 position: Point(x: p.x, y: p.y + 10)))
                }
            }
        }
        return map
    }

    /// A unique two-to-four character name for street `k`: 江北路 (Jiangbei Road).
    static func streetName(_ k: Int, kind: String, romanKind: String) -> (String, String) {
        let syllables: [(String, String)] = [
            ("江", "jiang"), ("北", "bei"), ("永", "yong"), ("平", "ping"), ("建", "jian"), ("新", "xin"),
            ("华", "hua"), ("龙", "long"), ("凤", "feng"), ("嘉", "jia"), ("陵", "ling"), ("和", "he"),
            ("安", "an"), ("兴", "xing"), ("文", "wen"), ("德", "de"), ("明", "ming"), ("光", "guang"),
            ("南", "nan"), ("东", "dong"), ("西", "xi"), ("阳", "yang"), ("山", "shan"), ("桥", "qiao"),
        ]
        var digits: [Int] = []
        var v = k
        repeat { digits.append(v % syllables.count); v /= syllables.count } while v > 0
        if digits.count < 2 { digits.append(0) }
        let chars = digits.reversed().map { syllables[$0] }
        let name = chars.map(\.0).joined() + kind
        let roman = chars.map(\.1).joined()
        return (name, roman.prefix(1).uppercased() + roman.dropFirst() + " " + romanKind)
    }
}
