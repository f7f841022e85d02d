import WatchroomCore

/// Fastest routes between road positions on one graph.
///
/// Reusable: its per-node state is allocated once and reset in O(1) with timestamps.
/// Not thread-safe: use one per thread.
public final class RouteQuery {
    public let graph: RoadGraph
    private let space: SearchSpace

    public init(graph: RoadGraph) {
        self.graph = graph
        space = SearchSpace(nodeCount: graph.nodeCount)
    }

    /// The fastest route from `source` to `target` under `weights`, or `nil` when the target
    /// cannot be reached (closed roads, one-way streets, a segment the profile may not use).
    ///
    /// Dijkstra from the source's entry nodes that stops once the queue's smallest key is no
    /// better than the best arrival found; a route staying on one segment is considered too.
    ///
    /// - Complexity: O((n + m) · log n) for the n nodes and m arcs nearer than the target.
    public func fastest(from source: RoadPosition, to target: RoadPosition, weights: LiveWeights) -> Route? {
        precondition(weights.graph === graph, "weights belong to another graph")
        precondition(graph.map.segments.indices.contains(source.segment) && graph.map.segments.indices.contains(target.segment),
                     "position on an unknown segment")
        return graph.firstOut.withUnsafeBufferPointer { fo in
            graph.head.withUnsafeBufferPointer { hd in
                weights.forward.withUnsafeBufferPointer { wt -> Route? in
                    guard let firstOut = fo.baseAddress, let head = hd.baseAddress else { return nil }
                    let weight = wt.baseAddress ?? firstOut
                    return search(source, target, firstOut: firstOut, head: head, weight: weight)
                }
            }
        }
    }

    private func search(_ source: RoadPosition, _ target: RoadPosition, firstOut: UnsafePointer<UInt32>,
                        head: UnsafePointer<UInt32>, weight: UnsafePointer<UInt32>) -> Route? {
        let space = self.space
        space.reset()
        let sources = graph.sourceEntries(source, weights: weight)
        let targets = graph.targetEntries(target, weights: weight)
        for e in sources {
            space.seed(e.node, distance: e.millis, via: e.along ? SearchSpace.seedAlong : SearchSpace.seedAgainst)
        }
        var best = RoadGraph.infWeight
        var bestEntry: PositionEntry?
        var direct: (millis: UInt32, along: Bool)?
        if let d = graph.directMillis(from: source, to: target, weights: weight) {
            direct = d
            best = d.millis
        }
        let t0 = targets.first?.node ?? -1, t1 = targets.count > 1 ? targets[1].node : -1
        var heap = space.heap
        let nodes = space.nodes, stamp = space.stamp
        defer { space.heap = heap }
        while !heap.isEmpty && heap.minKey < best {
            let (u, d) = SearchSpace.settle(heap: &heap, nodes: nodes, stamp: stamp,
                                            firstOut: firstOut, head: head, weight: weight)
            if u == t0 || u == t1 {
                for e in targets where e.node == u {
                    let (total, overflow) = d.addingReportingOverflow(e.millis)
                    if !overflow && total < best {
                        best = total
                        bestEntry = e
                    }
                }
            }
        }
        guard best != RoadGraph.infWeight else { return nil }

        let map = graph.map
        if let bestEntry {
            // Walk the parent arcs back from the node where the route leaves the graph.
            var arcs: [Int] = []
            var v = bestEntry.node
            var p = space.parent(v)
            while p != SearchSpace.seedAlong && p != SearchSpace.seedAgainst {
                arcs.append(Int(p))
                v = graph.tail(ofArc: Int(p))
                p = space.parent(v)
            }
            arcs.reverse()
            var legs: [RouteSegment] = []
            legs.reserveCapacity(arcs.count + 2)
            let s = source.segment, sLen = map.segments[s].lengthMeters
            let startMillis = space.distance(v)
            legs.append(RouteSegment(segment: s, forward: p == SearchSpace.seedAlong,
                                     startFraction: clamp(source.fraction), endFraction: p == SearchSpace.seedAlong ? 1 : 0,
                                     meters: sLen * (p == SearchSpace.seedAlong ? 1 - clamp(source.fraction) : clamp(source.fraction)),
                                     millis: startMillis))
            for a in arcs {
                let seg = graph.segment(ofArc: a), fwd = graph.isForward(arc: a)
                legs.append(RouteSegment(segment: seg, forward: fwd, startFraction: fwd ? 0 : 1, endFraction: fwd ? 1 : 0,
                                         meters: map.segments[seg].lengthMeters, millis: weight[a]))
            }
            let t = target.segment, tLen = map.segments[t].lengthMeters, g = clamp(target.fraction)
            legs.append(RouteSegment(segment: t, forward: bestEntry.along, startFraction: bestEntry.along ? 0 : 1,
                                     endFraction: g, meters: tLen * (bestEntry.along ? g : 1 - g), millis: bestEntry.millis))
            return Directions.route(map: map, legs: legs)
        }
        guard let direct else { return nil }
        let s = source.segment
        let leg = RouteSegment(segment: s, forward: direct.along, startFraction: clamp(source.fraction),
                               endFraction: clamp(target.fraction),
                               meters: map.segments[s].lengthMeters * abs(clamp(target.fraction) - clamp(source.fraction)),
                               millis: direct.millis)
        return Directions.route(map: map, legs: [leg])
    }

    private func clamp(_ f: Double) -> Double { Swift.max(0, Swift.min(1, f)) }
}
