import Foundation
import WatchroomCore
import WatchroomRecords
import XCTest

/// The repository root, found from this file's path.
let repoRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let fixturePath = repoRoot.appendingPathComponent(SQLiteRecords.defaultFixturePath).path
let mapPath = repoRoot.appendingPathComponent("Maps/jiangbei-city.wrmap").path

/// 2026-11-25T19:48:11.250+08:00
let fixedInstant = Date(timeIntervalSince1970: 1_795_607_291.25)
let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600) ?? .current

/// Where a test body's database lives.
enum Storage: String, CaseIterable {
    case memory, disk
}

/// A fresh temporary directory, removed at the end of the test.
func temporaryDirectory(_ test: XCTestCase) throws -> URL {
    let dir = FileManager.default.temporaryDirectory
        .appendingPathComponent("watchroom-records-\(UUID().uuidString)", isDirectory: true)
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    test.addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
    return dir
}

/// An empty connection of each kind.
func openDatabase(_ storage: Storage, _ test: XCTestCase) throws -> Database {
    switch storage {
    case .memory: return try Database.inMemory()
    case .disk: return try Database.open(path: try temporaryDirectory(test).appendingPathComponent("t.sqlite").path)
    }
}

/// Runs `body` once against an in-memory and once against an on-disk database, each a
/// fresh copy of the fixture; failures name the storage.
func forEachStorage(_ test: XCTestCase, observer: Bool = false, clock: ManualClock = ManualClock(fixedInstant),
                    file: StaticString = #filePath, line: UInt = #line,
                    _ body: (SQLiteRecords, Storage) throws -> Void) {
    for storage in Storage.allCases {
        do {
            let at: String? = storage == .disk
                ? try temporaryDirectory(test).appendingPathComponent("records.sqlite").path : nil
            let records = try SQLiteRecords.build(fromSQL: fixturePath, at: at, observer: observer,
                                                  clock: clock, timeZone: shanghai)
            try body(records, storage)
        } catch {
            XCTFail("[\(storage)] \(error)", file: file, line: line)
        }
    }
}

/// Runs `body` against an empty in-memory and an empty on-disk connection.
func forEachEmptyDatabase(_ test: XCTestCase, file: StaticString = #filePath, line: UInt = #line,
                          _ body: (Database, Storage) throws -> Void) {
    for storage in Storage.allCases {
        do {
            try body(try openDatabase(storage, test), storage)
        } catch {
            XCTFail("[\(storage)] \(error)", file: file, line: line)
        }
    }
}

func containsControl(_ s: String) -> Bool {
    s.unicodeScalars.contains { Sanitizer.isControl($0) }
}
