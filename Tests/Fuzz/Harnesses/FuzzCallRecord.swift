// libFuzzer harness: call records and the place matcher on the default map (docs/feeds.md).
//
// Each line is read as a call record; whatever is read is bounded and sanitised, and its
// place text, and the line itself, matched: a close match is 1 or 2 edits, at most three
// candidates are offered, and nothing traps.
import Foundation
import WatchroomCore
import WatchroomFeeds
import WatchroomMapFormat

/// Made once, not per input (run.sh runs from the repository's root).
private let matcher = (try? MapFormat.load(path: "Maps/jiangbei-city.wrmap")).map { PlaceMatcher(map: $0) }

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCallRecord(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let matcher else { fatalError("the default map did not load: run from the repository's root") }
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    let text = String(decoding: bytes, as: UTF8.self)
    for line in text.split(separator: "\n", omittingEmptySubsequences: true).prefix(5) {
        check(matcher.match(String(line.prefix(200))))
        do {
            let c = try CallRecordReader.read(line: String(line))
            guard (1...3).contains(c.priority), c.summary.count <= CallRecord.summaryLength,
                  !(c.summary + (c.caller ?? "") + (c.phone ?? "") + (c.callTaker ?? "")).unicodeScalars.contains(where: Sanitizer.isControl)
            else { fatalError("a call record out of bounds: \(c)") }
            if case .text(let place) = c.place { check(matcher.match(place)) }
        } catch {
            guard !error.description.isEmpty, !error.description.contains("\n") else { fatalError("a bad refusal: \(error)") }
        }
    }
    return 0
}

private func check(_ m: PlaceMatcher.PlaceMatch) {
    switch m {
    case .close(_, let edits): guard (1...2).contains(edits) else { fatalError("close at \(edits) edits") }
    case .unverified(let c): guard c.count <= 3 else { fatalError("\(c.count) candidates offered") }
    case .exact, .normalised: break
    }
}
