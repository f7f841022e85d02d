/// LLVM's target-independent prefetch intrinsic (`prefetcht0` on x86-64, `prfm` on arm64; a
/// no-op where the target has none). Swift has no public spelling for it; binding the
/// intrinsic's name with `@_silgen_name` makes the compiler emit the intrinsic call itself.
@_silgen_name("llvm.prefetch.p0")
private func llvmPrefetch(_ address: UnsafeRawPointer, _ write: Int32, _ locality: Int32, _ dataCache: Int32)

/// Asks the CPU to start loading the cache line holding `address` into every cache level,
/// without waiting for it. Never faults, even on an invalid address.
@inline(__always)
func prefetchForRead(_ address: UnsafeRawPointer) {
    llvmPrefetch(address, 0, 3, 1)
}
