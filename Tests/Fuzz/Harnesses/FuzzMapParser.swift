// libFuzzer harness: the precinct map parser and checker (docs/map-format.md).
// Any input must give a result (a map or diagnostics), never a trap; a map that
// checks clean must write, check clean again, and write again to the same text.
//
// One check per input: `MapFormat.load` is this check plus a throw on errors, so it
// adds nothing but a second parse.
import WatchroomCore
import WatchroomMapFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let result = MapFormat.check(bytes: bytes, file: "fuzz.wrmap")
    guard !result.hasErrors, let map = result.map else { return 0 }
    let text = MapFormat.write(map)
    let again = MapFormat.check(text: text, file: "again.wrmap")
    guard !again.hasErrors, let back = again.map else {
        fatalError("a map that checks clean writes a map with errors: \(again.diagnostics.prefix(3).map(\.message))")
    }
    guard MapFormat.write(back) == text else { fatalError("a written map reads back different") }
    return 0
}
