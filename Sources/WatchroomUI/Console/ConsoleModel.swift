import Foundation
import WatchroomCore

/// The lists the console shows, derived from the shift state the same way for drawing
/// and for key handling.
enum ConsoleModel {
    /// Open incidents by priority then age (oldest first), then closed ones, newest first.
    static func incidentQueue(_ state: PrecinctState) -> [IncidentRecord] {
        let all = state.incidents.values
        let open = all.filter(\.isOpen).sorted { a, b in
            a.priority != b.priority ? a.priority < b.priority : a.reportedSeq < b.reportedSeq
        }
        let closed = all.filter { !$0.isOpen }.sorted { $0.reportedSeq > $1.reportedSeq }
        return open + closed
    }

    /// Whether the details panel grows: an incident is selected and dispatch details are given.
    static func expandsDetails(_ selection: ConsoleUIState.Selection, dispatch: DispatchPanelModel?) -> Bool {
        guard dispatch != nil, case .incident = selection else { return false }
        return true
    }

    /// All units by id.
    static func roster(_ state: PrecinctState) -> [UnitRecord] { state.unitsInOrder }

    /// Ticker events worth a line (positions and ticks are left out), newest last.
    static func tickerEvents(_ events: [EventEnvelope]) -> [EventEnvelope] {
        events.filter {
            switch $0.event {
            case .unitPosition, .clockTick, .unitsRecommended: return false
            default: return true
            }
        }
    }

    /// Where a selection is on the map.
    static func point(of selection: ConsoleUIState.Selection, map: PrecinctMap, state: PrecinctState) -> Point? {
        switch selection {
        case .none: return nil
        case .incident(let id): return state.incidents[id]?.point
        case .unit(let id): return state.units[id]?.position
        case .camera(let id): return map.cameras.first { $0.key == id.rawValue }?.position
        }
    }

    /// The selection a ticker event points at: its incident, else its first unit.
    static func selection(for event: Event) -> ConsoleUIState.Selection {
        if let i = event.incidentID { return .incident(i) }
        if let u = event.unitIDs.first { return .unit(u) }
        if case .cameraStatus(let c) = event { return .camera(c.camera) }
        return .none
    }

    /// The viewport in force: the user's, or the default: the precinct's roads fitted to
    /// `rect` (worked out again at every size until the commander pans or zooms).
    static func viewport(_ ui: ConsoleUIState, map: PrecinctMap, rect: CellRect) -> MapViewport {
        if let v = ui.viewport { return v }
        return defaultViewport(map: map, rect: rect)
    }

    /// The whole precinct: its roads fitted to `rect`.
    static func defaultViewport(map: PrecinctMap, rect: CellRect) -> MapViewport {
        MapViewport.fitting(map.roadBounds(), width: rect.width, height: rect.height)
    }
}

/// Short text forms for the console.
enum Words {
    static func text(_ s: String) -> String { Sanitizer.inert(s) }

    static func category(_ c: IncidentCategory, _ lang: InterfaceLanguage) -> String {
        switch c {
        case .dispute: return lang.t("category.dispute")
        case .theft: return lang.t("category.theft")
        case .assault: return lang.t("category.assault")
        case .trafficAccident: return lang.t("category.trafficAccident")
        case .suicideRisk: return lang.t("category.suicideRisk")
        case .domestic: return lang.t("category.domestic")
        case .noise: return lang.t("category.noise")
        case .missingPerson: return lang.t("category.missingPerson")
        case .fire: return lang.t("category.fire")
        case .other: return lang.t("category.other")
        }
    }

    static func incidentStatus(_ s: IncidentStatus, wide: Bool, _ lang: InterfaceLanguage) -> String {
        switch s {
        case .active: return lang.t(wide ? "incident.active" : "incident.active.short")
        case .resourcesAssigned: return lang.t(wide ? "incident.resourcesAssigned" : "incident.resourcesAssigned.short")
        case .resourcesEnroute: return lang.t(wide ? "incident.resourcesEnroute" : "incident.resourcesEnroute.short")
        case .resourcesOnscene: return lang.t(wide ? "incident.resourcesOnscene" : "incident.resourcesOnscene.short")
        case .closed: return lang.t(wide ? "incident.closed" : "incident.closed.short")
        }
    }

