/// An indexed 4-ary min-heap of nodes keyed by a 32-bit distance, over manually managed
/// buffers so the hot loop has no ARC traffic and no bounds checks.
///
/// An entry packs `key << 32 | node` into one word, so comparing entries compares keys and
/// breaks ties by node id. `position[node << positionShift]` is the node's slot while it is
/// in the heap: the slot may live in the heap's own array (shift 0) or inside a caller's
/// per-node record (e.g. shift 2 for four 32-bit fields per node), so one cache line holds
/// everything about a node. The owner allocates with ``allocate(nodeCount:)`` (or supplies
/// `position`) and must call ``deallocate()`` for what it allocated.
/// Copy the heap into a local variable around hot loops (it is two pointers and a count).
struct QuadHeap {
    let entries: UnsafeMutablePointer<UInt64>
    let position: UnsafeMutablePointer<UInt32>
    let positionShift: Int
    var count: Int = 0

    init(entries: UnsafeMutablePointer<UInt64>, position: UnsafeMutablePointer<UInt32>, positionShift: Int = 0) {
        self.entries = entries
        self.position = position
        self.positionShift = positionShift
    }

    /// A heap whose positions live in the caller's per-node records.
    static func allocate(nodeCount: Int, position: UnsafeMutablePointer<UInt32>, positionShift: Int) -> QuadHeap {
        let entries = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(1, nodeCount))
        entries.initialize(repeating: 0, count: Swift.max(1, nodeCount))
        return QuadHeap(entries: entries, position: position, positionShift: positionShift)
    }

    static func allocate(nodeCount: Int) -> QuadHeap {
        let entries = UnsafeMutablePointer<UInt64>.allocate(capacity: Swift.max(1, nodeCount))
        let position = UnsafeMutablePointer<UInt32>.allocate(capacity: Swift.max(1, nodeCount))
        position.initialize(repeating: 0, count: Swift.max(1, nodeCount))
        entries.initialize(repeating: 0, count: Swift.max(1, nodeCount))
        return QuadHeap(entries: entries, position: position)
    }

    /// Frees the entries, and the positions when the heap allocated them.
    func deallocate() {
        entries.deallocate()
        if positionShift == 0 { position.deallocate() }
    }

    @inline(__always) var isEmpty: Bool { count == 0 }

    /// The smallest key; only valid when the heap is not empty.
    @inline(__always) var minKey: UInt32 { UInt32(truncatingIfNeeded: entries[0] >> 32) }

    @inline(__always) static func pack(_ key: UInt32, _ node: UInt32) -> UInt64 {
        UInt64(key) << 32 | UInt64(node)
    }

    /// Inserts a node that is not in the heap.
    ///
    /// - Complexity: O(log₄ n).
    @inline(__always) mutating func push(_ node: UInt32, key: UInt32) {
        let i = count
        count += 1
        siftUp(i, Self.pack(key, node))
    }

    /// Lowers the key of a node that is in the heap.
    ///
    /// - Complexity: O(log₄ n).
    @inline(__always) mutating func decrease(_ node: UInt32, key: UInt32) {
        siftUp(Int(position[Int(node) &<< positionShift]), Self.pack(key, node))
    }

    /// Removes and returns the smallest entry (`key << 32 | node`); the heap must not be empty.
    ///
    /// - Complexity: O(log₄ n).
    @inline(__always) mutating func popMin() -> UInt64 {
        let top = entries[0]
        count -= 1
        if count > 0 { siftDown(entries[count]) }
        return top
    }

    @inline(__always) private func siftUp(_ start: Int, _ entry: UInt64) {
        var i = start
        while i > 0 {
            let p = (i - 1) >> 2
            let pe = entries[p]
            if pe <= entry { break }
            entries[i] = pe
            position[Int(truncatingIfNeeded: pe & 0xFFFF_FFFF) &<< positionShift] = UInt32(truncatingIfNeeded: i)
            i = p
        }
        entries[i] = entry
        position[Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &<< positionShift] = UInt32(truncatingIfNeeded: i)
    }

    @inline(__always) private func siftDown(_ entry: UInt64) {
        var i = 0
        let n = count
        while true {
            let c = 4 * i + 1
            if c >= n { break }
            var best = c
            var be = entries[c]
            let last = Swift.min(c + 3, n - 1)
            var k = c + 1
            while k <= last {
                let e = entries[k]
                if e < be { be = e; best = k }
                k += 1
            }
            if be >= entry { break }
            entries[i] = be
            position[Int(truncatingIfNeeded: be & 0xFFFF_FFFF) &<< positionShift] = UInt32(truncatingIfNeeded: i)
            i = best
        }
        entries[i] = entry
        position[Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) &<< positionShift] = UInt32(truncatingIfNeeded: i)
    }
}
