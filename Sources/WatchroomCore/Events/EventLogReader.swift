import Foundation

/// Reads a JSON Lines event log (a recording, a fixture, a pipe) line by line.
///
/// Every line is tried on its own: a bad line becomes an error with its line number
/// and reading goes on. Blank lines, a UTF-8 byte order mark at the start and `\r\n`
/// line ends are accepted. Garbage never crashes it.
public struct EventLogReader {
    /// A line that could not be read.
    public struct LineError: Error, Equatable, CustomStringConvertible {
        /// 1-based line number.
        public var line: Int
        public var error: EventDecodingError

        public init(line: Int, error: EventDecodingError) {
            self.line = line
            self.error = error
        }

        public var description: String { "line \(line): \(error)" }
    }

    /// What a log held.
    public struct Result: Equatable {
        /// The events read, in file order, with the line each came from.
        public var entries: [(line: Int, envelope: EventEnvelope)]
        public var errors: [LineError]

        public var envelopes: [EventEnvelope] { entries.map(\.envelope) }

        public static func == (a: Result, b: Result) -> Bool {
            a.errors == b.errors && a.entries.map(\.line) == b.entries.map(\.line) && a.envelopes == b.envelopes
        }
    }

    private let decoder = EventCodec.makeDecoder()

    public init() {}

    /// Reads a whole log held in memory.
    public func read(_ data: Data) -> Result {
        var result = Result(entries: [], errors: [])
        forEachLine(data) { line, outcome in
            switch outcome {
            case .success(let e): result.entries.append((line, e))
            case .failure(let err): result.errors.append(err)
            }
        }
        return result
    }

    /// Reads a log given as text.
    public func read(_ text: String) -> Result { read(Data(text.utf8)) }

    /// Reads a log file.
    /// - Throws: only when the file cannot be read; bad lines are in the result.
    public func read(contentsOf url: URL) throws -> Result {
        read(try Data(contentsOf: url))
    }

    /// Calls `body` for each non-blank line, in order, with its 1-based number and
    /// either the event or why it could not be read.
    public func forEachLine(_ data: Data, _ body: (Int, Swift.Result<EventEnvelope, LineError>) -> Void) {
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let bytes = raw.bindMemory(to: UInt8.self)
            var lineNumber = 0
            var start = 0
            // Skip a UTF-8 byte order mark.
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
            while start < bytes.count {
                lineNumber += 1
                var end = start
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                let next = end + 1
                // Trim surrounding whitespace (covers the `\r` of `\r\n`).
                var lo = start, hi = end
                while lo < hi, Self.isSpace(bytes[lo]) { lo += 1 }
                while hi > lo, Self.isSpace(bytes[hi - 1]) { hi -= 1 }
                if lo < hi {
                    let slice = Data(UnsafeRawBufferPointer(rebasing: raw[lo..<hi]))
                    body(lineNumber, decodeLine(slice, lineNumber))
                }
                start = next
            }
        }
    }

    private func decodeLine(_ bytes: Data, _ line: Int) -> Swift.Result<EventEnvelope, LineError> {
        guard String(data: bytes, encoding: .utf8) != nil else {
            return .failure(LineError(line: line, error: .invalidUTF8))
        }
        do {
            return .success(try EventCodec.decode(bytes, using: decoder))
        } catch let error as EventDecodingError {
            return .failure(LineError(line: line, error: error))
        } catch {
            return .failure(LineError(line: line, error: .invalidJSON(String(describing: error))))
        }
    }

    private static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D }
}
