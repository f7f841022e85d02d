/// Per-query Dijkstra state with a cheap reset: each node's tentative distance is tagged
/// with the query's timestamp, so starting a new query never clears the arrays.
///
/// `state[v]` packs `stamp << 32 | distance`; a node whose stamp is not the current one is
/// unreached. `parent[v]` is the arc (of whichever graph the search runs on) that reached
/// `v`, or one of the seed markers. Not thread-safe: use one per thread.
final class SearchSpace {
    static let seedAlong: UInt32 = RoadGraph.invalidID - 1
    static let seedAgainst: UInt32 = RoadGraph.invalidID - 2

    let nodeCount: Int
    let state: UnsafeMutablePointer<UInt64>
    let parent: UnsafeMutablePointer<UInt32>
    var heap: QuadHeap
    private(set) var stamp: UInt32 = 0

    init(nodeCount: Int) {
        self.nodeCount = nodeCount
        state = .allocate(capacity: Swift.max(1, nodeCount))
        state.initialize(repeating: 0, count: Swift.max(1, nodeCount))
        parent = .allocate(capacity: Swift.max(1, nodeCount))
        parent.initialize(repeating: RoadGraph.invalidID, count: Swift.max(1, nodeCount))
        heap = .allocate(nodeCount: nodeCount)
    }

    deinit {
        state.deallocate()
        parent.deallocate()
        heap.deallocate()
    }

    /// Starts a new query: bumps the timestamp and empties the heap.
    ///
    /// - Complexity: O(1), except once every 2³² queries when the stamps are cleared.
    func reset() {
        if stamp == UInt32.max {
            state.update(repeating: 0, count: nodeCount)
            stamp = 0
        }
        stamp += 1
        heap.count = 0
    }

    /// The distance of `v` in this query, or ``RoadGraph/infWeight`` when unreached.
    @inline(__always) func distance(_ v: Int) -> UInt32 {
        let s = state[v]
        return UInt32(truncatingIfNeeded: s >> 32) == stamp ? UInt32(truncatingIfNeeded: s) : RoadGraph.infWeight
    }

    /// Offers `v` at distance `d` reached through `via` (a seed marker). Only before the
    /// first ``settleNext(firstOut:head:weight:)`` of a query.
    func seed(_ v: Int, distance d: UInt32, via: UInt32) {
        let current = distance(v)
        guard d < current else { return }
        state[v] = UInt64(stamp) << 32 | UInt64(d)
        parent[v] = via
        if current == RoadGraph.infWeight {
            heap.push(UInt32(v), key: d)
        } else {
            heap.decrease(UInt32(v), key: d)
        }
    }

    /// Settles the queue's minimum and relaxes its arcs in the CSR graph `(firstOut, head,
    /// weight)`. Returns the settled node and its distance. The heap must not be empty.
    ///
    /// Closed arcs (weight ``RoadGraph/infWeight``) and sums that overflow are skipped.
    ///
    /// - Complexity: O(degree · log₄ n).
    @inline(__always)
    func settleNext(firstOut: UnsafePointer<UInt32>, head: UnsafePointer<UInt32>,
                    weight: UnsafePointer<UInt32>) -> (node: Int, distance: UInt32) {
        var heap = self.heap
        let state = self.state, parent = self.parent
        let stampHigh = UInt64(stamp) << 32
        let stamp = self.stamp
        let top = heap.popMin()
        let u = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
        let d = UInt32(truncatingIfNeeded: top >> 32)
        var a = Int(firstOut[u])
        let end = Int(firstOut[u + 1])
        while a < end {
            let (nd, overflow) = d.addingReportingOverflow(weight[a])
            if !overflow {
                let v = Int(head[a])
                let s = state[v]
                if UInt32(truncatingIfNeeded: s >> 32) != stamp {
                    state[v] = stampHigh | UInt64(nd)
                    parent[v] = UInt32(truncatingIfNeeded: a)
                    heap.push(UInt32(truncatingIfNeeded: v), key: nd)
                } else if nd < UInt32(truncatingIfNeeded: s) {
                    state[v] = stampHigh | UInt64(nd)
                    parent[v] = UInt32(truncatingIfNeeded: a)
                    heap.decrease(UInt32(truncatingIfNeeded: v), key: nd)
                }
            }
            a += 1
        }
        self.heap = heap
        return (u, d)
    }
}
