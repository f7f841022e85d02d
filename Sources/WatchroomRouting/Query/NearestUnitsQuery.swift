/// A unit ranked by how fast it can reach an incident.
public struct RankedUnit: Hashable, Sendable, Codable {
    /// Index into the `units` array the query was given.
    public var unit: Int
    /// Travel time in milliseconds.
    public var millis: UInt32
    /// Length of the fastest path in metres.
    public var meters: Double

    public var seconds: Double { Double(millis) / 1000 }

    public init(unit: Int, millis: UInt32, meters: Double) {
        self.unit = unit
        self.millis = millis
        self.meters = meters
    }
}

/// Finds the units that can reach an incident soonest, in one search.
///
/// Runs Dijkstra from the incident over the *backward* graph, so one search measures every
/// unit's time to the incident. A unit's time is final once the queue's smallest key exceeds
/// its best tentative time; the search stops as soon as the best `count` units are final,
/// which on a city map settles only the neighbourhood of the incident. Ties are ranked by
/// unit index. Reusable with O(1) resets; not thread-safe.
public final class NearestUnitsQuery {
    public let graph: RoadGraph
    private let space: SearchSpace
    /// Per node: the timestamp of the query that attached units to it, and the first entry.
    private let entryStamp: UnsafeMutablePointer<UInt32>
    private let entryHead: UnsafeMutablePointer<Int32>
    private var entries: [UnitEntry] = []
    private var best: [UInt32] = []
    private var bestEntry: [Int32] = []
    private var done: [Bool] = []
    private var unitHeap: [UInt64] = []

    private struct UnitEntry {
        var node: Int
        var unit: Int
        var millis: UInt32
        /// Whether the unit drives along its segment's drawing direction to reach `node`.
        var along: Bool
        var next: Int32
    }

    public init(graph: RoadGraph) {
        self.graph = graph
        space = SearchSpace(nodeCount: graph.nodeCount)
        entryStamp = .allocate(capacity: Swift.max(1, graph.nodeCount))
        entryStamp.initialize(repeating: 0, count: Swift.max(1, graph.nodeCount))
        entryHead = .allocate(capacity: Swift.max(1, graph.nodeCount))
        entryHead.initialize(repeating: -1, count: Swift.max(1, graph.nodeCount))
    }

    deinit {
        entryStamp.deallocate()
        entryHead.deallocate()
    }

    /// The `count` units (of `units`) that reach `incident` soonest, fastest first; fewer
    /// when fewer can reach it at all.
    ///
    /// - Complexity: O((n + m) · log n + u log u) for the n nodes and m arcs nearer to the
    ///   incident than the `count`-th unit, and u units.
    public func nearest(_ count: Int, of units: [RoadPosition], to incident: RoadPosition,
                        weights: LiveWeights) -> [RankedUnit] {
        precondition(weights.graph === graph, "weights belong to another graph")
        guard count > 0, !units.isEmpty else { return [] }
        return weights.forward.withUnsafeBufferPointer { fw in
            weights.backward.withUnsafeBufferPointer { bw in
                graph.backFirstOut.withUnsafeBufferPointer { bfo in
                    graph.backHead.withUnsafeBufferPointer { bhd -> [RankedUnit] in
                        guard let firstOut = bfo.baseAddress, let head = bhd.baseAddress else { return [] }
                        let forwardWeight = fw.baseAddress ?? firstOut
                        let backWeight = bw.baseAddress ?? firstOut
                        return search(count, units, incident, forwardWeight: forwardWeight,
                                      firstOut: firstOut, head: head, backWeight: backWeight)
                    }
                }
            }
        }
    }

