/// Per-query Dijkstra state with a cheap reset: each node's tentative distance is tagged
/// with the query's timestamp, so starting a new query never clears the arrays.
///
/// Everything about node `v` sits in one 16-byte record, `nodes[4v ..< 4v + 4]`:
/// distance, stamp, parent and heap slot, so relaxing an arc touches one cache line. A node
/// whose stamp is not the current one is unreached. The parent is the arc (of whichever
/// graph the search runs on) that reached `v`, or one of the seed markers.
/// Not thread-safe: use one per thread.
final class SearchSpace {
    static let seedAlong: UInt32 = RoadGraph.invalidID - 1
    static let seedAgainst: UInt32 = RoadGraph.invalidID - 2

    let nodeCount: Int
    /// Four fields per node: distance, stamp, parent, heap slot.
    let nodes: UnsafeMutablePointer<UInt32>
    var heap: QuadHeap
    private(set) var stamp: UInt32 = 0

    init(nodeCount: Int) {
        self.nodeCount = nodeCount
        nodes = .allocate(capacity: 4 * Swift.max(1, nodeCount))
        nodes.initialize(repeating: 0, count: 4 * Swift.max(1, nodeCount))
        heap = .allocate(nodeCount: nodeCount, position: nodes + 3, positionShift: 2)
    }

    deinit {
        heap.deallocate()
        nodes.deallocate()
    }

    /// Starts a new query: bumps the timestamp and empties the heap.
    ///
    /// - Complexity: O(1), except once every 2³² queries when the stamps are cleared.
    func reset() {
        if stamp == UInt32.max {
            for v in 0..<nodeCount { nodes[4 * v + 1] = 0 }
            stamp = 0
        }
        stamp += 1
        heap.count = 0
    }

    /// The distance of `v` in this query, or ``RoadGraph/infWeight`` when unreached.
    @inline(__always) func distance(_ v: Int) -> UInt32 {
        nodes[4 * v + 1] == stamp ? nodes[4 * v] : RoadGraph.infWeight
    }

    /// The arc that reached `v`, or a seed marker.
    @inline(__always) func parent(_ v: Int) -> UInt32 { nodes[4 * v + 2] }

    /// Offers `v` at distance `d` reached through `via` (a seed marker). Only before the
    /// first settle of a query.
    func seed(_ v: Int, distance d: UInt32, via: UInt32) {
        let current = distance(v)
        guard d < current else { return }
        nodes[4 * v] = d
        nodes[4 * v + 1] = stamp
        nodes[4 * v + 2] = via
        if current == RoadGraph.infWeight {
            heap.push(UInt32(v), key: d)
        } else {
            heap.decrease(UInt32(v), key: d)
        }
    }

    /// Settles the queue's minimum and relaxes its arcs in the CSR graph `(firstOut, head,
    /// weight)`. Returns the settled node and its distance. The heap must not be empty.
    ///
    /// Static over raw pointers and a local heap copy, so a caller's loop has no class
    /// accesses: copy `heap` out before the loop and back after it. Closed arcs (weight
    /// ``RoadGraph/infWeight``) and sums that overflow are skipped.
    ///
    /// - Complexity: O(degree · log₄ n).
    @inline(__always)
    static func settle(heap: inout QuadHeap, nodes: UnsafeMutablePointer<UInt32>, stamp: UInt32,
                       firstOut: UnsafePointer<UInt32>, head: UnsafePointer<UInt32>,
                       weight: UnsafePointer<UInt32>) -> (node: Int, distance: UInt32) {
        let top = heap.popMin()
        let u = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
        let d = UInt32(truncatingIfNeeded: top >> 32)
        var a = Int(firstOut[u])
        let end = Int(firstOut[u + 1])
        while a < end {
            let (nd, overflow) = d.addingReportingOverflow(weight[a])
            if !overflow {
                let v = head[a]
                relax(v, nd, UInt32(truncatingIfNeeded: a), &heap, nodes, stamp)
            }
            a += 1
        }
        return (u, d)
    }

    @inline(__always)
    private static func relax(_ v: UInt32, _ nd: UInt32, _ arc: UInt32, _ heap: inout QuadHeap,
                              _ nodes: UnsafeMutablePointer<UInt32>, _ stamp: UInt32) {
        let record = nodes + 4 * Int(v)
        if record[1] != stamp {
            record[0] = nd
            record[1] = stamp
            record[2] = arc
            heap.push(v, key: nd)
        } else if nd < record[0] {
            record[0] = nd
            record[2] = arc
            heap.decrease(v, key: nd)
        }
    }
}
