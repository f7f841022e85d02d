/// Blanks that take the pen already on the wire: how a frame avoids colour changes that
/// nobody can see.
extension Grid {
    /// Gives every blank cell whose style shows nothing on a space the style of the cell on
    /// its left in the same row (or, at the start of a row or after a cell that shows, of
    /// the first cell on its right), when that style shows nothing on a space either.
    ///
    /// A terminal keeps the current colour and attributes (the pen) from one cell to the
    /// next. A blank drawn in its own foreground colour costs a colour change into it and
    /// one out of it (11 bytes each in 256 colours) for a cell that looks the same in any
    /// foreground; drawn with its neighbour's pen it costs one byte. The screen does not
    /// change: only invisible foreground colours and attributes (bold, dim, blink) move.
    ///
    /// - Parameter showsOnBlank: whether a style is visible on a space (a background colour,
    ///   reverse, underline). Such cells are never changed and never lend their style.
    /// - Complexity: O(width × height).
    public mutating func settleBlanks(showsOnBlank: (Style) -> Bool) {
        guard width > 0 else { return }
        for y in 0..<height {
            let base = y * width
            var pen: Style? = nil
            var pendingFrom = -1
            for x in 0..<width {
                let c = cells[base + x]
                let blank = c.width == 1 && c.text == " " && !showsOnBlank(c.style)
                if blank {
                    if let pen {
                        restyle(x: x, y: y, pen)
                    } else if pendingFrom < 0 {
                        pendingFrom = x
                    }
                    continue
                }
                if c.isContinuation { continue }
                let lends = !showsOnBlank(c.style)
                if pendingFrom >= 0 {
                    if lends { for k in pendingFrom..<x { restyle(x: k, y: y, c.style) } }
                    pendingFrom = -1
                }
                pen = lends ? c.style : nil
            }
        }
    }
}
