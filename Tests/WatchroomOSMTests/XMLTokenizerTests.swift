import Foundation
import XCTest
@testable import WatchroomOSM

/// The hand-written XML tokenizer: entities, chunk boundaries, and file:line:column errors.
final class XMLTokenizerTests: XCTestCase {
    /// Every start tag as `name k=v k=v` with values decoded, and end tags as `/name`.
    private func events(_ text: String, maxRead: Int = 1 << 20) throws -> [String] {
        let tok = XMLTokenizer(source: MemoryByteSource(Array(text.utf8), maxRead: maxRead))
        var out: [String] = []
        while true {
            switch try tok.next() {
            case .eof: return out
            case .end: out.append("/" + tok.nameString)
            case .start:
                var s = tok.nameString
                for k in 0..<tok.attrCount { s += " " + (try tok.attrString(k)) }
                if tok.selfClosing { s += " /" }
                out.append(s)
            }
        }
    }

    private func syntaxError(_ text: String, maxRead: Int = 1 << 20) -> XMLSyntaxError? {
        do { _ = try events(text, maxRead: maxRead); return nil } catch let e as XMLSyntaxError { return e } catch { return nil }
    }

    func testEntitiesAndCharacterReferencesDecode() throws {
        let ev = try events(#"<osm><tag k="a&amp;b" v="&lt;x&gt; &quot;q&quot; &apos;s&apos; &#27743;&#x5317;&#x41;"/></osm>"#)
        XCTAssertEqual(ev, ["osm", #"tag a&b <x> "q" 's' 江北A /"#, "/osm"])
        // XML spells hexadecimal references with a lower-case x only.
        XCTAssertThrowsError(try events(#"<osm a="&#X41;"/>"#))
    }

    func testAttributeWhitespaceIsNormalisedAndSingleQuotesWork() throws {
        let ev = try events("<osm a='x\ty\nz' b = \"1\"></osm>")
        XCTAssertEqual(ev, ["osm x y z 1", "/osm"])
    }

    func testCommentsProcessingInstructionsDoctypeAndCDATAAreSkipped() throws {
        let text = """
            <?xml version="1.0"?>
            <!DOCTYPE osm [ <!ENTITY x "y"> ]>
            <!-- a comment with <tags> and > inside -->
            <osm><![CDATA[ <not a tag> ]]><node id="1"/><!-- c --></osm>
            """
        XCTAssertEqual(try events(text), ["osm", "node 1 /", "/osm"])
    }

    func testAnyChunkSizeGivesTheSameEvents() throws {
        let text = String(decoding: try DistrictReference.bytes(), as: UTF8.self)
        let whole = try events(text)
        XCTAssertGreaterThan(whole.count, 300)
        for size in [1, 2, 3, 7, 64, 1000] {
            XCTAssertEqual(try events(text, maxRead: size), whole, "read size \(size)")
        }
    }

    func testMismatchedEndTagGivesLineAndColumn() {
        let e = syntaxError("<osm>\n  <way id=\"1\">\n  </node>\n</osm>")
        XCTAssertEqual(e?.line, 3)
        XCTAssertEqual(e?.column, 3)
        XCTAssertTrue(e?.message.contains("</node>") ?? false, e?.message ?? "")
        XCTAssertTrue(e?.message.contains("<way>") ?? false, e?.message ?? "")
    }

    func testColumnsCountCharactersNotBytes() {
        // "江北" is 6 bytes but 2 characters; the bad entity starts at character 14.
        let e = syntaxError("<osm><t k=\"江北&nbsp;\"/></osm>")
        XCTAssertEqual(e?.line, 1)
        XCTAssertEqual(e?.column, 14)
        XCTAssertTrue(e?.message.contains("&nbsp;") ?? false, e?.message ?? "")
    }

    func testMalformedInputsAreReportedWhereTheyAre() {
        let cases: [(String, Int, Int, String)] = [
            ("<osm>\n<node id=\"1\" lat=29.5/>\n</osm>", 2, 18, "quotes"),
            ("<osm>\n<node id=\"1\"lat=\"2\"/>\n</osm>", 2, 13, "space"),
            ("<osm>\n<tag k=\"a<b\"/>\n</osm>", 2, 10, "'<'"),
            ("<osm>\n<tag k=\"&#0;\"/>\n</osm>", 2, 9, "character reference"),
            ("<osm>\n<tag k=\"a & b\"/>\n</osm>", 2, 11, "&amp;"),
            ("<osm>\n<tag k=\"1\" k=\"2\"/>\n</osm>", 2, 12, "twice"),
            ("<osm>\n<node id=\"1\">\n", 3, 1, "ends inside <node>"),
            ("<osm>\n<node id=\"1\"", 2, 1, "unterminated tag"),
            ("<osm><!-- never closed", 1, 6, "comment"),
            ("hello <osm/>", 1, 1, "outside the root"),
            ("<osm/>\n<osm/>", 2, 1, "second root"),
            ("<osm></osm>\ntrailing", 2, 1, "after the end"),
            ("</osm>", 1, 1, "no element open"),
            ("", 1, 1, "no root element"),
            ("<osm>< node/></osm>", 1, 6, "element name"),
        ]
        for (text, line, column, words) in cases {
            guard let e = syntaxError(text) else { XCTFail("no error for \(text.debugDescription)"); continue }
            XCTAssertEqual(e.line, line, "\(text.debugDescription): \(e)")
            XCTAssertEqual(e.column, column, "\(text.debugDescription): \(e)")
            XCTAssertTrue(e.message.contains(words), "\(text.debugDescription): \(e.message)")
            // The same error whatever the chunking.
            XCTAssertEqual(syntaxError(text, maxRead: 1), e, text.debugDescription)
        }
    }

    func testInvalidUTF8InAValueIsAnError() {
        var bytes = Array("<osm><tag k=\"ab".utf8)
        bytes += [0xFF, 0xFE]
        bytes += Array("\"/></osm>".utf8)
        let tok = XMLTokenizer(source: MemoryByteSource(bytes))
        XCTAssertNoThrow(try tok.next())
        XCTAssertEqual(try tok.next(), .start)
        XCTAssertThrowsError(try tok.attrString(0)) { e in
            let e = e as? XMLSyntaxError
            XCTAssertEqual(e?.column, 16)
            XCTAssertTrue(e?.message.contains("UTF-8") ?? false)
        }
    }

    func testNumbersParseWithoutFloatingPoint() throws {
        let tok = XMLTokenizer(source: MemoryByteSource(Array(#"<n a="29.57171234" b="-106.5" c="1e5" d="" e="90.00000005" f="12345678901"/>"#.utf8)))
        XCTAssertEqual(try tok.next(), .start)
        XCTAssertEqual(tok.attrFixed7(0), 295_717_123)
        XCTAssertEqual(tok.attrFixed7(1), -1_065_000_000)
        XCTAssertNil(tok.attrFixed7(2))
        XCTAssertNil(tok.attrFixed7(3))
        XCTAssertEqual(tok.attrFixed7(4), 900_000_001)
        XCTAssertEqual(tok.attrInt64(5), 12_345_678_901)
        XCTAssertNil(tok.attrInt64(0))
    }

    /// An endless stream inside one tag (or comment): refused at the size limit, in linear time.
    final class EndlessSource: ByteSource {
        var head: [UInt8]
        let fill: UInt8
        init(_ head: String, fill: Character) { self.head = Array(head.utf8); self.fill = fill.asciiValue! }
        func read(into p: UnsafeMutablePointer<UInt8>, count: Int) -> Int {
            if !head.isEmpty {
                let n = min(count, head.count)
                for k in 0..<n { p[k] = head[k] }
                head.removeFirst(n)
                return n
            }
            p.update(repeating: fill, count: count)
            return count
        }
    }

    func testEndlessTagOrCommentIsRefusedAtTheLimit() {
        for (head, fill) in [("<osm>\n<tag k=\"", Character("x")), ("<osm>\n<!--", Character("-"))] {
            // The real limit is 64 MB; 4 MB keeps the debug-build test quick.
            let tok = XMLTokenizer(source: EndlessSource(head, fill: fill), maxToken: 4 << 20)
            let started = Date()
            XCTAssertThrowsError(try { while try tok.next() != .eof {} }()) { e in
                let e = e as? XMLSyntaxError
                XCTAssertTrue(e?.message.contains("longer than 4 MB") ?? false, "\(String(describing: e))")
                XCTAssertEqual(e?.line, 2)
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 20)
        }
    }

    func testHugeTagIsRefusedNotBuffered() {
        // A tag that never ends, larger than one chunk, fed in pieces: an error, not a hang.
        let text = "<osm><tag k=\"" + String(repeating: "x", count: 3 << 20)
        let e = syntaxError(text, maxRead: 1 << 20)
        XCTAssertNotNil(e)
        XCTAssertEqual(e?.line, 1)
    }

    /// The tag limit is exact: a tag of exactly the limit is read, one byte more is refused.
    func testTheTagLimitIsExact() throws {
        let limit = 1 << 20
        for extra in [0, 1] {
            let tag = "<n a=\"" + String(repeating: "x", count: limit - 9 + extra) + "\"/>"
            XCTAssertEqual(tag.utf8.count, limit + extra)
            let tok = XMLTokenizer(source: MemoryByteSource(Array(("<osm>\n" + tag + "\n</osm>\n").utf8), maxRead: 64 << 10),
                                   maxToken: limit)
            if extra == 0 {
                XCTAssertNoThrow(try { while try tok.next() != .eof {} }())
            } else {
                XCTAssertThrowsError(try { while try tok.next() != .eof {} }()) { e in
                    XCTAssertTrue((e as? XMLSyntaxError)?.message.contains("longer than 1 MB") ?? false, "\(e)")
                }
            }
        }
    }

    /// Attributes are checked for repeats in linear time: 160,000 on one tag read quickly,
    /// and a repeat far in is still found.
    func testManyAttributesOnOneTagAreLinear() throws {
        var tag = "<osm><node id=\"1\""
        for k in 0..<160_000 { tag += " a\(k)=\"v\"" }
        let started = Date()
        let tok = XMLTokenizer(source: MemoryByteSource(Array((tag + "/></osm>").utf8)))
        XCTAssertEqual(try tok.next(), .start)
        XCTAssertEqual(try tok.next(), .start)
        XCTAssertEqual(tok.attrCount, 160_001)
        XCTAssertLessThan(Date().timeIntervalSince(started), 8, "was 16 s with the pairwise check")
        let repeated = XMLTokenizer(source: MemoryByteSource(Array((tag + " a99999=\"w\"/></osm>").utf8)))
        XCTAssertEqual(try repeated.next(), .start)
        XCTAssertThrowsError(try repeated.next()) { e in
            XCTAssertTrue((e as? XMLSyntaxError)?.message.contains("attribute a99999 is given twice") ?? false, "\(e)")
        }
    }
}
