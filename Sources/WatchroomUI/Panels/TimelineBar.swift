import Foundation
import WatchroomCore

/// What the replay's timeline row shows: the shift from start to end, a tick per incident
/// and where playback stands.
public struct TimelineModel: Sendable, Hashable {
    /// One incident on the timeline.
    public struct Mark: Sendable, Hashable {
        public var time: Date
        public var priority: Int

        public init(time: Date, priority: Int) {
            self.time = time
            self.priority = priority
        }
    }

    public var start: Date
    public var end: Date
    /// The playback instant.
    public var now: Date
    public var marks: [Mark]

    public init(start: Date, end: Date, now: Date, marks: [Mark]) {
        self.start = start
        self.end = Swift.max(start, end)
        self.now = now
        self.marks = marks
    }

    /// The column (0 ..< `width`) of `time` on a bar `width` cells wide.
    public func column(of time: Date, width: Int) -> Int {
        guard width > 1 else { return 0 }
        let span = end.timeIntervalSince(start)
        guard span > 0, time.timeIntervalSince(start).isFinite else { return time >= end ? width - 1 : 0 }
        let f = Swift.min(1, Swift.max(0, time.timeIntervalSince(start) / span))
        return Int((f * Double(width - 1)).rounded())
    }
}

/// The replay's timeline: `20:00+08:00 ━━━━┃━━●──│───│── 08:00+08:00`.
///
/// The played part is heavy, the rest light; a tick per incident (priority 1 bold in its
/// colour, `┃`; others `│`), the position `●` drawn last. Start and end are 24-hour times
/// with their offset, with the date too when the row is wide.
public enum TimelineBar {
    public static func draw(_ model: TimelineModel, rect r: CellRect, timeZone: TimeZone, unicode: Bool,
                            into grid: inout Grid) {
        guard !r.isEmpty else { return }
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", style: Style(.statusBar)))
        let wide = r.width >= 120
        let startText = label(model.start, timeZone: timeZone, withDate: wide)
        let endText = label(model.end, timeZone: timeZone, withDate: wide)
        let labels = DisplayWidth.of(startText) + DisplayWidth.of(endText) + 4
        let showLabels = r.width - labels >= 10
        var x = r.x
        if showLabels {
            x += 1 + grid.put(startText, x: r.x + 1, y: r.y, style: Style(.statusBar, [.bold])) + 1
        }
        let barWidth = showLabels ? r.width - labels : r.width
        guard barWidth > 0 else { return }
        let here = model.column(of: model.now, width: barWidth)
        let played: Character = unicode ? "━" : "=", ahead: Character = unicode ? "─" : "-"
        for k in 0..<barWidth {
            grid.set(x: x + k, y: r.y, k <= here ? played : ahead, style: Style(k <= here ? .normal : .dim))
        }
        // Ticks: the most urgent incident in a column wins it.
        var best: [Int: Int] = [:]
        for m in model.marks {
            let c = model.column(of: m.time, width: barWidth)
            best[c] = Swift.min(best[c] ?? 3, Swift.min(3, Swift.max(1, m.priority)))
        }
        for (c, p) in best {
            let glyph: Character = p == 1 ? (unicode ? "┃" : "!") : (unicode ? "│" : "|")
            let role: StyleRole = p == 1 ? .incidentP1 : (p == 2 ? .incidentP2 : .incidentP3)
            grid.set(x: x + c, y: r.y, glyph, style: Style(role, p == 1 ? [.bold] : []))
        }
        grid.set(x: x + here, y: r.y, unicode ? "●" : "O", style: Style(.cursor, [.bold, .reverse]))
        if showLabels {
            grid.put(endText, x: x + barWidth + 1, y: r.y, style: Style(.statusBar, [.bold]))
        }
    }

    /// `20:00+08:00`, or `2026-03-14T20:00+08:00` with the date.
    public static func label(_ date: Date, timeZone: TimeZone, withDate: Bool) -> String {
        let iso = ISOTime.format(date, timeZone: timeZone)  // 2026-03-14T20:00:00.000+08:00
        let offset = String(iso.suffix(6))
        let minute = String(iso.prefix(16))
        return (withDate ? minute : String(minute.suffix(5))) + offset
    }
}
