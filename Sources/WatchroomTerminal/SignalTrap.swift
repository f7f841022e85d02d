import CNCursesW

/// Records SIGINT, SIGTERM and SIGHUP instead of dying, so the loop can restore the
/// terminal and exit cleanly.
///
/// The handler is plain C (`shim.h`): it only stores the signal number in a
/// `sig_atomic_t`. Nothing of Swift runs in signal context, so no actor isolation is
/// involved (a handler declared in a top-level `main.swift` crashed, see the notes).
///
/// - Important: the C state has internal linkage and is copied into every object file
///   that calls it. All `cn_trap_*` calls live in this file, and only here, behind
///   `@inline(never)` so the optimiser never copies a call into another file.
enum SignalTrap {
    /// Installs the handlers. Do it before `newterm`: ncurses then leaves SIGINT and SIGTERM
    /// alone (it only catches them while they are at their default). SIGWINCH stays with
    /// ncurses, which turns it into KEY_RESIZE.
    @inline(never)
    static func install() -> Bool { cn_trap_install() == 0 }

    /// Puts back the previous handlers.
    @inline(never)
    static func remove() { cn_trap_remove() }

    /// The first signal caught since `install`, if any.
    @inline(never)
    static func caught() -> Int32? {
        let s = cn_trap_caught()
        return s == 0 ? nil : s
    }
}
