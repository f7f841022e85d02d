import WatchroomCore

/// Counts of what the importer dropped or changed, per reason, with the first place seen.
public struct ImportTally: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var reason: String
        public var count: Int
        /// Line in the OSM file of the first case, when known.
        public var firstLine: Int?
    }

    public private(set) var entries: [Entry] = []
    private var index: [String: Int] = [:]

    public init() {}

    public mutating func add(_ reason: String, line: Int? = nil, count: Int = 1) {
        guard count > 0 else { return }
        if let i = index[reason] {
            entries[i].count += count
            if entries[i].firstLine == nil { entries[i].firstLine = line }
        } else {
            index[reason] = entries.count
            entries.append(Entry(reason: reason, count: count, firstLine: line))
        }
    }

    public func count(_ reason: String) -> Int { index[reason].map { entries[$0].count } ?? 0 }

    /// The count of every entry whose reason starts with `prefix`.
    public func count(prefix: String) -> Int { entries.filter { $0.reason.hasPrefix(prefix) }.reduce(0) { $0 + $1.count } }
}

/// Reasons the importer reports, so tests and docs name them one way.
public enum DropReason {
    public static let deleted = "objects marked deleted (action=delete or visible=false) (skipped)"
    public static let unsorted = "nodes after ways: the file is not sorted, so earlier ways miss them; run `osmium sort FILE -o sorted.osm`"
    public static let badCoordinates = "nodes without a valid lat/lon (skipped)"
    public static let duplicateNode = "nodes given twice with the same id (later copy ignored)"
    public static let duplicateWay = "ways given twice with the same id (later copy ignored)"
    public static let outsideBBox = "nodes outside --bbox (not read)"
    public static let missingNodes = "ways cut where they reference nodes missing from the extract or outside --bbox"
    public static let tooShort = "road ways with fewer than two usable nodes (dropped)"
    public static func unsupportedHighway(_ v: String) -> String { "ways with highway=\(v): not a road Watchroom routes on (dropped)" }
    public static let highwayArea = "highway areas (area=yes): not routed (pedestrian ones are drawn as plazas)"
    public static let noAccess = "road ways nobody on duty may use: access=no/private for cars and on foot (dropped)"
    public static let reversible = "oneway=reversible/alternating: closed to cars, kept for officers on foot"
    public static func onewayUnknown(_ v: String) -> String { "oneway=\(v) not understood: treated as two-way" }
    public static func maxspeedUnknown(_ v: String) -> String { "maxspeed=\(v) not understood: class default used" }
    public static let mergedNodes = "duplicate nodes merged (two nodes at the same position, to the centimetre)"
    public static let carUnreachable = "road ways off the largest part cars can drive round (in and back out): closed to cars, kept on foot"
    public static let carUnreachableDropped = "road ways off the largest part cars can drive round (in and back out) (dropped)"
    public static let footUnreachable = "road ways off the largest connected part on foot: kept for cars only"
    public static let footUnreachableDropped = "footways off the largest connected part on foot (dropped)"
    public static let cameraNotCamera = "surveillance that is not a camera (guards, ...) (skipped)"
    public static let cameraNoDirection = "cameras without camera:direction: drawn as seeing all round"
    public static let outsideMap = "cameras, addresses and landmarks outside the map (dropped)"
    public static let addressNoStreet = "addresses without addr:street (dropped)"
    public static let addressUnknownStreet = "addresses whose addr:street is not a street of the imported network (dropped)"
    public static let areaOutside = "areas entirely outside the map (dropped)"
    public static let areaNotClosed = "areas that are not closed or miss nodes in the extract (dropped)"
    public static let multipolygonOpen = "multipolygon outer rings that could not be closed (dropped)"
    public static let relationSkipped = "relations other than area multipolygons (skipped)"
    public static let buildingsSkipped = "buildings (skipped; pass --buildings to draw them)"
    public static let otherPolice = "further amenity=police features (kept as landmarks)"
    public static let unnamedLandmark = "amenities without a name (not landmarks)"
}

/// Attributes shared by the edges of a road way.
struct RoadAttr: Hashable {
    var roadClass: RoadClass
    var name: String?
    var roman: String?
    var speedKmh: Double
    var car: Bool
    var foot: Bool
    var oneway: Bool
}

struct RoadWay {
    var id: Int64
    var refStart: Int
    var refCount: Int
    var attr: Int32
    var line: Int
}

