/// Frames, titles and rules shared by the panels.
enum Chrome {
    /// A panel title row: `── Incidents 3 ─────`, bright when the panel has the keyboard.
    static func title(_ text: String, x: Int, y: Int, width: Int, focused: Bool, unicode: Bool, into grid: inout Grid) {
        guard width > 0 else { return }
        let rule: Character = unicode ? "─" : "-"
        let border = Style(.panelBorder)
        for xx in x..<(x + width) { grid.set(x: xx, y: y, rule, style: border) }
        let style = focused ? Style(.panelTitleFocused, [.bold, .reverse]) : Style(.panelTitle, [.bold])
        grid.put(" " + text + " ", x: x + 1, y: y, style: style, maxWidth: width - 2)
    }

    /// A box with a light frame, its inside cleared.
    static func box(x: Int, y: Int, width: Int, height: Int, title: String?, unicode: Bool, into grid: inout Grid) {
        guard width >= 2, height >= 2 else { return }
        let s = Style(.panelBorder)
        grid.fill(x: x, y: y, width: width, height: height, with: Cell(" ", style: Style(.help)))
        let h: Character = unicode ? "─" : "-", v: Character = unicode ? "│" : "|"
        for xx in (x + 1)..<(x + width - 1) {
            grid.set(x: xx, y: y, h, style: s)
            grid.set(x: xx, y: y + height - 1, h, style: s)
        }
        for yy in (y + 1)..<(y + height - 1) {
            grid.set(x: x, y: yy, v, style: s)
            grid.set(x: x + width - 1, y: yy, v, style: s)
        }
        grid.set(x: x, y: y, unicode ? "┌" : "+", style: s)
        grid.set(x: x + width - 1, y: y, unicode ? "┐" : "+", style: s)
        grid.set(x: x, y: y + height - 1, unicode ? "└" : "+", style: s)
        grid.set(x: x + width - 1, y: y + height - 1, unicode ? "┘" : "+", style: s)
        if let title { grid.put(" " + title + " ", x: x + 2, y: y, style: Style(.panelTitle, [.bold]), maxWidth: width - 4) }
    }

    /// A vertical rule.
    static func divider(_ r: CellRect, unicode: Bool, into grid: inout Grid) {
        guard !r.isEmpty else { return }
        for y in r.y..<(r.y + r.height) { grid.set(x: r.x, y: y, unicode ? "│" : "|", style: Style(.panelBorder)) }
    }

    /// One list row: clears it, then writes `parts` left to right, each cut to its width.
    static func row(_ parts: [(text: String, width: Int, style: Style, right: Bool)], x: Int, y: Int, width: Int,
                    base: Style, into grid: inout Grid) {
        grid.fill(x: x, y: y, width: width, height: 1, with: Cell(" ", style: base))
        var cx = x
        for p in parts {
            let room = Swift.min(p.width, x + width - cx)
            guard room > 0 else { break }
            grid.put(TextFit.fit(p.text, room, alignRight: p.right), x: cx, y: y, style: p.style, maxWidth: room)
            cx += room
        }
    }
}
