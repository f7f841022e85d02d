#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the console will not start on this terminal.
public enum TerminalRefusal: Error, Sendable, Hashable, CustomStringConvertible {
    /// TERM is unset (`nil`), empty or "dumb".
    case dumbTerminal(term: String?)
    /// Standard input or output is not a terminal (a pipe, a file, a CI job).
    case noTerminal
    /// ncurses could not open the terminal (unknown TERM, no terminfo entry...).
    case cannotOpen(term: String, reason: String)

    public var description: String {
        switch self {
        case .dumbTerminal(let term):
            let what = switch term {
            case nil: "TERM is not set"
            case ""?: "TERM is empty"
            case let t?: "TERM is \(t)"
            }
            return "Watchroom needs a full-screen terminal (\(what)); try TERM=xterm-256color"
        case .noTerminal:
            return "no terminal: Watchroom's console needs a terminal; for scripts use `watchroom route` / `watchroom map`"
        case .cannotOpen(let term, let reason):
            return "cannot open the terminal (TERM=\(term)): \(reason); try TERM=xterm-256color"
        }
    }
}

/// The outcome of `CursesBackend.preflight`.
public enum PreflightResult: Sendable, Hashable {
    case ready
    case refused(TerminalRefusal)
}

extension CursesBackend {
    /// Decides, without touching the terminal, whether the console can start.
    ///
    /// Checked in this order: standard input and output are terminals (else `.noTerminal`,
    /// the useful hint for scripts), then TERM is set, not empty and not "dumb".
    ///
    /// - Parameters:
    ///   - environment: the process environment (only `TERM` is read).
    ///   - isatty: whether a file descriptor is a terminal; descriptors 0 and 1 are asked.
    public static func preflight(environment: [String: String],
                                 isatty: (Int32) -> Bool = { fd in Glibc.isatty(fd) != 0 }) -> PreflightResult {
        guard isatty(0), isatty(1) else { return .refused(.noTerminal) }
        let term = environment["TERM"]
        guard let t = term, !t.isEmpty, t != "dumb" else { return .refused(.dumbTerminal(term: term)) }
        return .ready
    }
}
