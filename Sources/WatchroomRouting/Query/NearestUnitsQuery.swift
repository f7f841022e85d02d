/// A unit ranked by how fast it can reach an incident.
public struct RankedUnit: Hashable, Sendable, Codable {
    /// Index into the `units` array the query was given.
    public var unit: Int
    /// Travel time in milliseconds, off-road legs included.
    public var millis: UInt32
    /// Length of the fastest path in metres, off-road legs included.
    public var meters: Double
    /// The part of `meters` off the road: the unit's leg plus the incident's.
    public var offRoadMeters: Double

    public var seconds: Double { Double(millis) / 1000 }

    public init(unit: Int, millis: UInt32, meters: Double, offRoadMeters: Double = 0) {
        self.unit = unit
        self.millis = millis
        self.meters = meters
        self.offRoadMeters = offRoadMeters
    }
}

/// Finds the units that can reach an incident soonest, in one search.
///
/// Runs a search from the incident over the *backward* graph, so one search measures every
/// unit's time to the incident. The search is goal-directed (A*): a node's queue key is its
/// time to the incident plus a lower bound on the time from the nearest unit to it: the
/// straight-line distance times the least milliseconds per metre of any arc (measured on the
/// base weights once per graph and scaled by the live weights' least ratio to them once per
/// weights version), so it never overestimates, whatever the traffic or the recorded
/// lengths.
///
/// Units and the incident may lie off the road (``RoadAccess``): a unit's off-road leg is
/// added to the time of each of its entries into the graph (so a unit is reached at its
/// total time, and every bound below, which only counts road time, stays a lower bound),
/// and the incident's leg, the same for every unit, is added to every result. Queued entries are `key << 32 | node` in a lazy 4-ary heap (no decrease-key;
/// stale copies are skipped), and a node's arcs are prefetched when it is first reached.
///
/// The bound is taken over a few *candidate* entries (the units' first nodes whose own
/// straight-line bound to the incident is smallest); every other entry is at least
/// `excluded` away. A unit's time is
/// final once it is below both the queue's smallest key and `excluded`; the search stops as
/// soon as the best `count` units are final, and starts again with more candidates in the
/// rare case that the excluded ones might matter. The bound is rounded down with room for
/// the coordinates' quantisation, and a node whose time improves after it was settled is
/// queued again, so the answer is exact whatever the rounding. Ties are ranked by unit index.
/// Reusable with O(1) resets; not thread-safe.
public final class NearestUnitsQuery {
    public let graph: RoadGraph
    /// How many nodes the last query settled (a measure of its work).
    public private(set) var settledNodes = 0
    /// How many times the last query started again with more candidates.
    public private(set) var restarts = 0
    /// How many unit entries the bound starts with (tests lower it to force restarts).
    var candidateLimit = 32

    /// Search state, 16 bytes per node (plus a sentinel): distance, stamp (`stamp` open,
    /// `stamp + 1` settled), the node's position on a 65,536 × 65,536 grid over the map
    /// (`y << 16 | x`), and a copy of the node's `backFirstOut`.
    private let nodes: UnsafeMutablePointer<UInt32>
    private let parent: UnsafeMutablePointer<UInt32>
    /// The grid's cell size in metres.
    private let cellMeters: Double
    private var heap: LazyQuadHeap
    private var stamp: UInt32 = 0
    /// The least base weight per metre of straight-line distance over all arcs (ms/m).
    private let baseMillisPerMeter: Double
    /// ms per metre valid under the weights of `scaleVersion` (0 = no bound).
    private var millisPerMeter: Double = 0
    private var scaleVersion: UInt64?

