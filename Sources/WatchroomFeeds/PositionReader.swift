import Foundation
import WatchroomCore

/// Turns what phones and trackers send into ``PositionReport``s, refusing with a reason
/// whatever is malformed or out of range. Pure: bytes in, a report or a ``FeedError`` out.
///
/// Accepted (docs/feeds.md):
/// - OsmAnd's protocol as Traccar Client and OsmAnd send it, as a URL query or a form body
///   (``osmand(form:receivedAt:)``);
/// - Traccar Client 9's JSON body (``traccarJSON(_:receivedAt:)``);
/// - OwnTracks' HTTP JSON (``ownTracks(_:device:receivedAt:)``);
/// - Watchroom's own JSON Lines (``watchroom(line:)``).
public enum PositionReader {
    /// Reads an HTTP request's parts, choosing the protocol by what they hold: a JSON body
    /// with `_type` is OwnTracks, with `location` Traccar Client 9, with `device` Watchroom's
    /// own; otherwise the query and a form body are OsmAnd's.
    ///
    /// `ownTracksDevice` is what OwnTracks' `X-Limit-U` and `X-Limit-D` headers name
    /// (`user/device`), when they are there.
    public static func read(query: String?, body: Data, ownTracksDevice: String? = nil,
                            receivedAt: Date) throws(FeedError) -> PositionReport {
        let first = body.first { !($0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D) }
        if first == UInt8(ascii: "{") {
            let json = try JSONFields(bytes: body, what: "the body")
            if json.has("_type") { return try ownTracks(json, device: ownTracksDevice, receivedAt: receivedAt) }
            if json.has("location") { return try traccarJSON(json, receivedAt: receivedAt) }
            return try watchroom(json)
        }
        var text = query ?? ""
        if !body.isEmpty {
            guard body.count <= PositionReport.Limits.bodyBytes else {
                throw FeedError("the body is \(body.count) bytes; at most \(PositionReport.Limits.bodyBytes) are read")
            }
            text += (text.isEmpty ? "" : "&") + String(decoding: body, as: UTF8.self)
        }
        return try osmand(form: text, receivedAt: receivedAt)
    }

    // MARK: - OsmAnd

    /// OsmAnd's fields from a query or an `application/x-www-form-urlencoded` body:
    /// `id` or `deviceid`; `lat` and `lon`, or `location=LAT,LON`; `timestamp` in seconds,
    /// milliseconds or ISO 8601 with an offset (the time received when absent); `speed` in
    /// knots; `bearing` or `heading`; `accuracy` (metres); `altitude`; `batt` (percent).
    public static func osmand(form text: String, receivedAt: Date) throws(FeedError) -> PositionReport {
        guard text.utf8.count <= PositionReport.Limits.bodyBytes else {
            throw FeedError("the request is \(text.utf8.count) bytes; at most \(PositionReport.Limits.bodyBytes) are read")
        }
        let f = FormFields(text)
        func num(_ key: String) throws(FeedError) -> Double? {
            guard let v = f[key], !v.isEmpty else { return nil }
            guard let d = FeedNumber.parse(v) else { throw FeedError("\(key) \(FeedText.quoted(v)) is not a number") }
            return d
        }
        guard let device = f["id"] ?? f["deviceid"] else {
            throw FeedError("no device id; send id=DEVICE (or deviceid=DEVICE) with lat, lon and timestamp")
        }
        var lat = try num("lat"), lon = try num("lon")
        if lat == nil, lon == nil, let location = f["location"] {
            let parts = location.split(separator: ",", omittingEmptySubsequences: false)
            guard parts.count == 2, let a = FeedNumber.parse(String(parts[0])), let b = FeedNumber.parse(String(parts[1])) else {
                throw FeedError("location \(FeedText.quoted(location)) is not LAT,LON")
            }
            lat = a; lon = b
        }
        guard let lat, let lon else { throw FeedError("no position; send lat and lon (or location=LAT,LON) in degrees") }
        let time: Date
        if let t = f["timestamp"], !t.isEmpty { time = try timestamp(t, key: "timestamp") } else { time = receivedAt }
        let knots = try num("speed")
        let bearing = try num("bearing"), heading = try num("heading")
        let accuracy = try num("accuracy"), hdop = try num("hdop")
        return try PositionCheck.report(
            device: device, time: time, lat: lat, lon: lon, speed: knots.map { $0 * 1852 / 3600 },
            // Without an accuracy, 5 m per unit of HDOP (a common rule of thumb).
            bearing: bearing ?? heading, accuracy: accuracy ?? hdop.map { $0 * 5 },
            altitude: try num("altitude"), battery: try num("batt"), source: .osmand)
    }

