import CPrefetch

/// Asks the CPU to start loading the cache line holding `address` into every cache level,
/// without waiting for it (a static inline C function, inlined here). Never faults, even on
/// an invalid address.
@inline(__always)
func prefetchForRead(_ address: UnsafeRawPointer) {
    wr_prefetch_read(address)
}
