import Foundation
import XCTest
import WatchroomCore
import WatchroomMapFormat
import WatchroomRouting
@testable import WatchroomOSM

/// Fixtures/osm/district.osm imported whole: every rule, what was dropped, and routes
/// checked against Floyd–Warshall on the fixture's ways.
final class DistrictImportTests: XCTestCase {
    static let options = OSMImportOptions(name: "江北城", roman: "Jiangbeicheng", timeZone: "Asia/Shanghai")

    private func imported(_ options: OSMImportOptions = DistrictImportTests.options, maxRead: Int = 1 << 20) throws -> OSMImportResult {
        try OSMImporter.importBytes(try DistrictReference.bytes(), file: "district.osm", options: options, maxRead: maxRead)
    }

    private func segment(_ map: PrecinctMap, _ key: String, file: StaticString = #filePath, line: UInt = #line) throws -> Segment {
        try XCTUnwrap(map.segments.first { $0.key == key }, "no segment \(key)", file: file, line: line)
    }

    private func node(_ map: PrecinctMap, _ i: Int) -> String { map.intersections[i].key }

    func testImportedMapChecksCleanAndReadsBackEqual() throws {
        let r = try imported()
        let check = MapFormat.check(text: r.text, file: "district.wrmap")
        XCTAssertEqual(check.errorCount, 0, check.formatted())
        XCTAssertEqual(check.warningCount, 0, check.formatted())
        XCTAssertEqual(check.map, r.map)
        XCTAssertEqual(r.map.name, "江北城")
        XCTAssertEqual(r.map.roman, "Jiangbeicheng")
        XCTAssertEqual(r.map.timeZone, "Asia/Shanghai")
        XCTAssertEqual(r.report.segments, r.map.segments.count)
        XCTAssertEqual(r.report.streets, 11)
    }

    func testProjectionIsMetricAndKeepsLatLon() throws {
        let map = try imported().map
        let origin = try XCTUnwrap(map.origin)
        let proj = LocalProjection(origin: origin)
        for n in map.intersections {
            let ll = try XCTUnwrap(n.latLon, n.key)
            let p = proj.project(ll)
            XCTAssertEqual(p.x, n.position.x, accuracy: 0.006, n.key)
            XCTAssertEqual(p.y, n.position.y, accuracy: 0.006, n.key)
        }
        let n1 = try XCTUnwrap(map.intersections.first { $0.key == "n1" })
        let n4 = try XCTUnwrap(map.intersections.first { $0.key == "n4" })
        XCTAssertEqual(n1.latLon, LatLon(lat: 29.57, lon: 106.57))
        // 0.001 degree of latitude is about 110.85 m here.
        XCTAssertEqual(n1.position.distance(to: n4.position), 110.85, accuracy: 0.05)
    }

    func testDegreeTwoChainsBecomeOneSegmentWithShape() throws {
        let map = try imported().map
        let keys = Set(map.intersections.map(\.key))
        XCTAssertFalse(keys.contains("n10"), "node 10 only bends Yongping Gate Street")
        XCTAssertFalse(keys.contains("n32"), "node 32 only bends the footway")
        XCTAssertTrue(keys.isSuperset(of: ["n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9"]))
        let w100 = try segment(map, "w100")
        XCTAssertEqual([node(map, w100.from), node(map, w100.to)], ["n1", "n2"])
        XCTAssertEqual(w100.shape.count, 1)
        XCTAssertEqual(w100.lengthMeters, Polyline.length(map.polyline(ofSegment: map.segments.firstIndex(of: w100)!)), accuracy: 1e-9)
        // The roundabout hangs off node 3 alone: one closed segment with both other nodes as shape.
        let ring = try segment(map, "w106")
        XCTAssertEqual([node(map, ring.from), node(map, ring.to)], ["n3", "n3"])
        XCTAssertEqual(ring.shape.count, 2)
        XCTAssertTrue(ring.oneway)
        XCTAssertEqual(ring.speedKmh, 35)
    }

