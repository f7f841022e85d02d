// libFuzzer harness: the precinct map parser and checker (docs/map-format.md).
// Any input must give a result (a map or diagnostics), never a trap; a map that
// checks clean must write and re-check to an equal map.
import WatchroomCore
import WatchroomMapFormat

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzMapParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let result = MapFormat.check(bytes: bytes, file: "fuzz.wrmap")
    if let map = try? MapFormat.load(bytes: bytes, file: "fuzz.wrmap") {
        let again = MapFormat.check(text: MapFormat.write(map), file: "again.wrmap")
        _ = again
        _ = result
    }
    return 0
}