enum FeatureGeometry {
    case node(Int32)
    /// Node indices of a way in `OSMData.featureRefs`; `missing` when some were not in the extract.
    case way(start: Int, count: Int, missing: Bool)
}

struct Feature {
    var key: String
    var tags: OSMTags
    var geometry: FeatureGeometry
    var line: Int
}

struct Multipolygon {
    var id: Int64
    var tags: OSMTags
    var outers: [Int64]
    var line: Int
}

/// Everything read from an OSM file that the map builder needs.
struct OSMData {
    var nodeIndex: [Int64: Int32] = [:]
    var nodeID: [Int64] = []
    var lat7: [Int32] = []
    var lon7: [Int32] = []
    var roadWays: [RoadWay] = []
    var roadRefs: [Int32] = []
    var attrs: [RoadAttr] = []
    var attrLookup: [RoadAttr: Int32] = [:]
    /// Names of streets under every name they go by, for `addr:street`.
    var streetAliases: [String: String] = [:]
    var features: [Feature] = []
    var featureRefs: [Int32] = []
    /// Refs of ways that may be multipolygon members.
    var memberWays: [Int64: (start: Int, count: Int)] = [:]
    var memberRefs: [Int32] = []
    var multipolygons: [Multipolygon] = []
    var seenWays: Set<Int64> = []
    var tally = ImportTally()
    var bytes = 0
    /// The file's `<bounds>` (south, west, north, east), when it has one.
    var fileBounds: (Double, Double, Double, Double)?
    /// The first `timezone` tag seen (admin boundaries carry one) and where.
    var timezoneTag: (zone: String, source: String)?
}

/// A problem that stops an import: malformed XML, not OSM at all, unreadable file.
public struct OSMImportError: Error, CustomStringConvertible, Sendable {
    public var file: String
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String {
        line > 0 ? "\(file):\(line):\(column): error: \(message)" : "\(file): error: \(message)"
    }
}

/// Streams an OSM XML file into `OSMData`.
struct OSMReader {
    let tok: XMLTokenizer
    let options: OSMImportOptions
    var data = OSMData()
    var progress: ((Int) -> Void)?

    private enum Current { case none, node, way, relation }
    private var current = Current.none
    private var elementID: Int64 = 0
    private var elementLine = 0
    private var nodeLat: Int64?
    private var nodeLon: Int64?
    private var tags = OSMTags()
    private var refs: [Int64] = []
    private var members: [(type: String, ref: Int64, role: String)] = []
    private var rootChecked = false
    private var skipElement = false
    private var sawWay = false
    private let bboxFixed: (s: Int64, w: Int64, n: Int64, e: Int64)?

    init(tokenizer: XMLTokenizer, options: OSMImportOptions) {
        tok = tokenizer
        self.options = options
        if let b = options.bbox {
            bboxFixed = (Int64((b.south * 1e7).rounded(.down)), Int64((b.west * 1e7).rounded(.down)),
                         Int64((b.north * 1e7).rounded(.up)), Int64((b.east * 1e7).rounded(.up)))
        } else {
            bboxFixed = nil
        }
    }

    mutating func run() throws {
        var reported = 0
        while true {
            let ev = try tok.next()
            if tok.bytesRead - reported >= XMLTokenizer.chunkSize {
                reported = tok.bytesRead
                progress?(reported)
            }
            switch ev {
            case .eof:
                data.bytes = tok.bytesRead
                progress?(tok.bytesRead)
                return
            case .start:
                try start()
            case .end:
                if tok.nameIs("node") || tok.nameIs("way") || tok.nameIs("relation") { try finish() }
            }
        }
    }

    private func fail(_ message: String) -> XMLSyntaxError {
        tok.error(at: tok.tokenStart, message)
    }

