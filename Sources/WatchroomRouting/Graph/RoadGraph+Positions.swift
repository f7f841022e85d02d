import WatchroomCore

/// How a position joins the graph: a node and the time between the position and that node.
struct PositionEntry {
    var node: Int
    var millis: UInt32
    /// Whether the travel between position and node goes along the segment's drawing direction.
    var along: Bool
}

extension RoadGraph {
    /// The nodes a unit at `p` can drive to first, with the time to reach them.
    ///
    /// Travelling along the segment reaches `to` in `(1 - f) · w`, against it reaches `from`
    /// in `f · w` (each only if the profile may go that way and the road is open). A position
    /// at fraction 0 or 1 is at the node, so that node is reached in 0 whatever the direction.
    func sourceEntries(_ p: RoadPosition, weights: UnsafePointer<UInt32>) -> [PositionEntry] {
        var out: [PositionEntry] = []
        out.reserveCapacity(2)
        forEachSourceEntry(p, weights: weights) { out.append($0) }
        return out
    }

    /// ``sourceEntries(_:weights:)`` without allocating: calls `body` for each entry.
    @inline(__always)
    func forEachSourceEntry(_ p: RoadPosition, weights: UnsafePointer<UInt32>, _ body: (PositionEntry) -> Void) {
        let s = p.segment, f = p.fraction
        let along = segmentArcs[2 * s], against = segmentArcs[2 * s + 1]
        if f >= 1 {
            body(PositionEntry(node: Int(segmentTo[s]), millis: 0, along: true))
        } else if along != Self.invalidID, weights[Int(along)] != Self.infWeight {
            body(PositionEntry(node: Int(segmentTo[s]),
                               millis: Self.partialWeight(weights[Int(along)], fraction: 1 - f), along: true))
        }
        if f <= 0 {
            body(PositionEntry(node: Int(segmentFrom[s]), millis: 0, along: false))
        } else if against != Self.invalidID, weights[Int(against)] != Self.infWeight {
            body(PositionEntry(node: Int(segmentFrom[s]),
                               millis: Self.partialWeight(weights[Int(against)], fraction: f), along: false))
        }
    }

    /// The nodes from which a unit can drive on to `p`, with the time from that node to `p`.
    ///
    /// From `from` the unit travels along the segment (`g · w`), from `to` against it
    /// (`(1 - g) · w`).
    func targetEntries(_ p: RoadPosition, weights: UnsafePointer<UInt32>) -> [PositionEntry] {
        var out: [PositionEntry] = []
        out.reserveCapacity(2)
        let s = p.segment, g = p.fraction
        let along = segmentArcs[2 * s], against = segmentArcs[2 * s + 1]
        if g <= 0 {
            out.append(PositionEntry(node: Int(segmentFrom[s]), millis: 0, along: true))
        } else if along != Self.invalidID, weights[Int(along)] != Self.infWeight {
            out.append(PositionEntry(node: Int(segmentFrom[s]),
                               millis: Self.partialWeight(weights[Int(along)], fraction: g), along: true))
        }
        if g >= 1 {
            out.append(PositionEntry(node: Int(segmentTo[s]), millis: 0, along: false))
        } else if against != Self.invalidID, weights[Int(against)] != Self.infWeight {
            out.append(PositionEntry(node: Int(segmentTo[s]),
                               millis: Self.partialWeight(weights[Int(against)], fraction: 1 - g), along: false))
        }
        return out
    }

    /// The time to travel directly from `a` to `b` on the same segment without passing a node,
    /// and whether that goes along the drawing direction; `nil` when not allowed.
    func directMillis(from a: RoadPosition, to b: RoadPosition, weights: UnsafePointer<UInt32>) -> (millis: UInt32, along: Bool)? {
        guard a.segment == b.segment else { return nil }
        let s = a.segment
        if a.fraction == b.fraction { return (0, true) }
        let forward = b.fraction > a.fraction
        let arc = segmentArcs[2 * s + (forward ? 0 : 1)]
        guard arc != Self.invalidID, weights[Int(arc)] != Self.infWeight else { return nil }
        let fraction = forward ? b.fraction - a.fraction : a.fraction - b.fraction
        return (Self.partialWeight(weights[Int(arc)], fraction: fraction), forward)
    }
}
