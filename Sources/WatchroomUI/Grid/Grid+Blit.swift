/// Copying one grid into another: how a cached map layer reaches the frame.
extension Grid {
    /// Copies `source` with its top left at `(x, y)`, clipped to `self`.
    ///
    /// Wide characters stay whole: a wide character of `self` split by the copied
    /// rectangle's edge becomes spaces, and a wide character of `source` whose right half
    /// would fall outside `self` is drawn as a space.
    public mutating func blit(_ source: Grid, x: Int, y: Int) {
        let x0 = Swift.max(0, x), y0 = Swift.max(0, y)
        let x1 = Swift.min(width, x + source.width), y1 = Swift.min(height, y + source.height)
        guard x0 < x1, y0 < y1 else { return }
        for yy in y0..<y1 {
            // Repair wide characters of `self` cut by the left and right edges.
            set(x: x0, y: yy, " ", style: self[x0, yy].style)
            set(x: x1 - 1, y: yy, " ", style: self[x1 - 1, yy].style)
            let sy = yy - y
            replaceRow(yy, from: x0, to: x1, with: source, sourceRow: sy, sourceOffset: x0 - x)
        }
    }
}
