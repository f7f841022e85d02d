/// Travel times from one place to every node of a graph (a full Dijkstra).
///
/// Reusable: the distance buffer and heap are allocated once. Since the answer covers every
/// node anyway, a run starts by filling the distance buffer (a memset) rather than using
/// timestamps. Not thread-safe: use one per thread.
///
/// ```swift
/// let query = OneToAllQuery(graph: graph)
/// query.run(from: position, weights: weights)
/// let t = query.distance(to: node)       // milliseconds, or RoadGraph.infWeight
/// ```
public final class OneToAllQuery {
    public let graph: RoadGraph
    private let dist: UnsafeMutablePointer<UInt32>
    private var heap: QuadHeap

    public init(graph: RoadGraph) {
        self.graph = graph
        dist = .allocate(capacity: Swift.max(1, graph.nodeCount))
        dist.initialize(repeating: RoadGraph.infWeight, count: Swift.max(1, graph.nodeCount))
        heap = .allocate(nodeCount: graph.nodeCount)
    }

    deinit {
        dist.deallocate()
        heap.deallocate()
    }

    /// Runs from a node.
    ///
    /// - Complexity: O((nodes + arcs) · log nodes).
    public func run(fromNode source: Int, weights: LiveWeights) {
        precondition(weights.graph === graph, "weights belong to another graph")
        precondition(source >= 0 && source < graph.nodeCount, "source node out of range")
        start()
        seed(source, 0)
        search(weights)
    }

    /// Runs from a position part-way along a segment.
    ///
    /// - Complexity: O((nodes + arcs) · log nodes).
    public func run(from position: RoadPosition, weights: LiveWeights) {
        precondition(weights.graph === graph, "weights belong to another graph")
        precondition(position.segment >= 0 && position.segment < graph.segmentCount, "position on an unknown segment")
        start()
        weights.forward.withUnsafeBufferPointer { w in
            guard let wp = w.baseAddress else { return }
            for e in graph.sourceEntries(position, weights: wp) { seed(e.node, e.millis) }
        }
        search(weights)
    }

    /// The travel time to `node` in milliseconds from the last run, or ``RoadGraph/infWeight``.
    @inline(__always) public func distance(to node: Int) -> UInt32 { dist[node] }

    /// Read-only access to all distances of the last run, indexed by node.
    public func withDistances<R>(_ body: (UnsafeBufferPointer<UInt32>) throws -> R) rethrows -> R {
        try body(UnsafeBufferPointer(start: dist, count: graph.nodeCount))
    }

    /// A copy of all distances of the last run.
    public var distances: [UInt32] { withDistances { Array($0) } }

    // MARK: - Private

    private func start() {
        dist.update(repeating: RoadGraph.infWeight, count: graph.nodeCount)
        heap.count = 0
    }

    private func seed(_ v: Int, _ d: UInt32) {
        let current = dist[v]
        guard d < current else { return }
        dist[v] = d
        if current == RoadGraph.infWeight { heap.push(UInt32(v), key: d) } else { heap.decrease(UInt32(v), key: d) }
    }

    private func search(_ weights: LiveWeights) {
        graph.firstOut.withUnsafeBufferPointer { fo in
            graph.head.withUnsafeBufferPointer { hd in
                weights.forward.withUnsafeBufferPointer { wt in
                    guard let firstOut = fo.baseAddress, let head = hd.baseAddress else { return }
                    // An empty weight buffer means no arcs: any valid pointer will do.
                    let weight = wt.baseAddress ?? firstOut
                    var heap = self.heap
                    Self.dijkstra(firstOut: firstOut, head: head, weight: weight, dist: dist, heap: &heap)
                    self.heap = heap
                }
            }
        }
    }

    /// The hot loop: plain Dijkstra with decrease-key over raw buffers.
    @inline(__always)
    private static func dijkstra(firstOut: UnsafePointer<UInt32>, head: UnsafePointer<UInt32>,
                                 weight: UnsafePointer<UInt32>, dist: UnsafeMutablePointer<UInt32>,
                                 heap: inout QuadHeap) {
        while !heap.isEmpty {
            let top = heap.popMin()
            let u = Int(truncatingIfNeeded: top & 0xFFFF_FFFF)
            let d = UInt32(truncatingIfNeeded: top >> 32)
            var a = Int(firstOut[u])
            let end = Int(firstOut[u + 1])
            while a < end {
                let (nd, overflow) = d.addingReportingOverflow(weight[a])
                let v = Int(head[a])
                let old = dist[v]
                if !overflow && nd < old {
                    dist[v] = nd
                    if old == RoadGraph.infWeight {
                        heap.push(UInt32(truncatingIfNeeded: v), key: nd)
                    } else {
                        heap.decrease(UInt32(truncatingIfNeeded: v), key: nd)
                    }
                }
                a += 1
            }
        }
    }
}
