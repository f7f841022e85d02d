import Foundation
import WatchroomCore
import WatchroomMapFormat
import XCTest

final class RoundTripTests: XCTestCase {
    func roundTrip(_ text: String, line: UInt = #line) throws {
        let first = check(text)
        XCTAssertFalse(first.hasErrors, render(first), line: line)
        let m1 = try XCTUnwrap(first.map, line: line)
        let written = MapFormat.write(m1)
        let second = check(written)
        XCTAssertEqual(second.errorCount, 0, render(second) + "\n" + written, line: line)
        XCTAssertEqual(second.warningCount, first.warningCount, render(second), line: line)
        let m2 = try XCTUnwrap(second.map, line: line)
        assertMapsEqual(m1, m2, line: line)
        XCTAssertEqual(MapFormat.write(m2), written, "writing is canonical", line: line)
    }

    func testDocExampleRoundTrips() throws {
        try roundTrip(docExample)
    }

    func testEverythingRoundTrips() throws {
        let text = """
        watchroom-map 1
        precinct key=jiangbei-city name="江北城 \\"quoted\\" \\\\ back" roman="Jiangbei\\tcheng" timezone=Asia/Shanghai
        origin lat=29.5717 lon=106.5743
        bounds min=-1500.25,-1200 max=1500,1200.125
        node a at=0.1,-0.3 lat=29.5717 lon=106.5743
        node b at=123456.789,1e-7
        node c at=-3.5,2.2250738585072014e-5
        node osm:123456 at=10,20
        street yp name="永平门街" roman="Yongping Gate Street" class=tertiary speed=33.3
        street q name="Esc \\u{1B}[31m and \\u{85} and line\\nbreak" class=primary
        street f name="Walk" class=footway
        segment e1 street=yp from=a to=b oneway=yes
        segment e2 street=yp from=b to=c class=service shape="230,60 220.5,-120.75"
        segment e3 from=c to=a class=motorway_link speed=45 access=all
        segment e4 street=q from=a to=osm:123456 class=primary access=car
        segment e5 street=f from=osm:123456 to=c
        segment e6 street=f from=c to=b access=all speed=12
        station st name="江北城派出所" at=20,10
        camera cam1 name="永平门街口" at=190,10 facing=270.5 fov=360 range=120 kind=ptz
        camera cam2 name="C2" at=0,0 facing=0 fov=0.5 range=1
        address a1 street=yp number="18-2" at=100,8 name="Shop #3"
        address a2 street=q number="" at=1,1
        landmark l1 name="江北城小学" roman="Jiangbeicheng Primary School" kind=school at=60,-15
        landmark l2 name="Gate" kind="city gate" at=1,2
        area r1 kind=river name="嘉陵江" roman="Jialing River" points="-100,-50 300,-50 300,-120 -100,-120"
        area p1 kind=park points="0,0 1,0 1,1"

        """
        try roundTrip(text)
        let m = try XCTUnwrap(check(text).map)
        XCTAssertEqual(m.streets[1].name, "Esc \u{1B}[31m and \u{85} and line\nbreak")
        XCTAssertEqual(m.intersections[2].position.y, 2.2250738585072014e-5)
        XCTAssertEqual(m.segments[2].access, .all)
        XCTAssertEqual(m.segments[4].access, .foot)
        XCTAssertEqual(m.segments[5].speedKmh, 12)
        // The control characters are escaped in the written text.
        let written = MapFormat.write(m)
        XCTAssertFalse(written.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x85 })
    }

    func testRandomMapsRoundTrip() throws {
        var rng = SeededRandom(seed: 42)
        for _ in 0..<20 {
            var m = PrecinctMap(key: "r", name: "R", timeZone: "UTC")
            let n = Int.random(in: 2...30, using: &rng)
            for i in 0..<n {
                let p = Point(x: Double.random(in: -5000...5000, using: &rng), y: Double.random(in: -5000...5000, using: &rng))
                m.intersections.append(Intersection(key: "n\(i)", position: p))
            }
            m.streets.append(Street(key: "s", name: "S \(Int.random(in: 0...99, using: &rng))", roadClass: .residential))
            for i in 0..<n - 1 {
                let cls = RoadClass.allCases.randomElement(using: &rng) ?? .service
                let speed = cls.defaultSpeedKmh > 0 ? cls.defaultSpeedKmh : 7
                let shape = (0..<Int.random(in: 0...3, using: &rng)).map { _ in
                    Point(x: Double.random(in: -1...1, using: &rng) * 1e4, y: Double.random(in: -1...1, using: &rng))
                }
                let pts = [m.intersections[i].position] + shape + [m.intersections[i + 1].position]
                m.segments.append(Segment(key: "e\(i)", street: Bool.random(using: &rng) ? 0 : nil, from: i, to: i + 1,
                                          shape: shape, oneway: false, roadClass: cls, speedKmh: speed,
                                          access: .all, lengthMeters: Polyline.length(pts)))
            }
            m.station = Station(key: "st", name: "P", position: m.intersections[0].position)
            let text = MapFormat.write(m)
            let r = check(text)
            let back = try XCTUnwrap(r.map, render(r))
            XCTAssertEqual(back.segments, m.segments, render(r))
            XCTAssertEqual(back.intersections, m.intersections)
        }
    }
}
