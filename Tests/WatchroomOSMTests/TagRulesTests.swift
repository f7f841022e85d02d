import XCTest
import WatchroomCore
@testable import WatchroomOSM

/// Each tag rule on its own (docs/osm-import.md lists them).
final class TagRulesTests: XCTestCase {
    func testRoadClassesForCarsAndFoot() {
        for v in ["motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential", "service",
                  "living_street", "motorway_link", "trunk_link", "primary_link", "secondary_link", "tertiary_link"] {
            let cls = OSMRules.roadClass(highway: v)
            XCTAssertEqual(cls?.rawValue, v)
            XCTAssertTrue(cls?.defaultAccess.allowsCar ?? false, v)
        }
        for v in ["footway", "pedestrian", "steps", "path"] {
            let cls = OSMRules.roadClass(highway: v)
            XCTAssertEqual(cls?.defaultAccess, .foot, v)
        }
        for v in ["cycleway", "bridleway", "construction", "proposed", "bus_stop", "", "Residential"] {
            XCTAssertNil(OSMRules.roadClass(highway: v), v)
            XCTAssertNil(OSMRules.roadClass(highway: v, tags: ["foot": "no"]), v)
        }
        // Tracks are open to walkers by OpenStreetMap's default rules: paths for officers on foot.
        XCTAssertNil(OSMRules.roadClass(highway: "track"))
        XCTAssertEqual(OSMRules.roadClass(highway: "track", tags: [:]), .path)
        XCTAssertEqual(OSMRules.roadClass(highway: "road", tags: [:]), .unclassified)
        XCTAssertEqual(OSMRules.roadClass(highway: "cycleway", tags: ["foot": "designated"]), .path)
        XCTAssertEqual(OSMRules.roadClass(highway: "bridleway", tags: ["foot": "yes"]), .path)
        XCTAssertNil(OSMRules.roadClass(highway: "cycleway", tags: [:]))
        XCTAssertEqual(OSMRules.roadClass(highway: "residential", tags: [:]), .residential)
    }

    func testOneway() {
        XCTAssertEqual(OSMRules.oneway(["oneway": "yes"], roadClass: .residential), .forward)
        XCTAssertEqual(OSMRules.oneway(["oneway": "true"], roadClass: .residential), .forward)
        XCTAssertEqual(OSMRules.oneway(["oneway": "1"], roadClass: .residential), .forward)
        XCTAssertEqual(OSMRules.oneway(["oneway": "-1"], roadClass: .residential), .backward)
        XCTAssertEqual(OSMRules.oneway(["oneway": "no"], roadClass: .residential), .no)
        XCTAssertEqual(OSMRules.oneway([:], roadClass: .residential), .no)
        XCTAssertEqual(OSMRules.oneway(["junction": "roundabout"], roadClass: .tertiary), .forward)
        XCTAssertEqual(OSMRules.oneway(["junction": "circular"], roadClass: .tertiary), .forward)
        XCTAssertEqual(OSMRules.oneway(["junction": "roundabout", "oneway": "no"], roadClass: .tertiary), .no)
        XCTAssertEqual(OSMRules.oneway([:], roadClass: .motorway), .forward)
        XCTAssertEqual(OSMRules.oneway(["oneway": "no"], roadClass: .motorway), .no)
        XCTAssertEqual(OSMRules.oneway([:], roadClass: .motorwayLink), .no)
        XCTAssertEqual(OSMRules.oneway(["oneway": "reversible"], roadClass: .primary), .reversible)
        XCTAssertEqual(OSMRules.oneway(["oneway": "alternating"], roadClass: .primary), .reversible)
        XCTAssertEqual(OSMRules.oneway(["oneway": "maybe"], roadClass: .primary), .unknown("maybe"))
    }

