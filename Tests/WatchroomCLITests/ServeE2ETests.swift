import Foundation
import WatchroomTestSupport
import XCTest

/// A served shift's private folder (its socket, data, state and the servers' output) and
/// the `watchroom serve` processes started in it, killed at the end.
class ServedShiftTestCase: XCTestCase {
    var dir = ""
    var servers: [Background] = []

    override func setUpWithError() throws {
        dir = "/tmp/wse-\(getpid())-\(UInt16.random(in: 0...UInt16.max))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        for s in servers { s.kill(SIGKILL) }
        try? FileManager.default.removeItem(atPath: dir)
    }

    var env: [String: String] {
        ["XDG_RUNTIME_DIR": dir + "/run", "XDG_DATA_HOME": dir + "/data", "XDG_STATE_HOME": dir + "/state"]
    }
    var socket: String { dir + "/run/watchroom/watchroom.sock" }

    func serve(_ arguments: [String]) throws -> Background {
        let s = try Background(["serve", "--map", CLIRunner.defaultMapPath] + arguments, environment: env, output: dir + "/serve-\(servers.count).out")
        servers.append(s)
        XCTAssertTrue(s.waitFor("listening on unix:", timeout: 60), "serve did not start: \(s.output)")
        return s
    }
}

/// `watchroom serve`, `status` and `run --attach` as separate processes on a real socket.
final class ServeE2ETests: ServedShiftTestCase {
    func script(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func attach(_ script: String, _ extra: [String] = []) throws -> CLIRunner.Output {
        try CLIRunner.run(["run", "--attach", socket, "--script", script] + extra, environment: env, timeout: 90)
    }

    // MARK: -

    func testServeStatusAndTwoCommandersRacingForOneUnit() throws {
        let server = try serve(["--simulate", "off", "--no-record", "--speed", "10"])
        var info = stat()
        XCTAssertEqual(stat(dir + "/run/watchroom", &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700)
        XCTAssertEqual(stat(socket, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)

        let setup = try attach(try script("setup.script", """
            unit add Z16 car at 永平门街 18
            new assault P1 at 永平门街 18 "knife" caller 张伟 phone 13800001234
            expect P1
            """))
        XCTAssertEqual(setup.status, 0, setup.stderr)
        // Two commanders send the same unit at once: one is told where it went.
        let race = try script("race.script", "dispatch last Z16\n")
        let outputs = Locked<[CLIRunner.Output]>([])
        let arguments = ["run", "--attach", socket, "--script", race], environment = env
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            if let o = try? CLIRunner.run(arguments, environment: environment, timeout: 90) { outputs.update { $0.append(o) } }
        }
        let both = outputs.value
        XCTAssertEqual(both.count, 2)
        XCTAssertEqual(both.filter { $0.status == 0 }.count, 1, both.map(\.stderr).joined())
        let loser = try XCTUnwrap(both.first { $0.status != 0 })
        XCTAssertTrue(loser.stderr.contains("Z16 already assigned to"), loser.stderr)

        // A client that waits on the shift's clock, and says where it ended.
        let a = try attach(try script("quiet.script", "wait 2s\n"))
        let tail = a.stdout.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(tail.hasPrefix("attached as commander: seq "), a.stdout + a.stderr)
        XCTAssertTrue(tail.hasSuffix("0 duplicates, 0 gaps, 0 reconnects"), tail)
        let status = try CLIRunner.run(["status", socket], environment: env, timeout: 30)
        XCTAssertEqual(status.status, 0, status.stderr)
        XCTAssertTrue(status.stdout.contains("on jiangbei-city, seq "), status.stdout)
        XCTAssertTrue(status.stdout.contains("0 commanders, 0 viewers"), status.stdout)

        // A viewer is refused by kind and never sees the caller.
        let viewer = try attach(try script("viewer.script", "dispatch last Z16\n"), ["--role", "viewer", "--jsonl"])
        XCTAssertNotEqual(viewer.status, 0)
        XCTAssertTrue(viewer.stderr.contains("Viewer is read-only: dispatch is not available"), viewer.stderr)
        XCTAssertFalse(viewer.stdout.contains("13800001234") || viewer.stdout.contains("张伟"))

        server.kill(SIGTERM)
        XCTAssertTrue(server.waitExit(timeout: 20))
        XCTAssertEqual(server.status, 0)
        XCTAssertTrue(server.output.contains("watchroom serve: stopped at seq"), server.output)
        XCTAssertFalse(FileManager.default.fileExists(atPath: socket))
    }

    func testWrongMapIsRefusedAndTCPNeedsAToken() throws {
        _ = try serve(["--simulate", "off", "--no-record"])
        let other = dir + "/other.wrmap"
        let made = try CLIRunner.run(["map", "generate", "--intersections", "200", "--seed", "3", "-o", other], timeout: 60)
        XCTAssertEqual(made.status, 0, made.stderr)
        let s = try script("x.script", "pause\n")
        let refused = try CLIRunner.run(["run", "--attach", socket, "--script", s, "--map", other], environment: env, timeout: 60)
        XCTAssertNotEqual(refused.status, 0)
        XCTAssertTrue(refused.stderr.contains("this server runs map 'jiangbei-city'"), refused.stderr)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)

        let noToken = try CLIRunner.run(["serve", "--listen", "tcp:127.0.0.1:0", "--no-record"], environment: env, timeout: 30)
        XCTAssertNotEqual(noToken.status, 0)
        XCTAssertTrue(noToken.stderr.contains("--listen needs --token-file"), noToken.stderr)
        let tokenFile = dir + "/token"
        try "0123456789abcdef0123".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        chmod(tokenFile, 0o600)
        let remote = try CLIRunner.run(["serve", "--listen", "tcp:0.0.0.0:0", "--token-file", tokenFile, "--no-record",
                                        "--socket", dir + "/r.sock"], environment: env, timeout: 30)
        XCTAssertNotEqual(remote.status, 0)
        XCTAssertTrue(remote.stderr.contains("not a loopback address; add --allow-remote"), remote.stderr)
    }

    func testAStoppedClientIsDroppedPastItsBoundAndNeverDelaysTheOthers() throws {
        // A busy shift at 200x fills a 64 KiB queue within seconds.
        _ = try serve(["--simulate", "busy", "--speed", "200", "--no-record", "--client-queue", "65536"])
        let stopped = try Background(["run", "--attach", socket, "--role", "viewer", "--script", try script("long.script", "wait 2h\n")],
                                     environment: env, output: dir + "/stopped.out")
        defer { stopped.kill(SIGKILL) }
        let attached = Date().addingTimeInterval(15)
        var status = ""
        while Date() < attached {
            status = (try? CLIRunner.run(["status", socket], environment: env, timeout: 10).stdout) ?? ""
            if status.contains("1 viewer") { break }
            usleep(100_000)
        }
        XCTAssertTrue(status.contains("0 commanders, 1 viewer"), status)
        stopped.kill(SIGSTOP)
        // The others go on at their pace while it is stopped: a command is answered at once.
        let start = Date()
        let other = try attach(try script("cmd.script", "pause\nexpect paused\nresume\n"))
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(start), 10)
        // And the stopped one is dropped once its queue passes the bound.
        let dropped = Date().addingTimeInterval(30)
        while Date() < dropped {
            status = (try? CLIRunner.run(["status", socket], environment: env, timeout: 10).stdout) ?? ""
            if status.contains("0 commanders, 0 viewers") { break }
            usleep(200_000)
        }
        XCTAssertTrue(status.contains("0 commanders, 0 viewers"), status)
        XCTAssertTrue(servers[0].output.isEmpty || !servers[0].output.contains("Fatal"), servers[0].output)
        stopped.kill(SIGCONT)
    }

