import Foundation
import WatchroomCore

/// The tags of one OSM element, in file order. Small, so lookups are linear.
public struct OSMTags: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    public var pairs: [(key: String, value: String)] = []

    public init() {}
    public init(dictionaryLiteral elements: (String, String)...) {
        pairs = elements.map { (key: $0.0, value: $0.1) }
    }

    public subscript(_ key: String) -> String? {
        for p in pairs where p.key == key { return p.value }
        return nil
    }

    public var isEmpty: Bool { pairs.isEmpty }

    public static func == (a: OSMTags, b: OSMTags) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// How an OSM `oneway` tag (or what implies one) reads.
public enum OnewayRule: Equatable, Sendable {
    case no, forward, backward
    /// `reversible` / `alternating`: the direction changes during the day; not routed for cars.
    case reversible
    /// A value that is none of the above; treated as two-way and reported.
    case unknown(String)
}

/// How an OSM `maxspeed` value reads.
public enum SpeedRule: Equatable, Sendable {
    case kmh(Double)
    /// `none`, `signals`, `variable`: no fixed limit; the class default applies.
    case classDefault
    /// Not understood; the class default applies and the importer reports it.
    case unknown(String)
}

/// The rules that turn OpenStreetMap tags into Watchroom's model. Each is a pure function
/// so it can be tested on its own; docs/osm-import.md lists them for users.
public enum OSMRules {
    /// The road class for a `highway` value, or nil for values Watchroom does not route on
    /// (track, cycleway, bridleway, construction, proposed, ...).
    public static func roadClass(highway: String) -> RoadClass? {
        RoadClass(rawValue: highway)
    }

    /// As `roadClass(highway:)`, plus `highway=road` (not yet classified) as unclassified,
    /// tracks (open to walkers by OpenStreetMap's default access rules) as paths for officers
    /// on foot, and cycleways and bridleways that explicitly allow walkers
    /// (`foot=yes|designated|permissive`) as paths too.
    public static func roadClass(highway: String, tags: OSMTags) -> RoadClass? {
        if let cls = RoadClass(rawValue: highway) { return cls }
        switch highway {
        case "road": return .unclassified
        case "track": return .path
        case "cycleway", "bridleway":
            if let f = tags["foot"], ["yes", "designated", "permissive"].contains(f) { return .path }
            return nil
        default: return nil
        }
    }

    static let yes: Set<String> = ["yes", "true", "1"]

    /// `oneway=yes|true|1` forward, `-1|reverse` backward, `no|false|0` none,
    /// `reversible|alternating` reversible; without the tag, `junction=roundabout|circular`
    /// and `highway=motorway` are one-way forward.
    public static func oneway(_ tags: OSMTags, roadClass: RoadClass) -> OnewayRule {
        if let v = tags["oneway"]?.lowercased() {
            switch v {
            case "yes", "true", "1": return .forward
            case "-1", "reverse": return .backward
            case "no", "false", "0": return .no
            case "reversible", "alternating": return .reversible
            default:
                return .unknown(v)
            }
        }
        if let j = tags["junction"], j == "roundabout" || j == "circular" { return .forward }
        if roadClass == .motorway { return .forward }
        return .no
    }

    /// Speed limits of the `CC:zone` notation, in km/h, where the country's law sets them.
    static let zoneSpeeds: [String: Double] = [
        "ru:urban": 60, "ru:rural": 90, "ru:motorway": 110, "ru:living_street": 20,
        "de:urban": 50, "de:rural": 100, "de:living_street": 7, "de:bicycle_road": 30,
        "fr:urban": 50, "fr:rural": 80, "fr:motorway": 130,
        "it:urban": 50, "it:rural": 90, "it:motorway": 130,
        "gb:nsl_single": 96.56, "gb:nsl_dual": 112.65, "gb:motorway": 112.65,
        "at:urban": 50, "at:rural": 100, "at:motorway": 130,
        "ua:urban": 50, "ua:rural": 90, "ua:motorway": 130,
        "cn:urban": 50, "cn:rural": 70, "cn:motorway": 120,
    ]

    /// Limits for zones not listed per country (`XX:urban` and so on).
    static let genericZoneSpeeds: [String: Double] = [
        "urban": 50, "rural": 90, "motorway": 120, "trunk": 100, "living_street": 20, "walk": 6,
        "school": 30, "bicycle_road": 30, "pedestrian_zone": 6,
    ]

