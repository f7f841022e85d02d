import Foundation
import WatchroomTestSupport
import XCTest

/// kill -9 of a recording process loses no committed event, several times over.
final class ShiftDurabilityTests: XCTestCase {
    /// `watchroom-bench record-soak` records as fast as it can and reports each commit; it is killed
    /// with SIGKILL mid-write (at a different moment each round); the file then passes
    /// SQLite's integrity check and holds every event reported committed, contiguous
    /// from seq 1, each with the content it was published with.
    func testKillNineMidWriteLosesNoCommittedEvent() throws {
        let binary = try XCTUnwrap(CLIRunner.binaryPath("watchroom-bench"), "run `swift build` first")
        let dir = NSTemporaryDirectory() + "watchroom-durability-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        for (round, wait) in [0.4, 0.9, 1.5].enumerated() {
            let file = "\(dir)/soak-\(round).shift"
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = ["record-soak", "-o", file, "--flush-every", "\(50 + 70 * round)"]
            let out = Pipe()
            process.standardOutput = out
            process.standardError = FileHandle.nullDevice
            let collected = LockedData()
            out.fileHandleForReading.readabilityHandler = { handle in collected.append(handle.availableData) }
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            // Let it record for a while, then kill it without warning.
            let deadline = Date().addingTimeInterval(10)
            while collected.lines().filter({ $0.hasPrefix("committed ") }).count < 3, Date() < deadline { usleep(20_000) }
            usleep(useconds_t(wait * 1_000_000))
            XCTAssertTrue(process.isRunning, "the recorder should still be writing when killed")
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            out.fileHandleForReading.readabilityHandler = nil
            collected.append(out.fileHandleForReading.readDataToEndOfFile())
            XCTAssertEqual(process.terminationReason, .uncaughtSignal)

            let committed = collected.lines().compactMap { line -> UInt64? in
                line.hasPrefix("committed ") ? UInt64(line.dropFirst("committed ".count)) : nil
            }
            let reported = try XCTUnwrap(committed.max(), "round \(round): no commit reported")
            XCTAssertGreaterThan(reported, 100)

            // The crashed file: sound, and every committed event is there.
            let verify = try CLIRunner.run(["shift", "verify", file])
            XCTAssertEqual(verify.status, 0, "round \(round): \(verify.stderr)")
            XCTAssertTrue(verify.stdout.contains(": ok,"), verify.stdout)
            let export = try CLIRunner.run(["shift", "export", file])
            XCTAssertEqual(export.status, 0, export.stderr)
            let lines = export.stdout.split(separator: "\n")
            XCTAssertGreaterThanOrEqual(UInt64(lines.count), reported,
                                        "round \(round): \(reported) events were reported committed, the file has \(lines.count)")
            for (k, line) in lines.enumerated() {
                let seq = k + 1
                guard line.contains("\"seq\":\(seq),") else {
                    return XCTFail("round \(round): line \(seq) is not seq \(seq): \(line.prefix(120))")
                }
                if seq >= 3 {
                    let x = "\"x\":\(seq)"
                    XCTAssertTrue(line.contains(x) && line.contains("\"unit.position\""), "round \(round): \(line)")
                }
            }
        }
    }
}

/// Bytes collected from a pipe's handler thread.
private final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()

    func append(_ more: Data) { lock.withLock { data.append(more) } }

    func lines() -> [String] {
        lock.withLock { String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init) }
    }
}