    func testOnewaySpeedsAndAccess() throws {
        let map = try imported().map
        let w103 = try segment(map, "w103")
        XCTAssertTrue(w103.oneway)
        XCTAssertEqual([node(map, w103.from), node(map, w103.to)], ["n1", "n4"])
        XCTAssertEqual(w103.speedKmh, 40, "secondary default")
        let w104 = try segment(map, "w104")
        XCTAssertTrue(w104.oneway)
        XCTAssertEqual([node(map, w104.from), node(map, w104.to)], ["n3", "n6"], "oneway=-1 drives against the way's order")
        XCTAssertEqual(w104.speedKmh, 30, "maxspeed=none: unclassified default")
        XCTAssertEqual(try segment(map, "w100").speedKmh, 30)
        XCTAssertEqual(try segment(map, "w101").speedKmh, 32.19, "20 mph")
        XCTAssertEqual(try segment(map, "w102").speedKmh, 60, "RU:urban")
        XCTAssertEqual(try segment(map, "w105").speedKmh, 6, "walk")
        XCTAssertEqual(try segment(map, "w118").speedKmh, 25, "maxspeed=fast: residential default")
        XCTAssertEqual(try segment(map, "w116").access, .all, "access=destination lets patrol cars in")
        XCTAssertEqual(try segment(map, "w116").speedKmh, 10)
        XCTAssertEqual(try segment(map, "w119").access, .car, "access=no with emergency=yes: cars only")
        XCTAssertEqual(try segment(map, "w115").access, .foot, "reversible: closed to cars")
        XCTAssertEqual(try segment(map, "w107").access, .foot, "a one-way dead end traps cars: kept on foot")
        XCTAssertFalse(try segment(map, "w107").oneway)
        XCTAssertEqual(try segment(map, "w109").access, .foot)
        XCTAssertEqual(try segment(map, "w109").roadClass, .footway)
        XCTAssertEqual(try segment(map, "w110").roadClass, .steps)
        XCTAssertEqual(try segment(map, "w120").roadClass, .pedestrian)
        XCTAssertEqual(try segment(map, "w120").access, .foot)
        let keys = Set(map.segments.map(\.key))
        for gone in ["w108", "w111", "w112"] { XCTAssertFalse(keys.contains { $0.hasPrefix(gone) }, gone) }
        // A track is a path for officers on foot (OpenStreetMap's default access), not for cars.
        XCTAssertEqual(map.segments.first { $0.key == "w113" }?.access, .foot)
    }

    func testDuplicateNodesMergeAndMissingNodesCutWays() throws {
        let map = try imported().map
        XCTAssertFalse(map.intersections.contains { $0.key == "n70" })
        let w118 = try segment(map, "w118")
        XCTAssertEqual([node(map, w118.from), node(map, w118.to)], ["n5", "n71"], "node 70 sits on node 5")
        let w114 = try segment(map, "w114")
        XCTAssertEqual([node(map, w114.from), node(map, w114.to)], ["n7", "n61"], "cut at missing node 999")
        XCTAssertFalse(map.intersections.contains { $0.key == "n60" })
        // The later copy of node 2 (far away) is ignored.
        XCTAssertEqual(map.intersections.first { $0.key == "n2" }?.latLon, LatLon(lat: 29.57, lon: 106.571))
        // The later copy of way 100 (a motorway) is ignored.
        XCTAssertEqual(try segment(map, "w100").roadClass, .residential)
    }

    func testNamesOfStreets() throws {
        let map = try imported().map
        func street(_ key: String) throws -> Street { map.streets[try XCTUnwrap(try segment(map, key).street)] }
        XCTAssertEqual(try street("w100").name, "永平门街")
        XCTAssertEqual(try street("w100").roman, "Yongping Gate Street")
        XCTAssertEqual(try street("w101").name, "上横街")
        XCTAssertEqual(try street("w101").roman, "Shang Heng Jie")
        XCTAssertEqual(try street("w102").roman, "Xia Heng Jie")
        XCTAssertEqual(try street("w105").key, try street("w118").key, "same name, same street")
        XCTAssertNil(try segment(map, "w109").street)
    }