    /// Seconds since 1970, milliseconds (13 digits and up), or ISO 8601 with an offset.
    static func timestamp(_ text: String, key: String) throws(FeedError) -> Date {
        if let n = FeedNumber.parse(text) {
            guard n.isFinite, n >= 0, n < 1e15 else { throw FeedError("\(key) \(FeedText.quoted(text)) is not a time") }
            return Date(timeIntervalSince1970: n >= 1e11 ? n / 1000 : n)
        }
        if let d = ISOTime.parse(text) { return d }
        if ISOTime.parse(text + "Z") != nil {
            throw FeedError("\(key) \(FeedText.quoted(text)) has no offset; add Z or +08:00, or send seconds since 1970")
        }
        throw FeedError("\(key) \(FeedText.quoted(text)) is not a time; send seconds since 1970 or ISO 8601 with an offset")
    }

    // MARK: - Traccar Client 9

    /// `{"device_id": ..., "location": {"timestamp": ISO 8601, "coords": {"latitude", "longitude",
    /// "speed" (m/s), "heading", "accuracy", "altitude"}, "battery": {"level": 0...1}}}`.
    /// A speed or heading of -1 means "unknown".
    public static func traccarJSON(_ body: Data, receivedAt: Date) throws(FeedError) -> PositionReport {
        try traccarJSON(JSONFields(bytes: body, what: "the body"), receivedAt: receivedAt)
    }

    static func traccarJSON(_ json: JSONFields, receivedAt: Date) throws(FeedError) -> PositionReport {
        guard let device = try json.text("device_id") else { throw FeedError("no device_id; Traccar Client sends it with every location") }
        guard let location = try json.object("location") else { throw FeedError("location must be an object") }
        guard let coords = try location.object("coords") else { throw FeedError("no location.coords; send latitude and longitude in it") }
        guard let lat = try coords.number("latitude"), let lon = try coords.number("longitude") else {
            throw FeedError("no location.coords.latitude or longitude")
        }
        var time = receivedAt
        if let t = try location.text("timestamp") { time = try timestamp(t, key: "location.timestamp") }
        func known(_ v: Double?) -> Double? { v == -1 ? nil : v }
        let level = try location.object("battery")?.number("level")
        return try PositionCheck.report(
            device: device, time: time, lat: lat, lon: lon, speed: known(try coords.number("speed")),
            bearing: known(try coords.number("heading")), accuracy: try coords.number("accuracy"),
            altitude: try coords.number("altitude"), battery: level.map { $0 == -1 ? -1 : $0 * 100 }.flatMap(known),
            source: .traccarJSON)
    }

    // MARK: - OwnTracks

    /// `{"_type": "location", "lat", "lon", "tst" (seconds), "vel" (km/h), "cog", "acc", "alt",
    /// "batt", "tid", "topic"}`. The device is `device` (from OwnTracks' `X-Limit-U`/`-D`
    /// headers), else the topic without `owntracks/`, else `tid`. Other `_type`s are
    /// ``FeedError/Kind/notAPosition``.
    public static func ownTracks(_ body: Data, device: String? = nil, receivedAt: Date) throws(FeedError) -> PositionReport {
        try ownTracks(JSONFields(bytes: body, what: "the body"), device: device, receivedAt: receivedAt)
    }

    static func ownTracks(_ json: JSONFields, device: String?, receivedAt: Date) throws(FeedError) -> PositionReport {
        let type = try json.text("_type") ?? ""
        guard type == "location" else {
            throw FeedError("an OwnTracks \(FeedText.quoted(type)) message carries no position", kind: .notAPosition)
        }
        var name = device
        if name == nil, let topic = try json.text("topic") {
            name = topic.hasPrefix("owntracks/") ? String(topic.dropFirst("owntracks/".count)) : topic
        }
        if name == nil { name = try json.text("tid") }
        guard let name else { throw FeedError("no device: send tid or topic, or the X-Limit-U and X-Limit-D headers") }
        guard let lat = try json.number("lat"), let lon = try json.number("lon") else { throw FeedError("no lat or lon") }
        let time: Date
        if let tst = try json.number("tst") {
            guard tst.isFinite, tst >= 0, tst < 1e11 else { throw FeedError("tst \(Int(tst.clamped(to: -1e15...1e15))) is not seconds since 1970") }
            time = Date(timeIntervalSince1970: tst)
        } else {
            time = receivedAt
        }
        return try PositionCheck.report(
            device: name, time: time, lat: lat, lon: lon, speed: try json.number("vel").map { $0 / 3.6 },
            bearing: try json.number("cog"), accuracy: try json.number("acc"), altitude: try json.number("alt"),
            battery: try json.number("batt"), source: .ownTracks)
    }

