import Foundation
import WatchroomCore
import XCTest
@testable import WatchroomFeeds

final class PositionReaderTests: XCTestCase {
    let now = ISOTime.parse("2026-11-25T19:48:11+08:00")!

    private func refused(_ body: @autoclosure () throws -> PositionReport, _ words: String,
                         file: StaticString = #filePath, line: UInt = #line) {
        do {
            let r = try body()
            XCTFail("read \(r), wanted a refusal with '\(words)'", file: file, line: line)
        } catch let e as FeedError {
            XCTAssertTrue(e.description.contains(words), e.description, file: file, line: line)
            XCTAssertFalse(e.description.contains("\n"), file: file, line: line)
        } catch {
            XCTFail("\(error)", file: file, line: line)
        }
    }

    func testOsmAndQueryAsTraccarClientSendsIt() throws {
        let r = try PositionReader.read(
            query: "id=356938035643809&timestamp=1764071291&lat=29.5690&lon=106.5770&speed=10.0&bearing=90.5&altitude=250&accuracy=12.0&batt=87",
            body: Data(), receivedAt: now)
        XCTAssertEqual(r.device, "356938035643809")
        XCTAssertEqual(r.source, .osmand)
        XCTAssertEqual(r.time, Date(timeIntervalSince1970: 1_764_071_291))
        XCTAssertEqual(r.latLon, LatLon(lat: 29.569, lon: 106.577))
        XCTAssertEqual(r.speed ?? 0, 5.1444, accuracy: 0.001, "10 knots in m/s")
        XCTAssertEqual(r.bearing, 90.5)
        XCTAssertEqual(r.accuracy, 12)
        XCTAssertEqual(r.altitude, 250)
        XCTAssertEqual(r.battery, 87)
    }

    func testOsmAndFormBodyLocationMillisecondsAndISOTimes() throws {
        let form = Data("deviceid=phone%201&location=29.5%2C106.5&timestamp=1764071291500".utf8)
        let r = try PositionReader.read(query: nil, body: form, receivedAt: now)
        XCTAssertEqual(r.device, "phone 1")
        XCTAssertEqual(r.latLon, LatLon(lat: 29.5, lon: 106.5))
        XCTAssertEqual(r.time.timeIntervalSince1970, 1_764_071_291.5, accuracy: 1e-6)
        let iso = try PositionReader.osmand(form: "id=a&lat=1&lon=2&timestamp=2026-11-25T19:48:11%2B08:00", receivedAt: now)
        XCTAssertEqual(iso.time, now)
        let missing = try PositionReader.osmand(form: "id=a&lat=1&lon=2", receivedAt: now)
        XCTAssertEqual(missing.time, now, "no timestamp: the time it was received")
        refused(try PositionReader.osmand(form: "id=a&lat=1&lon=2&timestamp=2026-11-25T19:48:11", receivedAt: now), "no offset")
        refused(try PositionReader.osmand(form: "id=a&lat=1&lon=2&timestamp=yesterday", receivedAt: now), "is not a time")
        refused(try PositionReader.osmand(form: "lat=1&lon=2", receivedAt: now), "no device id")
        refused(try PositionReader.osmand(form: "id=a&lat=1", receivedAt: now), "no position")
        refused(try PositionReader.osmand(form: "id=a&location=1;2", receivedAt: now), "is not LAT,LON")
    }

    func testEveryNumberIsBounded() {
        let cases: [(String, String)] = [
            ("id=a&lat=nan&lon=2", "is not a number"),
            ("id=a&lat=inf&lon=2", "is not a number"),
            ("id=a&lat=1e400&lon=2", "finite"),
            ("id=a&lat=91&lon=2", "outside -90 to 90"),
            ("id=a&lat=1&lon=-180.5", "outside -180 to 180"),
            ("id=a&lat=0&lon=0", "without a fix"),
            ("id=a&lat=1&lon=2&speed=400", "impossible speed"),
            ("id=a&lat=1&lon=2&speed=-1", "impossible speed"),
            ("id=a&lat=1&lon=2&bearing=361", "bearing"),
            ("id=a&lat=1&lon=2&accuracy=1e9", "accuracy"),
            ("id=a&lat=1&lon=2&altitude=99999", "altitude"),
            ("id=a&lat=1&lon=2&batt=101", "battery"),
            ("id=a&lat=1&lon=2&timestamp=0", "outside 2000 to 2099"),
            ("id=a&lat=1&lon=2&timestamp=99999999999999999999", "is not a time"),
            ("id=a&lat=1&lon=2&timestamp=-5", "is not a time"),
            ("id=%07bell&lat=1&lon=2", "control characters"),
            ("id=" + String(repeating: "x", count: 65) + "&lat=1&lon=2", "longer than 64"),
            ("id=%20%20&lat=1&lon=2", "empty"),
        ]
        for (form, words) in cases {
            refused(try PositionReader.osmand(form: form, receivedAt: now), words)
        }
        refused(try PositionReader.read(query: nil, body: Data(repeating: 0x61, count: 70_000), receivedAt: now), "at most 65536")
    }

