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
    /// How many nodes the last query settled (a measure of its work).
    public private(set) var settledNodes = 0
    /// Search state, one 16-byte record per node (plus a sentinel): distance, stamp, heap
    /// slot, and a copy of the node's `backFirstOut`, so settling a node finds its arc range
    /// in the record it already touched (one dependent cache miss fewer per node).
    private let nodes: UnsafeMutablePointer<UInt32>
    /// The backward arc that reached each node, or a seed marker.
    private let parent: UnsafeMutablePointer<UInt32>
    private var heap: QuadHeap
    private var stamp: UInt32 = 0
    /// One bit per node: some unit enters the graph there (set per query, cleared after).
    /// At 1 bit a node it stays in cache, so the test on every settled node is cheap.
    private let entryBits: UnsafeMutablePointer<UInt64>
    private let entryWords: Int
    /// Open-addressing table, node → first entry, sized for the units (`node << 32 | entry`).
    private var entryTable: [UInt64] = []
    private var entries: [UnitEntry] = []
    /// Per unit: best tentative time, the entry that gave it (-1 = straight along the
    /// incident's segment), and whether it is ranked. Grown on demand, never shrunk.
    private var unitCapacity = 0
    private var best: UnsafeMutablePointer<UInt32> = .allocate(capacity: 1)
    private var bestEntry: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
    private var done: UnsafeMutablePointer<Bool> = .allocate(capacity: 1)
    private var unitHeap = UnitHeap()
    /// The units and weights version the entries, table and bits were built for: a query
    /// with the same units under the same weights reuses them.
    private var cachedUnits: [RoadPosition] = []
    private var cachedVersion: UInt64?

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
        let n = graph.nodeCount
        nodes = .allocate(capacity: 4 * (n + 1))
        nodes.initialize(repeating: 0, count: 4 * (n + 1))
        for v in 0...n { nodes[4 * v + 3] = graph.backFirstOut[v] }
        parent = .allocate(capacity: Swift.max(1, n))
        parent.initialize(repeating: RoadGraph.invalidID, count: Swift.max(1, n))
        heap = .allocate(nodeCount: n, position: nodes + 2, positionShift: 2)
        entryWords = (graph.nodeCount + 63) / 64 + 1
        entryBits = .allocate(capacity: entryWords)
        entryBits.initialize(repeating: 0, count: entryWords)
    }

    deinit {
        heap.deallocate()
        nodes.deallocate()
        parent.deallocate()
        entryBits.deallocate()
        best.deallocate()
        bestEntry.deallocate()
        done.deallocate()
    }

    /// The `count` units (of `units`) that reach `incident` soonest, fastest first; fewer
    /// when fewer can reach it at all.
    ///
    /// - Complexity: O((n + m) · log n + u log u) for the n nodes and m arcs nearer to the
    ///   incident than the `count`-th unit, and u units.
    public func nearest(_ count: Int, of units: [RoadPosition], to incident: RoadPosition,
                        weights: LiveWeights) -> [RankedUnit] {
        precondition(weights.graph === graph, "weights belong to another graph")
        precondition(incident.segment >= 0 && incident.segment < graph.segmentCount, "incident on an unknown segment")
        guard count > 0, !units.isEmpty else { return [] }
        return weights.forward.withUnsafeBufferPointer { fw in
            weights.backwardArcs.withUnsafeBufferPointer { ba -> [RankedUnit] in
                // Empty buffers are never read (there are no arcs then).
                let forwardWeight = fw.baseAddress ?? UnsafePointer(nodes)
                let arcs = ba.baseAddress ?? UnsafeRawPointer(nodes).assumingMemoryBound(to: UInt64.self)
                return search(count, units, incident, weightsVersion: weights.version, forwardWeight: forwardWeight, arcs: arcs)
            }
        }
    }

    private func reserveUnits(_ n: Int) {
        guard n > unitCapacity else { return }
        best.deallocate(); bestEntry.deallocate(); done.deallocate()
        unitCapacity = Swift.max(n, 2 * unitCapacity)
        best = .allocate(capacity: unitCapacity)
        bestEntry = .allocate(capacity: unitCapacity)
        done = .allocate(capacity: unitCapacity)
        entries.reserveCapacity(2 * unitCapacity)
    }

    /// Attaches every unit to the nodes it can drive to first: the entry list, the node →
    /// first entry table, and the node bits (after clearing the previous units' bits).
    ///
    /// - Complexity: O(units).
    private func attach(_ units: [RoadPosition], forwardWeight: UnsafePointer<UInt32>) {
        let entryBits = self.entryBits
        for e in entries { entryBits[e.node >> 6] = 0 }
        entries.removeAll(keepingCapacity: true)
        var tableSize = 16
        while tableSize < 4 * units.count { tableSize <<= 1 }
        if entryTable.count != tableSize {
            entryTable = [UInt64](repeating: Self.emptySlot, count: tableSize)
        } else {
            entryTable.withUnsafeMutableBufferPointer { $0.update(repeating: Self.emptySlot) }
        }
        let mask = tableSize - 1
        let segmentCount = graph.segmentCount
        entryTable.withUnsafeMutableBufferPointer { table in
            for (i, p) in units.enumerated() {
                precondition(p.segment >= 0 && p.segment < segmentCount, "unit on an unknown segment")
                graph.forEachSourceEntry(p, weights: forwardWeight) { e in
                    let index = Int32(truncatingIfNeeded: entries.count)
                    var slot = Self.hash(e.node) & mask
                    var next: Int32 = -1
                    while table[slot] != Self.emptySlot {
                        if Int(truncatingIfNeeded: table[slot] >> 32) == e.node {
                            next = Int32(truncatingIfNeeded: table[slot] & 0xFFFF_FFFF)
                            break
                        }
                        slot = (slot + 1) & mask
                    }
                    table[slot] = UInt64(e.node) << 32 | UInt64(UInt32(bitPattern: index))
                    entryBits[e.node >> 6] |= 1 << UInt64(e.node & 63)
                    entries.append(UnitEntry(node: e.node, unit: i, millis: e.millis, along: e.along, next: next))
                }
            }
        }
    }

    private func search(_ count: Int, _ units: [RoadPosition], _ incident: RoadPosition, weightsVersion: UInt64,
                        forwardWeight: UnsafePointer<UInt32>, arcs: UnsafePointer<UInt64>) -> [RankedUnit] {
        let stamp = nextStamp()
        reserveUnits(units.count)
        let best = self.best, bestEntry = self.bestEntry, done = self.done
        best.update(repeating: RoadGraph.infWeight, count: units.count)
        bestEntry.update(repeating: -1, count: units.count)
        done.update(repeating: false, count: units.count)
        var unitHeap = self.unitHeap
        unitHeap.removeAll()
        defer { self.unitHeap = unitHeap }
        if cachedVersion != weightsVersion || cachedUnits != units {
            attach(units, forwardWeight: forwardWeight)
            cachedUnits = units
            cachedVersion = weightsVersion
        }
        let entryBits = self.entryBits
        let mask = entryTable.count - 1
        // Units already on the incident's segment may also drive straight to it.
        for (i, p) in units.enumerated() where p.segment == incident.segment {
            if let direct = graph.directMillis(from: p, to: incident, weights: forwardWeight) {
                best[i] = direct.millis
                unitHeap.push(UInt64(direct.millis) << 32 | UInt64(i))
            }
        }
        var heap = self.heap
        heap.count = 0
        let nodes = self.nodes, parent = self.parent
        for e in graph.targetEntries(incident, weights: forwardWeight) {
            let record = nodes + 4 * e.node
            let fresh = record[1] != stamp
            guard fresh || e.millis < record[0] else { continue }
            record[0] = e.millis
            record[1] = stamp
            parent[e.node] = e.along ? SearchSpace.seedAlong : SearchSpace.seedAgainst
            if fresh { heap.push(UInt32(e.node), key: e.millis) } else { heap.decrease(UInt32(e.node), key: e.millis) }
        }

        var ranked: [RankedUnit] = []
        ranked.reserveCapacity(count)
        var settled = 0
        let table = entryTable
        table.withUnsafeBufferPointer { table in
        entries.withUnsafeBufferPointer { entryBuffer in
            while ranked.count < count {
                let frontier = heap.isEmpty ? RoadGraph.infWeight : heap.minKey
                // Units whose time is below every key still queued are final.
                while ranked.count < count, let top = unitHeap.min {
                    let t = UInt32(truncatingIfNeeded: top >> 32)
                    guard t < frontier || heap.isEmpty else { break }
                    unitHeap.popMin()
                    let i = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
                    guard !done[i], best[i] == t else { continue }
                    done[i] = true
                    ranked.append(RankedUnit(unit: i, millis: t, meters: 0))
                }
                if ranked.count >= count || heap.isEmpty { break }
                let (u, d) = Self.settle(heap: &heap, nodes: nodes, parent: parent, stamp: stamp, arcs: arcs)
                settled += 1
                guard entryBits[u >> 6] & (1 << UInt64(u & 63)) != 0 else { continue }
                var slot = Self.hash(u) & mask
                while table[slot] != Self.emptySlot && Int(truncatingIfNeeded: table[slot] >> 32) != u {
                    slot = (slot + 1) & mask
                }
                guard table[slot] != Self.emptySlot else { continue }
                var k = Int32(truncatingIfNeeded: table[slot] & 0xFFFF_FFFF)
                while k >= 0 {
                    let e = entryBuffer[Int(k)]
                    let (total, overflow) = d.addingReportingOverflow(e.millis)
                    if !overflow && total < best[e.unit] {
                        best[e.unit] = total
                        bestEntry[e.unit] = k
                        unitHeap.push(UInt64(total) << 32 | UInt64(e.unit))
                    }
                    k = e.next
                }
            }
        }
        }
        self.heap = heap
        settledNodes = settled
        for k in ranked.indices {
            ranked[k].meters = meters(unit: ranked[k].unit, units[ranked[k].unit], incident)
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
        var b = parent[v]
        while b != SearchSpace.seedAlong && b != SearchSpace.seedAgainst {
            let a = Int(graph.backArc[Int(b)])
            total += segments[graph.segment(ofArc: a)].lengthMeters
            v = Int(graph.head[a])
            b = parent[v]
        }
        let g = clamp(incident.fraction)
        total += segments[incident.segment].lengthMeters * (b == SearchSpace.seedAlong ? g : 1 - g)
        return total
    }

    private func clamp(_ f: Double) -> Double { Swift.max(0, Swift.min(1, f)) }

    /// A fresh query timestamp; clears the stamps once every 2³² queries.
    private func nextStamp() -> UInt32 {
        if stamp == UInt32.max {
            for v in 0..<graph.nodeCount { nodes[4 * v + 1] = 0 }
            stamp = 0
        }
        stamp += 1
        return stamp
    }

    /// Settles the queue's minimum and relaxes its backward arcs (`weight << 32 | head`).
    ///
    /// - Complexity: O(degree · log₄ n).
    @inline(__always)
    private static func settle(heap: inout QuadHeap, nodes: UnsafeMutablePointer<UInt32>, parent: UnsafeMutablePointer<UInt32>,
                               stamp: UInt32, arcs: UnsafePointer<UInt64>) -> (node: Int, distance: UInt32) {
        let top = heap.popMin()
        let u = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
        let d = UInt32(truncatingIfNeeded: top >> 32)
        var a = Int(nodes[4 * u + 3])
        let end = Int(nodes[4 * u + 7])
        while a < end {
            let arc = arcs[a]
            let (nd, overflow) = d.addingReportingOverflow(UInt32(truncatingIfNeeded: arc >> 32))
            if !overflow {
                let v = Int(truncatingIfNeeded: arc & 0xFFFF_FFFF)
                let record = nodes + 4 * v
                if record[1] != stamp {
                    record[0] = nd
                    record[1] = stamp
                    parent[v] = UInt32(truncatingIfNeeded: a)
                    heap.push(UInt32(truncatingIfNeeded: v), key: nd)
                } else if nd < record[0] {
                    record[0] = nd
                    parent[v] = UInt32(truncatingIfNeeded: a)
                    heap.decrease(UInt32(truncatingIfNeeded: v), key: nd)
                }
            }
            a += 1
        }
        return (u, d)
    }

    private static let emptySlot = UInt64.max

    @inline(__always) private static func hash(_ node: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: node) &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }
}

/// A small binary min-heap of `time << 32 | unit` words with lazy deletion (stale entries
/// are skipped when popped).
private struct UnitHeap {
    private var items: [UInt64] = []

    var min: UInt64? { items.first }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    /// - Complexity: O(log n).
    mutating func push(_ e: UInt64) {
        var i = items.count
        items.append(e)
        while i > 0 {
            let p = (i - 1) / 2
            if items[p] <= e { break }
            items[i] = items[p]
            i = p
        }
        items[i] = e
    }

    /// - Complexity: O(log n).
    mutating func popMin() {
        guard let last = items.popLast(), !items.isEmpty else { return }
        var i = 0
        let n = items.count
        while true {
            var c = 2 * i + 1
            if c >= n { break }
            if c + 1 < n && items[c + 1] < items[c] { c += 1 }
            if items[c] >= last { break }
            items[i] = items[c]
            i = c
        }
        items[i] = last
    }
}