    static func unitStatus(_ s: UnitStatus, wide: Bool, _ lang: InterfaceLanguage) -> String {
        switch s {
        case .available: return lang.t(wide ? "unit.available" : "unit.available.short")
        case .dispatched: return lang.t(wide ? "unit.dispatched" : "unit.dispatched.short")
        case .enRoute: return lang.t(wide ? "unit.enRoute" : "unit.enRoute.short")
        case .onScene: return lang.t(wide ? "unit.onScene" : "unit.onScene.short")
        case .cleared: return lang.t(wide ? "unit.cleared" : "unit.cleared.short")
        case .outOfService: return lang.t(wide ? "unit.outOfService" : "unit.outOfService.short")
        case .busy: return lang.t(wide ? "unit.busy" : "unit.busy.short")
        }
    }

    static func unitRole(_ s: UnitStatus) -> StyleRole {
        switch s {
        case .available, .cleared: return .unitAvailable
        case .dispatched: return .unitDispatched
        case .enRoute: return .unitEnRoute
        case .onScene: return .unitOnScene
        case .busy: return .unitBusy
        case .outOfService: return .unitOutOfService
        }
    }

    static func incidentRole(_ i: IncidentRecord) -> StyleRole {
        guard i.isOpen else { return .incidentClosed }
        switch i.priority {
        case ...1: return .incidentP1
        case 2: return .incidentP2
        default: return .incidentP3
        }
    }

    /// `2026-1125-0007` in full, or its last part (`0007`) when `short`.
    static func number(_ i: IncidentRecord, short: Bool) -> String {
        let n = text(i.number ?? i.id.rawValue)
        guard short else { return n }
        if let dash = n.lastIndex(of: "-") { return String(n[n.index(after: dash)...]) }
        return String(n.suffix(6))
    }

    static func number(of id: IncidentID, in state: PrecinctState) -> String {
        state.incidents[id].map { number($0, short: false) } ?? text(id.rawValue)
    }

    static func callsign(of id: UnitID, in state: PrecinctState) -> String {
        text(state.units[id]?.callsign ?? id.rawValue)
    }

    /// `10x`, `0.5x`.
    static func speed(_ s: Double) -> String {
        guard s.isFinite else { return "?x" }
        if s == s.rounded() && abs(s) < 1e9 { return "\(Int(s))x" }
        return String(format: "%.1fx", s)
    }

    static func compass(_ deg: Double, _ lang: InterfaceLanguage) -> String {
        guard deg.isFinite else { return "?" }
        var d = deg.truncatingRemainder(dividingBy: 360)
        if d < 0 { d += 360 }
        let point = ["N", "NE", "E", "SE", "S", "SW", "W", "NW"][Int((d + 22.5) / 45) % 8]
        return lang.t("compass." + point)
    }

    static func distance(_ m: Double) -> String {
        guard m.isFinite else { return "?" }
        return m >= 1000 ? String(format: "%.1f km", m / 1000) : "\(Int(m.rounded())) m"
    }
}

