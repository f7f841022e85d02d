#if canImport(Glibc)
import Glibc
#endif
import CNCursesW

/// A pseudo-terminal pair: a program draws on `slave` as on a real terminal; whoever holds
/// `master` reads what it drew and types into it. Used by tests (a real `CursesBackend`
/// without a real terminal) and by anything that serves the console over a connection.
public final class PseudoTerminal {
    public enum Failure: Error, Sendable, Hashable, CustomStringConvertible {
        case openFailed(errno: Int32)

        public var description: String {
            switch self {
            case .openFailed(let e): "openpty failed: \(String(cString: strerror(e)))"
            }
        }
    }

    public private(set) var master: Int32
    public private(set) var slave: Int32

    /// Opens a pair with the given size in cells. Both ends are blocking (ncurses retries
    /// a write forever on EAGAIN, so the slave must stay blocking).
    public init(width: Int, height: Int) throws {
        var m: Int32 = -1, s: Int32 = -1
        guard cn_openpty(&m, &s, Int32(clamping: height), Int32(clamping: width)) == 0 else {
            throw Failure.openFailed(errno: errno)
        }
        master = m
        slave = s
    }

    deinit { close() }

    /// Sets the size the slave side reports (TIOCSWINSZ). The kernel sends SIGWINCH to the
    /// terminal's foreground process group, if it has one.
    @discardableResult
    public func setSize(width: Int, height: Int) -> Bool {
        cn_set_winsize(master, Int32(clamping: height), Int32(clamping: width)) == 0
    }

    /// The size the terminal reports.
    public func size() -> (width: Int, height: Int) {
        var rows: Int32 = 0, cols: Int32 = 0
        _ = cn_get_winsize(master, &rows, &cols)
        return (Int(cols), Int(rows))
    }

    /// Everything the slave side wrote, waiting up to `timeoutMilliseconds` for the first byte
    /// and then until the output has been quiet for `quietMilliseconds`.
    public func readAvailable(timeoutMilliseconds: Int = 200, quietMilliseconds: Int = 30) -> [UInt8] {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var wait = timeoutMilliseconds
        while master >= 0 {
            var p = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
            let r = poll(&p, 1, Int32(clamping: wait))
            if r <= 0 || (p.revents & Int16(POLLIN)) == 0 { break }
            let n = buffer.withUnsafeMutableBytes { Glibc.read(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            out.append(contentsOf: buffer[0..<n])
            wait = quietMilliseconds
        }
        return out
    }

    /// Types bytes into the terminal, as a keyboard would.
    public func type(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count, master >= 0 {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(master, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            offset += n
        }
    }

    /// Types a string (UTF-8).
    public func type(_ text: String) { type(Array(text.utf8)) }

    /// Closes the master side: the program on the slave side sees a hang-up.
    public func closeMaster() {
        if master >= 0 { Glibc.close(master) }
        master = -1
    }

    /// Closes the slave side (the backend duplicates what it uses).
    public func closeSlave() {
        if slave >= 0 { Glibc.close(slave) }
        slave = -1
    }

    /// Closes both sides.
    public func close() {
        closeMaster()
        closeSlave()
    }
}
