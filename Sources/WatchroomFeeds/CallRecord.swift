import Foundation
import WatchroomCore

/// One 110 call from the intake desk, read from a line of JSON (docs/feeds.md) and bounded.
public struct CallRecord: Hashable, Sendable {
    /// Where the caller said they are.
    public enum Place: Hashable, Sendable {
        /// As the call-taker wrote it: matched against the map's addresses and landmarks.
        case text(String)
        /// A position from the caller's phone (AML) or the call-taker's map.
        case latLon(LatLon)
    }

    public var received: Date
    public var caller: String?
    public var phone: String?
    public var place: Place
    public var category: IncidentCategory
    /// 1 (most urgent) to 3.
    public var priority: Int
    public var summary: String
    public var callTaker: String?

    public init(received: Date, caller: String? = nil, phone: String? = nil, place: Place, category: IncidentCategory,
                priority: Int, summary: String, callTaker: String? = nil) {
        self.received = received
        self.caller = caller
        self.phone = phone
        self.place = place
        self.category = category
        self.priority = priority
        self.summary = summary
        self.callTaker = callTaker
    }

    /// The longest summary kept: 500 characters.
    public static let summaryLength = 500
    /// The longest name, place text or call-taker: 120 characters.
    public static let textLength = 120
}

/// Reads call records, one JSON object per line:
/// `{"received": ISO 8601 with offset, "caller", "phone", "place" | "lat"+"lon", "category",
/// "priority" 1–3, "summary", "callTaker"}`.
public enum CallRecordReader {
    public static func read(line: String) throws(FeedError) -> CallRecord {
        let json = try JSONFields(bytes: Data(line.utf8), what: "the call record")
        guard let receivedText = try json.text("received") else {
            throw FeedError("no received; give the time of the call in ISO 8601 with an offset, e.g. 2026-11-25T19:48:11+08:00")
        }
        guard let received = ISOTime.parse(receivedText) else {
            throw FeedError("received \(FeedText.quoted(receivedText)) is not ISO 8601 with an offset, e.g. 2026-11-25T19:48:11+08:00")
        }
        guard received >= PositionReport.Limits.earliest, received < PositionReport.Limits.latest else {
            throw FeedError("received \(FeedText.quoted(receivedText)) is outside 2000 to 2099")
        }
        func text(_ key: String, limit: Int = CallRecord.textLength) throws(FeedError) -> String? {
            guard let raw = try json.text(key) else { return nil }
            let clean = Sanitizer.inert(raw).trimmingCharacters(in: .whitespacesAndNewlines)
            guard clean.count <= limit else { throw FeedError("\(key) is longer than \(limit) characters") }
            return clean.isEmpty ? nil : clean
        }
        let place: CallRecord.Place
        let lat = try json.number("lat"), lon = try json.number("lon")
        if let lat, let lon {
            guard lat.isFinite, lon.isFinite, (-90...90).contains(lat), (-180...180).contains(lon), !(lat == 0 && lon == 0) else {
                throw FeedError("lat,lon must be degrees within ±90 and ±180 (and not 0,0)")
            }
            place = .latLon(LatLon(lat: lat, lon: lon))
        } else if lat != nil || lon != nil {
            throw FeedError("lat without lon or lon without lat; send both, or place as text")
        } else if let p = try text("place") {
            place = .text(p)
        } else {
            throw FeedError("no place; send place as text (an address, a landmark) or lat and lon")
        }
        let categoryText = try json.text("category") ?? "other"
        guard let category = category(categoryText) else {
            let known = IncidentCategory.allCases.map(\.rawValue).joined(separator: ", ")
            throw FeedError("category \(FeedText.quoted(categoryText)) is not one of \(known)")
        }
        let priority: Int
        if let p = try json.number("priority") {
            guard p == 1 || p == 2 || p == 3 else { throw FeedError("priority must be 1, 2 or 3") }
            priority = Int(p)
        } else {
            priority = 2
        }
        var phone = try text("phone", limit: 32)
        if let p = phone {
            guard p.allSatisfy({ $0.isASCII && ($0.isNumber || "+-() ".contains($0)) }), p.contains(where: \.isNumber) else {
                throw FeedError("phone \(FeedText.quoted(p)) is not a telephone number (digits, +, -, spaces)")
            }
            phone = p
        }
        return CallRecord(received: received, caller: try text("caller"), phone: phone, place: place, category: category,
                          priority: priority, summary: try text("summary", limit: CallRecord.summaryLength) ?? "",
                          callTaker: try text("callTaker"))
    }

    /// `trafficAccident`, `traffic accident`, `traffic_accident` → `.trafficAccident`.
    static func category(_ text: String) -> IncidentCategory? {
        let key = text.lowercased().filter { $0.isLetter }
        return IncidentCategory.allCases.first { $0.rawValue.lowercased() == key }
    }
}
