import Foundation
import WatchroomCore
import WatchroomEngine

/// A shift as an RFC 7946 GeoJSON FeatureCollection in WGS 84: incidents as Points, each
/// unit's track and each planned route as LineStrings, positions `[longitude, latitude]`,
/// times (ISO 8601 with offset) as properties. Every feature has `properties.feature`:
/// `incident`, `track` or `route`.
public enum GeoJSONShiftExport {
    public enum Failure: Error, CustomStringConvertible {
        case noOrigin(map: String)

        public var description: String {
            switch self {
            case .noOrigin(let map):
                return "map \(map) has no origin (lat/lon of its 0,0), so its positions cannot be given in WGS 84; add `origin lat=.. lon=..` to the map file"
            }
        }
    }

    /// With `incident`, only that incident, its routes, and the tracks of its units while
    /// they worked it.
    public static func export(_ digest: ShiftDigest, incident: String? = nil) throws -> JSONValue {
        guard let origin = digest.map.origin else { throw Failure.noOrigin(map: digest.map.key) }
        let projection = LocalProjection(origin: origin)
        func position(_ p: Point) -> JSONValue {
            let ll = projection.unproject(p)
            return .array([.number(ll.lon), .number(ll.lat)])
        }
        let incidents = digest.incidents(matching: incident)
        let only = incident == nil ? nil : Set(incidents.map(\.id))
        var features: [JSONValue] = []

        for inc in incidents {
            let code = inc.disposition.flatMap { DispositionCode.find($0) }
            features.append(feature(.object([("type", .string("Point")), ("coordinates", position(inc.point))]), [
                ("feature", .string("incident")), ("id", .string(inc.id.rawValue)), ("number", .optional(inc.number)),
                ("category", .string(inc.category.rawValue)), ("priority", .int(inc.priority)),
                ("place", .string(Sanitizer.inert(inc.place))), ("summary", .string(Sanitizer.inert(inc.summary))),
                ("weapon", .bool(inc.weapon)), ("status", .string(inc.status.rawValue)),
                ("reported", .string(digest.iso(inc.reportedAt))),
                ("dispatched", .optional(inc.dispatchedAt.map(digest.iso))),
                ("firstArrival", .optional(inc.arrivedAt.map(digest.iso))),
                ("closed", .optional(inc.closedAt.map(digest.iso))),
                ("disposition", .optional(inc.disposition?.rawValue)), ("dispositionCode", .optional(code?.code)),
                ("units", .array(inc.respondedUnits.map { .string(digest.state.units[$0]?.callsign ?? $0.rawValue) })),
            ]))
        }

        // Tracks: the whole shift, or for one incident each of its units from dispatch to release.
        for unit in digest.state.unitsInOrder {
            var points = digest.tracks[unit.id] ?? []
            if let only {
                let spans = only.flatMap { id -> [(Date, Date)] in
                    let h = digest.history(of: unit.id, on: id)
                    guard let first = h.first?.time else { return [] }
                    return [(first, h.count > 1 && h.last?.incident != id ? (h.last?.time ?? .distantFuture) : .distantFuture)]
                }
                guard !spans.isEmpty else { continue }
                points = points.filter { p in spans.contains { p.time >= $0.0 && p.time <= $0.1 } }
            }
            guard points.count >= 2 else { continue }
            features.append(feature(.object([("type", .string("LineString")), ("coordinates", .array(points.map { position($0.point) }))]), [
                ("feature", .string("track")), ("unit", .string(unit.id.rawValue)), ("callsign", .string(unit.callsign)),
                ("kind", .string(unit.kind.rawValue)), ("start", .string(digest.iso(points[0].time))),
                ("end", .string(digest.iso(points[points.count - 1].time))),
                ("times", .array(points.map { .string(digest.iso($0.time)) })),
            ]))
        }

        for planned in digest.routes where only.map({ $0.contains(planned.route.incident) }) ?? true {
            let line = digest.polyline(of: planned.route)
            guard line.count >= 2 else { continue }
            features.append(feature(.object([("type", .string("LineString")), ("coordinates", .array(line.map(position)))]), [
                ("feature", .string("route")), ("unit", .string(planned.route.unit.rawValue)),
                ("callsign", .string(digest.state.units[planned.route.unit]?.callsign ?? planned.route.unit.rawValue)),
                ("incident", .string(planned.route.incident.rawValue)), ("planned", .string(digest.iso(planned.time))),
                ("seconds", .number(planned.route.seconds)), ("meters", .number(planned.route.meters)),
            ]))
        }
        return .object([("type", .string("FeatureCollection")), ("features", .array(features))])
    }

    private static func feature(_ geometry: JSONValue, _ properties: [(String, JSONValue)]) -> JSONValue {
        .object([("type", .string("Feature")), ("geometry", geometry), ("properties", .object(properties))])
    }
}
