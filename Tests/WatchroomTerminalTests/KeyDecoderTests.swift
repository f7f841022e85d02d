import WatchroomTerminal
import WatchroomUI
import XCTest

final class KeyDecoderTests: XCTestCase {
    func testCharacters() {
        let table: [(UInt32, Key?)] = [
            (13, .enter), (10, .enter), (9, .tab), (127, .backspace), (8, .backspace), (27, .escape),
            (1, .control("a")), (3, .control("c")), (26, .control("z")),
            (0x61, .character("a")), (0x20, .character(" ")), (0x6C38, .character("永")),
            (0x1F6A8, .character("🚨")), (0, nil), (28, nil), (0x85, nil), (0xD800, nil),
        ]
        for (value, key) in table {
            XCTAssertEqual(KeyDecoder.decode(value, isKeyCode: false), key, "char \(value)")
        }
    }

    func testKeyCodesMatchCurses() {
        // Numbers from <ncursesw/curses.h> (octal there).
        let table: [(UInt32, Key?)] = [
            (0o403, .up), (0o402, .down), (0o404, .left), (0o405, .right),
            (0o523, .pageUp), (0o522, .pageDown), (0o406, .home), (0o550, .end),
            (0o527, .enter), (0o541, .backTab), (0o407, .backspace), (0o512, .delete),
            (0o411, .function(1)), (0o424, .function(12)), (0o631, nil), (0o632, nil), (0o777, nil),
        ]
        for (value, key) in table {
            XCTAssertEqual(KeyDecoder.decode(value, isKeyCode: true), key, "code \(String(value, radix: 8))")
        }
    }
}