    func testMaxspeedNotations() {
        let cases: [(String, SpeedRule)] = [
            ("50", .kmh(50)), (" 30 ", .kmh(30)), ("50 km/h", .kmh(50)), ("50kmh", .kmh(50)), ("40 kph", .kmh(40)),
            ("30 mph", .kmh(48.28)), ("20mph", .kmh(32.19)), ("10 knots", .kmh(18.52)), ("27.5", .kmh(27.5)),
            ("walk", .kmh(6)), ("none", .classDefault), ("signals", .classDefault), ("variable", .classDefault),
            ("RU:urban", .kmh(60)), ("RU:rural", .kmh(90)), ("ru:living_street", .kmh(20)),
            ("DE:urban", .kmh(50)), ("DE:rural", .kmh(100)), ("DE:motorway", .classDefault), ("DE:zone30", .kmh(30)),
            ("DE:zone:20", .kmh(20)), ("GB:nsl_single", .kmh(96.56)), ("XX:urban", .kmh(50)), ("XX:rural", .kmh(90)),
            ("60;40", .kmh(40)), ("none;50", .kmh(50)),
            ("fast", .unknown("fast")), ("0", .unknown("0")), ("-5", .unknown("-5")), ("999", .unknown("999")),
            ("", .unknown("")), ("XX:moon", .unknown("XX:moon")), ("50;fast", .unknown("50;fast")), ("1e2", .unknown("1e2")),
        ]
        for (v, expected) in cases { XCTAssertEqual(OSMRules.maxspeed(v), expected, v) }
    }

    func testAccess() {
        func acc(_ t: OSMTags, _ c: RoadClass = .residential) -> String {
            let a = OSMRules.access(t, roadClass: c)
            return (a.car ? "car" : "-") + "/" + (a.foot ? "foot" : "-")
        }
        XCTAssertEqual(acc([:]), "car/foot")
        XCTAssertEqual(acc(["access": "no"]), "-/-")
        XCTAssertEqual(acc(["access": "private"]), "-/-")
        XCTAssertEqual(acc(["access": "destination"]), "car/foot")
        XCTAssertEqual(acc(["access": "no", "foot": "yes"]), "-/foot")
        XCTAssertEqual(acc(["access": "no", "motor_vehicle": "yes"]), "car/-")
        XCTAssertEqual(acc(["motor_vehicle": "no"]), "-/foot")
        XCTAssertEqual(acc(["vehicle": "no", "motorcar": "yes"]), "car/foot")
        XCTAssertEqual(acc(["motor_vehicle": "private"]), "-/foot")
        XCTAssertEqual(acc(["foot": "no"]), "car/-")
        XCTAssertEqual(acc(["access": "no", "emergency": "yes"]), "car/-")
        // OpenStreetMap's default pedestrian access: not on motorways, on trunks yes.
        XCTAssertEqual(acc([:], .motorway), "car/-")
        XCTAssertEqual(acc([:], .motorwayLink), "car/-")
        XCTAssertEqual(acc(["foot": "yes"], .motorway), "car/foot")
        XCTAssertEqual(acc([:], .trunk), "car/foot")
        XCTAssertEqual(acc([:], .trunkLink), "car/foot")
        XCTAssertEqual(acc(["access": "yes"], .trunk), "car/foot")
        XCTAssertEqual(acc(["foot": "no"], .trunk), "car/-")
        XCTAssertEqual(acc(["motorroad": "yes"], .trunk), "car/-")
        XCTAssertEqual(acc(["foot": "use_sidepath"], .trunk), "car/-")
        XCTAssertEqual(acc([:], .footway), "-/foot")
        XCTAssertEqual(acc(["motor_vehicle": "yes"], .footway), "-/foot")
        XCTAssertEqual(acc(["foot": "private"], .footway), "-/-")
        XCTAssertEqual(acc(["motorroad": "yes"], .primary), "car/-")
    }

    func testNamesAndRomanForms() {
        XCTAssertTrue(OSMRules.names(["name": "永平门街", "name:en": "Yongping Gate Street"]) == ("永平门街", "Yongping Gate Street"))
        XCTAssertTrue(OSMRules.names(["name:zh": "上横街", "name:zh_pinyin": "Shang Heng Jie"]) == ("上横街", "Shang Heng Jie"))
        XCTAssertTrue(OSMRules.names(["name": "正街", "name:latn": "Zhengjie"]) == ("正街", "Zhengjie"))
        XCTAssertTrue(OSMRules.names(["name:zh-Hans": "下横街", "name:zh-Latn-pinyin": "Xià Héng Jiē"]) == ("下横街", "Xià Héng Jiē"))
        XCTAssertTrue(OSMRules.names(["name:en": "Harbour Road"]) == ("Harbour Road", nil))
        XCTAssertTrue(OSMRules.names(["name": "Main Street", "name:en": "Main Street"]) == ("Main Street", nil))
        XCTAssertTrue(OSMRules.names(["name": " \u{1B}[31m红\u{07} "]) == ("[31m红", nil))
        XCTAssertTrue(OSMRules.names(["name": "   "]) == (nil, nil))
        XCTAssertEqual(OSMRules.allNames(["name": "A", "alt_name": "B", "name:en": "C"]).sorted(), ["A", "B", "C"])
    }

