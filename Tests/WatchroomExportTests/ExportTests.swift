import Foundation
import WatchroomCore
import WatchroomExport
import WatchroomTestSupport
import XCTest

/// The three exports of a small recorded shift on the default map: a knife call at
/// 永平门街 1 dispatched, reached and closed; a noise call left open; one event about an
/// incident that was never reported.
final class ExportTests: XCTestCase {
    private static let t0 = Date(timeIntervalSince1970: 1_773_489_600) // 2026-03-14T20:00:00+08:00

    private func digest() throws -> ShiftDigest {
        let map = try TestMaps.jiangbei()
        var seq: UInt64 = 0
        var events: [EventEnvelope] = []
        func at(_ s: Double, _ e: Event) {
            seq += 1
            events.append(EventEnvelope(seq: seq, time: Self.t0 + s, event: e))
        }
        at(0, .shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: "Asia/Shanghai", mode: .live)))
        at(0, .unitRegistered(UnitRegistered(id: "C11", callsign: "C11", kind: .car, home: Point(x: -250, y: -500))))
        at(0, .unitRegistered(UnitRegistered(id: "F21", callsign: "F21", kind: .officerOnFoot, home: Point(x: -330, y: -900))))
        at(10, .incidentReported(IncidentReported(id: "I0001", number: "2026-0314-0001", category: .dispute, priority: 1,
                                                  summary: "Woman threatening with a knife, \"now\"\nin the shop",
                                                  place: "永平门街 1, tea house", point: Point(x: -325, y: -877),
                                                  callerPhone: "138-0000-0000", weapon: true)))
        at(40, .dispatch(DispatchOrder(incident: "I0001", units: ["C11", "F21"], by: "commander")))
        at(40, .unitStatus(UnitStatusChange(unit: "C11", status: .dispatched, incident: "I0001")))
        at(40, .unitStatus(UnitStatusChange(unit: "F21", status: .dispatched, incident: "I0001")))
        at(41, .routeAssigned(RouteAssigned(unit: "C11", incident: "I0001", seconds: 95, meters: 420,
                                            legs: [RouteLeg(segment: SegmentKey(map.segments[0].key), forward: true),
                                                   RouteLeg(segment: SegmentKey(map.segments[1].key), forward: true)],
                                            eta: Self.t0 + 136)))
        at(45, .unitStatus(UnitStatusChange(unit: "C11", status: .enRoute, incident: "I0001")))
        at(60, .unitPosition(UnitPosition(unit: "C11", point: Point(x: -280, y: -700))))
        at(90, .unitPosition(UnitPosition(unit: "C11", point: Point(x: -320, y: -860))))
        at(130, .unitArrived(UnitArrived(unit: "C11", incident: "I0001")))
        at(130, .unitStatus(UnitStatusChange(unit: "C11", status: .onScene, incident: "I0001")))
        at(200, .incidentUpdated(IncidentUpdated(id: "I0001", note: "Knife taken <away> & bagged")))
        at(300, .incidentReported(IncidentReported(id: "I0002", number: "2026-0314-0002", category: .noise, priority: 3,
                                                   summary: "=cmd|' /C calc'!A0", place: "+上横街 5", point: Point(x: -290, y: -660))))
        at(330, .unitStatus(UnitStatusChange(unit: "C11", status: .available, incident: nil)))
        at(330, .unitStatus(UnitStatusChange(unit: "F21", status: .available, incident: nil)))
        at(600, .incidentClosed(IncidentClosed(id: "I0001", disposition: .arrest, note: "One arrested")))
        at(610, .incidentUpdated(IncidentUpdated(id: "I0099", note: "ghost")))
        return ShiftDigest(map: map, envelopes: events)
    }

    // MARK: - CSV

    /// Read back with Python's csv module, as pandas and LibreOffice would.
    func testCSVReadsBackWithPythonsCSVModuleWithTheNFPA1225Intervals() throws {
        let d = try digest()
        let csv = CSVExport.export(d)
        let dir = NSTemporaryDirectory() + "watchroom-export-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/shift.csv"
        try csv.write(toFile: path, atomically: true, encoding: .utf8)
        let script = """
            import csv, json, sys
            with open(sys.argv[1], newline='', encoding='utf-8') as f:
                rows = list(csv.DictReader(f))
            print(json.dumps(rows, ensure_ascii=False))
            """
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", script, path]
        let pipe = Pipe()
        python.standardOutput = pipe
        try python.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        python.waitUntilExit()
        // python3 is in the Makefile's SYS_PKGS: its absence is a failure, not a skip.
        XCTAssertEqual(python.terminationStatus, 0, "python3 could not read the CSV")
        let rows = try XCTUnwrap(try JSONSerialization.jsonObject(with: out) as? [[String: String]])
        XCTAssertEqual(rows.count, 2, "the ghost incident is not a row")
        XCTAssertEqual(rows.first.map { Array($0.keys).sorted() }, CSVExport.columns.sorted())
        let knife = rows[0]
        XCTAssertEqual(knife["incident"], "I0001")
        XCTAssertEqual(knife["number"], "2026-0314-0001")
        XCTAssertEqual(knife["priority"], "P1")
        XCTAssertEqual(knife["place"], "永平门街 1, tea house", "a comma inside a quoted field")
        XCTAssertEqual(knife["weapon"], "yes")
        XCTAssertEqual(knife["units"], "C11 F21")
        XCTAssertEqual(knife["reported"], "2026-03-14T20:00:10.000+08:00")
        XCTAssertEqual(knife["call_to_dispatch_s"], "30")
        XCTAssertEqual(knife["dispatch_to_arrival_s"], "90")
        XCTAssertEqual(knife["call_to_arrival_s"], "120")
        XCTAssertEqual(knife["on_scene_s"], "470")
        XCTAssertEqual(knife["disposition"], "arrest")
        XCTAssertFalse(knife["disposition_code"]?.isEmpty ?? true)
        XCTAssertEqual(knife["status"], "Closed")
        let lat = try XCTUnwrap(Double(knife["latitude"] ?? "")), lon = try XCTUnwrap(Double(knife["longitude"] ?? ""))
        XCTAssertEqual(lat, 29.5717 + -877 / 110_800, accuracy: 0.001)
        XCTAssertEqual(lon, 106.5743 + -325 / 96_900, accuracy: 0.001)
        let noise = rows[1]
        XCTAssertEqual(noise["place"], "'+上横街 5", "a formula's first character is defused")
        XCTAssertEqual(noise["call_to_dispatch_s"], "", "never dispatched")
        XCTAssertEqual(noise["status"], "Active")
        XCTAssertTrue(csv.hasSuffix("\r\n") && !csv.contains("\n\n"), "CRLF records")
        XCTAssertTrue(d.skipped.contains { $0.contains("I0099") }, d.skipped.joined(separator: "\n"))
        // One incident only.
        XCTAssertEqual(CSVExport.export(d, incident: "0002").components(separatedBy: "\r\n").filter { !$0.isEmpty }.count, 2)
    }

    // MARK: - GeoJSON

    func testGeoJSONIsRFC7946LongitudeFirstWithTimesAsProperties() throws {
        let d = try digest()
        let text = try GeoJSONShiftExport.export(d).text()
        let root = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        XCTAssertEqual(root["type"] as? String, "FeatureCollection")
        XCTAssertNil(root["crs"], "RFC 7946 has no crs member")
        let features = try XCTUnwrap(root["features"] as? [[String: Any]])
        var kinds: [String: Int] = [:]
        func checkPosition(_ p: Any?) {
            guard let pos = p as? [Double], pos.count == 2 else { return XCTFail("a position: \(String(describing: p))") }
            // Chongqing: longitude about 106.6, latitude about 29.6; the order tells them apart.
            XCTAssertEqual(pos[0], 106.57, accuracy: 0.1, "longitude first")
            XCTAssertEqual(pos[1], 29.56, accuracy: 0.1, "latitude second")
        }
        for f in features {
            XCTAssertEqual(f["type"] as? String, "Feature")
            let g = try XCTUnwrap(f["geometry"] as? [String: Any])
            let props = try XCTUnwrap(f["properties"] as? [String: Any])
            let kind = try XCTUnwrap(props["feature"] as? String)
            kinds[kind, default: 0] += 1
            switch g["type"] as? String {
            case "Point":
                checkPosition(g["coordinates"])
            case "LineString":
                let line = try XCTUnwrap(g["coordinates"] as? [Any])
                XCTAssertGreaterThanOrEqual(line.count, 2, "RFC 7946: two or more positions")
                line.forEach(checkPosition)
                if kind == "track" {
                    XCTAssertEqual((props["times"] as? [String])?.count, line.count, "a time per position")
                }
            default:
                XCTFail("geometry \(String(describing: g["type"]))")
            }
            for key in ["reported", "start", "end", "planned"] {
                if let t = props[key] as? String {
                    XCTAssertNotNil(t.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+08:00$"#, options: .regularExpression), t)
                }
            }
        }
        XCTAssertEqual(kinds["incident"], 2)
        XCTAssertEqual(kinds["route"], 1)
        XCTAssertEqual(kinds["track"], 1, "C11 moved; F21 never reported a position")
        // One incident: its point, its route, its unit's track while on it.
        let one = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(GeoJSONShiftExport.export(d, incident: "I0001").text().utf8))
            as? [String: Any])
        let oneFeatures = try XCTUnwrap(one["features"] as? [[String: Any]])
        XCTAssertEqual(oneFeatures.compactMap { ($0["properties"] as? [String: Any])?["feature"] as? String }.sorted(),
                       ["incident", "route", "track"])
        // A map without an origin cannot be WGS 84: said, not guessed.
        var flat = d.map
        flat.origin = nil
        XCTAssertThrowsError(try GeoJSONShiftExport.export(ShiftDigest(map: flat, envelopes: []))) { error in
            XCTAssertTrue("\(error)".contains("origin"), "\(error)")
        }
    }

    // MARK: - EIDO

    /// Required members of each EIDO data component (NENA-STA-021.1a-2022).
    private static let required: [String: [String]] = [
        "prologue": ["$id", "lastUpdateTimestamp", "updatedByAgencyReference"],
        "eido": ["eidoVersion", "issuingElementIdentification", "incidentComponent"],
        "incidentComponent": ["incidentTypeCommonRegistryText", "incidentTrackingIdentifier"],
        "agencyComponent": ["agencyType", "agencyRoleDescriptionRegistryText"],
        "locationComponent": ["locationTypeDescriptionRegistryText"],
        "notesComponent": ["notesActionComments"],
        "emergencyResourceComponent": ["emergencyResourceTypeCommonRegistryText", "primaryUnitStatusRegistryText",
                                       "secondaryUnitStatusRegistryText", "resourceAttributeRegistryText"],
        "callComponent": ["callStateRegistryText", "standardPrimaryCallType", "direction", "callStartTimestamp"],
        "dispositionComponent": ["dispositionCommonRegistryCode"],
    ]

    func testEIDOHasEveryRequiredFieldAndOnlyRegistryValues() throws {
        let d = try digest()
        let objects = EIDOExport.export(d)
        XCTAssertEqual(objects.count, 2)
        for object in objects {
            let eido = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(object.text().utf8)) as? [String: Any])
            var ids: Set<String> = []
            var refs: [String] = []
            func collect(_ v: Any) {
                if let o = v as? [String: Any] {
                    if let id = o["$id"] as? String { XCTAssertTrue(ids.insert(id).inserted, "duplicate $id \(id)") }
                    if let r = o["$ref"] as? String { refs.append(r) }
                    o.values.forEach(collect)
                } else if let a = v as? [Any] {
                    a.forEach(collect)
                }
            }
            collect(eido)
            for r in refs { XCTAssertTrue(ids.contains(r), "a $ref to nothing: \(r)") }
            func check(_ component: [String: Any], _ name: String) {
                for key in Self.required["prologue"]! + (Self.required[name] ?? []) {
                    XCTAssertNotNil(component[key], "\(name) lacks \(key)")
                }
                if let t = component["lastUpdateTimestamp"] as? String {
                    XCTAssertNotNil(t.range(of: #"T\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d$"#, options: .regularExpression), t)
                }
            }
            check(eido, "eido")
            XCTAssertEqual(eido["eidoVersion"] as? String, "1.0")
            let incident = try XCTUnwrap(eido["incidentComponent"] as? [String: Any])
            check(incident, "incidentComponent")
            XCTAssertTrue(EIDOExport.ValueLists.incidentType.values.contains(incident["incidentTypeCommonRegistryText"] as? String ?? ""))
            for s in incident["incidentStatusCommonRegistryText"] as? [String] ?? ["missing"] {
                XCTAssertTrue(EIDOExport.ValueLists.incidentStatus.contains(s), s)
            }
            let priority = try XCTUnwrap(incident["incidentCommonPriorityNumber"] as? Int)
            XCTAssertTrue((0...10).contains(priority))
            for (name, values) in [("agencyComponent", ["agencyType": EIDOExport.ValueLists.agencyType,
                                                        "agencyRoleDescriptionRegistryText": EIDOExport.ValueLists.agencyRole]),
                                   ("locationComponent", ["locationTypeDescriptionRegistryText": EIDOExport.ValueLists.locationType]),
                                   ("emergencyResourceComponent", ["emergencyResourceTypeCommonRegistryText": EIDOExport.ValueLists.resourceType,
                                                                   "primaryUnitStatusRegistryText": EIDOExport.ValueLists.unitStatus]),
                                   ("callComponent", ["callStateRegistryText": EIDOExport.ValueLists.callState,
                                                      "standardPrimaryCallType": EIDOExport.ValueLists.primaryCallType,
                                                      "direction": EIDOExport.ValueLists.callDirection]),
                                   ("notesComponent", [:])] {
                for component in eido[name] as? [[String: Any]] ?? [] {
                    check(component, name)
                    for (key, allowed) in values {
                        let v = component[key]
                        let list = (v as? [String]) ?? [(v as? String) ?? "missing"]
                        for s in list { XCTAssertTrue(allowed.contains(s), "\(name).\(key) = \(s)") }
                    }
                }
            }
            for disposition in incident["dispositionComponent"] as? [[String: Any]] ?? [] {
                check(disposition, "dispositionComponent")
                XCTAssertTrue(EIDOExport.ValueLists.dispositionCode.contains(disposition["dispositionCommonRegistryCode"] as? String ?? ""))
            }
        }
        // The knife call in detail: its location, units with their status history, notes, close.
        let knife = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(objects[0].text().utf8)) as? [String: Any])
        let location = try XCTUnwrap((knife["locationComponent"] as? [[String: Any]])?.first)
        let pidf = try XCTUnwrap(location["locationByValue"] as? String)
        XCTAssertTrue(pidf.contains("<ca:A6>永平门街</ca:A6><ca:HNO>1</ca:HNO>"), pidf)
        XCTAssertNotNil(pidf.range(of: #"<gml:pos>29\.56\d* 106\.57\d*</gml:pos>"#, options: .regularExpression), "lat lon in GML: \(pidf)")
        let units = try XCTUnwrap(knife["emergencyResourceComponent"] as? [[String: Any]])
        XCTAssertEqual(units.compactMap { $0["emergencyResourceName"] as? String }, ["C11", "F21"])
        XCTAssertEqual(units.first?["eta"] as? String, "2026-03-14T20:02:16.000+08:00", "the planned route's arrival")
        let c11 = try XCTUnwrap(units.first?["unitStatusInternal"] as? [String])
        XCTAssertEqual(c11.map { String($0.split(separator: " ").last ?? "") }, ["Dispatched", "EnRoute", "OnScene", "Available"])
        let notes = try XCTUnwrap(knife["notesComponent"] as? [[String: Any]]).compactMap { $0["notesActionComments"] as? String }
        XCTAssertTrue(notes.contains("Knife taken &lt;away&gt; &amp; bagged"), "\(notes)")
        XCTAssertTrue(notes.contains("One arrested"), "\(notes)")
        XCTAssertEqual((knife["dispatchComponent"] as? [Any])?.count, 1)
        let incident = try XCTUnwrap(knife["incidentComponent"] as? [String: Any])
        XCTAssertEqual(incident["incidentStatusCommonRegistryText"] as? [String], ["Closed"])
        XCTAssertEqual(incident["incidentCommonPriorityNumber"] as? Int, 9)
        XCTAssertEqual(EIDOExport.export(d, incident: "2026-0314-0002").count, 1)
    }
}
