import Foundation
import WatchroomCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads, checks and writes the `.wrmap` precinct map format (see docs/map-format.md).
public enum MapFormat {
    /// How many diagnostics a check keeps; the counts in `MapCheckResult` cover all.
    public static let storedDiagnosticLimit = MapParser.storedLimit
    /// Files larger than this are refused rather than read into memory.
    public static let maximumFileSize = 1 << 30

    /// Parses and checks a whole map held in memory. Never throws, never traps.
    public static func check(bytes: [UInt8], file: String) -> MapCheckResult {
        bytes.withUnsafeBufferPointer { buf in
            var parser = MapParser(buf: buf, file: file)
            parser.run()
            return parser.finish()
        }
    }

    /// Parses and checks text.
    public static func check(text: String, file: String = "<text>") -> MapCheckResult {
        check(bytes: Array(text.utf8), file: file)
    }

    /// Reads and checks a file. A missing, unreadable or non-regular file gives one error
    /// at line 0, column 0.
    public static func check(path: String) -> MapCheckResult {
        switch readFile(path) {
        case .success(let bytes):
            return check(bytes: bytes, file: path)
        case .failure(let problem):
            let d = Diagnostic(file: path, line: 0, column: 0, severity: .error, message: problem.message)
            return MapCheckResult(map: nil, diagnostics: [d])
        }
    }

    /// Loads a map, throwing `MapLoadError` when it has any error (warnings are fine).
    public static func load(path: String) throws -> PrecinctMap {
        try unwrap(check(path: path))
    }

    /// Loads a map from bytes, throwing `MapLoadError` when it has any error.
    public static func load(bytes: [UInt8], file: String) throws -> PrecinctMap {
        try unwrap(check(bytes: bytes, file: file))
    }

    /// Loads a map from text, throwing `MapLoadError` when it has any error.
    public static func load(text: String, file: String = "<text>") throws -> PrecinctMap {
        try unwrap(check(text: text, file: file))
    }

    static func unwrap(_ r: MapCheckResult) throws -> PrecinctMap {
        if !r.hasErrors, let map = r.map { return map }
        let errors = r.diagnostics.filter { $0.severity == .error }
        throw MapLoadError(diagnostics: errors, errorCount: max(r.errorCount, 1))
    }

    struct FileProblem: Error {
        var message: String
    }

    /// Reads a regular file whole, refusing directories, devices, FIFOs and huge files.
    static func readFile(_ path: String) -> Result<[UInt8], FileProblem> {
        var st = stat()
        guard stat(path, &st) == 0 else {
            return .failure(FileProblem(message: "cannot open map file: \(String(cString: strerror(errno)))"))
        }
        let type = st.st_mode & S_IFMT
        if type == S_IFDIR { return .failure(FileProblem(message: "is a directory, not a map file")) }
        guard type == S_IFREG else { return .failure(FileProblem(message: "not a regular file")) }
        guard Int(st.st_size) <= maximumFileSize else {
            return .failure(FileProblem(message: "map file is too large (\(st.st_size) bytes; the limit is \(maximumFileSize))"))
        }
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            return .failure(FileProblem(message: "cannot read map file: \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var bytes = [UInt8](repeating: 0, count: max(Int(st.st_size), 0))
        var filled = 0
        while true {
            if filled == bytes.count {
                // The file grew while reading: keep going up to the limit.
                guard bytes.count < maximumFileSize else {
                    return .failure(FileProblem(message: "map file is too large (the limit is \(maximumFileSize) bytes)"))
                }
                bytes.append(contentsOf: [UInt8](repeating: 0, count: max(4096, bytes.count / 2)))
            }
            let want = bytes.count - filled
            let got = bytes.withUnsafeMutableBytes { raw -> Int in
                guard let base = raw.baseAddress else { return 0 }
                return read(fd, base + filled, want)
            }
            if got < 0 {
                if errno == EINTR { continue }
                return .failure(FileProblem(message: "cannot read map file: \(String(cString: strerror(errno)))"))
            }
            if got == 0 { break }
            filled += got
        }
        bytes.removeSubrange(filled...)
        return .success(bytes)
    }
}
