#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A problem in the XML itself, at a 1-based line and column (characters, not bytes).
public struct XMLSyntaxError: Error, Equatable, Sendable {
    public var line: Int
    public var column: Int
    public var message: String
}

/// Where bytes come from: a file descriptor read in chunks, or bytes held in memory (tests).
protocol ByteSource: AnyObject {
    /// Reads up to `count` bytes into `into`; 0 at the end; -1 with `errno` on failure.
    func read(into: UnsafeMutablePointer<UInt8>, count: Int) -> Int
    /// How many bytes there are in all, when known up front (bytes in memory).
    var size: Int? { get }
}

extension ByteSource {
    var size: Int? { nil }
}

final class FileByteSource: ByteSource {
    let fd: Int32
    init(fd: Int32) { self.fd = fd }
    func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        while true {
            #if canImport(Glibc)
            let n = Glibc.read(fd, p, count)
            #else
            let n = Darwin.read(fd, p, count)
            #endif
            if n < 0 && errno == EINTR { continue }
            return n
        }
    }
}

final class MemoryByteSource: ByteSource {
    let bytes: [UInt8]
    var offset = 0
    /// Hands out at most this many bytes per read, to exercise chunk boundaries in tests.
    let maxRead: Int
    init(_ bytes: [UInt8], maxRead: Int = 1 << 20) { self.bytes = bytes; self.maxRead = max(1, maxRead) }
    var size: Int? { bytes.count }
    func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
        let n = min(count, maxRead, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { b in p.update(from: b.baseAddress! + offset, count: n) }
        offset += n
        return n
    }
}

/// A byte-level, streaming XML tokenizer: enough XML for OpenStreetMap files, strict
/// about well-formedness, never holding more than one chunk plus the current tag.
///
/// Start tags give their name and attributes as byte ranges into an internal buffer that
/// stay valid until the next call to `next()`. Text, comments, processing instructions,
/// CDATA and the DOCTYPE are skipped (text outside the root must be blank).
final class XMLTokenizer {
    enum Event: Equatable { case start, end, eof }

    static let chunkSize = 1 << 20
    /// One tag, comment or DOCTYPE longer than this is refused (keeps memory bounded).
    static let defaultMaxToken = 64 << 20
    let maxToken: Int
    /// How much one read asks for: ``chunkSize``, or less for a small input of known size
    /// (a buffer of two chunks is allocated up front).
    private let chunk: Int

    private let source: ByteSource
    private var buf: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var len = 0
    private var pos = 0
    private var eofSeen = false

    /// Absolute file offset of `buf[0]`.
    private var base = 0
    private(set) var line = 1
    /// Absolute offset of the first byte of the current line.
    private var lineStart = 0
    /// Characters of the current line that lie before `buf[0]`.
    private var lineCharsBefore = 0
    /// Bytes consumed so far (for progress).
    var bytesConsumed: Int { base + pos }
    private(set) var bytesRead = 0

    // The current start tag.
    private(set) var nameStart = 0
    private(set) var nameEnd = 0
    private(set) var selfClosing = false
    var attrCount = 0
    private var attrNS: [Int] = []
    private var attrNE: [Int] = []
    private var attrVS: [Int] = []
    private var attrVE: [Int] = []
    /// The names of the current tag's attributes once it has more than ``linearAttributeCheck``.
    private var attrNames: Set<[UInt8]> = []
    static let linearAttributeCheck = 16
    /// Where the current token starts in `buf` (for locating errors).
    private(set) var tokenStart = 0

    /// Where scanning an incomplete token stopped (absolute offsets), to resume after a refill.
    private var resumeToken = -1
    private var resumeAt = 0
    private var resumeQuote: UInt8 = 0

    private var stack: [[UInt8]] = []
    private(set) var depth = 0
    private var rootSeen = false
    private var rootClosed = false

    init(source: ByteSource, maxToken: Int = XMLTokenizer.defaultMaxToken) {
        self.source = source
        self.maxToken = max(maxToken, 1 << 20)
        chunk = min(XMLTokenizer.chunkSize, max(4096, (source.size ?? XMLTokenizer.chunkSize) + 1))
        capacity = chunk * 2
        buf = .allocate(capacity: capacity)
    }

