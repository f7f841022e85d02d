/// A rectangle of cells on the screen.
public struct CellRect: Sendable, Hashable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
    }

    public static let empty = CellRect(x: 0, y: 0, width: 0, height: 0)

    public var isEmpty: Bool { width == 0 || height == 0 }

    public func contains(x px: Int, y py: Int) -> Bool {
        px >= x && py >= y && px < x + width && py < y + height
    }
}

/// Where each part of the console goes for a terminal size.
///
/// Every panel has a one-row title above its body. Below 120 columns the incident
/// queue, unit roster, details and ticker share a right-hand column; from 120 columns
/// the ticker runs under the map and the column grows with the screen.
public struct ConsoleLayout: Sendable, Hashable {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    public var width: Int
    public var height: Int
    /// Below 80x24: only the "too small" message is drawn.
    public var tooSmall: Bool
    public var statusBar: CellRect = .empty
    public var bottomBar: CellRect = .empty
    /// The map body (its title row is the row above).
    public var map: CellRect = .empty
    public var incidents: CellRect = .empty
    public var units: CellRect = .empty
    public var details: CellRect = .empty
    public var ticker: CellRect = .empty
    /// The vertical rule between the map and the right column.
    public var divider: CellRect = .empty
    /// The replay's timeline row, above the bottom bar (empty when not asked for).
    public var timeline: CellRect = .empty

    /// - Parameter expandDetails: give the details panel more rows (and the lists fewer),
    ///   as while a selected incident shows its dispatch details.
    /// - Parameter timeline: keep a row above the bottom bar for the replay's timeline.
    public init(width: Int, height: Int, expandDetails: Bool = false, timeline: Bool = false) {
        self.width = Swift.max(0, width)
        self.height = Swift.max(0, height)
        tooSmall = width < ConsoleLayout.minimumWidth || height < ConsoleLayout.minimumHeight
        guard !tooSmall else { return }
        statusBar = CellRect(x: 0, y: 0, width: width, height: 1)
        bottomBar = CellRect(x: 0, y: height - 1, width: width, height: 1)
        let top = 1, bodyHeight = height - (timeline ? 3 : 2)
        if timeline { self.timeline = CellRect(x: 0, y: height - 2, width: width, height: 1) }
        let wide = width >= 120
        let side = wide ? Swift.min(84, Swift.max(44, width * 3 / 10)) : Swift.max(34, width * 2 / 5 - 2)
        let mapWidth = width - side - 1
        divider = CellRect(x: mapWidth, y: top, width: 1, height: bodyHeight)
        let sx = mapWidth + 1
        if wide {
            let tickerRows = Swift.min(10, Swift.max(3, bodyHeight / 7))
            map = CellRect(x: 0, y: top + 1, width: mapWidth, height: bodyHeight - 1 - tickerRows - 1)
            ticker = CellRect(x: 0, y: top + bodyHeight - tickerRows, width: mapWidth, height: tickerRows)
            // Right column: incidents, units, details with a title row each.
            let avail = bodyHeight - 3
            let share = expandDetails ? 22 : 35
            let inc = avail * share / 100, uni = avail * share / 100
            incidents = CellRect(x: sx, y: top + 1, width: side, height: inc)
            units = CellRect(x: sx, y: top + 2 + inc, width: side, height: uni)
            details = CellRect(x: sx, y: top + 3 + inc + uni, width: side, height: avail - inc - uni)
        } else {
            map = CellRect(x: 0, y: top + 1, width: mapWidth, height: bodyHeight - 1)
            let avail = bodyHeight - 4
            let tick = 3
            let div = expandDetails ? 4 : 10, mul = expandDetails ? 1 : 3
            let inc = (avail - tick) * mul / div, uni = (avail - tick) * mul / div
            incidents = CellRect(x: sx, y: top + 1, width: side, height: inc)
            units = CellRect(x: sx, y: top + 2 + inc, width: side, height: uni)
            details = CellRect(x: sx, y: top + 3 + inc + uni, width: side, height: avail - tick - inc - uni)
            ticker = CellRect(x: sx, y: top + 4 + inc + uni + details.height, width: side, height: tick)
        }
    }

    /// The rectangle of a focusable panel's body.
    public func rect(of focus: ConsoleUIState.Focus) -> CellRect {
        switch focus {
        case .map: return map
        case .incidents: return incidents
        case .units: return units
        case .details: return details
        case .ticker: return ticker
        }
    }
}

/// Scrolling of a list whose highlighted row must stay visible: a pure function of the
/// cursor, so the renderer and the click handler agree without stored state.
enum ListScroll {
    static func offset(cursor: Int, count: Int, visible: Int) -> Int {
        guard visible > 0, count > visible else { return 0 }
        return Swift.min(count - visible, Swift.max(0, cursor - visible + 1))
    }
}
