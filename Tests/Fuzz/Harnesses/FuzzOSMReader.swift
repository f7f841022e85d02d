// libFuzzer harness: the OpenStreetMap XML reader (docs/osm-import.md): the XML tokenizer
// and the OSM reader that turns its events into what the map builder is given
// (`OSMImporter.run` up to `MapBuilder`). Any input must be read or refused with an
// XMLSyntaxError on a line and column of the input, never trap; what is read must hold
// together: every node once, within -90...90 and -180...180, every way's nodes among
// those read or marked missing (-1: not in the extract; the builder cuts the way there).
// Each input is read twice, whole and handed over in pieces of 1 to 251 bytes (a file is
// read in chunks), and both reads must give the same: a tag cut by a read is resumed.
// FuzzOSMImport runs the builder as well.
@testable import WatchroomOSM

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOSMReader(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let whole = read(bytes, maxRead: 1 << 20)
    let piece = 1 + size % 251
    guard read(bytes, maxRead: piece) == whole else { fatalError("read whole and in pieces of \(piece) bytes, the input reads differently") }
    return 0
}

/// What a read gave: its refusal, or what it read.
private struct Outcome: Equatable {
    var error: XMLSyntaxError?
    var nodes: [Int64] = [], lat7: [Int32] = [], lon7: [Int32] = []
    var roadRefs: [Int32] = [], featureRefs: [Int32] = [], memberRefs: [Int32] = []
    var ways = 0, features = 0, multipolygons = 0
    var tally = ImportTally()
}

private func read(_ bytes: [UInt8], maxRead: Int) -> Outcome {
    var reader = OSMReader(tokenizer: XMLTokenizer(source: MemoryByteSource(bytes, maxRead: maxRead)), options: OSMImportOptions())
    do {
        try reader.run()
    } catch let e as XMLSyntaxError {
        guard e.line >= 1, e.column >= 1, !e.message.isEmpty else { fatalError("a refusal without a place: \(e)") }
        return Outcome(error: e)
    } catch {
        fatalError("not an XMLSyntaxError: \(error)")
    }
    let d = reader.data
    check(d)
    return Outcome(nodes: d.nodeID, lat7: d.lat7, lon7: d.lon7, roadRefs: d.roadRefs, featureRefs: d.featureRefs,
                   memberRefs: d.memberRefs, ways: d.roadWays.count, features: d.features.count,
                   multipolygons: d.multipolygons.count, tally: d.tally)
}

private func check(_ d: OSMData) {
    let n = d.nodeID.count
    guard d.lat7.count == n, d.lon7.count == n, d.nodeIndex.count == n else { fatalError("node arrays of different lengths") }
    for (i, id) in d.nodeID.enumerated() {
        guard d.nodeIndex[id] == Int32(i) else { fatalError("node \(id) not found at its index") }
        guard abs(d.lat7[i]) <= 900_000_000, abs(d.lon7[i]) <= 1_800_000_000 else { fatalError("node \(id) out of range") }
    }
    func inRange(_ refs: [Int32], _ start: Int, _ count: Int) -> Bool {
        start >= 0 && count >= 0 && start <= refs.count && count <= refs.count - start
            && refs[start..<start + count].allSatisfy { $0 >= -1 && Int($0) < n }
    }
    for w in d.roadWays {
        guard inRange(d.roadRefs, w.refStart, w.refCount), w.attr >= 0, Int(w.attr) < d.attrs.count else {
            fatalError("road way \(w.id) refers outside what was read")
        }
    }
    for f in d.features {
        switch f.geometry {
        case .node(let i):
            guard i >= 0, Int(i) < n else { fatalError("feature \(f.key) on a node not read") }
        case .way(let start, let count, let missing):
            guard inRange(d.featureRefs, start, count), missing || !d.featureRefs[start..<start + count].contains(-1) else {
                fatalError("feature \(f.key) refers outside what was read")
            }
        }
    }
    for (id, r) in d.memberWays where !inRange(d.memberRefs, r.start, r.count) { fatalError("member way \(id) refers outside what was read") }
}
