import Foundation
import WatchroomCore

/// A place the user typed, found on the map and joined to the road network.
public struct ResolvedPlace: Hashable, Sendable {
    /// What was found, for display: `永平门街 18`, `江北城小学 (Jiangbeicheng Primary School)`.
    public var label: String
    /// The place itself: the address's entrance, the landmark, the intersection, the point typed.
    public var point: Point
    /// The nearest point on a road the profile may use.
    public var position: RoadPosition

    public init(label: String, point: Point, position: RoadPosition) {
        self.label = label
        self.point = point
        self.position = position
    }
}

/// Turns what a dispatcher types into a place on the road network.
///
/// Accepted, tried in this order:
/// - metres: `120,-45.5`;
/// - a point part-way along a segment: `e17@0.25` (a quarter of its length from its first node);
/// - an intersection by id: `n12`;
/// - an intersection by two street names: `永平门街 & 江北城大街` (also `/` or ` and `);
/// - an address: `永平门街 18`, `永平门街18号`, `18 Yongping Gate Street`;
/// - a landmark or the station, by name or romanized name: `江北城小学`, `jiangbeicheng primary school`.
///
/// Names compare ignoring case, spaces and punctuation. Build one resolver per map and
/// profile (it indexes the segments in a grid) and reuse it.
public struct PlaceResolver: Sendable {
    public let map: PrecinctMap
    public let profile: RoutingProfile
    private let grid: SegmentGrid
    private let usable: [Bool]
    private let streetSegments: [[Int]]
    /// The segments at each node, compressed: node `n`'s are
    /// `nodeSegmentList[nodeSegmentStart[n] ..< nodeSegmentStart[n + 1]]` (one array for the
    /// map, not one per node).
    private let nodeSegmentStart: [Int32]
    private let nodeSegmentList: [Int32]
    private let nodeByKey: [String: Int]
    private let segmentByKey: [String: Int]

    /// Indexes `map` for `profile`.
    ///
    /// - Complexity: O(nodes + segments).
    public init(map: PrecinctMap, profile: RoutingProfile) {
        self.map = map
        self.profile = profile
        let usable = map.segments.map { profile.speedMetersPerSecond(on: $0) != nil }
        self.usable = usable
        grid = SegmentGrid(map: map, including: { usable[$0] })
        var streetSegments = [[Int]](repeating: [], count: map.streets.count)
        var start = [Int32](repeating: 0, count: map.intersections.count + 1)
        for (i, s) in map.segments.enumerated() {
            if let st = s.street, streetSegments.indices.contains(st) { streetSegments[st].append(i) }
            start[s.from + 1] += 1
            if s.to != s.from { start[s.to + 1] += 1 }
        }
        for n in 0..<map.intersections.count { start[n + 1] += start[n] }
        var fill = start
        var list = [Int32](repeating: 0, count: Int(start[map.intersections.count]))
        for (i, s) in map.segments.enumerated() {
            list[Int(fill[s.from])] = Int32(i); fill[s.from] += 1
            if s.to != s.from { list[Int(fill[s.to])] = Int32(i); fill[s.to] += 1 }
        }
        self.streetSegments = streetSegments
        nodeSegmentStart = start
        nodeSegmentList = list
        var nodeByKey: [String: Int] = [:]
        nodeByKey.reserveCapacity(map.intersections.count)
        for (i, n) in map.intersections.enumerated() { nodeByKey[n.key] = i }
        self.nodeByKey = nodeByKey
        var segmentByKey: [String: Int] = [:]
        segmentByKey.reserveCapacity(map.segments.count)
        for (i, s) in map.segments.enumerated() { segmentByKey[s.key] = i }
        self.segmentByKey = segmentByKey
    }

    /// Indexes `map` for `profile`, sharing the name and node tables (which do not depend on
    /// the profile) with `other`, a resolver of the same map: only the segment grid is built.
    ///
    /// - Complexity: O(segments).
    public init(profile: RoutingProfile, sharingNamesWith other: PlaceResolver) {
        map = other.map
        self.profile = profile
        let usable = map.segments.map { profile.speedMetersPerSecond(on: $0) != nil }
        self.usable = usable
        grid = SegmentGrid(map: map, including: { usable[$0] })
        streetSegments = other.streetSegments
        nodeSegmentStart = other.nodeSegmentStart
        nodeSegmentList = other.nodeSegmentList
        nodeByKey = other.nodeByKey
        segmentByKey = other.segmentByKey
    }