    func testStationCamerasAddressesLandmarksAreas() throws {
        let map = try imported().map
        let st = try XCTUnwrap(map.station)
        XCTAssertEqual(st.name, "江北城派出所")
        XCTAssertEqual(st.roman, "Jiangbeicheng Police Station")
        let proj = LocalProjection(origin: try XCTUnwrap(map.origin))
        let centre = proj.project(LatLon(lat: 29.5705, lon: 106.57055))
        XCTAssertEqual(st.position.distance(to: centre), 0, accuracy: 0.02, "the centroid of the station building")

        XCTAssertEqual(map.cameras.count, 4)
        let cam = try XCTUnwrap(map.cameras.first { $0.name == "永平门街口" })
        XCTAssertEqual([cam.facing, cam.fieldOfView, cam.range], [90, 90, 60])
        XCTAssertEqual(cam.kind, "fixed")
        let dome = try XCTUnwrap(map.cameras.first { $0.key == "cam-n301" })
        XCTAssertEqual(dome.fieldOfView, 360)
        let ne = try XCTUnwrap(map.cameras.first { $0.key == "cam-n302" })
        XCTAssertEqual([ne.facing, ne.range], [45, 150])
        let ptz = try XCTUnwrap(map.cameras.first { $0.key == "cam-n304" })
        XCTAssertEqual(ptz.kind, "ptz")
        XCTAssertEqual(ptz.facing, 270)
        XCTAssertFalse(map.cameras.contains { $0.key == "cam-n303" }, "a guard is not a camera")

        XCTAssertEqual(map.addresses.count, 2)
        let a18 = try XCTUnwrap(map.addresses.first { $0.number == "18" })
        XCTAssertEqual(map.streets[a18.street].name, "永平门街")
        XCTAssertEqual(a18.name, "老张面馆")
        let a3 = try XCTUnwrap(map.addresses.first { $0.number == "3" })
        XCTAssertEqual(map.streets[a3.street].name, "上横街", "matched through alt_name")

        XCTAssertEqual(Set(map.landmarks.map(\.name)), ["江北城小学", "A&B 江北 Market <east>", "江北城警务室"])
        XCTAssertEqual(map.landmarks.first { $0.name == "江北城小学" }?.roman, "Jiangbeicheng Primary School")
        XCTAssertEqual(map.landmarks.first { $0.name == "江北城警务室" }?.kind, "police")

        XCTAssertEqual(map.areas.count, 3)
        XCTAssertEqual(map.areas.first { $0.name == "江北公园" }?.kind, .park)
        XCTAssertEqual(map.areas.first { $0.name == "月湖" }?.kind, .water)
        let river = try XCTUnwrap(map.areas.first { $0.name == "嘉陵江" })
        XCTAssertEqual(river.kind, .river)
        XCTAssertEqual(river.points.count, 4, "two outer ways joined into one ring")
    }

    func testDropReportCountsEveryReason() throws {
        let t = try imported().report.tally
        XCTAssertEqual(t.count(DropReason.duplicateNode), 1)
        XCTAssertEqual(t.count(DropReason.badCoordinates), 1)
        XCTAssertEqual(t.count(DropReason.duplicateWay), 1)
        XCTAssertEqual(t.count(DropReason.noAccess), 1)
        XCTAssertEqual(t.count(DropReason.unsupportedHighway("track")), 0, "tracks are kept on foot")
        XCTAssertEqual(t.count(DropReason.missingNodes), 1)
        XCTAssertEqual(t.count(DropReason.reversible), 1)
        XCTAssertEqual(t.count(DropReason.maxspeedUnknown("fast")), 1)
        XCTAssertEqual(t.count(DropReason.mergedNodes), 1)
        XCTAssertEqual(t.count(DropReason.carUnreachable), 1, "w107")
        XCTAssertEqual(t.count(DropReason.carUnreachableDropped), 1, "w111")
        XCTAssertEqual(t.count(DropReason.footUnreachableDropped), 1, "w112")
        XCTAssertEqual(t.count(DropReason.cameraNotCamera), 1)
        XCTAssertEqual(t.count(DropReason.cameraNoDirection), 1)
        XCTAssertEqual(t.count(DropReason.addressUnknownStreet), 1)
        XCTAssertEqual(t.count(DropReason.addressNoStreet), 1)
        XCTAssertEqual(t.count(DropReason.unnamedLandmark), 1)
        XCTAssertEqual(t.count(DropReason.otherPolice), 1)
        XCTAssertEqual(t.count(DropReason.areaNotClosed), 1)
        XCTAssertEqual(t.count(DropReason.relationSkipped), 1)
        XCTAssertEqual(t.count(DropReason.outsideMap), 1, "the far-away school")
        XCTAssertEqual(t.entries.first { $0.reason == DropReason.noAccess }?.firstLine, 172)
        let text = try imported().report.text
        XCTAssertTrue(text.contains("cameras: 4, addresses: 2, landmarks: 3, areas: 3"), text)
        XCTAssertTrue(text.contains(DropReason.carUnreachable), text)
    }

