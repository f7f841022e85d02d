import Foundation

/// Runs the real `watchroom` binary for end-to-end tests.
///
/// The binary is found through `$WATCHROOM_BIN`, else beside the test bundle (SwiftPM puts
/// test bundles and executables in the same build folder).
public enum CLIRunner {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var timedOut: Bool
    }

    public static var packageRoot: URL {
        // Sources/WatchroomTestSupport/CLIRunner.swift -> package root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    public static var defaultMapPath: String {
        packageRoot.appendingPathComponent("Maps/jiangbei-city.wrmap").path
    }

    /// The product binary, or (`name`) another executable of the package built beside it,
    /// such as `watchroom-bench`.
    public static func binaryPath(_ name: String = "watchroom") -> String? {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["WATCHROOM_BIN"], fm.isExecutableFile(atPath: env) {
            if name == "watchroom" { return env }
            candidates.append(URL(fileURLWithPath: env).deletingLastPathComponent().appendingPathComponent(name))
        }
        for bundle in Bundle.allBundles {
            candidates.append(bundle.bundleURL.deletingLastPathComponent().appendingPathComponent(name))
        }
        if let arg0 = CommandLine.arguments.first {
            candidates.append(URL(fileURLWithPath: arg0).deletingLastPathComponent().appendingPathComponent(name))
        }
        candidates.append(packageRoot.appendingPathComponent(".build/debug/" + name))
        return candidates.first { fm.isExecutableFile(atPath: $0.path) }?.path
    }

    /// Runs the binary (`binary`: `watchroom`, or `watchroom-bench`) with `arguments`,
    /// feeding `input` to standard input, killing it after `timeout`.
    public static func run(_ arguments: [String], input: Data = Data(), environment: [String: String] = [:],
                           timeout: TimeInterval = 60, binary: String = "watchroom") throws -> Output {
        guard let path = binaryPath(binary) else {
            throw NSError(domain: "CLIRunner", code: 1, userInfo: [NSLocalizedDescriptionKey:
                "\(binary) binary not found: run `swift build` first or set WATCHROOM_BIN"])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = packageRoot
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        let outBox = DataBox(), errBox = DataBox()
        let group = DispatchGroup()
        for (pipe, box) in [(outPipe, outBox), (errPipe, errBox)] {
            group.enter()
            DispatchQueue.global().async {
                box.set(pipe.fileHandleForReading.readDataToEndOfFile())
                group.leave()
            }
        }
        try process.run()
        inPipe.fileHandleForWriting.write(input)
        try? inPipe.fileHandleForWriting.close()
        let deadline = Date().addingTimeInterval(timeout)
        var timedOut = false
        while process.isRunning {
            if Date() > deadline {
                timedOut = true
                process.terminate()
                break
            }
            usleep(10_000)
        }
        process.waitUntilExit()
        group.wait()
        return Output(status: process.terminationStatus,
                      stdout: String(decoding: outBox.get(), as: UTF8.self),
                      stderr: String(decoding: errBox.get(), as: UTF8.self),
                      timedOut: timedOut)
    }
}

private final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.lock(); data = d; lock.unlock() }
    func get() -> Data { lock.lock(); defer { lock.unlock() }; return data }
}

extension CLIRunner {
    /// The newest process whose command line contains `pattern` (`pgrep -n -f`).
    public static func newestProcess(matching pattern: String) -> pid_t? {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/pgrep")
        p.arguments = ["-n", "-f", pattern]
        let pipe = Pipe()
        p.standardOutput = pipe
        guard (try? p.run()) != nil else { return nil }
        p.waitUntilExit()
        return pid_t(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
