import WatchroomCore

/// Graph algorithms over compressed adjacency arrays (CSR), all iterative so that
/// millions of nodes never touch the call stack.
public enum GraphAlgorithms {
    /// Tarjan's strongly connected components, iteratively. `start` has `n + 1` entries;
    /// the successors of `v` are `target[start[v]..<start[v + 1]]`. Returns a component
    /// number per node (components are numbered in reverse topological order).
    public static func stronglyConnectedComponents(count n: Int, start: [Int32], target: [Int32]) -> [Int32] {
        var index = [Int32](repeating: -1, count: n)
        var low = [Int32](repeating: 0, count: n)
        var onStack = [Bool](repeating: false, count: n)
        var component = [Int32](repeating: -1, count: n)
        var stack: [Int32] = []
        var callNode: [Int32] = []
        var callEdge: [Int32] = []
        var counter: Int32 = 0
        var components: Int32 = 0
        for root in 0..<n where index[root] < 0 {
            index[root] = counter; low[root] = counter; counter += 1
            stack.append(Int32(root)); onStack[root] = true
            callNode.append(Int32(root)); callEdge.append(start[root])
            while let v32 = callNode.last {
                let v = Int(v32)
                let top = callEdge.count - 1
                let e = callEdge[top]
                if e < start[v + 1] {
                    callEdge[top] = e + 1
                    let w = Int(target[Int(e)])
                    if index[w] < 0 {
                        index[w] = counter; low[w] = counter; counter += 1
                        stack.append(Int32(w)); onStack[w] = true
                        callNode.append(Int32(w)); callEdge.append(start[w])
                    } else if onStack[w] {
                        low[v] = min(low[v], index[w])
                    }
                } else {
                    callNode.removeLast()
                    callEdge.removeLast()
                    if let parent = callNode.last { low[Int(parent)] = min(low[Int(parent)], low[v]) }
                    if low[v] == index[v] {
                        while let w = stack.popLast() {
                            onStack[Int(w)] = false
                            component[Int(w)] = components
                            if Int(w) == v { break }
                        }
                        components += 1
                    }
                }
            }
        }
        return component
    }

    /// Nodes reachable from `source` along the arcs.
    public static func reachable(from source: Int, count n: Int, start: [Int32], target: [Int32]) -> [Bool] {
        var seen = [Bool](repeating: false, count: n)
        var queue: [Int32] = [Int32(source)]
        seen[source] = true
        var head = 0
        while head < queue.count {
            let v = Int(queue[head])
            head += 1
            var e = Int(start[v])
            let end = Int(start[v + 1])
            while e < end {
                let w = Int(target[e])
                if !seen[w] { seen[w] = true; queue.append(Int32(w)) }
                e += 1
            }
        }
        return seen
    }
}

/// Disjoint sets with path halving and union by size.
public struct UnionFind {
    public var parent: [Int32]
    public var size: [Int32]

    public init(count: Int) {
        parent = (0..<Int32(count)).map { $0 }
        size = [Int32](repeating: 1, count: count)
    }

    public mutating func find(_ v: Int) -> Int {
        var x = v
        while Int(parent[x]) != x {
            let grand = parent[Int(parent[x])]
            parent[x] = grand
            x = Int(grand)
        }
        return x
    }

    public mutating func union(_ a: Int, _ b: Int) {
        var ra = find(a), rb = find(b)
        if ra == rb { return }
        if size[ra] < size[rb] { swap(&ra, &rb) }
        parent[rb] = Int32(ra)
        size[ra] += size[rb]
    }
}

extension MapParser {
    /// The node nearest to `p` among those marked in `use`.
    func nearestNode(to p: Point, among use: [Bool]) -> Int? {
        var best: Int?
        var bestD = Double.infinity
        for v in 0..<use.count where use[v] {
            guard let node = nodes.payload[v] else { continue }
            let dx = node.position.x - p.x, dy = node.position.y - p.y
            let d = dx * dx + dy * dy
            if d < bestD { bestD = d; best = v }
        }
        return best
    }

    func nodeName(_ v: Int) -> String { TextSanitizer.quote(nodes.keys[v]) }

    func others(_ count: Int) -> String {
        count == 1 ? "" : " and \(count - 1) other connected node\(count == 2 ? "" : "s")"
    }

