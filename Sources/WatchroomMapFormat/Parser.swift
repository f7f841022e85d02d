import Foundation
import WatchroomCore

/// One token of a record line. Offsets are absolute byte offsets into the file.
struct Token {
    /// First byte of the token (the key for a `key=value` pair).
    var start: Int
    /// End of the key (exclusive) for a pair; equal to `start` otherwise.
    var keyEnd: Int
    var isPair: Bool
    /// The value's content (inside the quotes when quoted; the token itself when positional).
    var valueStart: Int
    var valueEnd: Int
    var quoted: Bool
    var hasEscapes: Bool
    /// A problem in the token has already been reported.
    var bad: Bool

    /// Where to point at the value in a message: the opening quote or the first character.
    var valueAnchor: Int { quoted ? valueStart - 1 : valueStart }
}

/// IDs of one kind, interned so that references resolve to a slot at once, even when
/// the definition comes later in the file.
struct SlotTable<Payload> {
    var index: [String: Int32] = [:]
    var keys: [String] = []
    /// Line of the definition; 0 while only referenced.
    var line: [Int32] = []
    /// Byte offset of the defining line's start.
    var lineStart: [Int] = []
    /// The parsed entity; `nil` when undefined or when its record had errors.
    var payload: [Payload?] = []
    /// Slots in order of definition.
    var definitionOrder: [Int32] = []

    mutating func intern(_ key: String) -> Int32 {
        if let i = index[key] { return i }
        let i = Int32(keys.count)
        index[key] = i
        keys.append(key)
        line.append(0)
        lineStart.append(0)
        payload.append(nil)
        return i
    }

    mutating func reserve(_ count: Int) {
        index.reserveCapacity(count)
        keys.reserveCapacity(count)
        line.reserveCapacity(count)
        lineStart.reserveCapacity(count)
        payload.reserveCapacity(count)
        definitionOrder.reserveCapacity(count)
    }

    func isDefined(_ slot: Int32) -> Bool { slot >= 0 && line[Int(slot)] != 0 }
}

/// A segment record as read, before references are resolved.
struct PendingSegment {
    var key: String
    var line: Int32
    var lineStart: Int
    var from: Int32
    var to: Int32
    var street: Int32
    var roadClass: RoadClass?
    var speed: Double?
    var oneway: Bool
    var access: Access?
    var shape: [Point]
    var ok: Bool
}

struct PendingAddress {
    var key: String
    var line: Int32
    var lineStart: Int
    var street: Int32
    var number: String
    var position: Point?
    var name: String?
    var ok: Bool
}

/// A placed entity (station, camera, landmark, area) as read.
struct Placed<T> {
    var line: Int32
    var lineStart: Int
    var value: T?
}

/// The parser and checker. Works on the raw bytes; decodes UTF-8 only for values and IDs.
struct MapParser {
    let buf: UnsafeBufferPointer<UInt8>
    let file: String
    static let storedLimit = 10_000

    // Diagnostics.
    var diagnostics: [Diagnostic] = []
    var sequence: [Int] = []
    var errorCount = 0
    var warningCount = 0
    // Column cache: character column of `colOffset` on the line starting at `colLineStart`.
    var colLineStart = -1
    var colOffset = 0
    var colValue = 1

    // Per-line scratch.
    var toks: [Token] = []
    var fieldTok: [Int] = Array(repeating: -1, count: FieldKey.allCases.count)
    var recordOK = true
    var curLine = 0
    var curLineStart = 0

    // Header state.
    var firstRecordSeen = false
    var headerLine = 0
    var precinctLine = 0
    var precinctKey: String?
    var precinctName: String?
    var precinctRoman: String?
    var precinctTimeZone: String?
    var precinctOK = false
    var originLine = 0
    var origin: LatLon?
    var boundsLine = 0
    var boundsLineStart = 0
    var bounds: Rect?

    // Entities.
    var nodes = SlotTable<Intersection>()
    var streets = SlotTable<Street>()
    var segments: [PendingSegment] = []
    var segmentSeen: [String: Int32] = [:]
    var stations: [Placed<Station>] = []
    /// Where the first station record puts the station, even when that record has other errors.
    var firstStationPosition: Point?
    var stationSeen: [String: Int32] = [:]
    var cameras: [Placed<Camera>] = []
    var cameraSeen: [String: Int32] = [:]
    var addresses: [PendingAddress] = []
    var addressSeen: [String: Int32] = [:]
    var landmarks: [Placed<Landmark>] = []
    var landmarkSeen: [String: Int32] = [:]
    var areas: [Placed<Area>] = []
    var areaSeen: [String: Int32] = [:]