    /// Reads a `maxspeed` value: `50` (km/h), `50 km/h`, `30 mph`, `10 knots`, `walk` (6 km/h),
    /// `none` / `signals` / `variable` (class default), `RU:urban` style zones, `DE:zone30`
    /// and `DE:zone:30`; with several values (`50;30`) the lowest.
    public static func maxspeed(_ raw: String) -> SpeedRule {
        let v = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if v.isEmpty { return .unknown(raw) }
        if v.contains(";") {
            var lowest: Double?
            for part in v.split(separator: ";") {
                switch maxspeed(String(part)) {
                case .kmh(let k): lowest = min(lowest ?? k, k)
                case .classDefault: continue
                case .unknown: return .unknown(raw)
                }
            }
            return lowest.map(SpeedRule.kmh) ?? .classDefault
        }
        switch v {
        case "none", "signals", "variable", "implicit": return .classDefault
        case "walk": return .kmh(6)
        default: break
        }
        if let colon = v.firstIndex(of: ":") {
            let zone = String(v[v.index(after: colon)...])
            if let k = zoneSpeeds[v] { return .kmh(k) }
            if zone.hasPrefix("zone") {
                let digits = zone.dropFirst(4).drop { $0 == ":" }
                if let k = Double(digits), k > 0, k <= 300 { return .kmh(k) }
            }
            if zone == "motorway" && v.hasPrefix("de:") { return .classDefault }
            if let k = genericZoneSpeeds[zone] { return .kmh(k) }
            return .unknown(raw)
        }
        // A number with an optional unit.
        var number = Substring(v)
        var factor = 1.0
        for (unit, f) in [("km/h", 1.0), ("kmh", 1.0), ("kph", 1.0), ("mph", 1.609344), ("knots", 1.852)] where number.hasSuffix(unit) {
            number = number.dropLast(unit.count)
            factor = f
            break
        }
        let trimmed = number.trimmingCharacters(in: .whitespaces)
        guard let n = Double(trimmed), trimmed.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else {
            return .unknown(raw)
        }
        let k = n * factor
        guard k > 0, k <= 300 else { return .unknown(raw) }
        return .kmh((k * 100).rounded() / 100)
    }

    static let allowed: Set<String> = ["yes", "designated", "permissive", "destination", "delivery", "customers",
                                       "official", "discouraged", "emergency"]
    static let denied: Set<String> = ["no", "private", "agricultural", "forestry", "military", "use_sidepath", "permit"]

    /// The most specific of `keys` that is present and understood: true allowed, false denied.
    static func decide(_ tags: OSMTags, _ keys: [String]) -> Bool? {
        var result: Bool?
        for k in keys {
            guard let v = tags[k]?.lowercased() else { continue }
            if allowed.contains(v) { result = true } else if denied.contains(v) { result = false }
        }
        return result
    }

    /// Who may use a way: cars (patrol cars) and officers on foot.
    ///
    /// From the class default for cars (footways foot only; motorways and trunks cars only)
    /// and OpenStreetMap's default pedestrian access for officers (every road but motorways
    /// and their links, trunks included), then `access`, `vehicle`, `motor_vehicle`,
    /// `motorcar` for cars and `access`, `foot` for officers, the most specific tag winning. `destination` allows (a patrol car has a
    /// destination); `no` and `private` deny. `emergency=yes|designated|destination` lets
    /// patrol cars through whatever `access` says. `motorroad=yes` keeps officers on foot off.
    public static func access(_ tags: OSMTags, roadClass: RoadClass) -> (car: Bool, foot: Bool) {
        let def = roadClass.defaultAccess
        var car = def.allowsCar
        var foot = footByDefault(roadClass)
        if car, let d = decide(tags, ["access", "vehicle", "motor_vehicle", "motorcar"]) { car = d }
        if car == false, def.allowsCar, let e = tags["emergency"]?.lowercased(),
           ["yes", "designated", "destination"].contains(e) { car = true }
        if let d = decide(tags, ["access", "foot"]) { foot = d }
        if tags["motorroad"] == "yes" { foot = false }
        return (car, foot)
    }

    /// Whether pedestrians may use a road of this class by OpenStreetMap's default access
    /// rules (worldwide): everywhere but on motorways and their links.
    public static func footByDefault(_ roadClass: RoadClass) -> Bool {
        roadClass != .motorway && roadClass != .motorwayLink
    }

    /// Text from a tag with control characters turned into spaces and the ends trimmed;
    /// nil when nothing is left.
    public static func clean(_ s: String?) -> String? {
        guard let s else { return nil }
        var out = String.UnicodeScalarView()
        for u in s.unicodeScalars { out.append(Sanitizer.isControl(u) ? " " : u) }
        let r = String(out).trimmingCharacters(in: .whitespaces)
        return r.isEmpty ? nil : String(r.prefix(200))
    }

