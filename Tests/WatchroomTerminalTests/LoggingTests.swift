import Foundation
import Logging
import WatchroomTerminal
import XCTest

final class LoggingTests: XCTestCase {
    func testTimestampIs24HourWithMillisecondsAndOffset() {
        // 2025-03-07T13:04:05.123Z
        let ms: Int64 = 1_741_352_645_123
        XCTAssertEqual(LogTimestamp.string(epochMilliseconds: ms, offsetSeconds: 8 * 3600),
                       "2025-03-07T21:04:05.123+08:00")
        XCTAssertEqual(LogTimestamp.string(epochMilliseconds: ms, offsetSeconds: 0), "2025-03-07T13:04:05.123+00:00")
        XCTAssertEqual(LogTimestamp.string(epochMilliseconds: ms, offsetSeconds: -(5 * 3600 + 30 * 60)),
                       "2025-03-07T07:34:05.123-05:30")
        // Day and year boundaries, leap day, before 1970.
        XCTAssertEqual(LogTimestamp.string(epochMilliseconds: 0, offsetSeconds: -3600), "1969-12-31T23:00:00.000-01:00")
        XCTAssertEqual(LogTimestamp.string(epochMilliseconds: 951_782_400_000, offsetSeconds: 0),
                       "2000-02-29T00:00:00.000+00:00")
        XCTAssertEqual(LogTimestamp.string(epochMilliseconds: -1, offsetSeconds: 0), "1969-12-31T23:59:59.999+00:00")
    }

    func testTimestampAgreesWithFoundation() {
        let date = Date(timeIntervalSince1970: 1_700_000_000.5)
        let zone = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)
        guard let zone else { return XCTFail("no time zone") }
        let s = LogTimestamp.string(from: date, timeZone: zone)
        XCTAssertEqual(s, "2023-11-15T06:13:20.500+08:00")
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        XCTAssertEqual(iso.date(from: s), date)
    }

    func testHandlerAppendsOneLinePerEntryToTheFile() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("wr-log-\(getpid())-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a/b/watchroom.log").path
        guard let file = LogFile(path: path) else { return XCTFail("cannot create \(path)") }
        var logger = Logger(label: "watchroom.test") { FileLogHandler(label: $0, file: file, level: .info) }
        logger[metadataKey: "shift"] = "night"
        logger.debug("not written")
        logger.info("opened\nsecond line", metadata: ["size": "80x24"])
        logger.error("lost terminal")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertEqual(lines.count, 2, text)
        let pattern = #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}[+-]\d{2}:\d{2} INFO watchroom\.test: opened\\nsecond line shift=night size=80x24$"#
        XCTAssertNotNil(lines.first.flatMap { $0.range(of: pattern, options: .regularExpression) }, String(lines.first ?? ""))
        XCTAssertTrue(lines.last?.contains(" ERROR watchroom.test: lost terminal") ?? false)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        XCTAssertEqual(mode, 0o600)
    }

    func testUnwritablePathGivesNoFile() {
        XCTAssertNil(LogFile(path: "/proc/watchroom-cannot/write.log"))
    }

    func testDefaultPath() {
        XCTAssertEqual(WatchroomLogging.defaultPath(environment: ["XDG_STATE_HOME": "/s", "HOME": "/h"]),
                       "/s/watchroom/watchroom.log")
        XCTAssertEqual(WatchroomLogging.defaultPath(environment: ["XDG_STATE_HOME": "rel", "HOME": "/h"]),
                       "/h/.local/state/watchroom/watchroom.log")
        XCTAssertEqual(WatchroomLogging.defaultPath(environment: ["HOME": "/h"]), "/h/.local/state/watchroom/watchroom.log")
        XCTAssertNil(WatchroomLogging.defaultPath(environment: [:]))
    }
}