    private let entryBits: UnsafeMutablePointer<UInt64>
    private var entryTable: [UInt64] = []
    private var entries: [UnitEntry] = []
    /// Per entry: its node's grid coordinates and its time (for the bound).
    private var entryX: [Float] = [], entryY: [Float] = [], entryMillis: [Float] = []
    private var unitCapacity = 0
    private var best: UnsafeMutablePointer<UInt32> = .allocate(capacity: 1)
    private var bestEntry: UnsafeMutablePointer<Int32> = .allocate(capacity: 1)
    private var done: UnsafeMutablePointer<Bool> = .allocate(capacity: 1)
    private var unitHeap = UnitHeap()
    private var cachedUnits: [RoadAccess] = []
    private var cachedVersion: UInt64?
    /// Grid x and y of the current attempt's candidate entries, 8 to a vector (padding repeats
    /// a candidate).
    private var candidateX: [SIMD8<Float>] = [], candidateY: [SIMD8<Float>] = []
    private var bounds: [Float] = []
    /// The entries' grid x, y and time, eight to a vector (`3j`, `3j + 1`, `3j + 2`); padding
    /// has infinite time.
    private var entryVectors: [SIMD8<Float>] = []

    private struct UnitEntry {
        var node: Int
        var unit: Int
        var millis: UInt32
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
        heap = LazyQuadHeap(capacity: 1024)
        entryBits = .allocate(capacity: (n + 63) / 64 + 1)
        entryBits.initialize(repeating: 0, count: (n + 63) / 64 + 1)
        let points = graph.map.intersections
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for i in points.indices {
            let p = points[i].position
            minX = Swift.min(minX, p.x); minY = Swift.min(minY, p.y)
            maxX = Swift.max(maxX, p.x); maxY = Swift.max(maxY, p.y)
        }
        var k = Double.infinity
        let extent = Swift.max(maxX - minX, maxY - minY, 1)
        var usable = n > 0 && minX.isFinite && minY.isFinite && extent.isFinite
            && points.allSatisfy { $0.position.x.isFinite && $0.position.y.isFinite }
        cellMeters = usable ? extent / 65535 : 1
        if usable {
            for i in 0..<n {
                let p = points[i].position
                let x = UInt32(Swift.min(65535, ((p.x - minX) / cellMeters).rounded()))
                let y = UInt32(Swift.min(65535, ((p.y - minY) / cellMeters).rounded()))
                nodes[4 * i + 2] = y << 16 | x
            }
            graph.firstOut.withUnsafeBufferPointer { firstOut in
                graph.head.withUnsafeBufferPointer { head in
                    graph.baseWeight.withUnsafeBufferPointer { weight in
                        for u in 0..<n {
                            let pu = points[u].position
                            for a in Int(firstOut[u])..<Int(firstOut[u + 1]) {
                                let pv = points[Int(head[a])].position
                                let dx = pu.x - pv.x, dy = pu.y - pv.y
                                let length = (dx * dx + dy * dy).squareRoot()
                                if length > 0 { k = Swift.min(k, Double(weight[a]) / length) }
                            }
                        }
                    }
                }
            }
            usable = k.isFinite && k > 0
        }
        baseMillisPerMeter = usable ? k : 0
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
    /// The first query under new weights scans every arc once (O(arcs), a few milliseconds
    /// on a million-node city) to find how fast the fastest arc is; new units cost O(units).
    ///
    /// - Complexity: O((n + m) · log n + u log u) for the n nodes and m arcs searched (those
    ///   whose time plus bound is below the `count`-th unit's time), and u units.
    public func nearest(_ count: Int, of units: [RoadPosition], to incident: RoadPosition,
                        weights: LiveWeights) -> [RankedUnit] {
        nearest(count, of: units.map { RoadAccess(position: $0) }, to: RoadAccess(position: incident), weights: weights)
    }

    /// The `count` units (of `units`) that reach `incident` soonest, off-road legs included
    /// (leg + road + leg), fastest first; fewer when fewer can reach it at all.
    ///
    /// - Complexity: as ``nearest(_:of:to:weights:)-(_,[RoadPosition],_,_)``.
    public func nearest(_ count: Int, of units: [RoadAccess], to incident: RoadAccess,
                        weights: LiveWeights) -> [RankedUnit] {
        precondition(weights.graph === graph, "weights belong to another graph")
        precondition(incident.position.segment >= 0 && incident.position.segment < graph.segmentCount,
                     "incident on an unknown segment")
        guard count > 0, !units.isEmpty else { return [] }
        if scaleVersion != weights.version {
            millisPerMeter = Self.scale(weights: weights.forward, base: graph.baseWeight) * baseMillisPerMeter
            scaleVersion = weights.version
        }
        return weights.forward.withUnsafeBufferPointer { fw in
            weights.backwardArcs.withUnsafeBufferPointer { ba -> [RankedUnit] in
                let forwardWeight = fw.baseAddress ?? UnsafePointer(nodes)
                let arcs = ba.baseAddress ?? UnsafeRawPointer(nodes).assumingMemoryBound(to: UInt64.self)
                return search(count, units, incident, weightsVersion: weights.version, forwardWeight: forwardWeight, arcs: arcs)
            }
        }
    }