    /// The label of a feature: `name`, else `name:zh-Hans`, `name:zh`, `name:en`; and the
    /// romanized or English form: `name:en`, else `name:zh-Latn-pinyin`, `name:zh_pinyin`,
    /// `name:zh-Latn`, `int_name` (left out when it equals the name).
    public static func names(_ tags: OSMTags) -> (name: String?, roman: String?) {
        let name = clean(tags["name"]) ?? clean(tags["name:zh-Hans"]) ?? clean(tags["name:zh"]) ?? clean(tags["name:en"])
        var roman: String?
        for k in ["name:en", "name:latn", "name:zh-Latn-pinyin", "name:zh_pinyin", "name:zh-Latn", "int_name"] {
            if let r = clean(tags[k]) { roman = r; break }
        }
        if roman == name { roman = nil }
        return (name, roman)
    }

    /// Every name a feature goes by (to match `addr:street` against streets).
    public static func allNames(_ tags: OSMTags) -> [String] {
        ["name", "name:zh-Hans", "name:zh", "name:zh-Hant", "name:en", "name:zh-Latn-pinyin", "name:zh_pinyin",
         "alt_name", "old_name", "official_name", "int_name"].compactMap { clean(tags[$0]) }
    }

    /// Compass degrees from a `camera:direction` / `direction` value: a number (taken modulo
    /// 360) or a 16-wind point (`N`, `NNE`, `NE`, ... `NNW`).
    public static func direction(_ raw: String?) -> Double? {
        guard let raw else { return nil }
        let v = raw.trimmingCharacters(in: .whitespaces).uppercased()
        let winds = ["N", "NNE", "NE", "ENE", "E", "ESE", "SE", "SSE", "S", "SSW", "SW", "WSW", "W", "WNW", "NW", "NNW"]
        if let i = winds.firstIndex(of: v) { return Double(i) * 22.5 }
        guard let d = Double(v), d.isFinite else { return nil }
        let m = d.truncatingRemainder(dividingBy: 360)
        return m < 0 ? m + 360 : m
    }

    /// What an OSM camera becomes: kind, field of view, range. `camera:type=dome` and
    /// `panning` (written `ptz`) see all round (360°); a `fixed` camera (the default) sees
    /// 90° towards `camera:direction`, or all round when the direction is not given.
    /// Range: 40 m dome, 100 m ptz, 60 m fixed (150 m with `surveillance:zone=traffic`).
    public static func camera(_ tags: OSMTags) -> (kind: String, facing: Double, fov: Double, range: Double, directionKnown: Bool)? {
        if let t = tags["surveillance:type"]?.lowercased(), t != "camera", t != "alpr" { return nil }
        let type = tags["camera:type"]?.lowercased()
        let kind: String
        switch type {
        case "dome": kind = "dome"
        case "panning", "ptz": kind = "ptz"
        default: kind = "fixed"
        }
        let dir = direction(tags["camera:direction"] ?? tags["direction"])
        var range: Double = kind == "dome" ? 40 : kind == "ptz" ? 100 : 60
        if tags["surveillance:zone"] == "traffic" && kind == "fixed" { range = 150 }
        let fov: Double = kind == "fixed" && dir != nil ? 90 : 360
        return (kind, dir ?? 0, fov, range, dir != nil)
    }

    /// The area kind for a closed way or multipolygon, or nil.
    public static func areaKind(_ tags: OSMTags, buildings: Bool) -> AreaKind? {
        if tags["waterway"] == "riverbank" { return .river }
        if tags["natural"] == "water" {
            if let w = tags["water"], ["river", "canal", "stream", "oxbow"].contains(w) { return .river }
            return .water
        }
        if let l = tags["landuse"], l == "reservoir" || l == "basin" { return .water }
        if let l = tags["leisure"], ["park", "garden", "nature_reserve", "playground"].contains(l) { return .park }
        if let l = tags["landuse"], ["recreation_ground", "village_green", "grass"].contains(l) { return .park }
        if tags["place"] == "square" { return .square }
        if tags["highway"] == "pedestrian" && tags["area"] == "yes" { return .plaza }
        if buildings, let b = tags["building"], b != "no" { return .building }
        return nil
    }

    /// The landmark kind for a named feature, or nil.
    public static func landmarkKind(_ tags: OSMTags) -> String? {
        if let a = clean(tags["amenity"]) {
            switch a {
            case "marketplace": return "market"
            case "bench", "waste_basket", "parking_space", "vending_machine", "bicycle_parking": return nil
            default: return a
            }
        }
        if tags["shop"] == "mall" { return "mall" }
        if let h = clean(tags["historic"]) { return h == "city_gate" ? "gate" : h }
        if let t = clean(tags["tourism"]) { return t }
        return nil
    }
}
