import Foundation
import XCTest
@testable import WatchroomCore

/// Keeps docs/events.md honest: every example line reads, re-encodes to the same
/// bytes, and every known type has one.
final class EventsDocTests: XCTestCase {
    func testEveryExampleLineRoundTripsAndEveryTypeHasOne() throws {
        let url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/events.md")
        let text = try String(contentsOf: url, encoding: .utf8)
        var inBlock = false
        var examples: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inBlock = line == "```jsonl"
                continue
            }
            if inBlock, line.hasPrefix("{"), !line.contains("...") { examples.append(String(line)) }
        }
        let codec = EventCodec(timeZone: Samples.shanghai)
        var types: Set<String> = []
        for line in examples {
            let envelope = try EventCodec.decode(line)
            XCTAssertEqual(try codec.encode(envelope), line, "docs example does not re-encode identically")
            types.insert(envelope.event.type)
        }
        for type in EventType.all { XCTAssertTrue(types.contains(type), "docs/events.md has no example of \(type)") }
    }
}
