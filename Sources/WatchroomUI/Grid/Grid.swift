/// A rectangle of cells in memory: every view draws here, never to the terminal.
///
/// Coordinates are `(x, y)` with `(0, 0)` at the top left. Writes outside the grid are
/// clipped; text is sanitised (control characters never reach a cell).
public struct Grid: Sendable, Hashable {
    public private(set) var width: Int
    public private(set) var height: Int
    public private(set) var cells: [Cell]

    public init(width: Int, height: Int, fill: Cell = .blank) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        cells = Array(repeating: fill, count: self.width * self.height)
    }

    @inline(__always) public func contains(x: Int, y: Int) -> Bool {
        x >= 0 && y >= 0 && x < width && y < height
    }

    public subscript(x: Int, y: Int) -> Cell {
        get { contains(x: x, y: y) ? cells[y * width + x] : .blank }
    }

    /// Sets one cell to a single-width character, repairing any wide character it splits.
    public mutating func set(x: Int, y: Int, _ character: Character, style: Style) {
        guard contains(x: x, y: y) else { return }
        let w = DisplayWidth.of(character)
        if w == 2 {
            put(String(character), x: x, y: y, style: style)
            return
        }
        let text = w == 0 ? " " : String(character)
        clearWide(x: x, y: y)
        cells[y * width + x] = Cell(text, width: 1, style: style)
    }

    /// Changes the style of a cell, keeping its text.
    public mutating func restyle(x: Int, y: Int, _ style: Style) {
        guard contains(x: x, y: y) else { return }
        cells[y * width + x].style = style
    }

    /// Writes `text` from `(x, y)` rightwards, clipped at `maxWidth` columns and the grid's
    /// edge. A wide character that would not fit whole is replaced by a space.
    ///
    /// - Returns: the columns written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: Style, maxWidth: Int = .max) -> Int {
        guard y >= 0, y < height else { return 0 }
        let limit = Swift.min(width, x &+ Swift.max(0, maxWidth) < x ? width : x + Swift.max(0, maxWidth))
        var col = x
        for ch in text {
            guard col < limit else { break }
            var w = DisplayWidth.of(ch)
            var shown = String(ch)
            if w == 0 {
                // Control characters and lone combining marks: shown inert as a space-like glyph.
                if ch.unicodeScalars.first.map({ $0.value < 0x20 || ($0.value >= 0x7F && $0.value < 0xA0) }) ?? true {
                    shown = "?"
                    w = 1
                } else {
                    continue
                }
            }
            if col + w > limit {
                if col >= 0 { set(x: col, y: y, " ", style: style) }
                col += 1
                break
            }
            if col >= 0 {
                clearWide(x: col, y: y)
                if w == 2 { clearWide(x: col + 1, y: y) }
                cells[y * width + col] = Cell(shown, width: UInt8(w), style: style)
                if w == 2 { cells[y * width + col + 1] = Cell("", width: 0, style: style) }
            } else if w == 2 && col + 1 >= 0 {
                // The left half is off-grid: show a space in the visible half.
                clearWide(x: col + 1, y: y)
                cells[y * width + col + 1] = Cell(" ", width: 1, style: style)
            }
            col += w
        }
        return Swift.max(0, col - x)
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, with cell: Cell = .blank) {
        let x0 = Swift.max(0, x), y0 = Swift.max(0, y)
        let x1 = Swift.min(width, x + w), y1 = Swift.min(height, y + h)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            clearWide(x: x0, y: yy)
            clearWide(x: x1 - 1, y: yy)
            for xx in x0..<x1 { cells[yy * width + xx] = cell }
        }
    }

    /// Copies cells `[from, to)` of row `y` from `source` row `sourceRow`, starting at
    /// `sourceOffset + from`; halves of wide characters at either end become spaces.
    mutating func replaceRow(_ y: Int, from: Int, to: Int, with source: Grid, sourceRow: Int, sourceOffset: Int) {
        let base = y * width
        let sbase = sourceRow * source.width + sourceOffset
        for xx in from..<to { cells[base + xx] = source.cells[sbase + xx] }
        if cells[base + from].width == 0 { cells[base + from] = Cell(" ", width: 1, style: cells[base + from].style) }
        if cells[base + to - 1].width == 2 { cells[base + to - 1] = Cell(" ", width: 1, style: cells[base + to - 1].style) }
    }

    /// If `(x, y)` is half of a wide character, turns both halves into spaces.
    private mutating func clearWide(x: Int, y: Int) {
        guard contains(x: x, y: y) else { return }
        let i = y * width + x
        let c = cells[i]
        if c.width == 0, x > 0 {
            cells[i - 1] = Cell(" ", width: 1, style: cells[i - 1].style)
            cells[i] = Cell(" ", width: 1, style: c.style)
        } else if c.width == 2 {
            cells[i] = Cell(" ", width: 1, style: c.style)
            if x + 1 < width { cells[i + 1] = Cell(" ", width: 1, style: cells[i + 1].style) }
        }
    }

    /// The rows as plain text (continuation cells omitted), for snapshot tests.
    public var lines: [String] {
        (0..<height).map { y in
            var s = ""
            for x in 0..<width where !cells[y * width + x].isContinuation { s += cells[y * width + x].text }
            return s
        }
    }

    /// The cells of `self` that differ from `previous`, row by row, left to right. A grid
    /// of another size differs everywhere.
    ///
    /// Wide characters: a changed continuation cell is reported as its head, and the head
    /// is always reported with its full width, so a backend never draws half a character.
    public func diff(from previous: Grid?) -> [CellChange] {
        var out: [CellChange] = []
        let old = previous.flatMap { $0.width == width && $0.height == height ? $0 : nil }
        for y in 0..<height {
            var x = 0
            while x < width {
                let i = y * width + x
                let c = cells[i]
                if c.width == 2 {
                    let tailChanged = x + 1 < width && old?.cells[i + 1] != cells[i + 1]
                    if old?.cells[i] != c || tailChanged { out.append(CellChange(x: x, y: y, cell: c)) }
                    x += 2
                    continue
                }
                if old?.cells[i] != c {
                    // A stray continuation (its head was overwritten) is drawn as a space.
                    out.append(CellChange(x: x, y: y, cell: c.isContinuation ? Cell(" ", style: c.style) : c))
                }
                x += 1
            }
        }
        return out
    }
}

/// One cell to draw at a screen position.
public struct CellChange: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var cell: Cell

    public init(x: Int, y: Int, cell: Cell) {
        self.x = x
        self.y = y
        self.cell = cell
    }
}

extension Grid {
    /// Symbols the views use in running text, and what an ASCII terminal shows instead.
    public static let asciiStandIn: [String: String] = [
        "·": ".", "—": "-", "–": "-", "⚠": "!", "…": ".", "→": ">", "←": "<", "↑": "^", "↓": "v",
        "▲": "^", "▼": "v", "⌖": "+", "◉": "*", "●": "o", "■": "#", "█": "#",
    ]

    /// Replaces every cell that is not plain ASCII with its stand-in (``asciiStandIn``) or
    /// `?` (both columns of a wide character), for terminals whose locale is not UTF-8.
    /// Names never get here as such: the console romanizes them first.
    public mutating func makeASCII() {
        for i in cells.indices where !cells[i].text.unicodeScalars.allSatisfy({ $0.isASCII }) || cells[i].width != 1 {
            let standIn = cells[i].width == 1 ? Grid.asciiStandIn[cells[i].text] : nil
            cells[i] = Cell(standIn ?? "?", width: 1, style: cells[i].style)
        }
    }
}
