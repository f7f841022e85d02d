import WatchroomCore
import WatchroomRouting

/// Small maps drawn by hand, where the right answer can be worked out on paper.
enum HandmadeMaps {
    /// A crossroads and what lies beyond it:
    ///
    /// ```
    ///                 f (0,300)
    ///                 |  新华路 Xinhua Road
    ///                 e (0,200) ── h (100,200)   江北城大街 east of e
    ///                 |  永平门街
    ///  c (-100,100) ──b (0,100)── d (100,100)    江北城大街 Jiangbeicheng Avenue
    ///                 |  永平门街 Yongping Gate Street
    ///                 a (0,0)
    /// ```
    ///
    /// `b→g` leaves b heading north (shape point) and then bends west to g (-100,160).
    /// Segment `ab2` is a slow parallel service road from a to b via (-60,50); `cfoot` a
    /// footway from c to a.
    static func crossroads() -> PrecinctMap {
        var map = PrecinctMap(key: "crossroads", name: "十字路口", roman: "Crossroads", timeZone: "Asia/Shanghai")
        let nodes: [(String, Double, Double)] = [
            ("a", 0, 0), ("b", 0, 100), ("c", -100, 100), ("d", 100, 100), ("e", 0, 200), ("f", 0, 300),
            ("g", -100, 160), ("h", 100, 200),
        ]
        for (k, x, y) in nodes { map.intersections.append(Intersection(key: k, position: Point(x: x, y: y))) }
        map.streets = [
            Street(key: "yp", name: "永平门街", roman: "Yongping Gate Street", roadClass: .tertiary),
            Street(key: "jb", name: "江北城大街", roman: "Jiangbeicheng Avenue", roadClass: .secondary),
            Street(key: "xh", name: "新华路", roman: "Xinhua Road", roadClass: .residential),
            Street(key: "xl", name: "小路", roadClass: .residential),
        ]
        func node(_ k: String) -> Int { map.intersections.firstIndex { $0.key == k } ?? -1 }
        func add(_ key: String, _ from: String, _ to: String, street: Int?, cls: RoadClass, shape: [Point] = [],
                 oneway: Bool = false) {
            let a = node(from), b = node(to)
            let length = Polyline.length([map.intersections[a].position] + shape + [map.intersections[b].position])
            map.segments.append(Segment(key: key, street: street, from: a, to: b, shape: shape, oneway: oneway, roadClass: cls,
                                        speedKmh: cls.defaultSpeedKmh, access: cls.defaultAccess, lengthMeters: length))
        }
        add("ab", "a", "b", street: 0, cls: .tertiary)
        add("be", "b", "e", street: 0, cls: .tertiary)
        add("ef", "e", "f", street: 2, cls: .residential)
        add("bc", "b", "c", street: 1, cls: .secondary)
        add("bd", "b", "d", street: 1, cls: .secondary)
        add("eh", "e", "h", street: 1, cls: .secondary, oneway: true)
        add("bg", "b", "g", street: 3, cls: .residential, shape: [Point(x: 0, y: 150)])
        add("ab2", "a", "b", street: nil, cls: .service, shape: [Point(x: -60, y: 50)])
        add("cfoot", "c", "a", street: nil, cls: .footway)
        map.station = Station(key: "st", name: "江北城派出所", roman: "Jiangbeicheng Police Station", position: Point(x: 20, y: 10))
        map.addresses = [
            Address(key: "a18", street: 0, number: "18", position: Point(x: 8, y: 40)),
            Address(key: "a20", street: 0, number: "20", position: Point(x: -8, y: 160)),
            Address(key: "x3", street: 2, number: "3-1", position: Point(x: 10, y: 250)),
        ]
        map.landmarks = [
            Landmark(key: "l1", name: "江北城小学", roman: "Jiangbeicheng Primary School", kind: "school", position: Point(x: 60, y: 90)),
            Landmark(key: "l2", name: "江北城中学", roman: "Jiangbeicheng Middle School", kind: "school", position: Point(x: -60, y: 110)),
            Landmark(key: "l3", name: "永平门", roman: "Yongping Gate", kind: "gate", position: Point(x: 5, y: 305)),
        ]
        return map
    }

    static func segment(_ map: PrecinctMap, _ key: String) -> Int { map.segments.firstIndex { $0.key == key } ?? -1 }
}