    private mutating func start() throws {
        if !rootChecked {
            rootChecked = true
            guard tok.nameIs("osm") else {
                throw fail("not OpenStreetMap XML: the root element is <\(tok.nameString.prefix(40))>, expected <osm>")
            }
            return
        }
        let line = tok.line
        if tok.nameIs("node") || tok.nameIs("way") || tok.nameIs("relation") {
            guard current == .none else { throw fail("<\(tok.nameString)> inside another element") }
            current = tok.nameIs("node") ? .node : tok.nameIs("way") ? .way : .relation
            elementLine = line
            tags.pairs.removeAll(keepingCapacity: true)
            refs.removeAll(keepingCapacity: true)
            members.removeAll()
            let k = tok.attr("id")
            guard k >= 0, let id = tok.attrInt64(k) else { throw fail("<\(tok.nameString)> without a numeric id") }
            elementID = id
            // JOSM keeps deleted objects with action="delete"; history files mark them visible="false".
            let action = tok.attr("action"), visible = tok.attr("visible")
            let actionValue = action >= 0 ? try tok.attrString(action) : ""
            let visibleValue = visible >= 0 ? try tok.attrString(visible) : ""
            skipElement = actionValue == "delete" || visibleValue == "false"
            if current == .node && sawWay { data.tally.add(DropReason.unsorted, line: line) }
            if current == .way { sawWay = true }
            if current == .node {
                let la = tok.attr("lat"), lo = tok.attr("lon")
                nodeLat = la >= 0 ? tok.attrFixed7(la) : nil
                nodeLon = lo >= 0 ? tok.attrFixed7(lo) : nil
            }
            if tok.selfClosing { try finish() }
        } else if tok.nameIs("tag") {
            guard current != .none else { return }
            let k = tok.attr("k"), v = tok.attr("v")
            guard k >= 0, v >= 0 else { throw fail("<tag> needs both k= and v=") }
            tags.pairs.append((key: try tok.attrString(k), value: try tok.attrString(v)))
        } else if tok.nameIs("nd") {
            guard current == .way else { return }
            let r = tok.attr("ref")
            guard r >= 0, let ref = tok.attrInt64(r) else { throw fail("<nd> without a numeric ref") }
            refs.append(ref)
        } else if tok.nameIs("bounds") && current == .none && data.fileBounds == nil {
            let keys: [Int] = [tok.attr("minlat"), tok.attr("minlon"), tok.attr("maxlat"), tok.attr("maxlon")]
            let v = keys.map { $0 >= 0 ? tok.attrFixed7($0) : nil }
            if let s = v[0], let w = v[1], let n = v[2], let e = v[3], s < n, w < e {
                data.fileBounds = (Double(s) / 1e7, Double(w) / 1e7, Double(n) / 1e7, Double(e) / 1e7)
            }
        } else if tok.nameIs("member") {
            guard current == .relation else { return }
            let t = tok.attr("type"), r = tok.attr("ref"), ro = tok.attr("role")
            guard t >= 0, r >= 0, let ref = tok.attrInt64(r) else { throw fail("<member> needs type= and a numeric ref=") }
            members.append((try tok.attrString(t), ref, ro >= 0 ? try tok.attrString(ro) : ""))
        }
    }

    private mutating func finish() throws {
        if skipElement {
            data.tally.add(DropReason.deleted, line: elementLine)
            current = .none
            skipElement = false
            return
        }
        if data.timezoneTag == nil, let tz = tags["timezone"], let clean = OSMRules.clean(tz), clean.count < 60 {
            let kind = current == .node ? "n" : current == .way ? "w" : "r"
            data.timezoneTag = (clean, "\(kind)\(elementID)")
        }
        switch current {
        case .none: return
        case .node: finishNode()
        case .way: finishWay()
        case .relation: finishRelation()
        }
        current = .none
    }

    private mutating func finishNode() {
        guard let lat = nodeLat, let lon = nodeLon, abs(lat) <= 900_000_000, abs(lon) <= 1_800_000_000 else {
            data.tally.add(DropReason.badCoordinates, line: elementLine)
            return
        }
        if let b = bboxFixed, lat < b.s || lat > b.n || lon < b.w || lon > b.e {
            data.tally.add(DropReason.outsideBBox, line: elementLine)
            return
        }
        guard data.nodeIndex[elementID] == nil else {
            data.tally.add(DropReason.duplicateNode, line: elementLine)
            return
        }
        let index = Int32(data.nodeID.count)
        data.nodeIndex[elementID] = index
        data.nodeID.append(elementID)
        data.lat7.append(Int32(lat))
        data.lon7.append(Int32(lon))
        if !tags.isEmpty && isFeature(tags) {
            data.features.append(Feature(key: "n\(elementID)", tags: tags, geometry: .node(index), line: elementLine))
        }
    }

