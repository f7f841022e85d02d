import CSQLite
import Foundation

/// One connection to an SQLite database: a file on disk or a private in-memory database.
///
/// A thin, reusable wrapper over the C API: open, run SQL, prepared statements with typed
/// binding and columns, transactions. Foreign keys are ON for every connection; on-disk
/// databases opened for writing use WAL; a busy timeout is set so a second connection
/// waits instead of failing at once.
///
/// Not thread-safe: use a connection from one thread at a time (callers that share one
/// serialise access, see ``SQLiteRecords``).
public final class Database {
    /// Where the connection points: a path, or `:memory:` for in-memory databases.
    public let path: String
    /// Whether the connection was opened read-only.
    public let isReadOnly: Bool
    /// Whether this is a private in-memory database.
    public var isInMemory: Bool { path == Database.memoryPath }

    let handle: OpaquePointer
    static let memoryPath = ":memory:"
    /// The page cache of a connection that writes a file (KiB; SQLite's default is 2,000
    /// per connection). Appends and indexed lookups need few pages, and a console that
    /// runs for days should not grow its cache with the file.
    public static let writerCacheKiB = 512
    private var isClosed = false

    private init(handle: OpaquePointer, path: String, readOnly: Bool) {
        self.handle = handle
        self.path = path
        self.isReadOnly = readOnly
    }

    deinit {
        if !isClosed { sqlite3_close_v2(handle) }
    }