    func testTraccarClient9JSON() throws {
        let body = #"""
        {"location":{"timestamp":"2026-11-25T11:48:11.000Z","coords":{"latitude":29.569,"longitude":106.577,"speed":12.5,
         "heading":-1,"accuracy":8,"altitude":240},"is_moving":true,"battery":{"level":0.62,"is_charging":false}},
         "device_id":"61839512"}
        """#
        let r = try PositionReader.read(query: nil, body: Data(body.utf8), receivedAt: now)
        XCTAssertEqual(r.source, .traccarJSON)
        XCTAssertEqual(r.device, "61839512")
        XCTAssertEqual(r.time, now)
        XCTAssertEqual(r.speed, 12.5)
        XCTAssertNil(r.bearing, "-1 is unknown")
        XCTAssertEqual(r.accuracy, 8)
        XCTAssertEqual(r.battery ?? 0, 62, accuracy: 1e-9)
        refused(try PositionReader.traccarJSON(Data(#"{"location":{"coords":{"latitude":"x","longitude":1}},"device_id":"a"}"#.utf8), receivedAt: now),
                "latitude 'x' is not a number")
        refused(try PositionReader.traccarJSON(Data(#"{"location":{"coords":{"latitude":1,"longitude":1}}}"#.utf8), receivedAt: now), "no device_id")
        refused(try PositionReader.traccarJSON(Data(#"{"location":[1,2],"device_id":"a"}"#.utf8), receivedAt: now), "must be an object")
        refused(try PositionReader.traccarJSON(Data(#"{"location":{"coords":{"latitude":1,"longitude":1,"speed":1e308}},"device_id":"a"}"#.utf8),
                                               receivedAt: now), "impossible speed")
    }

    func testOwnTracks() throws {
        let body = #"{"_type":"location","tid":"LI","lat":29.56,"lon":106.57,"tst":1764071291,"vel":36,"cog":270,"acc":15,"batt":40,"topic":"owntracks/li/phone"}"#
        let r = try PositionReader.read(query: nil, body: Data(body.utf8), receivedAt: now)
        XCTAssertEqual(r.source, .ownTracks)
        XCTAssertEqual(r.device, "li/phone", "the topic without owntracks/")
        XCTAssertEqual(r.speed ?? 0, 10, accuracy: 1e-9, "36 km/h")
        XCTAssertEqual(r.bearing, 270)
        let headers = try PositionReader.read(query: nil, body: Data(body.utf8), ownTracksDevice: "li/car", receivedAt: now)
        XCTAssertEqual(headers.device, "li/car")
        let tid = try PositionReader.ownTracks(Data(#"{"_type":"location","tid":"LI","lat":29.56,"lon":106.57,"tst":1764071291}"#.utf8), receivedAt: now)
        XCTAssertEqual(tid.device, "LI")
        do {
            _ = try PositionReader.read(query: nil, body: Data(#"{"_type":"transition","event":"enter"}"#.utf8), receivedAt: now)
            XCTFail("a transition is not a position")
        } catch let e as FeedError {
            XCTAssertEqual(e.kind, .notAPosition)
        }
        refused(try PositionReader.ownTracks(Data(#"{"_type":"location","tid":"LI","lat":29.56,"lon":106.57,"tst":1e300}"#.utf8), receivedAt: now),
                "not seconds since 1970")
    }

    func testWatchroomLine() throws {
        let line = #"{"device":"c17-tracker","time":"2026-11-25T19:48:11+08:00","lat":29.569,"lon":106.577,"speed":8.3,"bearing":45,"accuracy":10}"#
        let r = try PositionReader.watchroom(line: line)
        XCTAssertEqual(r.source, .watchroom)
        XCTAssertEqual(r.time, now)
        XCTAssertEqual(r.speed, 8.3)
        XCTAssertEqual(try PositionReader.read(query: nil, body: Data(line.utf8), receivedAt: now), r)
        refused(try PositionReader.watchroom(line: #"{"device":"a","lat":1,"lon":2}"#), "no time")
        refused(try PositionReader.watchroom(line: #"{"device":"a","time":"2026-11-25T19:48:11+08:00","lat":true,"lon":2}"#), "lat must be a number")
        refused(try PositionReader.watchroom(line: "{\"device\":"), "is not JSON")
        refused(try PositionReader.watchroom(line: "[1]"), "not an object")
        refused(try PositionReader.watchroom(line: String(repeating: "[", count: 100_000)), "at most 65536")
        refused(try PositionReader.watchroom(line: String(repeating: "[", count: 60_000)), "is not JSON")
    }
}
