import Foundation
import WatchroomCore
import WatchroomMapFormat

/// The version written into the shift files Watchroom makes, and shown by `--version`.
public enum WatchroomVersion {
    public static let current = "0.1.0"
}

/// A one-line error for the user; ArgumentParser prints it as `Error: ...` and exits 1.
public struct CLIError: Error, CustomStringConvertible {
    public let description: String
    public init(_ message: String) { description = Sanitizer.inert(message) }
}

/// Writes text to standard output with control characters made inert.
public func say(_ text: String) {
    print(Sanitizer.inert(text, keepNewlines: true))
}

/// `--seed`: a whole number from 0 to 2^64-1. Parsed unconditionally, so `--seed -1`
/// says what is wrong with -1 instead of "Missing value".
public enum Seed {
    public static func parse(_ text: String) throws -> UInt64 {
        guard let value = UInt64(text) else {
            throw CLIError("a seed is a whole number from 0 to 18446744073709551615, not \"\(Sanitizer.inert(text))\"")
        }
        return value
    }
}

/// A precinct map file, read for a command.
public enum MapFile {
    /// Loads a map or fails with the first error and how many more there are.
    public static func load(_ path: String) throws -> PrecinctMap {
        do {
            return try MapFormat.load(path: path)
        } catch {
            throw CLIError("\(error) — run `watchroom map check \(path)` for every problem")
        }
    }
}

/// How big a file is, as said to a person.
public enum FileSize {
    /// `12.3 MB` from a megabyte up, else `4096 bytes`.
    public static func text(ofFile path: String) -> String {
        let size = ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
        return size >= 1 << 20 ? String(format: "%.1f MB", Double(size) / 1_048_576) : "\(size) bytes"
    }
}
