import Foundation

/// A program running in a detached tmux session of a fixed size, for end-to-end tests of
/// the full-screen console: type keys, read the screen back as text.
///
/// Each session has its own tmux server (`tmux -L <unique socket>`) with no user
/// configuration, no status line and `remain-on-exit`, so the last screen of a program that
/// quit can still be captured. Works headless (no terminal, no stdin, as root in CI). The
/// server is killed in `kill()` and on deinit.
///
/// ```swift
/// guard TmuxSession.isAvailable else { throw XCTSkip("tmux is not installed") }
/// let tmux = try TmuxSession(command: [binary, "start"], width: 100, height: 30)
/// XCTAssertTrue(tmux.waitFor("WATCHROOM"))
/// tmux.sendKeys("Tab", "j", "Enter")
/// ```
public final class TmuxSession {
    public enum Failure: Error, CustomStringConvertible {
        case tmuxMissing
        case tmuxFailed(arguments: [String], status: Int32, output: String)

        public var description: String {
            switch self {
            case .tmuxMissing: "tmux is not installed"
            case .tmuxFailed(let args, let status, let output):
                "tmux \(args.joined(separator: " ")) exited \(status): \(output)"
            }
        }
    }

    /// The tmux executable, found on PATH (or `$TMUX_BIN`).
    public static var executable: String? {
        let env = ProcessInfo.processInfo.environment
        if let bin = env["TMUX_BIN"], FileManager.default.isExecutableFile(atPath: bin) { return bin }
        let path = env["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/tmux"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Whether tmux can be run here; tests `XCTSkip` when not.
    public static var isAvailable: Bool { executable != nil }

    /// The `-L` socket name of this session's private server.
    public let socket: String
    public let sessionName = "watchroom"
    public private(set) var width: Int
    public private(set) var height: Int
    private let tmux: String
    private let configPath: String
    private var killed = false
    private let holdAfterExit: Bool

    /// Starts `command` (run directly, not through a shell) in a new detached session.
    ///
    /// - Parameters:
    ///   - environment: set for the command on top of TERM=xterm-256color and
    ///     LANG/LC_ALL=C.UTF-8 (either can be overridden here).
    ///   - holdAfterExit: run the command under `sh`, which then prints `[exited N]` and
    ///     waits, so the screen the program left behind (restored terminal, messages printed
    ///     after shutdown) stays readable. tmux 3.3a does not keep the last output of a pane
    ///     that died: with `remain-on-exit` the capture can lose it. `exitStatus` reads the
    ///     status from that line in this mode.
    public init(command: [String], width: Int = 100, height: Int = 30,
                environment: [String: String] = [:], holdAfterExit: Bool = false) throws {
        guard let tmux = Self.executable else { throw Failure.tmuxMissing }
        self.tmux = tmux
        self.width = width
        self.height = height
        self.holdAfterExit = holdAfterExit
        socket = "watchroom-test-\(getpid())-\(UUID().uuidString.prefix(8))"
        configPath = NSTemporaryDirectory() + "\(socket).conf"
        let config = """
            set -g status off
            set -g remain-on-exit on
            set -g default-terminal xterm-256color
            set -g history-limit 0
            set -g escape-time 0
            set -g exit-empty off
            """
        try config.write(toFile: configPath, atomically: true, encoding: .utf8)

        var env = ["TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"]
        for (k, v) in environment { env[k] = v }
        // `env` runs the command with exactly these variables set, whatever tmux's own
        // environment and default-terminal say.
        let held = holdAfterExit
            ? ["sh", "-c", "\"$@\"; echo \"[exited $?]\"; exec sleep 86400", "sh"] + command
            : command
        let wrapped = ["env"] + env.keys.sorted().map { "\($0)=\(env[$0] ?? "")" } + held
        do {
            try run(["new-session", "-d", "-s", sessionName, "-x", String(width), "-y", String(height)] + wrapped)
        } catch {
            try? FileManager.default.removeItem(atPath: configPath)
            throw error
        }
    }

    deinit { kill() }

    // MARK: - Input

    /// Keys tmux knows by name, sent as keys; anything else is typed literally.
    private static let namedKeys: Set<String> = Set([
        "Enter", "Escape", "Tab", "BTab", "Space", "BSpace", "Up", "Down", "Left", "Right",
        "Home", "End", "PageUp", "PageDown", "PgUp", "PgDn", "PPage", "NPage", "DC", "IC", "Delete", "Insert",
    ] + (1...12).map { "F\($0)" })

    /// Sends each argument either as a named key ("Enter", "Escape", "Tab", "BTab", "Up",
    /// "F1", "C-c", "M-x"...) or, when it is not a key name, as literal text.
    /// Use `sendText` to type text that happens to look like a key name.
    public func sendKeys(_ keys: String...) {
        for key in keys {
            if Self.isKeyName(key) {
                _ = try? run(["send-keys", "-t", sessionName, key])
            } else {
                sendText(key)
            }
        }
    }

    /// Types `text` literally (UTF-8, so Chinese input works).
    public func sendText(_ text: String) {
        _ = try? run(["send-keys", "-t", sessionName, "-l", "--", text])
    }

    static func isKeyName(_ key: String) -> Bool {
        if namedKeys.contains(key) { return true }
        // C-x, M-x, S-Up, C-M-x ...
        var rest = Substring(key)
        var prefixed = false
        while rest.count > 2, ["C-", "M-", "S-"].contains(String(rest.prefix(2))) {
            rest = rest.dropFirst(2)
            prefixed = true
        }
        return prefixed && (rest.count == 1 || namedKeys.contains(String(rest)))
    }

    // MARK: - Screen

    /// The screen as text lines (trailing blanks trimmed by tmux). With `escapes`, SGR
    /// sequences for colours and attributes are kept (`capture-pane -e`).
    public func capture(escapes: Bool = false) -> [String] {
        var args = ["capture-pane", "-p", "-t", sessionName]
        if escapes { args.insert("-e", at: 1) }
        guard let out = try? run(args) else { return [] }
        var lines = out.components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// The screen as one string, lines joined with newlines.
    public func screen() -> String { capture().joined(separator: "\n") }

    /// How long a wait polls by default: long enough for a machine under heavy load (a
    /// wait that succeeds returns as soon as its condition holds).
    public static let defaultWait: TimeInterval = 10

    /// Polls the screen until it contains `text`; `false` after `timeout` seconds.
    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval = TmuxSession.defaultWait) -> Bool {
        waitUntil(timeout: timeout) { $0.contains(text) }
    }

    /// Polls the screen until `condition` holds for its text; `false` after `timeout` seconds.
    @discardableResult
    public func waitUntil(timeout: TimeInterval = TmuxSession.defaultWait, _ condition: (String) -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if condition(screen()) { return true }
            usleep(50_000)
        } while Date() < deadline
        return condition(screen())
    }

    /// Resizes the window (the program gets SIGWINCH).
    public func resize(width: Int, height: Int) {
        if (try? run(["resize-window", "-t", sessionName, "-x", String(width), "-y", String(height)])) != nil {
            self.width = width
            self.height = height
        }
    }

    // MARK: - Output bytes

    /// Starts copying every byte the program writes to its terminal into `path`
    /// (`pipe-pane -o`), replacing any earlier copy. `stopPipingOutput()` ends it.
    public func pipeOutput(to path: String) {
        FileManager.default.createFile(atPath: path, contents: nil)
        _ = try? run(["pipe-pane", "-t", sessionName])
        _ = try? run(["pipe-pane", "-o", "-t", sessionName, "cat >> '\(path.replacingOccurrences(of: "'", with: "'\\''"))'"])
    }

    /// Stops the copy started by `pipeOutput(to:)`.
    public func stopPipingOutput() {
        _ = try? run(["pipe-pane", "-t", sessionName])
    }

    // MARK: - Process

    /// Whether the program is still running (its pane is not dead; with `holdAfterExit`,
    /// it has not printed its exit line).
    public var isRunning: Bool {
        if holdAfterExit { return !killed && exitStatus == nil && processID != nil }
        guard !killed, let out = try? run(["display-message", "-p", "-t", sessionName, "#{pane_dead}"]) else {
            return false
        }
        return out.trimmingCharacters(in: .whitespacesAndNewlines) == "0"
    }

    /// The program's process, to send it signals; `nil` once it has exited. (With
    /// `holdAfterExit` the pane runs `sh`, and this is the program, its child.)
    public var processID: pid_t? {
        guard !killed, let out = try? run(["display-message", "-p", "-t", sessionName, "#{pane_dead}:#{pane_pid}"])
        else { return nil }
        let parts = out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":")
        guard parts.count == 2, parts[0] == "0", let pane = pid_t(parts[1]) else { return nil }
        guard holdAfterExit else { return pane }
        let children = (try? String(contentsOfFile: "/proc/\(pane)/task/\(pane)/children", encoding: .utf8)) ?? ""
        guard let child = children.split(separator: " ").first.flatMap({ pid_t($0) }) else { return nil }
        // Once the program has exited, sh's only child is `sleep`.
        let name = (try? String(contentsOfFile: "/proc/\(child)/comm", encoding: .utf8)) ?? ""
        return name.hasPrefix("sleep") ? nil : child
    }