    func testChunkSizeDoesNotChangeTheMap() throws {
        let whole = try imported().text
        for size in [1, 13, 4096] { XCTAssertEqual(try imported(maxRead: size).text, whole, "read size \(size)") }
    }

    // MARK: - Routes against Floyd–Warshall

    /// A position at an intersection on a segment the profile may use.
    private func position(_ map: PrecinctMap, _ graph: RoadGraph, node: Int) -> RoadPosition? {
        for (i, s) in map.segments.enumerated() where graph.isUsable(segment: i) {
            if s.from == node { return RoadPosition(segment: i, fraction: 0) }
            if s.to == node { return RoadPosition(segment: i, fraction: 1) }
        }
        return nil
    }

    private func checkRoutes(_ profile: RoutingProfile, _ reference: DistrictReference.AllPairs, _ map: PrecinctMap) throws {
        let graph = RoadGraph(map: map, profile: profile)
        let query = RouteQuery(graph: graph)
        let weights = LiveWeights(graph: graph)
        var compared = 0
        for (i, a) in map.intersections.enumerated() {
            guard let pa = position(map, graph, node: i) else { continue }
            for (j, b) in map.intersections.enumerated() where i != j {
                guard let pb = position(map, graph, node: j) else { continue }
                let ida = Int(a.key.dropFirst())!, idb = Int(b.key.dropFirst())!
                let expected = reference.millis(ida, idb)
                let route = query.fastest(from: pa, to: pb, weights: weights)
                XCTAssertEqual(route == nil, expected == .infinity, "\(profile) \(a.key) → \(b.key)")
                if let route {
                    XCTAssertEqual(Double(route.millis), expected, accuracy: 10 + expected * 1e-4, "\(profile) \(a.key) → \(b.key)")
                }
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, 100)
    }

    func testCarRoutesMatchFloydWarshallOnTheFixtureWays() throws {
        let map = try imported().map
        let reference = try DistrictReference.carTimes(projection: LocalProjection(origin: try XCTUnwrap(map.origin)))
        // Every node the reference reaches by car is an intersection or a shape point of the map.
        XCTAssertEqual(Set(map.intersections.filter { k in map.segments.contains { ($0.from == map.intersections.firstIndex(of: k)! || $0.to == map.intersections.firstIndex(of: k)!) && $0.access.allowsCar } }.map(\.key)),
                       Set(reference.ids.map { "n\($0)" }).subtracting(["n10", "n20", "n21"]))
        try checkRoutes(.car, reference, map)
        // One-way streets: from n7 north-west corner back to n1 cars must go round.
        XCTAssertGreaterThan(reference.millis(7, 1), reference.millis(1, 7))
    }

    func testFootRoutesMatchFloydWarshallOnTheFixtureWays() throws {
        let map = try imported().map
        let reference = try DistrictReference.footTimes(projection: LocalProjection(origin: try XCTUnwrap(map.origin)))
        try checkRoutes(.foot, reference, map)
    }

    // MARK: - Options and refusals

    func testBBoxCutsTheExtractAndBoundsTheMap() throws {
        var o = DistrictImportTests.options
        o.bbox = OSMImportOptions.BBox(south: 29.5695, west: 106.5695, north: 29.5715, east: 106.5725)
        let r = try imported(o)
        XCTAssertEqual(MapFormat.check(text: r.text).errorCount, 0)
        let b = try XCTUnwrap(r.map.declaredBounds)
        for n in r.map.intersections { XCTAssertTrue(b.contains(n.position), n.key) }
        XCTAssertFalse(r.map.intersections.contains { $0.key == "n7" || $0.key == "n9" })
        XCTAssertGreaterThan(r.report.tally.count(DropReason.outsideBBox), 20)
        XCTAssertEqual(r.map.origin, LatLon(lat: 29.5705, lon: 106.571))
    }

    func testStationCanBeChosen() throws {
        var o = DistrictImportTests.options
        o.station = "n210"
        XCTAssertEqual(try imported(o).map.station?.name, "江北城警务室")
        o.station = "29.572,106.572"
        let r = try imported(o)
        let proj = LocalProjection(origin: try XCTUnwrap(r.map.origin))
        XCTAssertEqual(try XCTUnwrap(r.map.station).position.distance(to: proj.project(LatLon(lat: 29.572, lon: 106.572))), 0, accuracy: 0.01)
        o.station = "29.6,106.6"   // 3 km away from every road: the map grows to hold it
        let far = try imported(o)
        XCTAssertEqual(MapFormat.check(text: far.text).errorCount, 0)
        XCTAssertTrue(try XCTUnwrap(far.map.declaredBounds).contains(try XCTUnwrap(far.map.station).position))
        var boxed = o
        boxed.bbox = OSMImportOptions.BBox(south: 29.5695, west: 106.5695, north: 29.5715, east: 106.5725)
        XCTAssertThrowsError(try imported(boxed)) { XCTAssertTrue("\($0)".contains("outside --bbox"), "\($0)") }
        o.station = "n424242"
        XCTAssertThrowsError(try imported(o)) { e in
            XCTAssertTrue("\(e)".contains("--station n424242"), "\(e)")
            XCTAssertTrue("\(e)".contains("w200"), "lists the police stations there: \(e)")
        }
    }

    func testTimeZoneIsValidatedOrGuessed() throws {
        var o = DistrictImportTests.options
        o.timeZone = nil
        let r = try imported(o)
        XCTAssertEqual(r.map.timeZone, "Etc/GMT-7", "106.57° E rounds to UTC+7")
        XCTAssertTrue(r.report.timeZoneGuessed)
        XCTAssertTrue(r.report.text.contains("guessed"))
        // An admin boundary's timezone tag names the zone.
        let tagged = String(decoding: try DistrictReference.bytes(), as: UTF8.self)
            .replacingOccurrences(of: "<tag k=\"type\" v=\"route\"/>", with: "<tag k=\"type\" v=\"boundary\"/><tag k=\"timezone\" v=\"Asia/Shanghai\"/>")
        let t = try OSMImporter.importBytes(Array(tagged.utf8), file: "tagged", options: o)
        XCTAssertEqual(t.map.timeZone, "Asia/Shanghai")
        XCTAssertFalse(t.report.timeZoneGuessed)
        XCTAssertTrue(t.report.text.contains("from the timezone tag of OSM r800"), t.report.text)
        o.timeZone = "Mars/Olympus"
        XCTAssertThrowsError(try imported(o)) { XCTAssertTrue("\($0)".contains("unknown time zone"), "\($0)") }
    }

    func testNoPoliceStationIsRefusedWithWhatToDo() throws {
        let path = CLIRunnerPaths.fixture("no-police.osm")
        XCTAssertThrowsError(try OSMImporter.importFile(path: path, options: DistrictImportTests.options)) { e in
            XCTAssertTrue("\(e)".contains("no police station"), "\(e)")
            XCTAssertTrue("\(e)".contains("--station"), "\(e)")
        }
        var o = DistrictImportTests.options
        o.station = "29.5701,106.5705"
        let r = try OSMImporter.importFile(path: path, options: o)
        XCTAssertEqual(r.map.segments.count, 1)
        XCTAssertEqual(r.map.segments[0].shape.count, 1)
    }

    func testMalformedAndForeignFilesGiveFileLineColumn() throws {
        let path = CLIRunnerPaths.fixture("broken-mismatch.osm")
        XCTAssertThrowsError(try OSMImporter.importFile(path: path)) { e in
            let e = e as? OSMImportError
            XCTAssertEqual(e?.line, 6)
            XCTAssertEqual(e?.column, 3)
            XCTAssertTrue(e?.description.hasPrefix(path + ":6:3: error:") ?? false, e?.description ?? "")
        }
        let cases: [(String, [UInt8], String)] = [
            ("pbf", [0, 0, 0, 0x0D, 0x0A, 0x09] + Array("OSMHeader".utf8), "osmium cat"),
            ("gzip", [0x1F, 0x8B, 8, 0], "gunzip"),
            ("html", Array("<html><body>Too many requests</body></html>".utf8), "expected <osm>"),
            ("text", Array("id,lat,lon\n1,2,3\n".utf8), "outside the root"),
            ("no roads", Array("<osm><node id=\"1\" lat=\"1\" lon=\"1\"/></osm>".utf8), "no roads"),
            ("no id", Array("<osm><node lat=\"1\" lon=\"1\"/></osm>".utf8), "numeric id"),
        ]
        for (name, bytes, words) in cases {
            XCTAssertThrowsError(try OSMImporter.importBytes(bytes, file: name), name) { e in
                XCTAssertTrue("\(e)".contains(words), "\(name): \(e)")
                XCTAssertTrue("\(e)".hasPrefix(name + ":"), "\(name): \(e)")
            }
        }
        XCTAssertThrowsError(try OSMImporter.importFile(path: "/nonexistent/x.osm")) { XCTAssertTrue("\($0)".contains("cannot open"), "\($0)") }
    }

    /// A file with every way before its nodes imports no road: the error says to sort it.
    func testAFullyUnsortedFileGetsTheSortHint() throws {
        let osm = """
            <osm version='0.6'>
              <way id='10'><nd ref='1' /><nd ref='2' /><tag k='highway' v='residential' /></way>
              <way id='11'><nd ref='2' /><nd ref='3' /><tag k='highway' v='residential' /></way>
              <node id='1' lat='29.57' lon='106.57' />
              <node id='2' lat='29.57' lon='106.571' />
              <node id='3' lat='29.571' lon='106.571' />
            </osm>
            """
        XCTAssertThrowsError(try OSMImporter.importBytes(Array(osm.utf8), file: "unsorted.osm", options: OSMImportOptions(timeZone: "UTC"))) {
            XCTAssertTrue("\($0)".contains("not sorted): run `osmium sort unsorted.osm -o sorted.osm`"), "\($0)")
        }
    }

    func testJOSMFilesDeletedObjectsNegativeIdsAndUnsortedFiles() throws {
        // JOSM writes new objects with negative ids and keeps deleted ones with action="delete".
        let osm = """
            <?xml version='1.0' encoding='UTF-8'?>
            <osm version='0.6' upload='false' generator='JOSM'>
              <node id='-1' action='modify' visible='true' lat='29.57' lon='106.57' />
              <node id='-2' action='modify' visible='true' lat='29.57' lon='106.571' />
              <node id='-3' action='modify' visible='true' lat='29.571' lon='106.571' />
              <node id='-4' action='delete' visible='true' lat='29.572' lon='106.572' />
              <node id='-5' visible='true' lat='29.5702' lon='106.5702'><tag k='amenity' v='police' /></node>
              <way id='-10' action='modify'><nd ref='-1' /><nd ref='-2' /><nd ref='-3' /><tag k='highway' v='residential' /></way>
              <way id='-11' action='delete'><nd ref='-3' /><nd ref='-1' /><tag k='highway' v='residential' /></way>
              <node id='-6' lat='29.572' lon='106.571' />
              <way id='-12'><nd ref='-3' /><nd ref='-6' /><tag k='highway' v='residential' /><tag k='name' v='新街' /></way>
            </osm>
            """
        let r = try OSMImporter.importBytes(Array(osm.utf8), file: "josm.osm", options: OSMImportOptions(timeZone: "UTC"))
        XCTAssertEqual(Set(r.map.segments.map(\.key)), ["w-10", "w-12"])
        XCTAssertEqual(Set(r.map.intersections.map(\.key)), ["n-1", "n-3", "n-6"])
        XCTAssertEqual(r.report.tally.count(DropReason.deleted), 2)
        XCTAssertEqual(r.report.tally.count(DropReason.unsorted), 1)
        XCTAssertEqual(r.report.tally.entries.first { $0.reason == DropReason.unsorted }?.firstLine, 10)
        // Without the name the two ways meet end to end with equal attributes: one segment.
        let plain = osm.replacingOccurrences(of: "<tag k='name' v='新街' />", with: "")
        let m = try OSMImporter.importBytes(Array(plain.utf8), file: "josm.osm", options: OSMImportOptions(timeZone: "UTC")).map
        XCTAssertEqual(m.segments.map(\.key), ["w-10"])
        XCTAssertEqual(m.segments.first?.shape.count, 2)
        XCTAssertEqual(Set(m.intersections.map(\.key)), ["n-1", "n-6"])
    }

    func testTruncatedFilesNeverCrash() throws {
        let bytes = try DistrictReference.bytes()
        var failures = 0
        for cut in stride(from: 0, to: bytes.count, by: 211) {
            do { _ = try OSMImporter.importBytes(Array(bytes.prefix(cut)), file: "cut", options: DistrictImportTests.options) }
            catch let e as OSMImportError { failures += 1; XCTAssertFalse(e.message.isEmpty) }
        }
        XCTAssertGreaterThan(failures, 10)
    }

    func testMutatedFilesNeverCrashOrHang() throws {
        let bytes = try DistrictReference.bytes()
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int(truncatingIfNeeded: state >> 33)
        }
        let alphabet = Array("<>/=\"'&;# -.0123456789abcxyz\n\u{0}".utf8) + [0xFF, 0xE6, 0x1B]
        var imported = 0, refused = 0
        let rounds = Int(ProcessInfo.processInfo.environment["WATCHROOM_OSM_FUZZ_ROUNDS"] ?? "") ?? 300
        for _ in 0..<rounds {
            var b = bytes
            for _ in 0..<(1 + next() % 4) { b[next() % b.count] = alphabet[next() % alphabet.count] }
            do {
                let r = try OSMImporter.importBytes(b, file: "fuzz", options: DistrictImportTests.options, maxRead: 1 + next() % 5000)
                XCTAssertEqual(MapFormat.check(text: r.text).errorCount, 0, "an import that succeeds passes map check")
                imported += 1
            } catch let e as OSMImportError {
                XCTAssertTrue(e.description.hasPrefix("fuzz:"), e.description)
                refused += 1
            }
        }
        XCTAssertGreaterThan(imported, 0)
        XCTAssertGreaterThan(refused, 0)
    }

    func testHostileTextStaysInertInTheReport() throws {
        let osm = """
            <osm><node id="1" lat="0" lon="0"/><node id="2" lat="0" lon="0.001"/>
            <node id="3" lat="0.0001" lon="0.0001"><tag k="amenity" v="police"/><tag k="name" v="\u{1B}]0;pwned\u{07}"/></node>
            <way id="9"><nd ref="1"/><nd ref="2"/><tag k="highway" v="\u{1B}[2Jtrack"/></way>
            <way id="10"><nd ref="1"/><nd ref="2"/><tag k="highway" v="residential"/><tag k="name" v="A&#x9B;B"/></way></osm>
            """
        let r = try OSMImporter.importBytes(Array(osm.utf8), file: "hostile", options: OSMImportOptions(timeZone: "UTC"))
        XCTAssertFalse(r.report.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B || $0.value == 0x07 }, r.report.text)
        XCTAssertFalse(r.text.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x9B }, "the map file holds no raw controls")
        XCTAssertEqual(MapFormat.check(text: r.text).errorCount, 0)
    }
}

enum CLIRunnerPaths {
    static func fixture(_ name: String) -> String {
        DistrictReference.path.replacingOccurrences(of: "district.osm", with: name)
    }
}
