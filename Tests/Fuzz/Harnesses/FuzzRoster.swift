// libFuzzer harness: the roster CSV (docs/feeds.md). A roster read finds every device it
// lists, on increasing lines, with no control characters; a refusal is one line that
// starts with FILE:LINE.
import Foundation
import WatchroomCore
import WatchroomFeeds

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRoster(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    let text = String(decoding: bytes, as: UTF8.self)
    do {
        let roster = try Roster(csv: text, file: "r.csv")
        var last = 0
        for e in roster.entries {
            guard roster.entry(forDevice: e.device) == e, e.line > last else { fatalError("roster lookup or lines wrong: \(e)") }
            last = e.line
            guard !(e.device + e.unit + e.crew.joined()).unicodeScalars.contains(where: Sanitizer.isControl) else {
                fatalError("control characters kept: \(e)")
            }
        }
    } catch {
        guard error.description.hasPrefix("r.csv:"), !error.description.contains("\n") else { fatalError("a bad refusal: \(error)") }
    }
    return 0
}
