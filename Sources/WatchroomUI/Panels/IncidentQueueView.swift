import Foundation
import WatchroomCore

/// The incident queue: priority, number, category, place, age, status.
enum IncidentQueueView {
    static func draw(_ input: ConsoleFrameInput, items: [IncidentRecord], rect r: CellRect, into grid: inout Grid) {
        let ui = input.ui
        let open = items.filter(\.isOpen).count
        Chrome.title(input.language.t("title.incidents", open), x: r.x, y: r.y - 1, width: r.width, focused: ui.focus == .incidents,
                     unicode: input.capabilities.unicode, into: &grid)
        guard !r.isEmpty else { return }
        if items.isEmpty {
            grid.put(" " + input.language.t("list.noIncidents"), x: r.x, y: r.y, style: Style(.dim), maxWidth: r.width)
            return
        }
        let wide = r.width >= 60
        let cursor = Swift.min(Swift.max(0, ui.incidentCursor), items.count - 1)
        let offset = ListScroll.offset(cursor: cursor, count: items.count, visible: r.height)
        let fixed = 1 + 2 + 1 + (wide ? 14 : 4) + 1 + 1 + 7 + 1 + (wide ? 8 : 6)
        let showCategory = r.width - fixed >= 8 + 1 + 8
        let placeWidth = Swift.max(1, r.width - fixed - (showCategory ? 9 : 0))
        for row in 0..<r.height {
            let k = offset + row
            guard k < items.count else { break }
            let inc = items[k]
            let selected = ui.selection == .incident(inc.id)
            var extra: Attributes = []
            if k == cursor && ui.focus == .incidents { extra.insert(.reverse) }
            if selected { extra.insert(.bold) }
            let overdue = inc.isOpen && input.alerts[inc.id] != nil
            let base = Style(overdue ? .alert : (inc.isOpen ? .normal : .dim), extra)
            func st(_ role: StyleRole, _ a: Attributes = []) -> Style {
                Style(overdue ? .alert : (inc.isOpen ? role : .dim), a.union(extra))
            }
            let age = (inc.closedAt ?? input.now).timeIntervalSince(inc.reportedAt)
            var parts: [(text: String, width: Int, style: Style, right: Bool)] = [
                (selected ? (input.capabilities.unicode ? "▸" : ">") : " ", 1, base, false),
                ("P\(inc.priority)", 2, st(Words.incidentRole(inc), [.bold]), false),
                (" ", 1, base, false),
                (Words.number(inc, short: !wide), wide ? 14 : 4, base, false),
                (" ", 1, base, false),
            ]
            if showCategory { parts.append((Words.category(inc.category, input.language), 8, base, false)); parts.append((" ", 1, base, false)) }
            let place = Words.place(inc.place, weapon: inc.weapon, width: placeWidth)
            parts += [
                (place, placeWidth, base, false),
                (" ", 1, base, false),
                (DurationText.clock(age), 7, inc.isOpen && age >= 600 ? st(.warning) : base, true),
                (" ", 1, base, false),
                (Words.incidentStatus(inc.status, wide: wide, input.language), wide ? 8 : 6, base, false),
            ]
            Chrome.row(parts, x: r.x, y: r.y + row, width: r.width, base: base, into: &grid)
        }
    }
}

/// The unit roster: callsign, kind, status, current task, ETA.
enum UnitRosterView {
    static func draw(_ input: ConsoleFrameInput, items: [UnitRecord], rect r: CellRect, into grid: inout Grid) {
        let ui = input.ui
        let free = items.filter { $0.status.isAssignable }.count
        Chrome.title(input.language.t("title.units", free, items.count), x: r.x, y: r.y - 1, width: r.width, focused: ui.focus == .units,
                     unicode: input.capabilities.unicode, into: &grid)
        guard !r.isEmpty else { return }
        if items.isEmpty {
            grid.put(" " + input.language.t("list.noUnits"), x: r.x, y: r.y, style: Style(.dim), maxWidth: r.width)
            return
        }
        let glyphs = MapGlyphs(unicode: input.capabilities.unicode)
        let wide = r.width >= 60
        let cursor = Swift.min(Swift.max(0, ui.unitCursor), items.count - 1)
        let offset = ListScroll.offset(cursor: cursor, count: items.count, visible: r.height)
        let callWidth = Swift.max(4, r.width - (1 + 1 + 1 + 1 + (wide ? 14 : 6) + 1 + (wide ? 14 : 4) + 1 + 5) - (wide ? 10 : 0))
        for row in 0..<r.height {
            let k = offset + row
            guard k < items.count else { break }
            let u = items[k]
            let selected = ui.selection == .unit(u.id)
            var extra: Attributes = []
            if k == cursor && ui.focus == .units { extra.insert(.reverse) }
            if selected { extra.insert(.bold) }
            let base = Style(.normal, extra)
            let task: String
            if let i = u.incident {
                task = input.state.incidents[i].map { Words.number($0, short: !wide) } ?? Words.text(i.rawValue)
            } else {
                task = ""
            }
            var eta = ""
            if let route = u.route, u.status == .dispatched || u.status == .enRoute {
                let left = route.eta.timeIntervalSince(input.now)
                eta = left > 0 ? DurationText.clock(left) : input.language.t("list.due")
            }
            let parts: [(text: String, width: Int, style: Style, right: Bool)] = [
                (selected ? (glyphs.unicode ? "▸" : ">") : " ", 1, base, false),
                (Words.text(u.callsign), callWidth, base, false),
                (" ", 1, base, false),
                (String(glyphs.unit(u.kind)), 1, Style(Words.unitRole(u.status), extra.union(.bold)), false),
                (" ", 1, base, false),
                (Words.unitStatus(u.status, wide: wide, input.language), wide ? 14 : 6, Style(Words.unitRole(u.status), extra), false),
                (" ", 1, base, false),
                (task, wide ? 14 : 4, base, false),
                (" ", 1, base, false),
                (eta, 5, base, true),
                (wide ? "  " + (u.speedKmh.map { "\(Int($0.rounded())) km/h" } ?? "") : "", wide ? 10 : 0, Style(.dim, extra), false),
            ]
            Chrome.row(parts, x: r.x, y: r.y + row, width: r.width, base: base, into: &grid)
        }
    }
}
