import WatchroomCore

/// The full-screen overlay of the caller's lines, titled by what they are (``ConsoleFrameInput/summaryTitle``), scrolled by
/// ``ConsoleUIState/summaryScroll``.
enum SummaryOverlay {
    /// Text rows inside the box for a terminal `height` rows high.
    static func visibleRows(height: Int) -> Int { Swift.max(1, height - 4) }

    static func draw(_ input: ConsoleFrameInput, width: Int, height: Int, into grid: inout Grid) {
        guard width >= 10, height >= 5 else { return }
        let unicode = input.capabilities.unicode
        Chrome.box(x: 0, y: 0, width: width, height: height, title: input.summaryTitle, unicode: unicode, into: &grid)
        let lines = input.summaryLines ?? ["Working out the summary..."]
        let rows = visibleRows(height: height)
        let top = Swift.max(0, Swift.min(input.ui.summaryScroll ?? 0, Swift.max(0, lines.count - rows)))
        for k in 0..<rows {
            let i = top + k
            guard i < lines.count else { break }
            grid.put(Words.text(lines[i]), x: 2, y: 1 + k, style: Style(.help), maxWidth: width - 4)
        }
        let end = Swift.min(lines.count, top + rows)
        let position = lines.isEmpty ? "empty" : "lines \(top + 1)-\(end) of \(lines.count)"
        let keys = unicode ? "↑ ↓ PgUp PgDn scroll  Esc closes" : "arrows PgUp PgDn scroll  Esc closes"
        grid.put(keys + "   " + position, x: 2, y: height - 2, style: Style(.dim), maxWidth: width - 4)
    }
}
