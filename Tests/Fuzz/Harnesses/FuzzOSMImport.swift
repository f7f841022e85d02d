// libFuzzer harness: the whole OpenStreetMap import (docs/osm-import.md): the XML
// reader, then the map builder (road graph, largest parts, features, the map check).
// Any input must import or fail with an OSMImportError. FuzzOSMReader fuzzes the
// reader alone, faster; this one keeps what the builder makes of what was read.
import WatchroomCore
import WatchroomOSM

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOSMImport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    _ = try? OSMImporter.importBytes(bytes, file: "fuzz.osm")
    return 0
}