    /// One-way traps and reachability from the station, by car and on foot.
    mutating func checkGraph(station: Point, carOK: [Bool], footOK: [Bool]) {
        let n = nodes.keys.count
        guard n > 0 else { return }

        // The car graph in CSR form; `via` holds the segment of each arc.
        var start = [Int32](repeating: 0, count: n + 1)
        var carTouch = [Bool](repeating: false, count: n)
        for (i, s) in segments.enumerated() where carOK[i] {
            start[Int(s.from) + 1] += 1
            if !s.oneway { start[Int(s.to) + 1] += 1 }
            carTouch[Int(s.from)] = true
            carTouch[Int(s.to)] = true
        }
        for v in 0..<n { start[v + 1] += start[v] }
        let arcs = Int(start[n])
        var target = [Int32](repeating: 0, count: arcs)
        var via = [Int32](repeating: 0, count: arcs)
        var fill = start
        for (i, s) in segments.enumerated() where carOK[i] {
            let f = Int(s.from), t = Int(s.to)
            target[Int(fill[f])] = Int32(t); via[Int(fill[f])] = Int32(i); fill[f] += 1
            if !s.oneway {
                target[Int(fill[t])] = Int32(f); via[Int(fill[t])] = Int32(i); fill[t] += 1
            }
        }

        if let home = nearestNode(to: station, among: carTouch) {
            let component = GraphAlgorithms.stronglyConnectedComponents(count: n, start: start, target: target)
            let reach = GraphAlgorithms.reachable(from: home, count: n, start: start, target: target)
            let homeComponent = component[home]
            var uf = UnionFind(count: n)
            // Group trapped nodes (reached, cannot return) and unreached nodes into pieces.
            for u in 0..<n where carTouch[u] {
                let trappedU = reach[u] && component[u] != homeComponent
                var e = Int(start[u])
                while e < Int(start[u + 1]) {
                    let w = Int(target[e])
                    let trappedW = reach[w] && component[w] != homeComponent
                    if (trappedU && trappedW) || (!reach[u] && !reach[w]) { uf.union(u, w) }
                    e += 1
                }
            }
            var entry = [Int32](repeating: -1, count: n)
            var example = [Int32](repeating: -1, count: n)
            for u in 0..<n where carTouch[u] && reach[u] && component[u] == homeComponent {
                var e = Int(start[u])
                while e < Int(start[u + 1]) {
                    let w = Int(target[e])
                    if reach[w] && component[w] != homeComponent {
                        let r = uf.find(w)
                        let seg = via[e]
                        if entry[r] < 0 || segments[Int(seg)].line < segments[Int(entry[r])].line { entry[r] = seg }
                    }
                    e += 1
                }
            }
            for v in 0..<n where carTouch[v] && !(reach[v] && component[v] == homeComponent) {
                let r = uf.find(v)
                if example[r] < 0 || nodes.line[v] < nodes.line[Int(example[r])] { example[r] = Int32(v) }
            }
            for r in 0..<n where example[r] >= 0 && uf.find(r) == r {
                let size = Int(uf.size[r])
                let ex = Int(example[r])
                if reach[ex] {
                    guard entry[r] >= 0 else { continue }
                    let seg = segments[Int(entry[r])]
                    let label = streetLabel(slot: seg.street)
                    let outDegree = start[ex + 1] - start[ex]
                    let node = nodeName(ex), nodeLine = nodes.line[ex], more = others(size)
                    if size == 1 && outDegree == 0 {
                        reportAt(.error, seg.line, seg.lineStart, .oneway,
                                 "one-way trap: node \(node) (line \(nodeLine)) can be entered by car through segment \(TextSanitizer.quote(seg.key)) on \(label) but never left")
                    } else {
                        reportAt(.error, seg.line, seg.lineStart, .oneway,
                                 "one-way trap: segment \(TextSanitizer.quote(seg.key)) on \(label) takes cars from the station to node \(node) (line \(nodeLine))\(more), with no way back")
                    }
                } else {
                    let node = nodeName(ex), more = others(size)
                    reportAt(.error, nodes.line[ex], nodes.lineStart[ex], nil,
                             "node \(node)\(more) cannot be reached by car from the station")
                }
            }
        }

        // On foot: one-way rules do not apply.
        var footTouch = [Bool](repeating: false, count: n)
        var uf = UnionFind(count: n)
        for (i, s) in segments.enumerated() where footOK[i] {
            footTouch[Int(s.from)] = true
            footTouch[Int(s.to)] = true
            uf.union(Int(s.from), Int(s.to))
        }
        if let home = nearestNode(to: station, among: footTouch) {
            let homeRoot = uf.find(home)
            var example = [Int32](repeating: -1, count: n)
            for v in 0..<n where footTouch[v] {
                let r = uf.find(v)
                if r != homeRoot, example[r] < 0 || nodes.line[v] < nodes.line[Int(example[r])] { example[r] = Int32(v) }
            }
            for r in 0..<n where example[r] >= 0 {
                let ex = Int(example[r])
                let node = nodeName(ex), more = others(Int(uf.size[r]))
                reportAt(.error, nodes.line[ex], nodes.lineStart[ex], nil,
                         "node \(node)\(more) cannot be reached on foot from the station")
            }
        }
    }