    /// Closes the connection now instead of when the last reference goes: a program
    /// exits without releasing its objects, and SQLite removes a database's `-wal` and
    /// `-shm` only when its last connection closes. Statements still open are finished
    /// first (SQLite closes the connection when the last one is). Do not use the
    /// connection afterwards; closing twice does nothing.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        sqlite3_close_v2(handle)
    }

    // MARK: - Opening

    /// Opens (and, unless `readOnly`, creates) the database file at `path`.
    ///
    /// Fails with ``DatabaseError/notADatabase(path:message:)`` for a file that is not
    /// SQLite (random bytes, a truncated header), checked at once rather than at the
    /// first query.
    /// - Parameters:
    ///   - busyTimeoutMilliseconds: how long to wait for another connection's lock.
    public static func open(path: String, readOnly: Bool = false,
                            busyTimeoutMilliseconds: Int32 = 2_000) throws -> Database {
        let flags = (readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE))
            | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let db = try openHandle(path: path, flags: flags, readOnly: readOnly)
        try db.configure(busyTimeoutMilliseconds: busyTimeoutMilliseconds, wal: !readOnly)
        return db
    }

    /// Opens a WAL-mode file read-only without creating anything beside it: no `-shm`
    /// (the WAL index lives in this process's memory: `vfs=unix-none`, exclusive locking
    /// mode) and no `-wal`; an existing `-wal` is read, never written or deleted.
    ///
    /// Only for a file no other connection is writing (one with no `-shm`: a live writer
    /// always has one). It takes no file locks, so use ``open(path:readOnly:busyTimeoutMilliseconds:)``
    /// with `readOnly: true` for a file that may be in use.
    public static func openPrivateReadOnly(path: String) throws -> Database {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var escaped = ""
        for scalar in absolute.unicodeScalars {
            switch scalar {
            case "%": escaped += "%25"
            case "?": escaped += "%3F"
            case "#": escaped += "%23"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        let uri = "file://" + escaped + "?mode=ro&vfs=unix-none"
        let flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let db = try openHandle(path: path, opening: uri, flags: flags, readOnly: true)
        // Before the first read: exclusive mode keeps the WAL index in heap memory.
        _ = try db.scalarText("PRAGMA locking_mode = EXCLUSIVE")
        try db.configure(busyTimeoutMilliseconds: 0, wal: false)
        return db
    }

    /// Creates an empty file at `path`, mode 0600, failing if anything is there already
    /// (`O_CREAT | O_EXCL`, so two programs racing cannot both think they made it). An
    /// empty file is a valid new database; SQLite gives its `-wal` and `-shm` the same mode.
    /// - Throws: ``DatabaseError/fileExists(path:)``, or ``DatabaseError/open(path:code:message:)``.
    public static func createPrivateFile(_ path: String) throws {
        let fd = Foundation.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            if errno == EEXIST { throw DatabaseError.fileExists(path: path) }
            throw DatabaseError.open(path: path, code: SQLITE_CANTOPEN, message: String(cString: strerror(errno)))
        }
        Foundation.close(fd)
    }

    /// A new, empty, private in-memory database.
    public static func inMemory() throws -> Database {
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
            | SQLITE_OPEN_MEMORY | SQLITE_OPEN_EXRESCODE
        let db = try openHandle(path: memoryPath, flags: flags, readOnly: false)
        try db.configure(busyTimeoutMilliseconds: 0, wal: false)
        return db
    }

    /// Opens `name` (default `path`; a `file:` URI for instance) and names the database
    /// `path` in errors and afterwards.
    private static func openHandle(path: String, opening name: String? = nil, flags: Int32,
                                   readOnly: Bool) throws -> Database {
        var raw: OpaquePointer?
        let rc = sqlite3_open_v2(name ?? path, &raw, flags, nil)
        guard let handle = raw else {
            throw DatabaseError.open(path: path, code: rc, message: String(cString: sqlite3_errstr(rc)))
        }
        guard rc == SQLITE_OK else {
            let message = String(cString: sqlite3_errmsg(handle))
            sqlite3_close_v2(handle)
            throw DatabaseError.open(path: path, code: rc, message: message)
        }
        return Database(handle: handle, path: path, readOnly: readOnly)
    }

    private func configure(busyTimeoutMilliseconds: Int32, wal: Bool) throws {
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        do {
            // Reading the schema touches the file header: a file that is not SQLite fails here.
            _ = try scalarInt("PRAGMA schema_version")
        } catch let DatabaseError.sqlite(code, message, _)
            where code & 0xFF == SQLITE_NOTADB || code & 0xFF == SQLITE_CORRUPT {
            throw DatabaseError.notADatabase(path: path, message: message)
        }
        try exec("PRAGMA foreign_keys = ON")
        if wal && !isInMemory {
            _ = try scalarText("PRAGMA journal_mode = WAL")
            try exec("PRAGMA synchronous = NORMAL")
            try exec("PRAGMA cache_size = -\(Database.writerCacheKiB)")
        }
    }

    // MARK: - Running SQL

    /// Runs one or more `;`-separated statements that take no parameters (schema, pragmas,
    /// a fixture file of INSERTs).
    public func exec(_ sql: String) throws {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            sqlite3_free(errorMessage)
            throw DatabaseError.sqlite(code: rc, message: message, sql: sql)
        }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws -> Statement {
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &raw, nil)
        guard rc == SQLITE_OK, let stmt = raw else {
            let error = self.error(rc, sql: sql)
            sqlite3_finalize(raw)
            throw error
        }
        return Statement(database: self, handle: stmt, sql: sql)
    }

    /// Runs one statement with `arguments` bound to `?1, ?2, ...` and discards any rows.
    public func execute(_ sql: String, _ arguments: [SQLValue] = []) throws {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Runs one query and maps each row.
    public func query<T>(_ sql: String, _ arguments: [SQLValue] = [],
                         row transform: (Statement) throws -> T) throws -> [T] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var rows: [T] = []
        while try statement.step() { rows.append(try transform(statement)) }
        return rows
    }

    /// The first column of the first row as an integer (`nil` if no row or NULL).
    public func scalarInt(_ sql: String, _ arguments: [SQLValue] = []) throws -> Int64? {
        try query(sql, arguments) { $0.int64(0) }.first ?? nil
    }

    /// The first column of the first row as text (`nil` if no row or NULL).
    public func scalarText(_ sql: String, _ arguments: [SQLValue] = []) throws -> String? {
        try query(sql, arguments) { $0.text(0) }.first ?? nil
    }

    /// Runs `body` in a transaction: committed if it returns, rolled back if it throws.
    ///
    /// `BEGIN IMMEDIATE` takes the write lock at once so two writers wait (busy timeout)
    /// instead of failing half-way. Not re-entrant.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try exec(isReadOnly ? "BEGIN DEFERRED" : "BEGIN IMMEDIATE")
        do {
            let result = try body()
            try exec("COMMIT")
            return result
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
    }

    // MARK: - Facts

    /// `PRAGMA user_version`: the schema version this file was migrated to.
    public func userVersion() throws -> Int {
        Int(try scalarInt("PRAGMA user_version") ?? 0)
    }

    /// Sets `PRAGMA user_version`.
    public func setUserVersion(_ version: Int) throws {
        try exec("PRAGMA user_version = \(version)")
    }

    /// The rowid of the last successful INSERT on this connection.
    public var lastInsertRowID: Int64 { sqlite3_last_insert_rowid(handle) }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Foreign-key violations in the whole database, as `table(rowid) -> parent` lines.
    public func foreignKeyViolations() throws -> [String] {
        try query("PRAGMA foreign_key_check") { row in
            "\(row.text(0) ?? "?")(\(row.int64(1).map(String.init) ?? "?")) -> \(row.text(2) ?? "?")"
        }
    }

    /// SQLite's `PRAGMA quick_check` result: `["ok"]` for a sound file.
    public func quickCheck() throws -> [String] {
        try query("PRAGMA quick_check") { $0.text(0) ?? "" }
    }

    /// The library version linked, e.g. `3.40.1`.
    public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }

    func error(_ rc: Int32, sql: String) -> DatabaseError {
        .sqlite(code: rc, message: String(cString: sqlite3_errmsg(handle)), sql: sql)
    }
}
