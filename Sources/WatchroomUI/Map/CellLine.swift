/// Walking a straight line through terminal cells.
enum CellLine {
    /// The cells a line from `(x0, y0)` to `(x1, y1)` (continuous cell coordinates, cell
    /// `c` spanning `c..<c+1`) passes through, each a king's move from the previous one,
    /// clipped to the area `width` x `height` plus a one-cell margin.
    ///
    /// `body` gets the cell and whether it holds the line's true start or end (not a
    /// point where the line was clipped).
    ///
    /// - Complexity: O(cells visited), bounded by the area's size whatever the line's length.
    static func walk(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, width: Int, height: Int,
                     _ body: (_ x: Int, _ y: Int, _ isStart: Bool, _ isEnd: Bool) -> Void) {
        guard x0.isFinite, y0.isFinite, x1.isFinite, y1.isFinite, width > 0, height > 0 else { return }
        let xmin = -1.0, ymin = -1.0, xmax = Double(width) + 1, ymax = Double(height) + 1
        let dx = x1 - x0, dy = y1 - y0
        var t0 = 0.0, t1 = 1.0
        let p = [-dx, dx, -dy, dy]
        let q = [x0 - xmin, xmax - x0, y0 - ymin, ymax - y0]
        for i in 0..<4 {
            if p[i] == 0 {
                if q[i] < 0 { return }
            } else {
                let r = q[i] / p[i]
                if p[i] < 0 { if r > t1 { return }; if r > t0 { t0 = r } } else { if r < t0 { return }; if r < t1 { t1 = r } }
            }
        }
        let ax = x0 + dx * t0, ay = y0 + dy * t0
        let bx = x0 + dx * t1, by = y0 + dy * t1
        let steps = Int((Swift.max(abs(bx - ax), abs(by - ay)) * 2).rounded(.up)) + 1
        var cells: [(Int, Int)] = []
        cells.reserveCapacity(steps / 2 + 2)
        var last = (Int.min, Int.min)
        for k in 0...steps {
            let t = Double(k) / Double(steps)
            let cx = Int((ax + (bx - ax) * t).rounded(.down)), cy = Int((ay + (by - ay) * t).rounded(.down))
            if cx != last.0 || cy != last.1 {
                cells.append((cx, cy))
                last = (cx, cy)
            }
        }
        for (i, c) in cells.enumerated() {
            body(c.0, c.1, i == 0 && t0 == 0, i == cells.count - 1 && t1 == 1)
        }
    }
}