    init(buf: UnsafeBufferPointer<UInt8>, file: String) {
        self.buf = buf
        self.file = file
    }

    // MARK: - Reporting

    /// Character column of byte `offset` on the line that starts at `lineStart`.
    mutating func column(lineStart: Int, offset: Int) -> Int {
        let end = min(max(offset, lineStart), buf.count)
        var from = lineStart
        var col = 1
        if colLineStart == lineStart, colOffset <= end {
            from = colOffset
            col = colValue
        }
        var i = from
        while i < end {
            if buf[i] & 0xC0 != 0x80 { col += 1 }
            i += 1
        }
        colLineStart = lineStart
        colOffset = end
        colValue = col
        return col
    }

    mutating func report(_ severity: Severity, line: Int, lineStart: Int, at offset: Int,
                         _ message: String) {
        if severity == .error { errorCount += 1 } else { warningCount += 1 }
        guard diagnostics.count < MapParser.storedLimit else { return }
        let col = column(lineStart: lineStart, offset: offset)
        sequence.append(diagnostics.count)
        diagnostics.append(Diagnostic(file: file, line: line, column: col, severity: severity, message: message))
    }

    /// When the stored diagnostics are full, counts an error without building its message
    /// (so floods of errors stay cheap) and returns true.
    mutating func countedOnly() -> Bool {
        guard diagnostics.count >= MapParser.storedLimit else { return false }
        errorCount += 1
        recordOK = false
        return true
    }

    /// Reports at a fixed line and column (file-level problems).
    mutating func reportFixed(_ severity: Severity, line: Int, column: Int, _ message: String) {
        if severity == .error { errorCount += 1 } else { warningCount += 1 }
        guard diagnostics.count < MapParser.storedLimit else { return }
        sequence.append(diagnostics.count)
        diagnostics.append(Diagnostic(file: file, line: line, column: column, severity: severity, message: message))
    }

    /// An error on the current line; marks the record as broken.
    mutating func fail(at offset: Int, _ message: String) {
        recordOK = false
        report(.error, line: curLine, lineStart: curLineStart, at: offset, message)
    }

    /// Raw bytes as a sanitised, shortened quotation for messages.
    func quoteBytes(_ start: Int, _ end: Int) -> String {
        let e = min(end, start + 240)
        var s = String(decoding: UnsafeBufferPointer(rebasing: buf[start..<e]), as: UTF8.self)
        if e < end { s += "…" }
        return TextSanitizer.quote(s)
    }

    // MARK: - Lines

    mutating func run() {
        let n = buf.count
        var i = 0
        if n >= 3, buf[0] == 0xEF, buf[1] == 0xBB, buf[2] == 0xBF { i = 3 }
        if i >= n {
            reportFixed(.error, line: 1, column: 1, "empty file: a map starts with 'watchroom-map 1'")
            return
        }
        reserveCapacity(from: i)
        var line = 0
        while i < n {
            line += 1
            let ls = i
            var j = i
            var badAt = -1
            var badMessage = ""
            while j < n {
                let c = buf[j]
                if c >= 0x20 && c < 0x7F { j += 1; continue }
                if c == Bytes.lf { break }
                if c == Bytes.tab { j += 1; continue }
                if c == Bytes.cr, j + 1 < n, buf[j + 1] == Bytes.lf { j += 1; continue }
                if c < 0x80 {
                    if badAt < 0 {
                        badAt = j
                        badMessage = "control character U+\(hex4(UInt32(c))) is not allowed (write it as an escape inside quotes)"
                    }
                    j += 1
                    continue
                }
                let (len, scalar) = decodeUTF8(at: j, limit: n)
                if len == 0 {
                    if badAt < 0 {
                        badAt = j
                        badMessage = "invalid UTF-8 byte 0x\(String(c, radix: 16, uppercase: true))"
                    }
                    j += 1
                    continue
                }
                if scalar <= 0x9F, badAt < 0 {
                    badAt = j
                    badMessage = "control character U+\(hex4(scalar)) is not allowed (write it as an escape inside quotes)"
                }
                j += len
            }
            var le = j
            if le > ls, buf[le - 1] == Bytes.cr { le -= 1 }
            if badAt >= 0 {
                let message = badMessage
                report(.error, line: line, lineStart: ls, at: badAt, message + "; line skipped")
            } else {
                processLine(ls, le, line)
            }
            i = j < n ? j + 1 : n
        }
        if !firstRecordSeen {
            reportFixed(.error, line: 1, column: 1, "no records: a map starts with 'watchroom-map 1'")
        }
    }

