import Foundation
import XCTest
@testable import WatchroomCore

final class EventLogReaderTests: XCTestCase {
    func testReadsGoodLinesAndReportsBadOnesWithLineNumbers() throws {
        let codec = EventCodec(timeZone: Samples.shanghai)
        let good = Samples.envelopes([Samples.register("P-1"), Samples.report("I1"), .clockTick(ClockTick())])
        let lines = try good.map { try codec.encode($0) }
        let text = "\u{FEFF}" + lines[0] + "\r\n"
            + "\n"                                               // 2: blank, skipped
            + "{\"v\":1,\"seq\":\n"                             // 3: truncated
            + lines[1] + "\n"                                    // 4
            + "{\"v\":9,\"seq\":4,\"time\":\"x\",\"type\":\"y\"}\n" // 5: newer version
            + "   \t  \n"                                        // 6: blank
            + "\u{1F600} not json\n"                             // 7: garbage
            + lines[2]                                           // 8: no final newline
        let result = EventLogReader().read(text)
        XCTAssertEqual(result.envelopes, good)
        XCTAssertEqual(result.entries.map(\.line), [1, 4, 8])
        XCTAssertEqual(result.errors.map(\.line), [3, 5, 7])
        XCTAssertEqual(result.errors[1].error, .unsupportedVersion(found: 9, supported: 1))
        XCTAssertTrue(result.errors[0].description.hasPrefix("line 3: "), result.errors[0].description)
    }

    func testInvalidUTF8IsAnError() {
        var data = Data(#"{"v":1,"seq":1,"time":"2026-11-25T19:48:11Z","type":"clock.tick","data":{}}"#.utf8)
        data.append(0x0A)
        data.append(contentsOf: [0x7B, 0xFF, 0xFE, 0x7D, 0x0A])
        let result = EventLogReader().read(data)
        XCTAssertEqual(result.envelopes.count, 1)
        XCTAssertEqual(result.errors, [EventLogReader.LineError(line: 2, error: .invalidUTF8)])
    }

    func testRandomGarbageNeverCrashes() {
        var rng = SplitMix64(seed: 99)
        let alphabet = Array(#"{}[]":,0123456789.-eEtrufalsn vseqtimetype\data"#.utf8) + [0x0A, 0xFF, 0x00]
        for _ in 0..<300 {
            let bytes = (0..<Int(rng.next() % 200)).map { _ in alphabet[Int(rng.next() % UInt64(alphabet.count))] }
            let result = EventLogReader().read(Data(bytes))
            for e in result.errors { XCTAssertGreaterThan(e.line, 0) }
        }
    }

    func testReadsAFile() throws {
        let codec = EventCodec(timeZone: Samples.shanghai)
        let envelopes = Samples.envelopes(Samples.everyKind)
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("watchroom-core-\(UUID().uuidString).jsonl")
        defer { try? FileManager.default.removeItem(at: url) }
        try codec.encode(lines: envelopes).write(to: url, atomically: true, encoding: .utf8)
        let result = try EventLogReader().read(contentsOf: url)
        XCTAssertEqual(result.errors, [])
        XCTAssertEqual(result.envelopes, envelopes)
    }
}