    /// Per profile: warns when the station's part of the network (strongly connected for
    /// cars, connected on foot) holds less than half of the length that profile may use, and
    /// when the station is more than 250 m from the nearest road of the profile.
    mutating func checkCoverage(_ m: PrecinctMap, station: Point, line: Int32, lineStart: Int) {
        let n = m.intersections.count
        guard n > 0 else { return }
        for car in [true, false] {
            let who = car ? "cars" : "officers on foot"
            let usable = m.segments.indices.filter { car ? m.segments[$0].access.allowsCar : m.segments[$0].access.allowsFoot }
            guard !usable.isEmpty else { continue }
            // The part of each node: a strongly connected component for cars, a connected one on foot.
            var part = [Int32](repeating: -1, count: n)
            var touched = [Bool](repeating: false, count: n)
            for i in usable { touched[m.segments[i].from] = true; touched[m.segments[i].to] = true }
            if car {
                var start = [Int32](repeating: 0, count: n + 1)
                for i in usable {
                    start[m.segments[i].from + 1] += 1
                    if !m.segments[i].oneway { start[m.segments[i].to + 1] += 1 }
                }
                for v in 0..<n { start[v + 1] += start[v] }
                var fill = start
                var target = [Int32](repeating: 0, count: Int(start[n]))
                for i in usable {
                    let s = m.segments[i]
                    target[Int(fill[s.from])] = Int32(s.to); fill[s.from] += 1
                    if !s.oneway { target[Int(fill[s.to])] = Int32(s.from); fill[s.to] += 1 }
                }
                part = GraphAlgorithms.stronglyConnectedComponents(count: n, start: start, target: target)
            } else {
                var uf = UnionFind(count: n)
                for i in usable { uf.union(m.segments[i].from, m.segments[i].to) }
                for v in 0..<n { part[v] = Int32(uf.find(v)) }
            }
            var home: Int?
            var homeDistance = Double.infinity
            for v in 0..<n where touched[v] {
                let d = m.intersections[v].position.distance(to: station)
                if d < homeDistance { homeDistance = d; home = v }
            }
            guard let home else { continue }
            var total = 0.0, kept = 0.0, nearest = Double.infinity
            for i in usable {
                let s = m.segments[i]
                let length = s.lengthMeters.isFinite ? Swift.max(0, s.lengthMeters) : 0
                total += length
                if part[s.from] == part[home] && part[s.to] == part[home] { kept += length }
                let points = m.polyline(ofSegment: i)
                nearest = Swift.min(nearest, Polyline.project(station, onto: points).distance)
            }
            if total > 0 && kept < total / 2 {
                reportAt(.warning, line, lineStart, .at,
                         "the station's part of the network holds \(formatNumber((kept / 100).rounded() / 10)) km of the \(formatNumber((total / 100).rounded() / 10)) km \(who) may use (less than half): the rest cannot be reached from the station\(car ? " and back" : "")")
            }
            if nearest > 250 && nearest.isFinite {
                reportAt(.warning, line, lineStart, .at,
                         "the station is \(Int(nearest.rounded())) m from the nearest road \(who) may use: every ETA from it includes that walk")
            }
        }
    }
}