    private func search(_ count: Int, _ units: [RoadPosition], _ incident: RoadPosition,
                        forwardWeight: UnsafePointer<UInt32>, firstOut: UnsafePointer<UInt32>,
                        head: UnsafePointer<UInt32>, backWeight: UnsafePointer<UInt32>) -> [RankedUnit] {
        let space = self.space
        space.reset()
        let stamp = space.stamp
        entries.removeAll(keepingCapacity: true)
        best = [UInt32](repeating: RoadGraph.infWeight, count: units.count)
        bestEntry = [Int32](repeating: -1, count: units.count)
        done = [Bool](repeating: false, count: units.count)
        unitHeap.removeAll(keepingCapacity: true)

        // Attach every unit to the nodes it can drive to first; units already on the
        // incident's segment may also drive straight to it.
        for (i, p) in units.enumerated() {
            precondition(graph.map.segments.indices.contains(p.segment), "unit on an unknown segment")
            for e in graph.sourceEntries(p, weights: forwardWeight) {
                let next: Int32 = entryStamp[e.node] == stamp ? entryHead[e.node] : -1
                entryStamp[e.node] = stamp
                entryHead[e.node] = Int32(entries.count)
                entries.append(UnitEntry(node: e.node, unit: i, millis: e.millis, along: e.along, next: next))
            }
            if let direct = graph.directMillis(from: p, to: incident, weights: forwardWeight) {
                best[i] = direct.millis
                unitHeapPush(direct.millis, i)
            }
        }
        for e in graph.targetEntries(incident, weights: forwardWeight) {
            space.seed(e.node, distance: e.millis, via: e.along ? SearchSpace.seedAlong : SearchSpace.seedAgainst)
        }

        var ranked: [RankedUnit] = []
        ranked.reserveCapacity(count)
        while ranked.count < count {
            let frontier = space.heap.isEmpty ? RoadGraph.infWeight : space.heap.minKey
            // Units whose time is below every key still queued are final.
            while ranked.count < count, let top = unitHeap.first {
                let t = UInt32(truncatingIfNeeded: top >> 32)
                guard t < frontier || space.heap.isEmpty else { break }
                unitHeapPop()
                let i = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
                guard !done[i], best[i] == t else { continue }
                done[i] = true
                ranked.append(RankedUnit(unit: i, millis: t, meters: meters(unit: i, units[i], incident)))
            }
            if ranked.count >= count || space.heap.isEmpty { break }
            let (u, d) = space.settleNext(firstOut: firstOut, head: head, weight: backWeight)
            if entryStamp[u] == stamp {
                var k = entryHead[u]
                while k >= 0 {
                    let e = entries[Int(k)]
                    let (total, overflow) = d.addingReportingOverflow(e.millis)
                    if !overflow && total < best[e.unit] {
                        best[e.unit] = total
                        bestEntry[e.unit] = k
                        unitHeapPush(total, e.unit)
                    }
                    k = e.next
                }
            }
        }
        return ranked
    }

    /// The length of unit `i`'s fastest path: its own stretch, the parent arcs of the
    /// backward search, and the incident's stretch.
    private func meters(unit i: Int, _ p: RoadPosition, _ incident: RoadPosition) -> Double {
        let segments = graph.map.segments
        let k = bestEntry[i]
        guard k >= 0 else {
            return segments[p.segment].lengthMeters * abs(clamp(incident.fraction) - clamp(p.fraction))
        }
        let e = entries[Int(k)]
        let f = clamp(p.fraction)
        var total = segments[p.segment].lengthMeters * (e.along ? 1 - f : f)
        var v = e.node
        var b = space.parent[v]
        while b != SearchSpace.seedAlong && b != SearchSpace.seedAgainst {
            let a = Int(graph.backArc[Int(b)])
            total += segments[graph.segment(ofArc: a)].lengthMeters
            v = Int(graph.head[a])
            b = space.parent[v]
        }
        let g = clamp(incident.fraction)
        total += segments[incident.segment].lengthMeters * (b == SearchSpace.seedAlong ? g : 1 - g)
        return total
    }

    private func clamp(_ f: Double) -> Double { Swift.max(0, Swift.min(1, f)) }

    // MARK: - A small binary heap of (time << 32 | unit), with lazy deletion

    private func unitHeapPush(_ t: UInt32, _ unit: Int) {
        var i = unitHeap.count
        let e = UInt64(t) << 32 | UInt64(unit)
        unitHeap.append(e)
        while i > 0 {
            let p = (i - 1) / 2
            if unitHeap[p] <= e { break }
            unitHeap[i] = unitHeap[p]
            i = p
        }
        unitHeap[i] = e
    }

    private func unitHeapPop() {
        guard let last = unitHeap.popLast() else { return }
        guard !unitHeap.isEmpty else { return }
        var i = 0
        let n = unitHeap.count
        while true {
            var c = 2 * i + 1
            if c >= n { break }
            if c + 1 < n && unitHeap[c + 1] < unitHeap[c] { c += 1 }
            if unitHeap[c] >= last { break }
            unitHeap[i] = unitHeap[c]
            i = c
        }
        unitHeap[i] = last
    }
}