    /// The segments at node `n`, in map order.
    private func nodeSegments(_ n: Int) -> [Int] {
        nodeSegmentList[Int(nodeSegmentStart[n])..<Int(nodeSegmentStart[n + 1])].map { Int($0) }
    }

    /// Resolves `text` on `map` for `profile`, building a throwaway resolver.
    ///
    /// - Complexity: O(nodes + segments); keep a ``PlaceResolver`` to resolve many places.
    public static func resolve(_ text: String, map: PrecinctMap, profile: RoutingProfile) throws(PlaceError) -> ResolvedPlace {
        try PlaceResolver(map: map, profile: profile).resolve(text)
    }

    /// Resolves `text` (see the type's documentation for the accepted forms).
    public func resolve(_ text: String) throws(PlaceError) -> ResolvedPlace {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty }
        if let p = Self.parseCoordinates(trimmed) {
            do { try Bounds.check(p) } catch { throw .outOfBounds(error) }
            return try snapped(label: Self.format(p), point: p, text: trimmed)
        }
        if let place = try alongSegment(trimmed) { return place }
        if let place = try node(trimmed) { return place }
        if let place = try intersection(trimmed) { return place }
        if let place = try address(trimmed) { return place }
        if let place = try landmark(trimmed) { return place }
        throw .noMatch(trimmed)
    }

    /// The nearest position on a road the profile may use, or `nil` when it may use none.
    ///
    /// - Complexity: a few grid cells near `point`.
    public func snap(_ point: Point) -> RoadPosition? {
        grid.nearest(to: point)?.position
    }

    /// Where `point` joins the roads the profile may use: the nearest position on one and the
    /// straight off-road leg to it; `nil` when it may use none.
    ///
    /// - Complexity: a few grid cells near `point`.
    public func access(_ point: Point) -> RoadAccess? {
        grid.nearest(to: point).map { RoadAccess(position: $0.position, offRoadMeters: $0.distance) }
    }

    // MARK: - Forms

    private func snapped(label: String, point: Point, text: String) throws(PlaceError) -> ResolvedPlace {
        guard let hit = grid.nearest(to: point) else { throw .noRoad(text, profile: profile) }
        return ResolvedPlace(label: label, point: point, position: hit.position)
    }

    /// `x,y` as two numbers, finite or not (``Bounds`` refuses what cannot be used).
    private static func parseCoordinates(_ text: String) -> Point? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let x = Double(parts[0].trimmingCharacters(in: .whitespaces)),
              let y = Double(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        return Point(x: x, y: y)
    }

    private static func format(_ p: Point) -> String {
        func f(_ v: Double) -> String {
            v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : String(format: "%.1f", v)
        }
        return "\(f(p.x)),\(f(p.y))"
    }

    /// `SEGMENT@FRACTION`: the point that fraction (0 to 1) of the segment's length from
    /// its first node; on a segment the profile may not use, the nearest road it may.
    private func alongSegment(_ text: String) throws(PlaceError) -> ResolvedPlace? {
        guard let at = text.lastIndex(of: "@") else { return nil }
        let key = String(text[..<at]).trimmingCharacters(in: .whitespaces)
        let number = text[text.index(after: at)...].trimmingCharacters(in: .whitespaces)
        guard !key.isEmpty, !key.contains(" ") else { return nil }
        guard let s = segmentByKey[key] ?? map.segments.firstIndex(where: { $0.key.lowercased() == key.lowercased() }) else {
            throw .unknownSegment(key)
        }
        guard let fraction = Double(number), fraction.isFinite, (0...1).contains(fraction) else {
            throw .badFraction(text)
        }
        let point = Polyline.point(map.polyline(ofSegment: s), atFraction: fraction)
        let label = "\(map.segments[s].key)@\(number)"
        guard usable[s] else { return try snapped(label: label, point: point, text: text) }
        return ResolvedPlace(label: label, point: point, position: RoadPosition(segment: s, fraction: fraction))
    }

    private func node(_ text: String) throws(PlaceError) -> ResolvedPlace? {
        var index = nodeByKey[text]
        if index == nil {
            let lowered = text.lowercased()
            // Only worth a scan when it looks like an id (no spaces).
            if !text.contains(" ") {
                index = map.intersections.firstIndex { $0.key.lowercased() == lowered }
            }
        }
        guard let index else { return nil }
        let streets = streetNames(at: index)
        let key = map.intersections[index].key
        let label = streets.count >= 2 ? "\(streets.joined(separator: " & ")) (\(key))"
            : streets.count == 1 ? "\(streets[0]) (\(key))" : key
        return try place(atNode: index, label: label, text: text)
    }

    private func intersection(_ text: String) throws(PlaceError) -> ResolvedPlace? {
        guard let (a, b) = Self.splitIntersection(text) else { return nil }
        let streetsA = streets(named: a), streetsB = streets(named: b)
        guard !streetsA.isEmpty || !streetsB.isEmpty else { return nil }
        guard !streetsA.isEmpty else { throw .unknownStreet(a) }
        guard !streetsB.isEmpty else { throw .unknownStreet(b) }
        var touchesA = Set<Int>()
        for st in streetsA {
            for s in streetSegments[st] { touchesA.insert(map.segments[s].from); touchesA.insert(map.segments[s].to) }
        }
        var meeting: Int?
        for st in streetsB {
            for s in streetSegments[st] {
                for n in [map.segments[s].from, map.segments[s].to] where touchesA.contains(n) {
                    meeting = Swift.min(meeting ?? n, n)
                }
            }
        }
        let labelA = map.streetLabel(streetsA[0]), labelB = map.streetLabel(streetsB[0])
        guard let meeting else { throw .streetsDoNotMeet(labelA, labelB) }
        return try place(atNode: meeting, label: "\(labelA) & \(labelB)", text: text)
    }

    private static func splitIntersection(_ text: String) -> (String, String)? {
        for separator in ["&", "/", "＆", " and ", " AND ", " And "] {
            if let r = text.range(of: separator) {
                let a = text[..<r.lowerBound].trimmingCharacters(in: .whitespaces)
                let b = text[r.upperBound...].trimmingCharacters(in: .whitespaces)
                if !a.isEmpty && !b.isEmpty { return (a, b) }
            }
        }
        return nil
    }

    private func address(_ text: String) throws(PlaceError) -> ResolvedPlace? {
        guard let (streetText, number) = Self.splitAddress(text) else { return nil }
        let candidates = streets(named: streetText)
        guard !candidates.isEmpty else { return nil }
        let wanted = Self.normalize(number)
        for st in candidates {
            if let a = map.addresses.first(where: { $0.street == st && Self.normalize($0.number) == wanted }) {
                let label = "\(map.streetLabel(st)) \(a.number)"
                // Snap to the nearest usable segment of the address's own street, else any.
                var best: SegmentGrid.Hit?
                for s in streetSegments[st] where usable[s] {
                    if let h = SegmentGrid.project(a.position, onto: s, map), h.distance < (best?.distance ?? .infinity) { best = h }
                }
                if let best { return ResolvedPlace(label: label, point: a.position, position: best.position) }
                return try snapped(label: label, point: a.position, text: text)
            }
        }
        let known = map.addresses.filter { $0.street == candidates[0] }.map(\.number)
        throw .unknownNumber(street: map.streetLabel(candidates[0]), number: number, known: Array(known.prefix(12)))
    }

    /// `永平门街 18`, `永平门街18号`, `18 Yongping Gate Street`, `No. 18 ...` → (street, number).
    private static func splitAddress(_ raw: String) -> (String, String)? {
        var text = raw.trimmingCharacters(in: .whitespaces)
        for suffix in ["号", "號"] where text.hasSuffix(suffix) { text = String(text.dropLast()) }
        text = text.trimmingCharacters(in: .whitespaces)
        for prefix in ["No. ", "No.", "no. ", "no."] where text.hasPrefix(prefix) {
            text = String(text.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
        }
        func isNumberChar(_ c: Character) -> Bool { c.isASCII && (c.isNumber || c.isLetter || c == "-") }
        // Number first: a leading token that starts with a digit.
        if let first = text.first, first.isASCII, first.isNumber {
            let number = text.prefix { isNumberChar($0) }
            let rest = text.dropFirst(number.count).trimmingCharacters(in: CharacterSet(charactersIn: " ,，"))
            if !rest.isEmpty { return (rest, String(number)) }
        }
        // Number last: a trailing run of digits (and `-`), optionally one letter after it.
        var end = text.endIndex
        if let last = text.last, last.isASCII, last.isLetter, text.count >= 2,
           let beforeLast = text.dropLast().last, beforeLast.isASCII, beforeLast.isNumber {
            end = text.index(before: end)
        }
        var start = end
        while start > text.startIndex {
            let p = text.index(before: start)
            let c = text[p]
            guard c.isASCII && (c.isNumber || c == "-") else { break }
            start = p
        }
        guard start < end, text[start].isNumber else { return nil }
        let number = String(text[start...])
        let street = text[..<start].trimmingCharacters(in: CharacterSet(charactersIn: " ,，#"))
        return street.isEmpty ? nil : (street, number)
    }

    private func landmark(_ text: String) throws(PlaceError) -> ResolvedPlace? {
        struct Candidate { var label: String; var names: [String]; var point: Point }
        var all: [Candidate] = map.landmarks.map {
            Candidate(label: Self.label($0.name, $0.roman), names: [$0.name, $0.roman].compactMap { $0 }, point: $0.position)
        }
        if let st = map.station {
            all.append(Candidate(label: Self.label(st.name, st.roman), names: [st.name, st.roman, "station"].compactMap { $0 },
                                 point: st.position))
        }
        let wanted = Self.normalize(text)
        guard !wanted.isEmpty else { return nil }
        var matches = all.filter { $0.names.contains { Self.normalize($0) == wanted } }
        if matches.isEmpty && wanted.count >= 2 {
            matches = all.filter { $0.names.contains { Self.normalize($0).contains(wanted) } }
        }
        guard let first = matches.first else { return nil }
        guard matches.count == 1 else { throw .ambiguous(text, candidates: matches.map(\.label)) }
        return try snapped(label: first.label, point: first.point, text: text)
    }

    // MARK: - Helpers

    private func place(atNode n: Int, label: String, text: String) throws(PlaceError) -> ResolvedPlace {
        let point = map.intersections[n].position
        guard let s = nodeSegments(n).first(where: { usable[$0] }) else {
            return try snapped(label: label, point: point, text: text)
        }
        return ResolvedPlace(label: label, point: point, position: RoadPosition(segment: s, fraction: map.segments[s].from == n ? 0 : 1))
    }

    private func streets(named text: String) -> [Int] {
        let wanted = Self.normalize(text)
        guard !wanted.isEmpty else { return [] }
        return map.streets.indices.filter { i in
            Self.normalize(map.streets[i].name) == wanted || map.streets[i].roman.map { Self.normalize($0) == wanted } == true
        }
    }

    private func streetNames(at n: Int) -> [String] {
        var seen: [String] = []
        for s in nodeSegments(n) {
            guard let st = map.segments[s].street else { continue }
            let label = map.streetLabel(st)
            if !seen.contains(label) { seen.append(label) }
        }
        return seen
    }

    private static func label(_ name: String, _ roman: String?) -> String {
        if let roman, !roman.isEmpty, roman != name { return "\(name) (\(roman))" }
        return name
    }

    /// Lower case, letters and digits only: `Yongping Gate St.` → `yongpinggatest`.
    static func normalize(_ s: String) -> String {
        String(String.UnicodeScalarView(s.lowercased().unicodeScalars.filter {
            CharacterSet.alphanumerics.contains($0)
        }))
    }
}
