import WatchroomCore

/// The road network of one precinct for one profile, as forward and backward graphs in
/// compressed sparse row (CSR) arrays, in the style of RoutingKit.
///
/// Nodes are the map's intersections (node id = intersection index). Every arc is a
/// direction of travel along one segment; an arc's id is its index in `head`. The arcs
/// leaving node `u` are `firstOut[u] ..< firstOut[u + 1]`. The backward graph holds the
/// same arcs reversed (`backHead[b]` is the forward arc's tail) and maps each backward
/// arc to its forward arc through `backArc`.
///
/// The graph is immutable and built once per map and profile; live traffic is applied to a
/// separate ``LiveWeights`` array, never by rebuilding.
public final class RoadGraph: Sendable {
    /// The id no node, arc or segment has.
    public static let invalidID: UInt32 = .max
    /// The weight of an arc that cannot be used (a closed road), and the distance of a node
    /// that cannot be reached.
    public static let infWeight: UInt32 = .max

    /// The map the graph was built from (shared storage, not copied).
    public let map: PrecinctMap
    public let profile: RoutingProfile

    /// Node count + 1 entries; `firstOut[0] == 0`, `firstOut[nodeCount] == arcCount`.
    public let firstOut: [UInt32]
    /// Head node of each forward arc.
    public let head: [UInt32]
    /// Travel time of each forward arc in milliseconds without traffic.
    public let baseWeight: [UInt32]
    /// Segment index and direction of each forward arc: `segment << 1 | (reversed ? 1 : 0)`.
    public let arcSegmentDirection: [UInt32]

    /// Backward graph: node count + 1 entries.
    public let backFirstOut: [UInt32]
    /// Head of each backward arc, which is the tail of its forward arc.
    public let backHead: [UInt32]
    /// The forward arc of each backward arc.
    public let backArc: [UInt32]
    /// The backward arc of each forward arc.
    public let forwardToBackArc: [UInt32]

    /// Per segment: `[2s]` is the arc along the drawing direction (`from` → `to`),
    /// `[2s + 1]` the arc against it; ``invalidID`` when the profile may not travel that way.
    public let segmentArcs: [UInt32]
    /// Per segment, the exact travel time in milliseconds before rounding (0 when unusable).
    public let segmentMillis: [Double]
    /// Per segment, its `from` and `to` intersections.
    public let segmentFrom: [UInt32]
    public let segmentTo: [UInt32]

    public var nodeCount: Int { firstOut.count - 1 }
    public var arcCount: Int { head.count }
    public var segmentCount: Int { segmentFrom.count }

    /// Builds the graph of `map` for `profile`.
    ///
    /// - Complexity: O(nodes + segments).
    public init(map: PrecinctMap, profile: RoutingProfile) {
        self.map = map
        self.profile = profile
        let n = map.intersections.count
        let segs = map.segments
        precondition(n < Int(UInt32.max) && segs.count < Int(UInt32.max >> 1), "map too large for 32-bit ids")

        var segmentMillis = [Double](repeating: 0, count: segs.count)
        var segmentFrom = [UInt32](repeating: 0, count: segs.count)
        var segmentTo = [UInt32](repeating: 0, count: segs.count)
        var outDegree = [UInt32](repeating: 0, count: n + 1)
        var arcTotal = 0
        for (s, seg) in segs.enumerated() {
            precondition(seg.from >= 0 && seg.from < n && seg.to >= 0 && seg.to < n, "segment \(seg.key) has a dangling node")
            segmentFrom[s] = UInt32(seg.from)
            segmentTo[s] = UInt32(seg.to)
            guard let speed = profile.speedMetersPerSecond(on: seg) else { continue }
            segmentMillis[s] = Swift.max(0, seg.lengthMeters) / speed * 1000
            outDegree[seg.from] += 1
            arcTotal += 1
            if profile.allowsReverse(on: seg) {
                outDegree[seg.to] += 1
                arcTotal += 1
            }
        }
        precondition(arcTotal < Int(UInt32.max), "too many arcs for 32-bit ids")

        // Prefix sums into firstOut; `fill` is the next free slot per node.
        var firstOut = [UInt32](repeating: 0, count: n + 1)
        var running: UInt32 = 0
        for u in 0..<n {
            firstOut[u] = running
            running += outDegree[u]
        }
        firstOut[n] = running
        var fill = firstOut
        var head = [UInt32](repeating: 0, count: arcTotal)
        var baseWeight = [UInt32](repeating: 0, count: arcTotal)
        var arcSegmentDirection = [UInt32](repeating: 0, count: arcTotal)
        var segmentArcs = [UInt32](repeating: Self.invalidID, count: segs.count * 2)
        for (s, seg) in segs.enumerated() {
            guard profile.speedMetersPerSecond(on: seg) != nil else { continue }
            let w = Self.liveWeight(millis: segmentMillis[s], factor: 1)
            let a = Int(fill[seg.from]); fill[seg.from] += 1
            head[a] = UInt32(seg.to); baseWeight[a] = w
            arcSegmentDirection[a] = UInt32(s) << 1
            segmentArcs[2 * s] = UInt32(a)
            if profile.allowsReverse(on: seg) {
                let r = Int(fill[seg.to]); fill[seg.to] += 1
                head[r] = UInt32(seg.from); baseWeight[r] = w
                arcSegmentDirection[r] = UInt32(s) << 1 | 1
                segmentArcs[2 * s + 1] = UInt32(r)
            }
        }

        // Backward graph: count in-degrees, then place every forward arc at its head.
        var inDegree = [UInt32](repeating: 0, count: n + 1)
        for h in head { inDegree[Int(h)] += 1 }
        var backFirstOut = [UInt32](repeating: 0, count: n + 1)
        running = 0
        for v in 0..<n {
            backFirstOut[v] = running
            running += inDegree[v]
        }
        backFirstOut[n] = running
        var backFill = backFirstOut
        var backHead = [UInt32](repeating: 0, count: arcTotal)
        var backArc = [UInt32](repeating: 0, count: arcTotal)
        var forwardToBackArc = [UInt32](repeating: 0, count: arcTotal)
        for u in 0..<n {
            for a in Int(firstOut[u])..<Int(firstOut[u + 1]) {
                let v = Int(head[a])
                let b = Int(backFill[v]); backFill[v] += 1
                backHead[b] = UInt32(u)
                backArc[b] = UInt32(a)
                forwardToBackArc[a] = UInt32(b)
            }
        }

        self.firstOut = firstOut
        self.head = head
        self.baseWeight = baseWeight
        self.arcSegmentDirection = arcSegmentDirection
        self.backFirstOut = backFirstOut
        self.backHead = backHead
        self.backArc = backArc
        self.forwardToBackArc = forwardToBackArc
        self.segmentArcs = segmentArcs
        self.segmentMillis = segmentMillis
        self.segmentFrom = segmentFrom
        self.segmentTo = segmentTo
        checkInvariants()
    }

