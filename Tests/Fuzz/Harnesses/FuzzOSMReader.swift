// libFuzzer harness: the OpenStreetMap XML reader and the import behind it
// (docs/osm-import.md). Any input must import or fail with an OSMImportError.
import WatchroomCore
import WatchroomOSM

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOSMReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = try? OSMImporter.importBytes(bytes, file: "fuzz.osm")
    return 0
}