    private func isFeature(_ t: OSMTags) -> Bool {
        for p in t.pairs {
            switch p.key {
            case "amenity", "man_made", "addr:housenumber", "tourism", "historic", "shop", "natural", "waterway",
                 "leisure", "landuse", "place", "building":
                return true
            case "highway" where t["area"] == "yes":
                return true
            default: continue
            }
        }
        return false
    }

    private mutating func finishWay() {
        if data.seenWays.contains(elementID) {
            data.tally.add(DropReason.duplicateWay, line: elementLine)
            return
        }
        data.seenWays.insert(elementID)
        var missing = false
        let resolved: [Int32] = refs.map { r in
            if let i = data.nodeIndex[r] { return i }
            missing = true
            return -1
        }
        if let hw = tags["highway"] {
            if tags["area"] == "yes" {
                data.tally.add(DropReason.highwayArea, line: elementLine)
            } else if let cls = OSMRules.roadClass(highway: hw, tags: tags) {
                addRoad(cls, resolved, missing: missing)
            } else {
                data.tally.add(DropReason.unsupportedHighway(OSMRules.clean(hw).map { String($0.prefix(30)) } ?? "\"\""), line: elementLine)
            }
        } else {
            data.memberWays[elementID] = (data.memberRefs.count, resolved.count)
            data.memberRefs.append(contentsOf: resolved)
        }
        if isFeature(tags) {
            let start = data.featureRefs.count
            data.featureRefs.append(contentsOf: resolved)
            data.features.append(Feature(key: "w\(elementID)", tags: tags,
                                         geometry: .way(start: start, count: resolved.count, missing: missing), line: elementLine))
        }
    }

    private mutating func addRoad(_ cls: RoadClass, _ resolvedIn: [Int32], missing: Bool) {
        var resolved = resolvedIn
        var (car, foot) = OSMRules.access(tags, roadClass: cls)
        var oneway = false
        if cls.defaultAccess.allowsCar || car {
            switch OSMRules.oneway(tags, roadClass: cls) {
            case .no: break
            case .forward: oneway = true
            case .backward: oneway = true; resolved.reverse()
            case .reversible:
                if car { data.tally.add(DropReason.reversible, line: elementLine) }
                car = false
            case .unknown(let v):
                data.tally.add(DropReason.onewayUnknown(String(v.prefix(30))), line: elementLine)
            }
        }
        guard car || foot else {
            data.tally.add(DropReason.noAccess, line: elementLine)
            return
        }
        var speed = cls.defaultSpeedKmh
        if car, let ms = tags["maxspeed"] {
            switch OSMRules.maxspeed(ms) {
            case .kmh(let k): speed = k
            case .classDefault: break
            case .unknown(let v): data.tally.add(DropReason.maxspeedUnknown(OSMRules.clean(String(v.prefix(30))) ?? "\"\""), line: elementLine)
            }
        }
        if car && !(speed > 0) { speed = 10 }
        if !car { oneway = false }
        var (name, roman) = OSMRules.names(tags)
        if name == nil, let ref = OSMRules.clean(tags["ref"]) { name = ref }
        if name == nil { roman = nil }
        if let name {
            for alias in OSMRules.allNames(tags) where data.streetAliases[alias] == nil { data.streetAliases[alias] = name }
            if data.streetAliases[name] == nil { data.streetAliases[name] = name }
        }
        let attr = RoadAttr(roadClass: cls, name: name, roman: roman, speedKmh: speed, car: car, foot: foot, oneway: oneway)
        let ai: Int32
        if let existing = data.attrLookup[attr] { ai = existing } else {
            ai = Int32(data.attrs.count)
            data.attrs.append(attr)
            data.attrLookup[attr] = ai
        }
        if missing { data.tally.add(DropReason.missingNodes, line: elementLine) }
        data.roadWays.append(RoadWay(id: elementID, refStart: data.roadRefs.count, refCount: resolved.count, attr: ai, line: elementLine))
        data.roadRefs.append(contentsOf: resolved)
    }

    private mutating func finishRelation() {
        let type = tags["type"]
        guard type == "multipolygon", OSMRules.areaKind(tags, buildings: true) != nil else {
            data.tally.add(DropReason.relationSkipped, line: elementLine)
            return
        }
        let outers = members.filter { $0.type == "way" && ($0.role == "outer" || $0.role.isEmpty) }.map(\.ref)
        data.multipolygons.append(Multipolygon(id: elementID, tags: tags, outers: outers, line: elementLine))
    }
}
