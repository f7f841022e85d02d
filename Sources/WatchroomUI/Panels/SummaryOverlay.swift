import WatchroomCore

/// The overlay of the caller's lines, titled by what they are (``ConsoleFrameInput/summaryTitle``), scrolled by
/// ``ConsoleUIState/summaryScroll``. As large as its lines need, up to the whole screen:
/// a one-line answer ("Nothing on record") leaves the map and the panels in sight.
enum SummaryOverlay {
    /// Text rows inside the box for a terminal `height` rows high.
    static func visibleRows(height: Int) -> Int { Swift.max(1, height - 4) }

    static func draw(_ input: ConsoleFrameInput, width: Int, height: Int, into grid: inout Grid) {
        guard width >= 10, height >= 5 else { return }
        let unicode = input.capabilities.unicode, lang = input.language
        let lines = input.summaryLines ?? [lang.t("overlay.working")]
        let keys = lang.t(unicode ? "overlay.scroll.unicode" : "overlay.scroll.ascii")
        let title = input.summaryTitle
        // All lines in sight: no scrolling to offer.
        let fits = lines.count <= visibleRows(height: height)
        let widest = fits ? lang.t("overlay.closes") : keys + "   " + lang.t("overlay.lines", lines.count, lines.count, lines.count)
        let inner = ([DisplayWidth.of(title) + 4, DisplayWidth.of(widest)] + lines.map { DisplayWidth.of(Words.text($0)) }).max() ?? 0
        let bw = Swift.min(width, inner + 4)
        let bh = Swift.min(height, Swift.max(1, lines.count) + 4)
        let x0 = (width - bw) / 2, y0 = (height - bh) / 2
        Chrome.box(x: x0, y: y0, width: bw, height: bh, title: title, unicode: unicode, into: &grid)
        let rows = bh - 4
        let top = Swift.max(0, Swift.min(input.ui.summaryScroll ?? 0, Swift.max(0, lines.count - rows)))
        for k in 0..<rows {
            let i = top + k
            guard i < lines.count else { break }
            grid.put(Words.text(lines[i]), x: x0 + 2, y: y0 + 1 + k, style: Style(.help), maxWidth: bw - 4)
        }
        let end = Swift.min(lines.count, top + rows)
        let footer = fits ? lang.t("overlay.closes") : keys + "   " + lang.t("overlay.lines", top + 1, end, lines.count)
        grid.put(footer, x: x0 + 2, y: y0 + bh - 2, style: Style(.dim), maxWidth: bw - 4)
    }
}