    func testKillNineResumeAndTheClientComesBackWithNoGapOrDuplicate() throws {
        let shift = dir + "/night.shift"
        let first = try serve(["--simulate", "busy", "--speed", "20", "--shift", shift, "--seed", "5"])
        // A commander waiting through the crash: 40 simulated seconds at 20x.
        let waiter = try Background(["run", "--attach", socket, "--script", try script("w.script", "wait 10s\nwait 30s\nsummary\n")],
                                    environment: env, output: dir + "/waiter.out")
        defer { waiter.kill(SIGKILL) }
        usleep(1_500_000)
        first.kill(SIGKILL)
        XCTAssertTrue(first.waitExit(timeout: 10))
        usleep(500_000)
        let second = try serve(["--resume", shift, "--simulate", "busy", "--speed", "20"])
        XCTAssertTrue(waiter.waitExit(timeout: 60), waiter.output)
        XCTAssertEqual(waiter.status, 0, waiter.output)
        let last = waiter.output.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(last.hasPrefix("attached as commander: seq "), waiter.output)
        XCTAssertTrue(last.contains("0 duplicates, 0 gaps"), last)
        XCTAssertFalse(last.contains(", 0 reconnects"), "the client did not reconnect: \(last)")
        second.kill(SIGTERM)
        XCTAssertTrue(second.waitExit(timeout: 20))
        let info = try CLIRunner.run(["shift", "info", shift], timeout: 30)
        XCTAssertEqual(info.status, 0, info.stderr)
    }
}

/// A `watchroom` process left running, its output in a file.
final class Background {
    let process = Process()
    let outputPath: String

    init(_ arguments: [String], environment: [String: String], output: String) throws {
        guard let binary = CLIRunner.binaryPath() else { throw NSError(domain: "Background", code: 1) }
        outputPath = output
        FileManager.default.createFile(atPath: output, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = CLIRunner.packageRoot
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.standardOutput = handle
        process.standardError = handle
        process.standardInput = FileHandle.nullDevice
        try process.run()
    }

    var output: String { (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "" }
    var status: Int32 { process.terminationStatus }

    func waitFor(_ text: String, timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if output.contains(text) { return true }
            if !process.isRunning { return output.contains(text) }
            usleep(50_000)
        }
        return false
    }

    func waitExit(timeout: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        return !process.isRunning
    }

    func kill(_ sig: Int32) {
        if process.isRunning { Foundation.kill(process.processIdentifier, sig) }
        if sig == SIGKILL { _ = waitExit(timeout: 5) }
    }
}

/// A value shared with other threads.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ value: T) { _value = value }
    var value: T { lock.withLock { _value } }
    func update(_ change: (inout T) -> Void) { lock.withLock { change(&_value) } }
}
