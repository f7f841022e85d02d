#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Logging

/// An append-only log file shared by every handler writing to it.
///
/// Each entry is one `write(2)` on a descriptor opened with O_APPEND, so lines from several
/// threads or processes never interleave mid-line.
public final class LogFile: Sendable {
    public let path: String
    private let fd: Int32

    /// Opens (creating it and its directories, mode 0600) the file at `path` for appending;
    /// `nil` when that is not possible.
    public init?(path: String) {
        let dir = (path as NSString).deletingLastPathComponent
        if !dir.isEmpty {
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                     attributes: [.posixPermissions: 0o700])
        }
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return nil }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends `line` (which should end with a newline).
    public func append(_ line: String) {
        var bytes = Array(line.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeMutableBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { return }
            offset += n
        }
        bytes.removeAll()
    }
}

/// A swift-log handler that appends one line per entry to a `LogFile`; never writes to the
/// terminal.
///
/// A line: `2025-03-07T21:04:05.123+08:00 INFO watchroom.terminal: message key=value`.
public struct FileLogHandler: LogHandler {
    public let label: String
    public let file: LogFile
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?

    public init(label: String, file: LogFile, level: Logger.Level = .info,
                metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.file = file
        self.logLevel = level
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let own = event.metadata { all.merge(own) { _, new in new } }
        file.append(Self.line(timestamp: LogTimestamp.string(from: Date()), level: event.level, label: label,
                              message: event.message.description, metadata: all))
    }

    /// One formatted entry, newline-terminated. Newlines and other control characters in the
    /// message and metadata are escaped so an entry is always one line.
    public static func line(timestamp: String, level: Logger.Level, label: String, message: String,
                            metadata: Logger.Metadata) -> String {
        var s = "\(timestamp) \(level.rawValue.uppercased()) \(label): \(escape(message))"
        for key in metadata.keys.sorted() {
            if let value = metadata[key] { s += " \(escape(key))=\(escape(value.description))" }
        }
        return s + "\n"
    }

    private static func escape(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }
}
