import Foundation
import WatchroomRecords
import WatchroomTestSupport
import XCTest

/// The records are private and the audit is exact: files 0600 in 0700 folders, and
/// every lookup from a script audited with the real query, the OS user, the role and
/// the mode.
final class PrivacyTests: XCTestCase {
    private var dir = ""

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "watchroom-privacy-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func mode(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.posixPermissions] as? NSNumber)?.intValue ?? -1
    }

    func testRunLookupsAreAuditedExactlyInTheRecordsDatabaseCreatedPrivate() throws {
        let script = dir + "/lookups.txt"
        try Data("lookup phone 138-0000-1009\nlookup address 永平门街 23\n".utf8).write(to: URL(fileURLWithPath: script))
        let data = dir + "/data"
        let environment = ["XDG_DATA_HOME": data]
        for observer in [true, false] {
            let out = try CLIRunner.run(["run", "--script", script, "--map", CLIRunner.defaultMapPath, "--until", "1m"]
                                        + (observer ? ["--observer"] : []), environment: environment, timeout: 120)
            XCTAssertEqual(out.status, 0, out.stderr)
            if observer {
                XCTAssertFalse(out.stdout.contains("138-0000-1009"), "observer output is masked: \(out.stdout)")
            }
        }
        let database = data + "/watchroom/records.sqlite"
        XCTAssertEqual(mode(data + "/watchroom"), 0o700)
        XCTAssertEqual(mode(database), 0o600)
        for beside in ["-wal", "-shm"] {
            XCTAssertFalse(FileManager.default.fileExists(atPath: database + beside), "a run closes the records database: no \(beside) left")
        }
        // Made wider (an older build, a careless chmod): the next run sets both back.
        XCTAssertEqual(chmod(database, 0o644), 0)
        XCTAssertEqual(chmod(data + "/watchroom", 0o755), 0)
        XCTAssertEqual(try CLIRunner.run(["run", "--script", script, "--map", CLIRunner.defaultMapPath, "--until", "1m"],
                                         environment: environment, timeout: 120).status, 0)
        XCTAssertEqual(mode(data + "/watchroom"), 0o700)
        XCTAssertEqual(mode(database), 0o600)

        let trail = try SQLiteRecords(database: try Database.open(path: database, readOnly: true)).auditTrail()
        XCTAssertEqual(trail.count, 6, "\(trail)")
        XCTAssertEqual(trail.prefix(4).map(\.query), ["138-0000-1009", "street=永平门街 number=23", "138-0000-1009", "street=永平门街 number=23"],
                       "the real query, even in observer mode")
        XCTAssertEqual(trail.map(\.role), ["observer", "observer", "commander", "commander", "commander", "commander"])
        XCTAssertEqual(Set(trail.map(\.mode)), ["run"])
        let user = ProcessInfo.processInfo.userName
        XCTAssertEqual(Set(trail.map(\.osUser)), [user.isEmpty ? "root" : user])
        XCTAssertFalse(trail[0].shown.contains("1009") && trail[0].shown.contains("138-0000"), "what an observer saw is masked: \(trail[0].shown)")
    }

    func testShiftFilesExportsAndOrdersAreCreatedPrivate() throws {
        let jsonl = dir + "/g.jsonl", shift = dir + "/g.shift"
        XCTAssertEqual(try CLIRunner.run(["shift", "generate", "--hours", "0.2", "--map", CLIRunner.defaultMapPath, "-o", jsonl]).status, 0)
        XCTAssertEqual(try CLIRunner.run(["shift", "import", jsonl, "-o", shift]).status, 0)
        XCTAssertEqual(mode(jsonl), 0o600)
        XCTAssertEqual(mode(shift), 0o600)
        let back = dir + "/back.jsonl"
        XCTAssertEqual(try CLIRunner.run(["shift", "export", shift, "-o", back]).status, 0)
        XCTAssertEqual(mode(back), 0o600)
    }
}

/// Outputs never replace a file without --force, even one that appears while the command runs.
final class OutputRaceTests: XCTestCase {
    func testAFileMadeWhileGeneratingIsNeverReplacedWithoutForce() throws {
        let dir = NSTemporaryDirectory() + "watchroom-race-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let output = dir + "/g.jsonl"
        let binary = try XCTUnwrap(CLIRunner.binaryPath())
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = ["shift", "generate", "--hours", "12", "--profile", "busy", "--map", CLIRunner.defaultMapPath, "-o", output]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        // The simulation takes seconds; the file appears meanwhile (another program, a second run).
        Thread.sleep(forTimeInterval: 0.5)
        XCTAssertTrue(process.isRunning, "still simulating when the file appears")
        try Data("mine\n".utf8).write(to: URL(fileURLWithPath: output))
        process.waitUntilExit()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        XCTAssertEqual(process.terminationStatus, 1, stderr)
        XCTAssertTrue(stderr.contains("\(output) exists (it appeared while this command ran); nothing was written"), stderr)
        XCTAssertEqual(try String(contentsOfFile: output, encoding: .utf8), "mine\n", "the file made meanwhile is kept")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir), ["g.jsonl"], "no temporary file left")
    }
}