    deinit { buf.deallocate() }

    // MARK: - Buffer

    /// Reads one more chunk, compacting first. Returns false at the end of input.
    private func refill() throws -> Bool {
        if eofSeen { return false }
        if pos > 0 {
            // Keep the column count right for the line that spans the discarded bytes.
            let ls = lineStart - base
            if ls < pos { lineCharsBefore += XMLTokenizer.scalars(buf, max(ls, 0), pos) }
            let keep = len - pos
            if keep > 0 { memmove(buf, buf + pos, keep) }
            base += pos
            tokenStart -= pos
            len = keep
            pos = 0
        }
        // Everything buffered now is the token being read, still incomplete: at the limit
        // it is longer than the limit. Reads stop at the limit, so the limit is exact.
        guard len < maxToken else {
            throw error(at: 0, "a single tag, comment or declaration is longer than \(maxToken >> 20) MB")
        }
        if capacity - len < chunk {
            let newCap = capacity * 2
            let nb = UnsafeMutablePointer<UInt8>.allocate(capacity: newCap)
            nb.update(from: buf, count: len)
            buf.deallocate()
            buf = nb
            capacity = newCap
        }
        let n = source.read(into: buf + len, count: min(chunk, capacity - len, maxToken - len))
        if n < 0 {
            throw XMLSyntaxError(line: line, column: 1, message: "read error: \(String(cString: strerror(errno)))")
        }
        if n == 0 { eofSeen = true; return false }
        len += n
        bytesRead += n
        return true
    }

    static func scalars(_ p: UnsafeMutablePointer<UInt8>, _ a: Int, _ b: Int) -> Int {
        var c = 0
        var i = a
        while i < b { if p[i] & 0xC0 != 0x80 { c += 1 }; i += 1 }
        return c
    }

    /// Moves `pos` forward to `to`, counting lines.
    @inline(__always) private func advance(to newPos: Int) {
        var i = pos
        while i < newPos {
            if buf[i] == 0x0A {
                line += 1
                lineStart = base + i + 1
                lineCharsBefore = 0
            }
            i += 1
        }
        pos = newPos
    }

    /// Line and column of buffer index `at` (which lies at or after `pos`).
    func location(_ at: Int) -> (line: Int, column: Int) {
        var l = line
        var ls = lineStart - base
        var chars = lineCharsBefore
        var i = pos
        while i < at && i < len {
            if buf[i] == 0x0A { l += 1; ls = i + 1; chars = 0 }
            i += 1
        }
        let from = max(ls, 0)
        return (l, chars + XMLTokenizer.scalars(buf, from, max(from, min(at, len))) + 1)
    }

    func error(at index: Int, _ message: String) -> XMLSyntaxError {
        let (l, c) = location(index)
        return XMLSyntaxError(line: l, column: c, message: message)
    }

    // MARK: - Tokens

