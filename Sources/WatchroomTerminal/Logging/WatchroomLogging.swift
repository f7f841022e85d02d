import Foundation
import Logging

/// Process-wide logging set-up: everything goes to a file, nothing to the terminal.
public enum WatchroomLogging {
    /// `$XDG_STATE_HOME/watchroom/watchroom.log` when XDG_STATE_HOME is an absolute path, else
    /// `$HOME/.local/state/watchroom/watchroom.log`; `nil` without either.
    public static func defaultPath(environment: [String: String]) -> String? {
        if let state = environment["XDG_STATE_HOME"], state.hasPrefix("/") {
            return state + "/watchroom/watchroom.log"
        }
        if let home = environment["HOME"], !home.isEmpty {
            return home + "/.local/state/watchroom/watchroom.log"
        }
        return nil
    }

    /// Routes every `Logger` to the log file at `path` (or `defaultPath`), creating its
    /// directories. When the file cannot be written, logging is silently off: it never falls
    /// back to standard output or error, where it would garble the screen.
    ///
    /// Call it once, before any `Logger` is made (a `Logger` keeps the handler it was made
    /// with). Later calls do nothing: swift-log allows one bootstrap per process.
    ///
    /// - Returns: the path now logged to, or `nil` when logging is off.
    @discardableResult
    public static func bootstrap(path: String?, level: Logger.Level = .info,
                                 environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        state.lock.lock()
        defer { state.lock.unlock() }
        if state.done { return state.path }
        state.done = true
        let file = (path ?? defaultPath(environment: environment)).flatMap { LogFile(path: $0) }
        state.path = file?.path
        LoggingSystem.bootstrap { label in
            guard let file else { return SwiftLogNoOpLogHandler(label) }
            return FileLogHandler(label: label, file: file, level: level)
        }
        return state.path
    }

    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var done = false
        var path: String?
    }

    private static let state = State()
}