    /// The program's exit status once it has exited, else `nil`.
    public var exitStatus: Int32? {
        if holdAfterExit {
            guard let line = capture().last(where: { $0.hasPrefix("[exited ") }) else { return nil }
            return Int32(line.dropFirst("[exited ".count).prefix { $0 != "]" })
        }
        guard !killed,
              let out = try? run(["display-message", "-p", "-t", sessionName, "#{pane_dead}:#{pane_dead_status}"])
        else { return nil }
        let parts = out.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":")
        guard parts.count == 2, parts[0] == "1" else { return nil }
        return Int32(parts[1])
    }

    /// Waits up to `timeout` seconds for the program to exit; its status, or `nil`.
    public func waitForExit(timeout: TimeInterval = 5) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        repeat {
            if let status = exitStatus { return status }
            usleep(50_000)
        } while Date() < deadline
        return exitStatus
    }

    /// Kills the server (and the program). Safe to call twice.
    public func kill() {
        guard !killed else { return }
        killed = true
        _ = try? run(["kill-server"])
        try? FileManager.default.removeItem(atPath: configPath)
    }

    /// Runs `tmux -L socket -f config args`, returning standard output and error.
    ///
    /// Spawned with posix_spawn and reaped with waitpid, not with Foundation's `Process`:
    /// `new-session` forks the tmux server, which inherits every descriptor of the client,
    /// and `Process` on Linux learns that a child exited when a socket it shares with the
    /// child closes, which the long-lived server keeps open: `waitUntilExit` hung for ever
    /// (and so would reading a pipe to its end). Output goes to a file for the same reason.
    @discardableResult
    private func run(_ arguments: [String]) throws -> String {
        let args = [tmux, "-L", socket, "-f", configPath] + arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "TMUX")  // started from inside tmux: still use our own server
        if (env["TERM"] ?? "").isEmpty || env["TERM"] == "dumb" { env["TERM"] = "xterm-256color" }
        let outPath = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString.prefix(8)).out"
        defer { unlink(outPath) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv: [UnsafeMutablePointer<CChar>?] = args.map { strdup($0) } + [nil]
        let envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for p in argv { free(p) }
            for p in envp { free(p) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, tmux, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw Failure.tmuxFailed(arguments: arguments, status: -1, output: String(cString: strerror(spawned)))
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw Failure.tmuxFailed(arguments: arguments, status: -1, output: "waitpid: \(errno)")
            }
        }
        let text = (try? String(contentsOfFile: outPath, encoding: .utf8)) ?? ""
        // Exited normally with 0 (WIFEXITED and WEXITSTATUS, which Swift does not import).
        let exitCode = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : -1
        guard exitCode == 0 else {
            throw Failure.tmuxFailed(arguments: arguments, status: exitCode, output: text)
        }
        return text
    }
}
