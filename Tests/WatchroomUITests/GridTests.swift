import WatchroomUI
import XCTest

final class GridTests: XCTestCase {
    func testWideCharactersTakeTwoColumnsAndAreNeverCutInHalf() {
        var g = Grid(width: 6, height: 1)
        XCTAssertEqual(g.put("永平门街", x: 0, y: 0, style: .normal), 6)
        XCTAssertEqual(g.lines, ["永平门"])
        XCTAssertEqual(g[1, 0].width, 0)
        // Overwriting the right half of 平 clears its left half too.
        g.set(x: 3, y: 0, "x", style: .normal)
        XCTAssertEqual(g.lines, ["永 x门"])
        // A wide character that does not fit in the last column becomes a space.
        var h = Grid(width: 4, height: 1)
        h.put("a永平", x: 0, y: 0, style: .normal)
        XCTAssertEqual(h.lines, ["a永 "])
    }

    func testControlCharactersNeverReachACell() {
        var g = Grid(width: 10, height: 1)
        g.put("a\u{1B}[2Jb", x: 0, y: 0, style: .normal)
        XCTAssertFalse(g.cells.contains { $0.text.unicodeScalars.contains { $0.value == 0x1B } })
        XCTAssertEqual(g.lines[0].hasPrefix("a?[2Jb"), true)
    }

    func testDiffReportsOnlyChangedCellsAndWholeWideCharacters() {
        var a = Grid(width: 8, height: 2)
        a.put("江北 ok", x: 0, y: 0, style: .normal)
        var b = a
        XCTAssertEqual(b.diff(from: a), [])
        b.put("城", x: 2, y: 0, style: .normal)
        let d = b.diff(from: a)
        XCTAssertEqual(d.map(\.x), [2])
        XCTAssertEqual(d.first?.cell.text, "城")
        XCTAssertEqual(Grid(width: 3, height: 2).diff(from: nil).count, 6)
        XCTAssertEqual(Grid(width: 3, height: 2).diff(from: Grid(width: 2, height: 2)).count, 6)
    }
}