    /// Counts `node` and `segment` lines in a quick pass so the big tables are allocated once.
    mutating func reserveCapacity(from begin: Int) {
        let n = buf.count
        var nodeCount = 0, segmentCount = 0
        var i = begin
        while i < n {
            if i + 8 <= n, buf[i] == 0x6E, buf[i + 1] == 0x6F, buf[i + 2] == 0x64, buf[i + 3] == 0x65, buf[i + 4] == Bytes.space {
                nodeCount += 1
            } else if i + 8 <= n, buf[i] == 0x73, buf[i + 1] == 0x65, buf[i + 2] == 0x67, buf[i + 3] == 0x6D,
                      buf[i + 6] == 0x74, buf[i + 7] == Bytes.space {
                segmentCount += 1
            }
            while i < n, buf[i] != Bytes.lf { i += 1 }
            i += 1
        }
        nodes.reserve(nodeCount)
        segments.reserveCapacity(segmentCount)
        segmentSeen.reserveCapacity(segmentCount)
    }

    func hex4(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    /// Decodes one non-ASCII UTF-8 sequence: (length, scalar), or length 0 when invalid.
    @inline(__always)
    func decodeUTF8(at j: Int, limit n: Int) -> (Int, UInt32) {
        let c0 = UInt32(buf[j])
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> UInt32? {
            guard k < n else { return nil }
            let c = buf[k]
            return c >= lo && c <= hi ? UInt32(c & 0x3F) : nil
        }
        if c0 < 0xC2 { return (0, 0) }
        if c0 < 0xE0 {
            guard let c1 = cont(j + 1) else { return (0, 0) }
            return (2, (c0 & 0x1F) << 6 | c1)
        }
        if c0 < 0xF0 {
            let lo: UInt8 = c0 == 0xE0 ? 0xA0 : 0x80
            let hi: UInt8 = c0 == 0xED ? 0x9F : 0xBF
            guard let c1 = cont(j + 1, lo, hi), let c2 = cont(j + 2) else { return (0, 0) }
            return (3, (c0 & 0x0F) << 12 | c1 << 6 | c2)
        }
        if c0 < 0xF5 {
            let lo: UInt8 = c0 == 0xF0 ? 0x90 : 0x80
            let hi: UInt8 = c0 == 0xF4 ? 0x8F : 0xBF
            guard let c1 = cont(j + 1, lo, hi), let c2 = cont(j + 2), let c3 = cont(j + 3) else { return (0, 0) }
            return (4, (c0 & 0x07) << 18 | c1 << 12 | c2 << 6 | c3)
        }
        return (0, 0)
    }

    // MARK: - Tokens

    /// Splits a line into tokens. Returns false after a structural error (reported when
    /// `emit`), leaving the tokens read so far.
    mutating func tokenize(_ ls: Int, _ le: Int, emit: Bool) -> Bool {
        toks.removeAll(keepingCapacity: true)
        var i = ls
        while true {
            while i < le, Bytes.isBlank(buf[i]) { i += 1 }
            if i >= le || buf[i] == Bytes.hash { return true }
            let start = i
            let c = buf[i]
            if c == Bytes.quote {
                guard let q = scanQuoted(i, le, emit: emit) else { return false }
                toks.append(Token(start: start, keyEnd: start, isPair: false, valueStart: i + 1, valueEnd: q.end,
                                  quoted: true, hasEscapes: q.escapes, bad: q.bad))
                i = q.end + 1
            } else if c == Bytes.equals {
                if emit { fail(at: i, "'=' without a key before it") }
                return false
            } else {
                while i < le, Bytes.isBare(buf[i]) { i += 1 }
                if i < le, buf[i] == Bytes.equals {
                    let keyEnd = i
                    i += 1
                    if i >= le || Bytes.isBlank(buf[i]) || buf[i] == Bytes.hash {
                        if emit { fail(at: i, "missing value after \(quoteBytes(start, keyEnd + 1))") }
                        toks.append(Token(start: start, keyEnd: keyEnd, isPair: true, valueStart: i, valueEnd: i,
                                          quoted: false, hasEscapes: false, bad: true))
                        continue
                    }
                    if buf[i] == Bytes.equals {
                        if emit { fail(at: i, "unexpected '=' after \(quoteBytes(start, keyEnd + 1))") }
                        return false
                    }
                    if buf[i] == Bytes.quote {
                        let open = i
                        guard let q = scanQuoted(open, le, emit: emit) else { return false }
                        toks.append(Token(start: start, keyEnd: keyEnd, isPair: true, valueStart: open + 1,
                                          valueEnd: q.end, quoted: true, hasEscapes: q.escapes, bad: q.bad))
                        i = q.end + 1
                    } else {
                        let vs = i
                        while i < le, Bytes.isBare(buf[i]) { i += 1 }
                        toks.append(Token(start: start, keyEnd: keyEnd, isPair: true, valueStart: vs, valueEnd: i,
                                          quoted: false, hasEscapes: false, bad: false))
                    }
                } else {
                    toks.append(Token(start: start, keyEnd: start, isPair: false, valueStart: start, valueEnd: i,
                                      quoted: false, hasEscapes: false, bad: false))
                }
            }
            if i < le, !Bytes.isBlank(buf[i]), buf[i] != Bytes.hash {
                if emit {
                    if buf[i] == Bytes.quote {
                        fail(at: i, "unexpected '\"': quote a whole value, not part of it")
                    } else if buf[i] == Bytes.equals {
                        fail(at: i, "unexpected '='")
                    } else {
                        fail(at: i, "expected a space after the closing quote")
                    }
                }
                return false
            }
        }
    }

    /// Scans a quoted value starting at the opening quote. Returns the closing quote's
    /// offset, or nil (reported) when the line ends first. Bad escapes are reported and
    /// skipped.
    mutating func scanQuoted(_ open: Int, _ le: Int, emit: Bool) -> (end: Int, escapes: Bool, bad: Bool)? {
        var j = open + 1
        var escapes = false
        var bad = false
        while j < le {
            let c = buf[j]
            if c == Bytes.quote { return (j, escapes, bad) }
            if c != Bytes.backslash { j += 1; continue }
            escapes = true
            guard j + 1 < le else { break }
            let e = buf[j + 1]
            switch e {
            case Bytes.quote, Bytes.backslash, 0x6E, 0x74:  // \" \\ \n \t
                j += 2
            case 0x75:  // \u{X...}
                if let end = scanUnicodeEscape(j + 2, le) {
                    j = end
                } else {
                    if emit { fail(at: j, "bad escape: \\u must be followed by {1 to 6 hex digits} naming a Unicode scalar") }
                    bad = true
                    j += 2
                }
            default:
                if emit {
                    var k = j + 2
                    while k < le, buf[k] & 0xC0 == 0x80 { k += 1 }
                    fail(at: j, "bad escape \(quoteBytes(j, k)): inside quotes use \\\", \\\\, \\n, \\t or \\u{XXXX}")
                }
                bad = true
                j += 2
            }
        }
        if emit { fail(at: open, "unterminated quote") }
        return nil
    }

    /// Validates `{hex}` at `k`; returns the offset after `}`.
    func scanUnicodeEscape(_ k: Int, _ le: Int) -> Int? {
        guard k < le, buf[k] == 0x7B else { return nil }
        var v: UInt32 = 0
        var digits = 0
        var i = k + 1
        while i < le, let d = hexValue(buf[i]) {
            digits += 1
            if digits > 6 { return nil }
            v = v << 4 | d
            i += 1
        }
        guard digits > 0, i < le, buf[i] == 0x7D, Unicode.Scalar(v) != nil else { return nil }
        return i + 1
    }

    @inline(__always) func hexValue(_ c: UInt8) -> UInt32? {
        if c &- 0x30 < 10 { return UInt32(c - 0x30) }
        let l = c | 0x20
        if l &- 0x61 < 6 { return UInt32(l - 0x61 + 10) }
        return nil
    }

    /// The decoded text of a value.
    func string(of t: Token) -> String {
        let raw = UnsafeBufferPointer(rebasing: buf[t.valueStart..<t.valueEnd])
        if !t.hasEscapes { return String(decoding: raw, as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(raw.count)
        var i = t.valueStart
        let e = t.valueEnd
        while i < e {
            let c = buf[i]
            guard c == Bytes.backslash, i + 1 < e else {
                out.append(c)
                i += 1
                continue
            }
            switch buf[i + 1] {
            case 0x6E: out.append(Bytes.lf); i += 2
            case 0x74: out.append(Bytes.tab); i += 2
            case 0x75:
                if let end = scanUnicodeEscape(i + 2, e) {
                    var v: UInt32 = 0
                    var k = i + 3
                    while k < end - 1, let d = hexValue(buf[k]) { v = v << 4 | d; k += 1 }
                    if let s = Unicode.Scalar(v) { UTF8.encode(s) { out.append($0) } }
                    i = end
                } else {
                    i += 2
                }
            case Bytes.quote, Bytes.backslash:
                out.append(buf[i + 1]); i += 2
            default:
                i += 2  // bad escape, already reported
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - Numbers and points

    static let pow10: [Double] = (0...22).map { e in
        var v = 1.0
        for _ in 0..<e { v *= 10 }
        return v
    }

    /// Parses a decimal number filling exactly `s..<e`; nil when malformed or not finite.
    func number(_ s: Int, _ e: Int) -> Double? {
        guard e > s, e - s <= 400 else { return nil }
        var i = s
        var negative = false
        if buf[i] == Bytes.minus || buf[i] == Bytes.plus {
            negative = buf[i] == Bytes.minus
            i += 1
        }
        var mantissa: UInt64 = 0
        var significant = 0
        var intDigits = 0
        while i < e, Bytes.isDigit(buf[i]) {
            let d = UInt64(buf[i] - 0x30)
            if mantissa != 0 || d != 0 {
                significant += 1
                if significant <= 19 { mantissa = mantissa &* 10 &+ d }
            }
            intDigits += 1
            i += 1
        }
        guard intDigits > 0 else { return nil }
        var fracDigits = 0
        if i < e, buf[i] == Bytes.dot {
            i += 1
            while i < e, Bytes.isDigit(buf[i]) {
                let d = UInt64(buf[i] - 0x30)
                if mantissa != 0 || d != 0 {
                    significant += 1
                    if significant <= 19 { mantissa = mantissa &* 10 &+ d }
                }
                fracDigits += 1
                i += 1
            }
            guard fracDigits > 0 else { return nil }
        }
        var exponent = 0
        if i < e, buf[i] | 0x20 == 0x65 {
            i += 1
            var expNegative = false
            if i < e, buf[i] == Bytes.minus || buf[i] == Bytes.plus {
                expNegative = buf[i] == Bytes.minus
                i += 1
            }
            var expDigits = 0
            while i < e, Bytes.isDigit(buf[i]) {
                if exponent < 100_000 { exponent = exponent * 10 + Int(buf[i] - 0x30) }
                expDigits += 1
                i += 1
            }
            guard expDigits > 0 else { return nil }
            if expNegative { exponent = -exponent }
        }
        guard i == e else { return nil }
        let scale = exponent - fracDigits
        var value: Double
        if significant <= 15, scale >= -22, scale <= 22 {
            value = Double(mantissa)
            if scale < 0 { value /= MapParser.pow10[-scale] } else { value *= MapParser.pow10[scale] }
            if negative { value = -value }
        } else {
            let text = String(decoding: UnsafeBufferPointer(rebasing: buf[s..<e]), as: UTF8.self)
            guard let v = Double(text) else { return nil }
            value = v
        }
        return value.isFinite ? value : nil
    }

    /// Parses `x,y` filling exactly `s..<e`.
    func point(_ s: Int, _ e: Int) -> Point? {
        var c = s
        while c < e, buf[c] != Bytes.comma { c += 1 }
        guard c < e, let x = number(s, c), let y = number(c + 1, e) else { return nil }
        return Point(x: x, y: y)
    }
}