    @inline(__always) static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D }
    @inline(__always) static func isNameStart(_ c: UInt8) -> Bool {
        (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || c == 0x5F || c == 0x3A || c >= 0x80
    }
    @inline(__always) static func isNameChar(_ c: UInt8) -> Bool {
        isNameStart(c) || (c >= 0x30 && c <= 0x39) || c == 0x2D || c == 0x2E
    }

    /// Index of `needle` at or after `from`, or nil.
    private func find(_ needle: [UInt8], from: Int) -> Int? {
        let n = needle.count
        var i = from
        let first = needle[0]
        while i + n <= len {
            if buf[i] == first {
                var k = 1
                while k < n && buf[i + k] == needle[k] { k += 1 }
                if k == n { return i }
            }
            i += 1
        }
        return nil
    }

    private static let commentEnd: [UInt8] = Array("-->".utf8)
    private static let piEnd: [UInt8] = Array("?>".utf8)
    private static let cdataEnd: [UInt8] = Array("]]>".utf8)
    private static let commentStart: [UInt8] = Array("<!--".utf8)
    private static let cdataStart: [UInt8] = Array("<![CDATA[".utf8)

    private func hasPrefix(_ p: [UInt8], at i: Int) -> Bool {
        guard i + p.count <= len else { return false }
        for k in 0..<p.count where buf[i + k] != p[k] { return false }
        return true
    }

    /// The next start tag, end tag or the end of the document.
    func next() throws -> Event {
        while true {
            // Text up to the next '<'.
            var i = pos
            while true {
                while i < len && buf[i] != 0x3C {
                    if depth == 0 && !XMLTokenizer.isSpace(buf[i]) {
                        if base + i == 0 && hasPrefix([0xEF, 0xBB, 0xBF], at: i) { i += 3; continue }
                        throw error(at: i, rootClosed ? "text after the end of the root element" : "text outside the root element (is this an XML file?)")
                    }
                    i += 1
                }
                if i < len { break }
                advance(to: i)
                i = pos
                if try !refill() {
                    if depth > 0 {
                        let open = String(decoding: stack[depth - 1], as: UTF8.self)
                        throw error(at: len, "the file ends inside <\(open)>: the file is cut short or an end tag is missing")
                    }
                    if !rootSeen { throw error(at: len, "no root element: the file holds no XML elements") }
                    return .eof
                }
                i = pos
            }
            advance(to: i)
            tokenStart = pos
            if let ev = try token() { return ev }
        }
    }

    /// Parses the construct at `pos` (a '<'); nil for skipped constructs.
    private func token() throws -> Event? {
        while true {
            if let ev = try tryToken() { return ev.event }
            if try !refill() {
                let what: String
                if hasPrefix(XMLTokenizer.commentStart, at: pos) { what = "comment (no -->)" }
                else if pos + 1 < len && buf[pos + 1] == 0x3F { what = "processing instruction (no ?>)" }
                else if hasPrefix(XMLTokenizer.cdataStart, at: pos) { what = "CDATA section (no ]]>)" }
                else { what = "tag (no >)" }
                throw error(at: pos, "the file ends inside an unterminated \(what)")
            }
        }
    }

    private struct Found { var event: Event? }

    /// Nil when the construct is not complete in the buffer yet.
    private func tryToken() throws -> Found? {
        let s = pos
        guard s + 1 < len else { return nil }
        let c1 = buf[s + 1]
        if c1 == 0x21 { // <!
            if s + 4 > len { return nil }
            if hasPrefix(XMLTokenizer.commentStart, at: s) {
                let from = resumeToken == base + s ? max(s + 4, resumeAt - base - 2) : s + 4
                guard let e = find(XMLTokenizer.commentEnd, from: from) else {
                    resumeToken = base + s; resumeAt = base + len
                    return nil
                }
                resumeToken = -1
                advance(to: e + 3)
                return Found(event: nil)
            }
            if s + 9 > len { return nil }
            if hasPrefix(XMLTokenizer.cdataStart, at: s) {
                guard let e = find(XMLTokenizer.cdataEnd, from: s + 9) else { return nil }
                if depth == 0 { throw error(at: s, "CDATA outside the root element") }
                advance(to: e + 3)
                return Found(event: nil)
            }
            // <!DOCTYPE ...> possibly with an internal subset in [...].
            var i = s + 2
            var bracket = 0
            var quote: UInt8 = 0
            while i < len {
                let c = buf[i]
                if quote != 0 { if c == quote { quote = 0 } }
                else if c == 0x22 || c == 0x27 { quote = c }
                else if c == 0x5B { bracket += 1 }
                else if c == 0x5D { bracket -= 1 }
                else if c == 0x3E && bracket <= 0 {
                    if rootSeen { throw error(at: s, "a declaration (<!...>) inside the document") }
                    advance(to: i + 1)
                    return Found(event: nil)
                }
                i += 1
            }
            return nil
        }
        if c1 == 0x3F { // <? ... ?>
            guard let e = find(XMLTokenizer.piEnd, from: s + 2) else { return nil }
            advance(to: e + 2)
            return Found(event: nil)
        }
        if c1 == 0x2F { // </name>
            var i = s + 2
            let ns = i
            while i < len && XMLTokenizer.isNameChar(buf[i]) { i += 1 }
            if i >= len { return nil }
            let ne = i
            while i < len && XMLTokenizer.isSpace(buf[i]) { i += 1 }
            if i >= len { return nil }
            guard buf[i] == 0x3E else { throw error(at: i, "malformed end tag: expected '>'") }
            guard ne > ns else { throw error(at: s, "malformed end tag: no element name after '</'") }
            guard depth > 0 else { throw error(at: s, "end tag </\(text(ns, ne))> with no element open") }
            let open = stack[depth - 1]
            var same = open.count == ne - ns
            if same { for k in 0..<open.count where open[k] != buf[ns + k] { same = false; break } }
            guard same else {
                throw error(at: s, "end tag </\(text(ns, ne))> does not match the open element <\(String(decoding: open, as: UTF8.self))>")
            }
            depth -= 1
            if depth == 0 { rootClosed = true }
            nameStart = ns; nameEnd = ne
            advance(to: i + 1)
            return Found(event: .end)
        }
        // Start tag: find its end, honouring quotes. A tag longer than the buffer resumes
        // where the last scan stopped, so a huge tag costs linear time, not quadratic.
        var i = s + 1
        var quote: UInt8 = 0
        if resumeToken == base + s { i = resumeAt - base; quote = resumeQuote }
        while i < len {
            let c = buf[i]
            if quote != 0 { if c == quote { quote = 0 } }
            else if c == 0x22 || c == 0x27 { quote = c }
            else if c == 0x3E { break }
            else if c == 0x3C { throw error(at: i, "'<' inside a tag: a tag is not closed with '>'") }
            i += 1
        }
        if i >= len {
            resumeToken = base + s; resumeAt = base + i; resumeQuote = quote
            return nil
        }
        resumeToken = -1
        let tagEnd = i // index of '>'
        try parseStartTag(s, tagEnd)
        advance(to: tagEnd + 1)
        return Found(event: .start)
    }

    private func text(_ a: Int, _ b: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: buf + a, count: min(b - a, 60)), as: UTF8.self)
    }

    private func parseStartTag(_ s: Int, _ e: Int) throws {
        var i = s + 1
        guard i < e, XMLTokenizer.isNameStart(buf[i]) else {
            throw error(at: s, "malformed tag: '<' must be followed by an element name (write &lt; for a literal '<')")
        }
        if rootClosed { throw error(at: s, "a second root element: the document already ended") }
        nameStart = i
        while i < e && XMLTokenizer.isNameChar(buf[i]) { i += 1 }
        nameEnd = i
        attrCount = 0
        selfClosing = false
        while true {
            let before = i
            while i < e && XMLTokenizer.isSpace(buf[i]) { i += 1 }
            if i == e { break }
            if buf[i] == 0x2F {
                guard i + 1 == e else { throw error(at: i, "malformed tag: '/' must come just before '>'") }
                selfClosing = true
                break
            }
            guard i > before else { throw error(at: i, "malformed tag: expected a space before the attribute") }
            guard XMLTokenizer.isNameStart(buf[i]) else { throw error(at: i, "malformed attribute: expected an attribute name") }
            let an = i
            while i < e && XMLTokenizer.isNameChar(buf[i]) { i += 1 }
            let ane = i
            while i < e && XMLTokenizer.isSpace(buf[i]) { i += 1 }
            guard i < e && buf[i] == 0x3D else {
                throw error(at: i, "malformed attribute \(text(an, ane)): expected '=' and a quoted value")
            }
            i += 1
            while i < e && XMLTokenizer.isSpace(buf[i]) { i += 1 }
            guard i < e, buf[i] == 0x22 || buf[i] == 0x27 else {
                throw error(at: i, "malformed attribute \(text(an, ane)): the value must be in quotes")
            }
            let q = buf[i]
            i += 1
            let vs = i
            while i < e && buf[i] != q {
                if buf[i] == 0x3C { throw error(at: i, "'<' inside the value of attribute \(text(an, ane)): write &lt;") }
                i += 1
            }
            guard i < e else { throw error(at: vs - 1, "unterminated attribute value") }
            let ve = i
            i += 1
            if attrCount == attrNS.count {
                attrNS.append(0); attrNE.append(0); attrVS.append(0); attrVE.append(0)
            }
            // A repeated name: compared one by one for the few attributes real tags have,
            // through a set of names beyond that, so a tag with 100,000 attributes stays linear.
            if attrCount < XMLTokenizer.linearAttributeCheck {
                for k in 0..<attrCount where attrNE[k] - attrNS[k] == ane - an {
                    var same = true
                    for m in 0..<(ane - an) where buf[attrNS[k] + m] != buf[an + m] { same = false; break }
                    if same { throw error(at: an, "attribute \(text(an, ane)) is given twice") }
                }
            } else {
                if attrCount == XMLTokenizer.linearAttributeCheck {
                    attrNames.removeAll(keepingCapacity: true)
                    for k in 0..<attrCount { attrNames.insert(Array(UnsafeBufferPointer(start: buf + attrNS[k], count: attrNE[k] - attrNS[k]))) }
                }
                guard attrNames.insert(Array(UnsafeBufferPointer(start: buf + an, count: ane - an))).inserted else {
                    throw error(at: an, "attribute \(text(an, ane)) is given twice")
                }
            }
            attrNS[attrCount] = an; attrNE[attrCount] = ane; attrVS[attrCount] = vs; attrVE[attrCount] = ve
            attrCount += 1
        }
        rootSeen = true
        if !selfClosing {
            let n = nameEnd - nameStart
            if depth == stack.count { stack.append([]) }
            stack[depth].removeAll(keepingCapacity: true)
            stack[depth].append(contentsOf: UnsafeBufferPointer(start: buf + nameStart, count: n))
            depth += 1
        } else if depth == 0 {
            rootClosed = true
        }
    }

    // MARK: - Reading the current tag

    func nameIs(_ s: StaticString) -> Bool { bytesEqual(nameStart, nameEnd, s) }
    func attrNameIs(_ k: Int, _ s: StaticString) -> Bool { bytesEqual(attrNS[k], attrNE[k], s) }
    var nameString: String { String(decoding: UnsafeBufferPointer(start: buf + nameStart, count: nameEnd - nameStart), as: UTF8.self) }
    func attrValueStart(_ k: Int) -> Int { attrVS[k] }

    private func bytesEqual(_ a: Int, _ b: Int, _ s: StaticString) -> Bool {
        guard b - a == s.utf8CodeUnitCount else { return false }
        let p = s.utf8Start
        for k in 0..<(b - a) where buf[a + k] != p[k] { return false }
        return true
    }

    /// Index of the attribute named `s`, or -1.
    func attr(_ s: StaticString) -> Int {
        for k in 0..<attrCount where attrNameIs(k, s) { return k }
        return -1
    }

    /// The attribute value as an integer, or nil when it is not a plain integer.
    func attrInt64(_ k: Int) -> Int64? {
        var i = attrVS[k]
        let e = attrVE[k]
        guard i < e else { return nil }
        var neg = false
        if buf[i] == 0x2D { neg = true; i += 1 } else if buf[i] == 0x2B { i += 1 }
        guard i < e, e - i <= 18 else { return nil }
        var v: Int64 = 0
        while i < e {
            let d = buf[i] &- 0x30
            guard d < 10 else { return nil }
            v = v * 10 + Int64(d)
            i += 1
        }
        return neg ? -v : v
    }

    /// A decimal degree value in units of 1e-7 degree (OSM's precision), rounded;
    /// nil when it is not a plain decimal number.
    func attrFixed7(_ k: Int) -> Int64? {
        var i = attrVS[k]
        let e = attrVE[k]
        guard i < e else { return nil }
        var neg = false
        if buf[i] == 0x2D { neg = true; i += 1 } else if buf[i] == 0x2B { i += 1 }
        var v: Int64 = 0
        var digits = 0
        while i < e, buf[i] &- 0x30 < 10 {
            v = v * 10 + Int64(buf[i] &- 0x30); digits += 1; i += 1
            if digits > 4 { return nil }
        }
        var frac = 0
        var roundUp = false
        if i < e && buf[i] == 0x2E {
            i += 1
            var fd = 0
            while i < e, buf[i] &- 0x30 < 10 {
                if frac < 7 { v = v * 10 + Int64(buf[i] &- 0x30); frac += 1 }
                else if frac == 7 && fd == 7 { roundUp = buf[i] >= 0x35 }
                fd += 1; i += 1
            }
            if fd == 0 && digits == 0 { return nil }
        }
        guard i == e, digits + frac > 0 else { return nil }
        while frac < 7 { v *= 10; frac += 1 }
        if roundUp { v += 1 }
        return neg ? -v : v
    }

    /// The attribute value with entities and character references decoded and
    /// whitespace normalised as XML requires; throws on a bad reference or invalid UTF-8.
    func attrString(_ k: Int) throws -> String {
        let s = attrVS[k], e = attrVE[k]
        var simple = true
        var i = s
        while i < e {
            let c = buf[i]
            if c == 0x26 || c == 0x09 || c == 0x0A || c == 0x0D { simple = false; break }
            i += 1
        }
        if simple {
            if let str = String(validating: UnsafeBufferPointer(start: buf + s, count: e - s), as: UTF8.self) { return str }
            throw error(at: firstInvalidUTF8(s, e), "invalid UTF-8 in an attribute value")
        }
        var out: [UInt8] = []
        out.reserveCapacity(e - s)
        i = s
        while i < e {
            let c = buf[i]
            if c == 0x09 || c == 0x0A || c == 0x0D { out.append(0x20); i += 1; continue }
            guard c == 0x26 else { out.append(c); i += 1; continue }
            var j = i + 1
            while j < e && buf[j] != 0x3B && j - i < 12 { j += 1 }
            guard j < e, buf[j] == 0x3B else { throw error(at: i, "'&' must start an entity such as &amp; (write &amp; for a literal '&')") }
            let name = Array(UnsafeBufferPointer(start: buf + i + 1, count: j - i - 1))
            switch name {
            case Array("amp".utf8): out.append(0x26)
            case Array("lt".utf8): out.append(0x3C)
            case Array("gt".utf8): out.append(0x3E)
            case Array("quot".utf8): out.append(0x22)
            case Array("apos".utf8): out.append(0x27)
            default:
                guard name.first == 0x23 else {
                    throw error(at: i, "unknown entity &\(String(decoding: name, as: UTF8.self)); (XML knows &amp; &lt; &gt; &quot; &apos; and &#N;)")
                }
                var value: UInt32 = 0
                var digits = name.dropFirst()
                let hex = digits.first == 0x78
                if hex { digits = digits.dropFirst() }
                var ok = !digits.isEmpty
                for d in digits where ok {
                    let v: UInt32
                    switch d {
                    case 0x30...0x39: v = UInt32(d - 0x30)
                    case 0x61...0x66 where hex: v = UInt32(d - 0x61 + 10)
                    case 0x41...0x46 where hex: v = UInt32(d - 0x41 + 10)
                    default: ok = false; v = 0
                    }
                    value = value &* (hex ? 16 : 10) &+ v
                    if value > 0x10FFFF { ok = false }
                }
                guard ok, let scalar = Unicode.Scalar(value), value == 0x9 || value == 0xA || value == 0xD || value >= 0x20,
                      !(0xFFFE...0xFFFF).contains(value) else {
                    throw error(at: i, "bad character reference &\(String(decoding: name, as: UTF8.self));")
                }
                out.append(contentsOf: Array(String(Character(scalar)).utf8))
            }
            i = j + 1
        }
        if let str = String(validating: out, as: UTF8.self) { return str }
        throw error(at: firstInvalidUTF8(s, e), "invalid UTF-8 in an attribute value")
    }

    private func firstInvalidUTF8(_ s: Int, _ e: Int) -> Int {
        var i = s
        while i < e {
            let c = buf[i]
            let n = c < 0x80 ? 1 : c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0
            if n == 0 || i + n > e { return i }
            if n > 1, String(validating: UnsafeBufferPointer(start: buf + i, count: n), as: UTF8.self) == nil { return i }
            i += n
        }
        return s
    }
}
