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

    /// Blanks take the pen of the cell on their left (or, with none there, on their right);
    /// cells that show on a blank (a background, reverse) neither change nor lend theirs.
    func testBlanksTakeTheirNeighboursPenWhereNothingShows() {
        var g = Grid(width: 12, height: 2)
        g.put("a", x: 1, y: 0, style: Style(.road))
        g.put("b", x: 4, y: 0, style: Style(.label, [.bold]))
        g.put("  ", x: 6, y: 0, style: Style(.selection))
        g.put("c", x: 9, y: 0, style: Style(.water))
        g.put("江", x: 3, y: 1, style: Style(.label))
        let shows: (Style) -> Bool = { $0.role == .selection || $0.attributes.contains(.reverse) }
        var s = g
        s.settleBlanks(showsOnBlank: shows)
        // The text never changes.
        XCTAssertEqual(s.lines, g.lines)
        let row0 = (0..<12).map { s[$0, 0].style }
        XCTAssertEqual(row0[0], Style(.road), "leading blank takes the first pen on its right")
        XCTAssertEqual(row0[2], Style(.road))
        XCTAssertEqual(row0[3], Style(.road))
        XCTAssertEqual(row0[5], Style(.label, [.bold]))
        XCTAssertEqual(row0[6], Style(.selection), "a selected blank keeps its own style")
        XCTAssertEqual(row0[7], Style(.selection))
        // After a style that shows, blanks take the next pen on their right.
        XCTAssertEqual(row0[8], Style(.water))
        XCTAssertEqual(row0[10], Style(.water))
        XCTAssertEqual(row0[11], Style(.water))
        // A wide character lends its pen; its continuation is left alone.
        XCTAssertEqual(s[0, 1].style, Style(.label))
        XCTAssertEqual(s[4, 1].width, 0)
        XCTAssertEqual(s[5, 1].style, Style(.label))
        // Fewer pen changes along each row than before.
        func changes(_ grid: Grid) -> Int {
            var n = 0
            for y in 0..<grid.height { for x in 1..<grid.width where grid[x, y].style != grid[x - 1, y].style { n += 1 } }
            return n
        }
        XCTAssertLessThan(changes(s), changes(g))
        // With every style showing (no palette to ask), nothing moves.
        var same = g
        same.settleBlanks { _ in true }
        XCTAssertEqual(same, g)
    }
}