    /// Asserts the CSR invariants; a violation is a programming error, so it traps.
    ///
    /// - Complexity: O(nodes + arcs).
    private func checkInvariants() {
        let n = nodeCount, m = arcCount
        precondition(firstOut.first == 0 && firstOut.last == UInt32(m), "firstOut must span all arcs")
        precondition(backFirstOut.first == 0 && backFirstOut.last == UInt32(m), "backFirstOut must span all arcs")
        for u in 0..<n {
            precondition(firstOut[u] <= firstOut[u + 1] && backFirstOut[u] <= backFirstOut[u + 1], "first_out must not decrease")
        }
        for a in 0..<m {
            precondition(head[a] < UInt32(n) && backHead[a] < UInt32(n), "arc head out of range")
            precondition(baseWeight[a] != Self.infWeight, "base weights must be finite")
            precondition(backArc[Int(forwardToBackArc[a])] == UInt32(a), "backward arcs must mirror forward arcs")
            let s = Int(arcSegmentDirection[a] >> 1)
            precondition(segmentArcs[2 * s + Int(arcSegmentDirection[a] & 1)] == UInt32(a), "segment arc map broken")
        }
    }

    // MARK: - Arc facts

    /// The segment an arc travels along.
    @inline(__always) public func segment(ofArc arc: Int) -> Int { Int(arcSegmentDirection[arc] >> 1) }

    /// Whether an arc travels along its segment's drawing direction (`from` → `to`).
    @inline(__always) public func isForward(arc: Int) -> Bool { arcSegmentDirection[arc] & 1 == 0 }

    /// The node an arc leaves.
    @inline(__always) public func tail(ofArc arc: Int) -> Int {
        let sd = arcSegmentDirection[arc]
        return Int(sd & 1 == 0 ? segmentFrom[Int(sd >> 1)] : segmentTo[Int(sd >> 1)])
    }

    /// The arc along `segment` in the given direction, or `nil` when the profile may not go that way.
    public func arc(segment: Int, forward: Bool) -> Int? {
        let a = segmentArcs[2 * segment + (forward ? 0 : 1)]
        return a == Self.invalidID ? nil : Int(a)
    }

    /// Whether the profile may use `segment` in at least one direction.
    public func isUsable(segment: Int) -> Bool {
        segmentArcs[2 * segment] != Self.invalidID || segmentArcs[2 * segment + 1] != Self.invalidID
    }

    // MARK: - Weights

    /// The largest finite arc weight (about 12 days); longer travel times are clamped.
    public static let maxFiniteWeight: UInt32 = 1 << 30

    /// The arc weight for an exact travel time in milliseconds slowed by a congestion factor.
    @inline(__always) public static func liveWeight(millis: Double, factor: Double) -> UInt32 {
        let w = (millis * factor).rounded()
        guard w.isFinite else { return maxFiniteWeight }
        return UInt32(Swift.min(Double(maxFiniteWeight), Swift.max(0, w)))
    }

    /// The time to travel `fraction` (0...1) of an arc of weight `weight`, rounded to the
    /// nearest millisecond (`⌊w·f + ½⌋`, without a call into libm).
    @inline(__always) public static func partialWeight(_ weight: UInt32, fraction: Double) -> UInt32 {
        let f = Swift.min(1, Swift.max(0, fraction))
        return UInt32(Double(weight) * f + 0.5)
    }
}