extension Words {
    /// An incident's place for a row `width` columns wide: the weapon mark always shows
    /// (safety first; `⚠` where "(weapon)" would crowd the name out); a place too long with a romanized name in brackets ("溪东小学
    /// (Xidong Primary School)") shows one of the two whole rather than cut to "(Xidon":
    /// the Chinese name, or on an ASCII screen (where the Chinese is transliterated) the
    /// romanized one; only then is a name itself cut.
    static func place(_ place: String, weapon: Bool, width: Int) -> String {
        var name = text(place)
        // The short mark (⚠, ASCII !) where the words would leave the name no room.
        var mark = weapon ? " (weapon)" : ""
        if weapon, DisplayWidth.of(name) + DisplayWidth.of(mark) > width, width - DisplayWidth.of(mark) < 8 { mark = " ⚠" }
        let room = Swift.max(0, width - DisplayWidth.of(mark))
        if DisplayWidth.of(name) > room, name.hasSuffix(")"), let open = name.range(of: " (", options: .backwards),
           open.lowerBound > name.startIndex {
            let head = String(name[..<open.lowerBound])
            let inner = String(name[open.upperBound..<name.index(before: name.endIndex)])
            name = head.unicodeScalars.allSatisfy(\.isASCII) && !inner.isEmpty ? inner : head
        }
        if DisplayWidth.of(name) > room { name = TextFit.fit(name, room, pad: false) }
        return name + mark
    }
}

/// Text fitting by display width.
enum TextFit {
    /// `s` cut to `width` columns (never half a wide character), padded with spaces when `pad`.
    static func fit(_ s: String, _ width: Int, pad: Bool = true, alignRight: Bool = false) -> String {
        guard width > 0 else { return "" }
        var out = "", used = 0
        for ch in s {
            let w = DisplayWidth.of(ch)
            if used + w > width { break }
            out.append(ch)
            used += w
        }
        guard pad, used < width else { return out }
        let fill = String(repeating: " ", count: width - used)
        return alignRight ? fill + out : out + fill
    }

    /// `s` without its bracketed parts (a place's romanized name, `下横街 30 (Xiaheng Street)`)
    /// from the last one back, as long as it is wider than `width`: a line then ends on a
    /// whole name rather than on "(Xiah".
    static func dropBrackets(_ s: String, _ width: Int) -> String {
        var out = s
        while DisplayWidth.of(out) > width, let open = out.range(of: " (", options: .backwards),
              let close = out[open.upperBound...].firstIndex(of: ")") {
            out = String(out[..<open.lowerBound]) + String(out[out.index(after: close)...])
        }
        return out
    }

    /// `s` cut to `width` columns at a place a line may end: the last space (never inside
    /// `23:54:07`, a street name or a name in Latin letters), else after a Chinese character;
    /// a first word longer than the width is cut where it must be.
    static func fitWords(_ s: String, _ width: Int) -> String {
        let cut = fit(s, width, pad: false)
        guard cut.count < s.count else { return s }
        if s[s.index(s.startIndex, offsetBy: cut.count)] == " " { return cut }
        var chars = Array(cut)
        if let space = chars.lastIndex(of: " ") {
            chars.removeSubrange(space...)
        } else {
            while let last = chars.last, DisplayWidth.of(last) != 2 { chars.removeLast() }
        }
        while chars.last == " " { chars.removeLast() }
        return chars.isEmpty ? cut : String(chars)
    }

    /// `s` wrapped to lines of at most `width` columns, breaking at spaces when it can, or
    /// after a Chinese character (Chinese has no spaces between words), the later of the two.
    static func wrap(_ s: String, _ width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = [], line = "", used = 0
        var lastSpace: String.Index?, afterWide: String.Index?
        for ch in s {
            let w = DisplayWidth.of(ch)
            if used + w > width {
                if ch == " " { lines.append(line); line = ""; used = 0; lastSpace = nil; afterWide = nil; continue }
                if let sp = lastSpace, afterWide.map({ sp >= $0 }) ?? true {
                    let rest = String(line[line.index(after: sp)...])
                    lines.append(String(line[..<sp]))
                    line = rest
                } else if let cut = afterWide {
                    let rest = String(line[cut...])
                    lines.append(String(line[..<cut]))
                    line = rest
                } else {
                    lines.append(line)
                    line = ""
                }
                used = DisplayWidth.of(line)
                lastSpace = nil
                afterWide = nil
            }
            if ch == " " { lastSpace = line.endIndex }
            line.append(ch)
            used += w
            if w == 2 { afterWide = line.endIndex }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }
}
