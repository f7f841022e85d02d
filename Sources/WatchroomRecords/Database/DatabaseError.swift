import Foundation
import CSQLite

/// What can go wrong talking to SQLite, with SQLite's own message and the SQL involved.
public enum DatabaseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file could not be opened (missing directory, permissions, read-only file asked for writing).
    case open(path: String, code: Int32, message: String)
    /// The file exists but is not an SQLite database, or is damaged.
    case notADatabase(path: String, message: String)
    /// A statement failed to compile, bind or run.
    case sqlite(code: Int32, message: String, sql: String)
    /// The file was written by a newer Watchroom: its schema version is above the one this build knows.
    case schemaTooNew(path: String, found: Int, supported: Int)
    /// A read-only file whose schema is older than this build's and cannot be migrated in place.
    case schemaOutdated(path: String, found: Int, expected: Int)
    /// A migration list that is not numbered 1, 2, 3, ... in order.
    case invalidMigrations(String)
    /// A file that should not be there (building a fresh database over an existing file).
    case fileExists(path: String)
    /// Reading a file (e.g. a fixture) failed.
    case unreadable(path: String, reason: String)
    /// The connection was closed (the program is shutting down).
    case closed(path: String)

    public var description: String {
        switch self {
        case let .open(path, code, message):
            return "cannot open database \(path): \(message) (SQLite code \(code))"
        case let .notADatabase(path, message):
            return "\(path) is not a usable SQLite database: \(message)"
        case let .sqlite(code, message, sql):
            return "SQLite error \(code): \(message) — in: \(DatabaseError.abbreviated(sql))"
        case let .schemaTooNew(path, found, supported):
            return "\(path) has schema version \(found), newer than this build supports (\(supported)); use a newer Watchroom"
        case let .schemaOutdated(path, found, expected):
            return "\(path) has schema version \(found) but \(expected) is needed, and it was opened read-only"
        case let .invalidMigrations(why):
            return "invalid migration list: \(why)"
        case let .fileExists(path):
            return "\(path) already exists; refusing to overwrite it"
        case let .unreadable(path, reason):
            return "cannot read \(path): \(reason)"
        case let .closed(path):
            return "\(path) is closed (Watchroom is shutting down)"
        }
    }

    /// The primary SQLite result code, if this error came from SQLite.
    public var sqliteCode: Int32? {
        switch self {
        case let .open(_, code, _), let .sqlite(code, _, _): return code & 0xFF
        default: return nil
        }
    }

    /// Whether SQLite refused the change because of a constraint (NOT NULL, CHECK, UNIQUE, FOREIGN KEY).
    public var isConstraintViolation: Bool { sqliteCode == SQLITE_CONSTRAINT }

    static func abbreviated(_ sql: String) -> String {
        let oneLine = sql.split(whereSeparator: { $0 == "\n" || $0 == "\r" })
            .map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        return oneLine.count > 200 ? String(oneLine.prefix(200)) + "…" : oneLine
    }
}
