import WatchroomCore

/// Builds a ``Route``'s geometry and turn-by-turn steps from its stretches of road.
enum Directions {
    /// Assembles a route; `legs` must be in travel order.
    ///
    /// Consecutive stretches on the same street merge into one step (unless the route turns
    /// back on itself there); the turn between steps comes from the headings where one step
    /// ends and the next starts, shape points included.
    ///
    /// - Complexity: O(legs + shape points).
    static func route(map: PrecinctMap, legs rawLegs: [RouteSegment]) -> Route {
        // Stretches of zero length carry no time and no heading: drop them, unless nothing else is left.
        var legs = rawLegs.filter { $0.startFraction != $0.endFraction }
        if legs.isEmpty, let first = rawLegs.first { legs = [first] }
        var millis: UInt32 = 0
        var meters = 0.0
        var polyline: [Point] = []
        var pieces: [[Point]] = []
        for leg in legs {
            millis += leg.millis
            meters += leg.meters
            let piece = subPolyline(map.polyline(ofSegment: leg.segment), from: leg.startFraction, to: leg.endFraction)
            pieces.append(piece)
            if polyline.isEmpty { polyline = piece } else { polyline.append(contentsOf: piece.dropFirst()) }
        }
        return Route(millis: millis, meters: meters, segments: legs,
                     steps: steps(map: map, legs: legs, pieces: pieces), polyline: polyline)
    }

    private static func steps(map: PrecinctMap, legs: [RouteSegment], pieces: [[Point]]) -> [RouteStep] {
        guard !legs.isEmpty else { return [] }
        // Group consecutive legs by street.
        var groups: [Range<Int>] = []
        var start = 0
        for i in 1..<legs.count {
            let sameStreet = map.segments[legs[i].segment].street == map.segments[legs[i - 1].segment].street
            let delta = headingChange(from: Polyline.endBearings(pieces[i - 1]).end, to: Polyline.endBearings(pieces[i]).start)
            if !sameStreet || Turn.classify(headingChange: delta) == .uTurn {
                groups.append(start..<i)
                start = i
            }
        }
        groups.append(start..<legs.count)

        var steps: [RouteStep] = []
        for (k, g) in groups.enumerated() {
            let label = map.streetLabel(map.segments[legs[g.lowerBound].segment].street)
            let startBearing = Polyline.endBearings(pieces[g.lowerBound]).start
            let stepMeters = legs[g].reduce(0) { $0 + $1.meters }
            let stepMillis = legs[g].reduce(UInt32(0)) { $0 + $1.millis }
            let location = pieces[g.lowerBound].first ?? .zero
            let turn: Turn
            let text: String
            if k == 0 {
                turn = .depart
                text = "Head \(compassWord(startBearing)) on \(label)"
            } else {
                let previousEnd = Polyline.endBearings(pieces[g.lowerBound - 1]).end
                turn = Turn.classify(headingChange: headingChange(from: previousEnd, to: startBearing))
                text = instruction(turn, label)
            }
            steps.append(RouteStep(instruction: text, streetName: label, turn: turn, meters: stepMeters,
                                   seconds: Double(stepMillis) / 1000, location: location, bearing: startBearing))
        }
        let lastLabel = map.streetLabel(map.segments[legs[legs.count - 1].segment].street)
        let end = pieces.last?.last ?? .zero
        let endBearing = pieces.last.map { Polyline.endBearings($0).end } ?? 0
        steps.append(RouteStep(instruction: "Arrive at destination", streetName: lastLabel, turn: .arrive,
                               meters: 0, seconds: 0, location: end, bearing: endBearing))
        return steps
    }

    private static func instruction(_ turn: Turn, _ label: String) -> String {
        switch turn {
        case .depart: return "Head on \(label)"
        case .straight: return "Continue onto \(label)"
        case .slightLeft: return "Turn slightly left onto \(label)"
        case .left: return "Turn left onto \(label)"
        case .sharpLeft: return "Turn sharp left onto \(label)"
        case .slightRight: return "Turn slightly right onto \(label)"
        case .right: return "Turn right onto \(label)"
        case .sharpRight: return "Turn sharp right onto \(label)"
        case .uTurn: return "Make a U-turn onto \(label)"
        case .arrive: return "Arrive at destination"
        }
    }

    /// The change of heading from `a` to `b` in degrees, in (-180, 180], positive clockwise.
    static func headingChange(from a: Double, to b: Double) -> Double {
        var d = (b - a).truncatingRemainder(dividingBy: 360)
        if d <= -180 { d += 360 }
        if d > 180 { d -= 360 }
        return d
    }

    /// The eight-point compass word for a bearing: `north`, `northeast`, ...
    static func compassWord(_ bearing: Double) -> String {
        let words = ["north", "northeast", "east", "southeast", "south", "southwest", "west", "northwest"]
        var b = bearing.truncatingRemainder(dividingBy: 360)
        if b < 0 { b += 360 }
        return words[Int((b + 22.5) / 45) % 8]
    }

    /// The part of a polyline between two fractions of its length, in travel order
    /// (reversed when `b < a`).
    ///
    /// - Complexity: O(points).
    static func subPolyline(_ points: [Point], from a: Double, to b: Double) -> [Point] {
        guard points.count > 1 else { return points }
        if b < a { return subPolyline(points, from: b, to: a).reversed() }
        var cumulative = [0.0]
        cumulative.reserveCapacity(points.count)
        for i in 1..<points.count { cumulative.append(cumulative[i - 1] + points[i - 1].distance(to: points[i])) }
        let total = cumulative[points.count - 1]
        func point(at f: Double) -> Point {
            let target = Swift.max(0, Swift.min(1, f)) * total
            for i in 1..<points.count where target <= cumulative[i] {
                let len = cumulative[i] - cumulative[i - 1]
                return len > 0 ? points[i - 1].interpolated(to: points[i], t: (target - cumulative[i - 1]) / len) : points[i]
            }
            return points[points.count - 1]
        }
        var out = [point(at: a)]
        let lo = a * total, hi = b * total
        for i in 1..<(points.count - 1) where cumulative[i] > lo && cumulative[i] < hi { out.append(points[i]) }
        out.append(point(at: b))
        return out
    }
}
