import Foundation

/// One unit on the wire between a shift server and a client (docs/protocol.md):
///
///     +----------------+------+---------------------+
///     | length: UInt32 | kind | payload             |
///     | big-endian     | 1 B  | length - 1 bytes    |
///     +----------------+------+---------------------+
///
/// `length` counts the kind byte and the payload, so it is at least 1; a reader refuses
/// a length above its bound before reading the payload.
public struct Frame: Hashable, Sendable {
    /// What the payload holds.
    public enum Kind: UInt8, Sendable {
        /// A JSON object with a `type` key (``ClientMessage``, ``ServerMessage``).
        case message = 1
        /// One event: its exact instant (8 bytes, an IEEE 754 double of seconds since
        /// 2001-01-01T00:00:00Z, big-endian) and then its docs/events.md JSON line.
        case event = 2
    }

    public var kind: Kind
    public var payload: [UInt8]

    public init(kind: Kind, payload: [UInt8]) {
        self.kind = kind
        self.payload = payload
    }

    /// The hard bound on `length` in either direction: 16 MiB (a snapshot of a city of
    /// 1,000 units and a day's incidents is about 2 MiB).
    public static let maxLength = 16 << 20
    /// The bound a server puts on what a client sends (hello, commands): 64 KiB.
    public static let maxClientLength = 64 << 10
    /// Bytes before the payload: the length and the kind.
    public static let headerSize = 5

    /// The frame as bytes on the wire.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(Frame.headerSize + payload.count)
        Frame.appendHeader(kind: kind, payloadCount: payload.count, to: &out)
        out.append(contentsOf: payload)
        return out
    }

    /// Writes the 5-byte header of a frame whose payload has `payloadCount` bytes.
    public static func appendHeader(kind: Kind, payloadCount: Int, to out: inout [UInt8]) {
        let length = UInt32(truncatingIfNeeded: payloadCount + 1)
        out.append(UInt8(truncatingIfNeeded: length >> 24))
        out.append(UInt8(truncatingIfNeeded: length >> 16))
        out.append(UInt8(truncatingIfNeeded: length >> 8))
        out.append(UInt8(truncatingIfNeeded: length))
        out.append(kind.rawValue)
    }
}

/// Why a byte stream is not a valid sequence of frames. Any of these ends the connection.
public enum FrameError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A length above the reader's bound.
    case oversized(length: UInt32, limit: Int)
    /// A length of 0 (no kind byte).
    case empty
    /// A kind byte this version does not know.
    case unknownKind(UInt8)

    public var description: String {
        switch self {
        case .oversized(let length, let limit): return "frame of \(length) bytes is over the limit of \(limit)"
        case .empty: return "frame of length 0 (a frame holds at least its kind byte)"
        case .unknownKind(let k): return "frame of unknown kind \(k)"
        }
    }
}

/// Cuts a byte stream into frames, as bytes arrive in pieces of any size.
///
/// Never traps on any input: a bad length or kind is a ``FrameError``, after which the
/// decoder stays failed (the stream has no way to find the next frame again).
public struct FrameDecoder: Sendable {
    public let limit: Int
    private var buffer: [UInt8] = []
    private var start = 0
    private var failure: FrameError?

    /// - Parameter limit: the largest `length` accepted (1 to ``Frame/maxLength``).
    public init(limit: Int = Frame.maxLength) {
        self.limit = max(1, min(limit, Frame.maxLength))
    }

    /// Bytes received and not yet returned in a frame.
    public var buffered: Int { buffer.count - start }

    /// Adds received bytes.
    public mutating func feed<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        guard failure == nil else { return }
        if start > 0, start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// The next whole frame, `nil` when more bytes are needed.
    public mutating func next() throws(FrameError) -> Frame? {
        if let failure { throw failure }
        guard buffer.count - start >= Frame.headerSize else {
            // A length already over the bound fails at once, without waiting for the rest.
            if buffer.count - start >= 4 { try check(length()) }
            return nil
        }
        let length = self.length()
        try check(length)
        let kindByte = buffer[start + 4]
        guard let kind = Frame.Kind(rawValue: kindByte) else { return try fail(.unknownKind(kindByte)) }
        let total = 4 + Int(length)
        guard buffer.count - start >= total else { return nil }
        let payload = Array(buffer[(start + Frame.headerSize)..<(start + total)])
        start += total
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.count <= 1 << 16)
            start = 0
        }
        return Frame(kind: kind, payload: payload)
    }

    private func length() -> UInt32 {
        UInt32(buffer[start]) << 24 | UInt32(buffer[start + 1]) << 16 | UInt32(buffer[start + 2]) << 8 | UInt32(buffer[start + 3])
    }

    private mutating func check(_ length: UInt32) throws(FrameError) {
        if length == 0 { _ = try fail(.empty) }
        if UInt64(length) > UInt64(limit) { _ = try fail(.oversized(length: length, limit: limit)) }
    }

    private mutating func fail(_ error: FrameError) throws(FrameError) -> Frame? {
        failure = error
        buffer = []
        start = 0
        throw error
    }
}
