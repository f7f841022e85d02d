import CSQLite

/// A compiled statement: bind parameters, step through rows, read typed columns.
///
/// Parameters are numbered from 1 (`?1`, `?2`, ...), columns from 0, as in SQLite.
/// The statement keeps its ``Database`` alive and is finalised when released.
public final class Statement {
    public let sql: String
    private let database: Database
    private let handle: OpaquePointer

    init(database: Database, handle: OpaquePointer, sql: String) {
        self.database = database
        self.handle = handle
        self.sql = sql
    }

    deinit {
        sqlite3_finalize(handle)
    }

    // MARK: - Binding

    /// Binds `value` to parameter `index` (1-based).
    public func bind(_ value: SQLValue, at index: Int32) throws {
        let rc: Int32
        switch value {
        case .null:
            rc = sqlite3_bind_null(handle, index)
        case let .integer(v):
            rc = sqlite3_bind_int64(handle, index, v)
        case let .real(v):
            rc = sqlite3_bind_double(handle, index, v)
        case let .text(v):
            rc = sqlite3_bind_text(handle, index, v, -1, cs_SQLITE_TRANSIENT())
        case let .blob(v):
            rc = v.withUnsafeBytes { bytes in
                sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), cs_SQLITE_TRANSIENT())
            }
        }
        guard rc == SQLITE_OK else { throw database.error(rc, sql: sql) }
    }

    /// Resets the statement and binds `values` to parameters 1, 2, ... in order.
    public func bind(_ values: [SQLValue]) throws {
        try reset()
        let expected = Int(sqlite3_bind_parameter_count(handle))
        guard values.count == expected else {
            throw DatabaseError.sqlite(code: SQLITE_RANGE,
                                       message: "\(values.count) values bound to \(expected) parameters", sql: sql)
        }
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Clears bindings and rewinds, so the statement can run again.
    public func reset() throws {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: - Stepping

    /// Advances: `true` when a row is ready to read, `false` when done.
    @discardableResult
    public func step() throws -> Bool {
        let rc = sqlite3_step(handle)
        switch rc {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = database.error(rc, sql: sql)
            sqlite3_reset(handle)
            throw error
        }
    }

    // MARK: - Columns

    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    public func columnName(_ index: Int) -> String {
        sqlite3_column_name(handle, Int32(index)).map { String(cString: $0) } ?? ""
    }

    public func isNull(_ index: Int) -> Bool {
        sqlite3_column_type(handle, Int32(index)) == SQLITE_NULL
    }

    public func int64(_ index: Int) -> Int64? {
        isNull(index) ? nil : sqlite3_column_int64(handle, Int32(index))
    }

    public func int(_ index: Int) -> Int? { int64(index).map { Int($0) } }

    public func double(_ index: Int) -> Double? {
        isNull(index) ? nil : sqlite3_column_double(handle, Int32(index))
    }

    /// The column as UTF-8 text (invalid sequences repaired), `nil` for NULL.
    public func text(_ index: Int) -> String? {
        guard !isNull(index), let bytes = sqlite3_column_text(handle, Int32(index)) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        let buffer = UnsafeBufferPointer(start: bytes, count: count)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Calls `body` with the column's UTF-8 bytes, valid only during the call (no copy);
    /// an empty buffer for NULL.
    public func withUTF8<T>(_ index: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> T) rethrows -> T {
        let column = Int32(index)
        guard let bytes = sqlite3_column_text(handle, column) else { return try body(UnsafeBufferPointer(start: nil, count: 0)) }
        return try body(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))))
    }

    public func blob(_ index: Int) -> [UInt8]? {
        guard !isNull(index) else { return nil }
        let count = Int(sqlite3_column_bytes(handle, Int32(index)))
        guard count > 0, let raw = sqlite3_column_blob(handle, Int32(index)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: raw, count: count))
    }

    /// The column as whatever SQLite holds.
    public func value(_ index: Int) -> SQLValue {
        switch sqlite3_column_type(handle, Int32(index)) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(handle, Int32(index)))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(handle, Int32(index)))
        case SQLITE_TEXT: return .text(text(index) ?? "")
        case SQLITE_BLOB: return .blob(blob(index) ?? [])
        default: return .null
        }
    }
}
