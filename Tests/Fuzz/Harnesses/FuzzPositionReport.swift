// libFuzzer harness: the position readers (docs/feeds.md).
//
// The input is an HTTP body (JSON of any of the three kinds, or a form) and, as text, an
// OsmAnd query. Whatever is read must be within every bound (PositionReport.Limits), and
// write as a Watchroom JSON line that reads back to the same report; whatever is refused
// says why in one line.
import Foundation
import WatchroomCore
import WatchroomFeeds

private let now = Date(timeIntervalSince1970: 1_764_071_291)
private let utc = TimeZone(identifier: "UTC") ?? .current

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPositionReport(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = Data(data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0))
    check { () throws(FeedError) in try PositionReader.read(query: nil, body: bytes, ownTracksDevice: size % 2 == 0 ? "u/d" : nil, receivedAt: now) }
    let text = String(decoding: bytes, as: UTF8.self)
    check { () throws(FeedError) in try PositionReader.osmand(form: text, receivedAt: now) }
    check { () throws(FeedError) in try PositionReader.watchroom(line: text) }
    return 0
}

private func check(_ read: () throws(FeedError) -> PositionReport) {
    let r: PositionReport
    do { r = try read() } catch {
        guard !error.description.isEmpty, !error.description.contains("\n") else { fatalError("a refusal without a one-line reason: \(error)") }
        return
    }
    let l = PositionReport.Limits.self
    guard r.latLon.lat.isFinite, abs(r.latLon.lat) <= 90, r.latLon.lon.isFinite, abs(r.latLon.lon) <= 180,
          r.time >= l.earliest, r.time < l.latest, !r.device.isEmpty, r.device.count <= l.deviceLength,
          !r.device.unicodeScalars.contains(where: Sanitizer.isControl),
          r.speed.map({ l.speed.contains($0) }) ?? true, r.bearing.map({ $0 >= 0 && $0 < 360 }) ?? true,
          r.accuracy.map({ l.accuracy.contains($0) }) ?? true, r.altitude.map({ l.altitude.contains($0) }) ?? true,
          r.battery.map({ (0...100).contains($0) }) ?? true
    else { fatalError("a report out of bounds: \(r)") }
    // Written as Watchroom's own line, it reads back the same (the time to the millisecond).
    var o: [String: Any] = ["device": r.device, "time": ISOTime.format(r.time, timeZone: utc), "lat": r.latLon.lat, "lon": r.latLon.lon]
    if let v = r.speed { o["speed"] = v }
    if let v = r.bearing { o["bearing"] = v }
    if let v = r.accuracy { o["accuracy"] = v }
    if let v = r.altitude { o["altitude"] = v }
    if let v = r.battery { o["battery"] = v }
    guard let json = try? JSONSerialization.data(withJSONObject: o), let back = try? PositionReader.watchroom(line: String(decoding: json, as: UTF8.self))
    else { fatalError("a report does not write and read back: \(r)") }
    guard back.device == r.device, back.latLon == r.latLon, abs(back.time.timeIntervalSince(r.time)) <= 0.001, back.speed == r.speed,
          back.bearing == r.bearing, back.accuracy == r.accuracy
    else { fatalError("a report reads back different: \(r) vs \(back)") }
}