    // MARK: - Watchroom's own

    /// One line of Watchroom's JSON Lines: `{"device": "c17", "time": ISO 8601 with offset,
    /// "lat", "lon", "speed" (m/s), "bearing", "accuracy", "altitude", "battery"}`; `time`
    /// is required (a line may be replayed long after it was written).
    public static func watchroom(line: String) throws(FeedError) -> PositionReport {
        try watchroom(JSONFields(bytes: Data(line.utf8), what: "the line"))
    }

    static func watchroom(_ json: JSONFields) throws(FeedError) -> PositionReport {
        guard let device = try json.text("device") else { throw FeedError("no device; every line names its device") }
        guard let t = try json.text("time") else { throw FeedError("no time; give ISO 8601 with an offset, e.g. 2026-11-25T19:48:11+08:00") }
        let time = try timestamp(t, key: "time")
        guard let lat = try json.number("lat"), let lon = try json.number("lon") else { throw FeedError("no lat or lon") }
        return try PositionCheck.report(
            device: device, time: time, lat: lat, lon: lon, speed: try json.number("speed"),
            bearing: try json.number("bearing"), accuracy: try json.number("accuracy"), altitude: try json.number("altitude"),
            battery: try json.number("battery"), source: .watchroom)
    }
}

/// The bounds every report passes, whatever its protocol.
enum PositionCheck {
    static func report(device raw: String, time: Date, lat: Double, lon: Double, speed: Double?, bearing: Double?,
                       accuracy: Double?, altitude: Double?, battery: Double?,
                       source: PositionReport.Source) throws(FeedError) -> PositionReport {
        let device = try deviceID(raw)
        guard lat.isFinite, lon.isFinite else { throw FeedError("\(device): lat and lon must be finite numbers of degrees") }
        guard (-90...90).contains(lat) else { throw FeedError("\(device): lat \(lat) is outside -90 to 90") }
        guard (-180...180).contains(lon) else { throw FeedError("\(device): lon \(lon) is outside -180 to 180") }
        guard !(lat == 0 && lon == 0) else { throw FeedError("\(device): 0,0 is a tracker without a fix, not a place") }
        let l = PositionReport.Limits.self
        guard time.timeIntervalSince1970.isFinite, time >= l.earliest, time < l.latest else {
            throw FeedError("\(device): the fix's time is outside 2000 to 2099; check the device's clock")
        }
        func check(_ v: Double?, _ name: String, _ range: ClosedRange<Double>, _ unit: String) throws(FeedError) -> Double? {
            guard let v else { return nil }
            guard v.isFinite, range.contains(v) else {
                throw FeedError("\(device): \(name) \(v.isFinite ? String(v) : "not finite") is outside \(Int(range.lowerBound)) to \(Int(range.upperBound)) \(unit)")
            }
            return v
        }
        var b = try check(bearing, "bearing", 0...360, "degrees")
        if b == 360 { b = 0 }
        return PositionReport(
            device: device, time: time, latLon: LatLon(lat: lat, lon: lon),
            speed: try check(speed, "speed", l.speed, "m/s (an impossible speed)"), bearing: b,
            accuracy: try check(accuracy, "accuracy", l.accuracy, "metres"),
            altitude: try check(altitude, "altitude", l.altitude, "metres"),
            battery: try check(battery, "battery", 0...100, "percent"), source: source)
    }

    /// A device id: trimmed, 1 to 64 characters, no control characters.
    static func deviceID(_ raw: String) throws(FeedError) -> String {
        let id = raw.trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty else { throw FeedError("the device id is empty") }
        guard id.count <= PositionReport.Limits.deviceLength else {
            throw FeedError("the device id \(FeedText.quoted(id)) is longer than \(PositionReport.Limits.deviceLength) characters")
        }
        guard !id.unicodeScalars.contains(where: { Sanitizer.isControl($0) }) else {
            throw FeedError("the device id \(FeedText.quoted(id)) holds control characters")
        }
        return id
    }
}

/// `a=1&b=two+words&c=%2C`: the fields of a URL query or a form body; the first of a
/// repeated key wins. Malformed escapes are kept as written.
struct FormFields {
    private var fields: [String: String] = [:]

    init(_ text: String) {
        for pair in text.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(kv[0]), value = kv.count > 1 ? Self.decode(kv[1]) : ""
            if fields[key] == nil { fields[key] = value }
        }
    }

    subscript(_ key: String) -> String? { fields[key] }

    static func decode(_ s: Substring) -> String {
        let plus = s.replacingOccurrences(of: "+", with: " ")
        return plus.removingPercentEncoding ?? plus
    }
}