    /// A factor `r` with `live ≥ r · base` on every arc (1 when no arc got faster).
    ///
    /// - Complexity: O(arcs).
    @inline(never)
    static func scale(weights: [UInt32], base: [UInt32]) -> Double {
        var faster = false
        weights.withUnsafeBufferPointer { w in
            base.withUnsafeBufferPointer { b in
                var any: UInt32 = 0
                for a in 0..<w.count { any |= w[a] < b[a] ? 1 : 0 }
                faster = any != 0
            }
        }
        guard faster else { return 1 }
        var r = 1.0
        for a in weights.indices where weights[a] < base[a] {
            r = Swift.min(r, Double(weights[a]) / Double(base[a]))
        }
        return r * (1 - 1e-12)
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

    private func attach(_ units: [RoadAccess], forwardWeight: UnsafePointer<UInt32>) {
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
            for (i, unit) in units.enumerated() {
                let p = unit.position, leg = unit.offRoadMillis
                precondition(p.segment >= 0 && p.segment < segmentCount, "unit on an unknown segment")
                graph.forEachSourceEntry(p, weights: forwardWeight) { e in
                    var e = e
                    e.millis = Self.add(e.millis, leg)
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
        entryX = entries.map { Float(nodes[4 * $0.node + 2] & 0xFFFF) }
        entryY = entries.map { Float(nodes[4 * $0.node + 2] >> 16) }
        entryMillis = entries.map { Float($0.millis) }
        entryVectors.removeAll(keepingCapacity: true)
        var j = 0
        while j < entries.count {
            var x = SIMD8<Float>(repeating: 0), y = SIMD8<Float>(repeating: 0), c = SIMD8<Float>(repeating: .infinity)
            for l in 0..<8 where j + l < entries.count {
                x[l] = entryX[j + l]; y[l] = entryY[j + l]; c[l] = entryMillis[j + l]
            }
            entryVectors.append(x); entryVectors.append(y); entryVectors.append(c)
            j += 8
        }
    }

    private func nextStamp() -> UInt32 {
        if stamp >= UInt32.max - 4 {
            for v in 0..<graph.nodeCount { nodes[4 * v + 1] = 0 }
            stamp = 0
        }
        stamp += 2
        return stamp
    }

    /// Chooses the `limit` entries with the smallest lower bound on the time from the entry to
    /// the incident and returns the least bound of the others (`nil` when all are chosen).
    @inline(never)
    private func chooseCandidates(limit: Int, targets: [PositionEntry], k: Float) -> UInt32? {
        let m = entries.count
        let chosen: [Int]
        var excluded: UInt32? = nil
        if limit >= m {
            chosen = Array(0..<m)
        } else {
            // Per entry, the least time from it to the incident: straight to the nearer target
            // node at the fastest speed, eight entries at a time.
            let vectorCount = (m + 7) / 8
            if bounds.count < 8 * vectorCount { bounds = [Float](repeating: 0, count: 8 * vectorCount) }
            var top = [UInt64](repeating: 0, count: limit)
            var rest = Float.infinity
            entryVectors.withUnsafeBufferPointer { ev in
            bounds.withUnsafeMutableBufferPointer { bp in
                let out = UnsafeMutableRawPointer(bp.baseAddress!)
                var targetX: [Float] = [], targetY: [Float] = [], targetC: [Float] = []
                for t in targets {
                    targetX.append(Float(nodes[4 * t.node + 2] & 0xFFFF))
                    targetY.append(Float(nodes[4 * t.node + 2] >> 16))
                    targetC.append(Float(t.millis))
                }
                let kv = SIMD8<Float>(repeating: k)
                for j in 0..<vectorCount {
                    let x = ev[3 * j], y = ev[3 * j + 1], c = ev[3 * j + 2]
                    var b = SIMD8<Float>(repeating: .infinity)
                    for t in targetX.indices {
                        let dx = x - SIMD8(repeating: targetX[t]), dy = y - SIMD8(repeating: targetY[t])
                        let v = (dx * dx + dy * dy).squareRoot() * kv + SIMD8(repeating: targetC[t])
                        b = b.replacing(with: v, where: v .< b)
                    }
                    out.storeBytes(of: b + c, toByteOffset: 32 * j, as: SIMD8<Float>.self)
                }
                // The `limit` smallest: a max-heap of `bound bits << 32 | entry` (bounds are
                // non-negative, so their bit patterns order like the values).
                top.withUnsafeMutableBufferPointer { heap in
                    var size = 0
                    for i in 0..<m {
                        let b = bp[i]
                        let item = UInt64(b.bitPattern) << 32 | UInt64(i)
                        if size < limit {
                            var c = size
                            size += 1
                            while c > 0 {
                                let p = (c - 1) >> 1
                                if heap[p] >= item { break }
                                heap[c] = heap[p]; c = p
                            }
                            heap[c] = item
                        } else if item < heap[0] {
                            rest = Swift.min(rest, Float(bitPattern: UInt32(truncatingIfNeeded: heap[0] >> 32)))
                            var c = 0
                            while true {
                                var g = 2 * c + 1
                                if g >= size { break }
                                if g + 1 < size && heap[g + 1] > heap[g] { g += 1 }
                                if heap[g] <= item { break }
                                heap[c] = heap[g]; c = g
                            }
                            heap[c] = item
                        } else {
                            rest = Swift.min(rest, b)
                        }
                    }
                }
            }
            }
            chosen = top.map { Int(truncatingIfNeeded: $0 & 0xFFFF_FFFF) }
            excluded = lowerBound(rest)
        }
        candidateX.removeAll(keepingCapacity: true)
        candidateY.removeAll(keepingCapacity: true)
        var j = 0
        while j < chosen.count {
            // Padding repeats the first candidate (it changes no minimum).
            var x = SIMD8<Float>(repeating: entryX[chosen[j]]), y = SIMD8<Float>(repeating: entryY[chosen[j]])
            for l in 0..<8 where j + l < chosen.count {
                let i = chosen[j + l]
                x[l] = entryX[i]; y[l] = entryY[i]
            }
            candidateX.append(x); candidateY.append(y)
            j += 8
        }
        return excluded
    }

    /// The error allowance of a bound in ms: two grid positions each up to half a diagonal off.
    private var slack: Double { millisPerMeter * cellMeters * 1.5 + 2 }

    /// A whole-millisecond value no larger than the true bound behind float `b`.
    @inline(__always) private func lowerBound(_ b: Float) -> UInt32 {
        let v = Double(b) * (1 - 1e-5) - slack
        guard v > 0 else { return 0 }
        return v >= Double(UInt32.max - 1) ? UInt32.max - 1 : UInt32(v)
    }

    private func search(_ count: Int, _ units: [RoadAccess], _ incidentAccess: RoadAccess, weightsVersion: UInt64,
                        forwardWeight: UnsafePointer<UInt32>, arcs: UnsafePointer<UInt64>) -> [RankedUnit] {
        let incident = incidentAccess.position
        reserveUnits(units.count)
        if cachedVersion != weightsVersion || cachedUnits != units {
            attach(units, forwardWeight: forwardWeight)
            cachedUnits = units
            cachedVersion = weightsVersion
        }
        let targets = graph.targetEntries(incident, weights: forwardWeight)
        let useBound = millisPerMeter > 0 && !targets.isEmpty
        var limit = useBound ? Swift.max(1, candidateLimit) : Int.max
        restarts = 0
        settledNodes = 0
        while true {
            let excluded = useBound ? chooseCandidates(limit: limit, targets: targets, k: Float(millisPerMeter * cellMeters)) : nil
            if var ranked = attempt(count, units, incident, targets: targets, useBound: useBound,
                                    excluded: excluded, forwardWeight: forwardWeight, arcs: arcs) {
                // The incident's leg is the same for every unit: it changes no order.
                let leg = incidentAccess.offRoadMillis
                for i in ranked.indices {
                    let unit = units[ranked[i].unit]
                    ranked[i].millis = Self.add(ranked[i].millis, leg)
                    ranked[i].offRoadMeters = unit.offRoadMeters + incidentAccess.offRoadMeters
                    ranked[i].meters += ranked[i].offRoadMeters
                }
                return ranked
            }
            restarts += 1
            limit = limit >= entries.count ? Int.max : 4 * limit
        }
    }

    private func attempt(_ count: Int, _ units: [RoadAccess], _ incident: RoadPosition, targets: [PositionEntry],
                         useBound: Bool, excluded: UInt32?, forwardWeight: UnsafePointer<UInt32>,
                         arcs: UnsafePointer<UInt64>) -> [RankedUnit]? {
        let open = nextStamp(), closed = open + 1
        let best = self.best, bestEntry = self.bestEntry, done = self.done
        best.update(repeating: RoadGraph.infWeight, count: units.count)
        bestEntry.update(repeating: -1, count: units.count)
        done.update(repeating: false, count: units.count)
        var unitHeap = self.unitHeap
        unitHeap.removeAll()
        defer { self.unitHeap = unitHeap }
        for (i, unit) in units.enumerated() where unit.position.segment == incident.segment {
            if let direct = graph.directMillis(from: unit.position, to: incident, weights: forwardWeight) {
                let t = Self.add(direct.millis, unit.offRoadMillis)
                best[i] = t
                unitHeap.push(UInt64(t) << 32 | UInt64(i))
            }
        }
        let entryBits = self.entryBits
        let mask = entryTable.count - 1
        let nodes = self.nodes, parent = self.parent
        let bound = excluded ?? RoadGraph.infWeight
        let hasExcluded = excluded != nil
        var heap = self.heap
        heap.count = 0
        defer { self.heap = heap }

        let scale = millisPerMeter * cellMeters * (1 - 1e-5)
        let slack = self.slack
        let vectors = candidateX.count
        var ranked: [RankedUnit] = []
        ranked.reserveCapacity(count)
        var settled = 0
        var complete = true
        candidateX.withUnsafeBufferPointer { cx in
        candidateY.withUnsafeBufferPointer { cy in
        entryTable.withUnsafeBufferPointer { table in
        entries.withUnsafeBufferPointer { entryBuffer in
            /// A lower bound on the time from any candidate entry to node `v`: the
            /// straight-line distance to the nearest one at the fastest speed any arc allows.
            @inline(__always) func estimate(_ v: Int) -> UInt32 {
                guard useBound else { return 0 }
                let xy = nodes[4 * v + 2]
                let x = SIMD8<Float>(repeating: Float(xy & 0xFFFF)), y = SIMD8<Float>(repeating: Float(xy >> 16))
                var m = SIMD8<Float>(repeating: .infinity)
                var j = 0
                while j < vectors {
                    let dx = cx[j] - x, dy = cy[j] - y
                    let t = dx * dx + dy * dy
                    m = m.replacing(with: t, where: t .< m)
                    j += 1
                }
                let m4 = pointwiseMin(m.lowHalf, m.highHalf)
                let m2 = pointwiseMin(m4.lowHalf, m4.highHalf)
                let h = Double(Swift.min(m2[0], m2[1])).squareRoot() * scale - slack
                guard h > 0 else { return 0 }
                return h >= 2_000_000_000 ? 2_000_000_000 : UInt32(h)
            }
            @inline(__always) func key(_ d: UInt32, _ h: UInt32) -> UInt64 {
                let (s, o) = d.addingReportingOverflow(h)
                return UInt64(o ? UInt32.max : s) << 32
            }
            // Without entries no unit is reached through the graph (only straight along the
            // incident's segment), so there is nothing to search.
            for e in targets where !entryBuffer.isEmpty {
                let record = nodes + 4 * e.node
                let fresh = record[1] &- open > 1
                guard fresh || e.millis < record[0] else { continue }
                record[0] = e.millis
                record[1] = open
                parent[e.node] = e.along ? SearchSpace.seedAlong : SearchSpace.seedAgainst
                heap.push(key(e.millis, estimate(e.node)) | UInt64(e.node))
            }
            while ranked.count < count {
                let frontier = heap.isEmpty ? bound : Swift.min(heap.minKey, bound)
                while ranked.count < count, let top = unitHeap.min {
                    let t = UInt32(truncatingIfNeeded: top >> 32)
                    guard t < frontier || (heap.isEmpty && !hasExcluded) else { break }
                    unitHeap.popMin()
                    let i = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
                    guard !done[i], best[i] == t else { continue }
                    done[i] = true
                    ranked.append(RankedUnit(unit: i, millis: t, meters: 0))
                }
                if ranked.count >= count { break }
                if heap.isEmpty { complete = !hasExcluded; break }
                // Everything left is at least `excluded` away: the excluded entries might win.
                if hasExcluded && heap.minKey >= bound { complete = false; break }
                let top = heap.popMin()
                let u = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
                let ru = nodes + 4 * u
                guard ru[1] == open else { continue }
                ru[1] = closed
                let d = ru[0]
                settled += 1
                var a = Int(ru[3])
                let end = Int(ru[7])
                while a < end {
                    let arc = arcs[a]
                    let (nd, overflow) = d.addingReportingOverflow(UInt32(truncatingIfNeeded: arc >> 32))
                    if !overflow {
                        let v = Int(truncatingIfNeeded: arc & 0xFFFF_FFFF)
                        let record = nodes + 4 * v
                        if record[1] &- open > 1 {
                            let h = estimate(v)
                            record[0] = nd
                            record[1] = open
                            parent[v] = UInt32(truncatingIfNeeded: a)
                            // Its arcs are read when it is settled, usually much later.
                            prefetchForRead(UnsafeRawPointer(arcs + Int(record[3])))
                            heap.push(key(nd, h) | UInt64(v))
                        } else if nd < record[0] {
                            record[0] = nd
                            record[1] = open
                            parent[v] = UInt32(truncatingIfNeeded: a)
                            heap.push(key(nd, estimate(v)) | UInt64(v))
                        }
                    }
                    a += 1
                }
                guard entryBits[u >> 6] & (1 << UInt64(u & 63)) != 0 else { continue }
                var slot = Self.hash(u) & mask
                while table[slot] != Self.emptySlot && Int(truncatingIfNeeded: table[slot] >> 32) != u {
                    slot = (slot + 1) & mask
                }
                guard table[slot] != Self.emptySlot else { continue }
                var e = Int32(truncatingIfNeeded: table[slot] & 0xFFFF_FFFF)
                while e >= 0 {
                    let entry = entryBuffer[Int(e)]
                    let (total, overflow) = d.addingReportingOverflow(entry.millis)
                    if !overflow && total < best[entry.unit] {
                        best[entry.unit] = total
                        bestEntry[entry.unit] = e
                        unitHeap.push(UInt64(total) << 32 | UInt64(entry.unit))
                    }
                    e = entry.next
                }
            }
        }
        }
        }
        }
        settledNodes += settled
        guard ranked.count >= count || complete else { return nil }
        for i in ranked.indices {
            ranked[i].meters = meters(unit: ranked[i].unit, units[ranked[i].unit].position, incident)
        }
        return ranked
    }

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

    /// `a + b`, saturating at ``RoadGraph/infWeight`` - 1 (a reachable time stays finite).
    @inline(__always) private static func add(_ a: UInt32, _ b: UInt32) -> UInt32 {
        let (s, o) = a.addingReportingOverflow(b)
        return o || s == RoadGraph.infWeight ? RoadGraph.infWeight - 1 : s
    }

    private static let emptySlot = UInt64.max

    @inline(__always) private static func hash(_ node: Int) -> Int {
        Int(truncatingIfNeeded: (UInt64(truncatingIfNeeded: node) &* 0x9E37_79B9_7F4A_7C15) >> 32)
    }
}

private struct UnitHeap {
    private var items: [UInt64] = []

    var min: UInt64? { items.first }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

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