    func testCameras() {
        XCTAssertEqual(OSMRules.direction("90"), 90)
        XCTAssertEqual(OSMRules.direction("-90"), 270)
        XCTAssertEqual(OSMRules.direction("450"), 90)
        XCTAssertEqual(OSMRules.direction("NE"), 45)
        XCTAssertEqual(OSMRules.direction("wsw"), 247.5)
        XCTAssertNil(OSMRules.direction("up"))
        XCTAssertNil(OSMRules.direction(nil))
        let fixed = OSMRules.camera(["camera:type": "fixed", "camera:direction": "180"])
        XCTAssertEqual(fixed?.kind, "fixed"); XCTAssertEqual(fixed?.facing, 180); XCTAssertEqual(fixed?.fov, 90); XCTAssertEqual(fixed?.range, 60)
        let blind = OSMRules.camera(["surveillance:type": "camera"])
        XCTAssertEqual(blind?.fov, 360); XCTAssertEqual(blind?.directionKnown, false)
        XCTAssertEqual(OSMRules.camera(["camera:type": "dome"])?.range, 40)
        XCTAssertEqual(OSMRules.camera(["camera:type": "panning", "camera:direction": "10"])?.kind, "ptz")
        XCTAssertEqual(OSMRules.camera(["surveillance:zone": "traffic", "direction": "N"])?.range, 150)
        XCTAssertEqual(OSMRules.camera(["surveillance:type": "ALPR"])?.kind, "fixed")
        XCTAssertNil(OSMRules.camera(["surveillance:type": "guard"]))
    }

    func testAreasAndLandmarks() {
        XCTAssertEqual(OSMRules.areaKind(["natural": "water"], buildings: false), .water)
        XCTAssertEqual(OSMRules.areaKind(["natural": "water", "water": "river"], buildings: false), .river)
        XCTAssertEqual(OSMRules.areaKind(["waterway": "riverbank"], buildings: false), .river)
        XCTAssertEqual(OSMRules.areaKind(["landuse": "reservoir"], buildings: false), .water)
        XCTAssertEqual(OSMRules.areaKind(["leisure": "park"], buildings: false), .park)
        XCTAssertEqual(OSMRules.areaKind(["place": "square"], buildings: false), .square)
        XCTAssertEqual(OSMRules.areaKind(["highway": "pedestrian", "area": "yes"], buildings: false), .plaza)
        XCTAssertNil(OSMRules.areaKind(["building": "yes"], buildings: false))
        XCTAssertEqual(OSMRules.areaKind(["building": "yes"], buildings: true), .building)
        XCTAssertNil(OSMRules.areaKind(["building": "no"], buildings: true))
        XCTAssertEqual(OSMRules.landmarkKind(["amenity": "school"]), "school")
        XCTAssertEqual(OSMRules.landmarkKind(["amenity": "marketplace"]), "market")
        XCTAssertEqual(OSMRules.landmarkKind(["shop": "mall"]), "mall")
        XCTAssertEqual(OSMRules.landmarkKind(["historic": "city_gate"]), "gate")
        XCTAssertEqual(OSMRules.landmarkKind(["tourism": "museum"]), "museum")
        XCTAssertNil(OSMRules.landmarkKind(["amenity": "bench"]))
        XCTAssertNil(OSMRules.landmarkKind(["shop": "bakery"]))
    }

    func testBBoxParsing() {
        XCTAssertEqual(try? OSMImportOptions.BBox.parse("29.56,106.56,29.58,106.58").get(),
                       OSMImportOptions.BBox(south: 29.56, west: 106.56, north: 29.58, east: 106.58))
        for (bad, words) in [("1,2,3", "four numbers"), ("a,2,3,4", "not a number"), ("29.6,106.5,29.5,106.6", "less than north"),
                             ("29.5,106.6,29.6,106.5", "less than east"), ("95,0,96,1", "-90...90"), ("0,0,5,5", "at most 2 degrees")] {
            switch OSMImportOptions.BBox.parse(bad) {
            case .success: XCTFail(bad)
            case .failure(let e): XCTAssertTrue(e.message.contains(words), "\(bad): \(e.message)")
            }
        }
    }
}
