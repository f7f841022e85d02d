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
            return (t + "shift started (\(p.mode.rawValue))", .normal)
        case .clockTick:
            return (t + "tick", .dim)
        case .incidentReported(let p):
            let role: StyleRole = p.priority <= 1 ? .incidentP1 : (p.priority == 2 ? .incidentP2 : .incidentP3)
            return (t + "P\(p.priority) \(Words.category(p.category, lang)) reported \(Words.text(p.place))", role)
        case .incidentUpdated(let p):
            return (t + num(p.id) + " updated" + (p.note.map { ": " + Words.text($0) } ?? ""), .normal)
        case .incidentClosed(let p):
            return (t + num(p.id) + " closed (\(Words.text(p.disposition.rawValue)))", .dim)
        case .unitRegistered(let p):
            return (t + Words.text(p.callsign) + " on shift", .dim)
        case .unitPosition(let p):
            return (t + unit(p.unit) + " moved", .dim)
        case .unitStatus(let p):
            return (t + unit(p.unit) + " " + Words.unitStatus(p.status, wide: true, lang) + (p.incident.map { " " + num($0) } ?? ""),
                    Words.unitRole(p.status))
        case .dispatch(let p):
            return (t + p.units.map(unit).joined(separator: ", ") + " dispatched to " + num(p.incident), .unitDispatched)
        case .routeAssigned(let p):
            if let why = p.reroute {
                return (t + unit(p.unit) + " re-routed (" + Sanitizer.inert(why) + "), ETA " + ISOTime.clock(p.eta, timeZone: tz), .warning)
            }
            return (t + unit(p.unit) + " route \(Words.distance(p.meters)), ETA " + ISOTime.clock(p.eta, timeZone: tz), .route)
        case .unitsRecommended(let p):
            return (t + "\(p.ranked.count) units ranked for " + num(p.incident), .dim)
        case .unitArrived(let p):
            return (t + unit(p.unit) + " on scene at " + num(p.incident), .unitOnScene)
        case .cameraStatus(let p):
            return (t + "camera " + Words.text(p.camera.rawValue) + (p.online ? " back online" : " offline"), p.online ? .ok : .warning)
        case .trafficChanged(let p):
            let what = p.closed ? "closed" : (p.factor == 1 ? "back to normal" : String(format: "slowed x%.1f", p.factor))
            return (t + "road " + Words.text(p.segment.rawValue) + " " + what, p.closed ? .warning : .normal)
        case .unknown(let type, _):
            if let o = e.event.orderSheet {
                var text = t + "order to " + Words.text(o.callsign) + ": " + Words.text(o.number ?? o.incident.rawValue)
                text += " " + Words.text(o.place)
                if let r = o.route { text += ", ETA " + ISOTime.clock(r.eta, timeZone: tz) }
                if o.reinforcement { text += " (reinforcement)" }
                return (text, .unitDispatched)
            }
            if let s = e.event.ordersSinkStatus {
                if s.up { return (t + "orders back up: \(s.orders) re-delivered to " + Words.text(s.sink), .ok) }
                return (t + "ORDERS DOWN: " + Words.text(s.reason ?? s.sink) + " (\(s.orders) waiting)", .alert)
            }
            if let d = e.event.orderDelivered {
                return (t + "order to " + unit(d.unit) + " delivered", .dim)
            }
            if type.lowercased().hasPrefix("alert") {
                return (t + "alert: " + Words.text(type), .alert)
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
            grid.put(text, x: r.x + 1, y: r.y + row, style: style, maxWidth: r.width - 1)
        }
    }
}
