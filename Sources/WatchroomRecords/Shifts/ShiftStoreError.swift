import Foundation

/// Why a shift file could not be created, opened, written or read. Every case names
/// the file and says what to do, for the console's one-line errors.
public enum ShiftStoreError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Creating over an existing file.
    case fileExists(path: String)
    /// No such file (opening).
    case missing(path: String)
    /// A directory, a device, a pipe or a socket where a file was expected.
    case notAFile(path: String, kind: String)
    /// A file of zero bytes.
    case empty(path: String)
    /// Not SQLite at all, or damaged beyond opening.
    case notADatabase(path: String, message: String)
    /// SQLite, but not a Watchroom shift (another program's database, the records file).
    case notAShift(path: String)
    /// Shorter than its own header says: copied or written only in part.
    case truncated(path: String, expectedBytes: Int64, actualBytes: Int64)
    /// Damaged: SQLite found a malformed page, or a row that does not read as an event.
    case corrupt(path: String, message: String)
    /// Written by a newer Watchroom.
    case schemaTooNew(path: String, found: Int, supported: Int)
    /// Older schema opened read-only (it would need a migration, and read-only opens never write).
    case schemaOutdated(path: String, found: Int, expected: Int)
    /// A required `meta` entry is missing or invalid.
    case badMeta(path: String, key: String, reason: String)
    /// An append whose sequence numbers do not increase past the file's last one.
    case outOfOrder(path: String, seq: UInt64, after: UInt64)
    /// An event that cannot be written (a NaN, a non-object unknown payload).
    case unencodable(path: String, seq: UInt64, reason: String)
    /// An event whose numbers lie outside ``Bounds`` (a time outside 1970-9999, a
    /// coordinate more than 10,000 km out, a duration beyond 7 days, a non-finite number).
    case outOfRange(path: String, seq: UInt64, problem: String)
    /// Writing to a file opened read-only, or after `close()`.
    case notWritable(path: String)
    /// Any other SQLite failure (disk full, I/O error, permissions).
    case io(path: String, message: String)

    public var description: String {
        switch self {
        case let .fileExists(path):
            return "\(path) already exists; refusing to overwrite it (choose another name or remove it)"
        case let .missing(path):
            return "\(path): no such shift file"
        case let .notAFile(path, kind):
            return "\(path) is \(kind), not a recorded shift; give the path of a .shift or .jsonl file"
        case let .empty(path):
            return "\(path) is empty (0 bytes): nothing was recorded in it"
        case let .notADatabase(path, message):
            return "\(path) is not a shift file (not SQLite or damaged: \(message))"
        case let .notAShift(path):
            return "\(path) is an SQLite database but not a Watchroom shift file"
        case let .truncated(path, expected, actual):
            return "\(path) is truncated: its header describes \(expected) bytes but the file has \(actual); the copy is incomplete"
        case let .corrupt(path, message):
            return "\(path) is damaged: \(message)"
        case let .schemaTooNew(path, found, supported):
            return "\(path) has shift schema version \(found), newer than this build reads (\(supported)); use a newer Watchroom"
        case let .schemaOutdated(path, found, expected):
            return "\(path) has shift schema version \(found) (this build writes \(expected)) and was opened read-only; open it for writing to migrate it"
        case let .badMeta(path, key, reason):
            return "\(path): meta \(key): \(reason)"
        case let .outOfOrder(path, seq, after):
            return "\(path): event seq \(seq) does not come after seq \(after); events must be appended in order"
        case let .unencodable(path, seq, reason):
            return "\(path): event seq \(seq) cannot be written: \(reason)"
        case let .outOfRange(path, seq, problem):
            return "\(path): event seq \(seq): \(problem); the recording was altered or damaged"
        case let .notWritable(path):
            return "\(path) is open read-only (or closed); nothing was written"
        case let .io(path, message):
            return "\(path): \(message)"
        }
    }
}
