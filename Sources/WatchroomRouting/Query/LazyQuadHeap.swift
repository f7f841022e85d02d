/// A 4-ary min-heap of `key << 32 | node` words without decrease-key: a node whose key drops
/// is pushed again and the caller skips the stale copies when they come out. Nothing is
/// written per node, so the heap touches only its own (small, cache-resident) array.
/// Manually managed storage: the owner calls ``deallocate()``. Copy it into a local variable
/// around hot loops (a pointer, a capacity and a count).
struct LazyQuadHeap {
    private(set) var entries: UnsafeMutablePointer<UInt64>
    private(set) var capacity: Int
    var count: Int = 0

    init(capacity: Int) {
        self.capacity = Swift.max(16, capacity)
        entries = .allocate(capacity: self.capacity)
    }

    func deallocate() { entries.deallocate() }

    @inline(__always) var isEmpty: Bool { count == 0 }

    /// The smallest key; only valid when the heap is not empty.
    @inline(__always) var minKey: UInt32 { UInt32(truncatingIfNeeded: entries[0] >> 32) }

    /// - Complexity: O(log₄ n), amortised (the array doubles when full).
    @inline(__always) mutating func push(_ entry: UInt64) {
        if count == capacity { grow() }
        var i = count
        count += 1
        while i > 0 {
            let p = (i - 1) >> 2
            let pe = entries[p]
            if pe <= entry { break }
            entries[i] = pe
            i = p
        }
        entries[i] = entry
    }

    /// Removes and returns the smallest entry; the heap must not be empty.
    ///
    /// - Complexity: O(log₄ n).
    @inline(__always) mutating func popMin() -> UInt64 {
        let top = entries[0]
        count -= 1
        let n = count
        guard n > 0 else { return top }
        let entry = entries[n]
        var i = 0
        while true {
            let c = 4 * i + 1
            if c >= n { break }
            var best = c
            var be = entries[c]
            if c + 3 < n {
                // A full group of four: branch-free minimum.
                let e1 = entries[c + 1], e2 = entries[c + 2], e3 = entries[c + 3]
                let m01 = e1 < be ? e1 : be, i01 = e1 < be ? c + 1 : c
                let m23 = e3 < e2 ? e3 : e2, i23 = e3 < e2 ? c + 3 : c + 2
                be = m23 < m01 ? m23 : m01
                best = m23 < m01 ? i23 : i01
            } else {
                var k = c + 1
                while k < n {
                    let e = entries[k]
                    if e < be { be = e; best = k }
                    k += 1
                }
            }
            if be >= entry { break }
            entries[i] = be
            i = best
        }
        entries[i] = entry
        return top
    }

    @inline(never) private mutating func grow() {
        let bigger = UnsafeMutablePointer<UInt64>.allocate(capacity: 2 * capacity)
        bigger.update(from: entries, count: count)
        entries.deallocate()
        entries = bigger
        capacity *= 2
    }
}
