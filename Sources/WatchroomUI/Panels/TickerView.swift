import Foundation
import WatchroomCore

/// The event ticker: one short line per event, newest at the bottom.
enum TickerView {
    /// `19:48:11 P1 dispute reported 永平门街 18`
    ///
    /// The time of day without its offset: at 80 columns the ticker is about 50 cells wide and six
    /// more per line would cut the place off. The status bar above shows `19:48:11+08:00`, the
    /// precinct's offset, once for the whole screen.
    static func line(_ e: EventEnvelope, state s: PrecinctState, timeZone tz: TimeZone,
                     language lang: InterfaceLanguage = .english) -> (String, StyleRole) {
        let t = ISOTime.clock(e.time, timeZone: tz) + " "
        func num(_ i: IncidentID) -> String { Words.number(of: i, in: s) }
        func unit(_ u: UnitID) -> String { Words.callsign(of: u, in: s) }
        switch e.event {
        case .shiftStarted(let p):
            return (t + lang.t("ticker.shiftStarted", lang.t("mode." + p.mode.rawValue)), .normal)
        case .clockTick:
            return (t + lang.t("ticker.tick"), .dim)
        case .incidentReported(let p):
            let role: StyleRole = p.priority <= 1 ? .incidentP1 : (p.priority == 2 ? .incidentP2 : .incidentP3)
            return (t + lang.t("ticker.reported", "P\(p.priority)", Words.category(p.category, lang), Words.text(p.place)), role)
        case .incidentUpdated(let p):
            return (t + lang.t("ticker.updated", num(p.id)) + (p.note.map { ": " + Words.text($0) } ?? ""), .normal)
        case .incidentClosed(let p):
            return (t + lang.t("ticker.closed", num(p.id), Words.text(p.disposition.rawValue)), .dim)
        case .unitRegistered(let p):
            return (t + lang.t("ticker.onShift", Words.text(p.callsign)), .dim)
        case .unitPosition(let p):
            return (t + lang.t("ticker.moved", unit(p.unit)), .dim)
        case .unitStatus(let p):
            return (t + unit(p.unit) + " " + Words.unitStatus(p.status, wide: true, lang) + (p.incident.map { " " + num($0) } ?? ""),
                    Words.unitRole(p.status))
        case .dispatch(let p):
            return (t + lang.t("ticker.dispatched", p.units.map(unit).joined(separator: ", "), num(p.incident)), .unitDispatched)
        case .routeAssigned(let p):
            if let why = p.reroute {
                return (t + lang.t("ticker.rerouted", unit(p.unit), Sanitizer.inert(why), ISOTime.clock(p.eta, timeZone: tz)), .warning)
            }
            return (t + lang.t("ticker.route", unit(p.unit), Words.distance(p.meters), ISOTime.clock(p.eta, timeZone: tz)), .route)
        case .unitsRecommended(let p):
            return (t + lang.t("ticker.ranked", p.ranked.count, num(p.incident)), .dim)
        case .unitArrived(let p):
            return (t + lang.t("ticker.arrived", unit(p.unit), num(p.incident)), .unitOnScene)
        case .cameraStatus(let p):
            return (t + lang.t(p.online ? "ticker.cameraOnline" : "ticker.cameraOffline", Words.text(p.camera.rawValue)), p.online ? .ok : .warning)
        case .trafficChanged(let p):
            let what = p.closed ? lang.t("ticker.roadClosed")
                : (p.factor == 1 ? lang.t("ticker.roadNormal") : lang.t("ticker.roadSlowed", String(format: "%.1f", p.factor)))
            return (t + lang.t("ticker.road", Words.text(p.segment.rawValue), what), p.closed ? .warning : .normal)
        case .unknown(let type, _):
            if let o = e.event.orderSheet {
                var text = t + lang.t("ticker.order", Words.text(o.callsign), Words.text(o.number ?? o.incident.rawValue))
                text += " " + Words.text(o.place)
                if let r = o.route { text += lang.t("ticker.orderEta", ISOTime.clock(r.eta, timeZone: tz)) }
                if o.reinforcement { text += " " + lang.t("ticker.reinforcement") }
                return (text, .unitDispatched)
            }
            if let s = e.event.ordersSinkStatus {
                if s.up { return (t + lang.t("ticker.ordersUp", s.orders, Words.text(s.sink)), .ok) }
                return (t + lang.t("ticker.ordersDown", Words.text(s.reason ?? s.sink), s.orders), .alert)
            }
            if let d = e.event.orderDelivered {
                return (t + lang.t("ticker.delivered", unit(d.unit)), .dim)
            }
            if type.lowercased().hasPrefix("alert") {
                return (t + lang.t("ticker.alert", Words.text(type)), .alert)
            }
            return (t + Words.text(type), .dim)
        }
    }

    static func draw(_ input: ConsoleFrameInput, events: [EventEnvelope], rect r: CellRect, into grid: inout Grid) {
        let ui = input.ui
        Chrome.title(input.language.t("title.events"), x: r.x, y: r.y - 1, width: r.width, focused: ui.focus == .ticker,
                     unicode: input.capabilities.unicode, into: &grid)
        guard !r.isEmpty else { return }
        guard !events.isEmpty else {
            grid.put(" " + input.language.t("list.noEvents"), x: r.x, y: r.y, style: Style(.dim), maxWidth: r.width)
            return
        }
        let cursor = Swift.min(Swift.max(0, ui.tickerCursor ?? events.count - 1), events.count - 1)
        let offset = ListScroll.offset(cursor: cursor, count: events.count, visible: r.height)
        for row in 0..<r.height {
            let k = offset + row
            guard k < events.count else { break }
            let (text, role) = line(events[k], state: input.state, timeZone: input.precinctTimeZone, language: input.language)
            let focusedRow = ui.focus == .ticker && k == cursor
            let style = Style(role, focusedRow ? [.reverse] : [])
            grid.fill(x: r.x, y: r.y + row, width: r.width, height: 1, with: Cell(" ", style: style))
            grid.put(TextFit.fitWords(TextFit.dropBrackets(text, r.width - 1), r.width - 1), x: r.x + 1, y: r.y + row, style: style, maxWidth: r.width - 1)
        }
    }
}
