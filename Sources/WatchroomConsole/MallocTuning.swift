import Foundation

/// glibc's allocator, tuned for a console that runs for days (docs/reliability.md, the
/// soak). Its functions are looked up at run time (Swift's Glibc module does not import
/// malloc.h); elsewhere these do nothing.
public enum MallocTuning {
    /// Two malloc arenas rather than one per thread (glibc makes up to eight per core):
    /// memory freed on one queue's thread is reused by the others instead of staying
    /// resident in an arena of its own. Call first thing, before other threads start.
    public static func limitArenas() {
        #if canImport(Glibc)
        typealias Mallopt = @convention(c) (Int32, Int32) -> Int32
        let M_ARENA_MAX: Int32 = -8
        guard let symbol = dlsym(nil, "mallopt") else { return }
        _ = unsafeBitCast(symbol, to: Mallopt.self)(M_ARENA_MAX, 2)
        #endif
    }

    /// Gives free memory back to the system: glibc returns only the free top of its heap
    /// on its own, and a long run leaves free pages between live allocations.
    public static func releaseFreeMemory() {
        #if canImport(Glibc)
        typealias MallocTrim = @convention(c) (Int) -> Int32
        guard let symbol = dlsym(nil, "malloc_trim") else { return }
        _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        #endif
    }
}
