import Foundation
import WatchroomCore

/// The details of the selection, wrapped to the panel.
enum DetailsView {
    /// The plain lines for a selection without dispatch details.
    static func lines(_ input: ConsoleFrameInput) -> [(String, Style)] {
        let s = input.state, tz = input.precinctTimeZone, now = input.now, lang = input.language
        // `19:48:11` without the offset: the panel is too narrow at 80 columns for six more cells per
        // line; the status bar shows the precinct's offset once for the screen.
        func clock(_ d: Date) -> String { ISOTime.clock(d, timeZone: tz) }
        switch input.ui.selection {
        case .none:
            return [(lang.t("details.nothing"), Style(.dim)), (lang.t("details.howToSelect"), Style(.dim))]
        case .incident(let id):
            guard let i = s.incidents[id] else { return [(lang.t("details.unknownIncident", Words.text(id.rawValue)), Style(.warning))] }
            var out: [(String, Style)] = [
                ("P\(i.priority) \(Words.category(i.category, input.language))  \(Words.number(i, short: false))", Style(Words.incidentRole(i), [.bold])),
                (lang.t("details.place", Words.text(i.place)), .normal),
            ]
            if !i.summary.isEmpty { out.append((Words.text(i.summary), .normal)) }
            if i.weapon { out.append((lang.t("details.weapon"), Style(.alert, [.bold]))) }
            let age = (i.closedAt ?? now).timeIntervalSince(i.reportedAt)
            out.append((lang.t("details.reported", clock(i.reportedAt), DurationText.clock(age)), .normal))
            out.append((lang.t("details.status", Words.incidentStatus(i.status, wide: true, lang)), .normal))
            if let a = i.arrivedAt { out.append((lang.t("details.firstOnScene", clock(a)), .normal)) }
            for u in i.assignedUnits {
                let unit = s.units[u]
                var line = Words.callsign(of: u, in: s) + " " + (unit.map { Words.unitStatus($0.status, wide: true, input.language) } ?? "")
                if let r = unit?.route, unit?.status != .onScene {
                    line += lang.t("details.etaDistance", clock(r.eta), Words.distance(r.meters))
                }
                out.append((line, Style(unit.map { Words.unitRole($0.status) } ?? .normal)))
            }
            if i.isOpen, !i.recommendation.isEmpty {
                let top = i.recommendation.prefix(3).map { "\(Words.callsign(of: $0.unit, in: s)) \(DurationText.clock($0.seconds))" }
                out.append((lang.t("details.nearest", top.joined(separator: ", ")), Style(.dim)))
            }
            if let name = i.callerName ?? i.callerPhone {
                var caller = Words.text(name)
                if i.callerName != nil, let p = i.callerPhone { caller += " " + Words.text(p) }
                out.append((lang.t("details.caller", caller), .normal))
            }
            if let c = i.closedAt {
                out.append((lang.t("details.closed", clock(c)) + (i.disposition.map { " (\(Words.text($0.rawValue)))" } ?? ""), Style(.dim)))
            }
            for n in i.notes.suffix(3) { out.append(("\(clock(n.time)) \(Words.text(n.text))", Style(.dim))) }
            return out
        case .unit(let id):
            guard let u = s.units[id] else { return [(lang.t("details.unknownUnit", Words.text(id.rawValue)), Style(.warning))] }
            var out: [(String, Style)] = [
                ("\(Words.text(u.callsign))  " + lang.t(u.kind == .car ? "details.car" : "details.foot"), Style(.normal, [.bold])),
                (lang.t("details.statusSince", Words.unitStatus(u.status, wide: true, lang), clock(u.statusSince)), Style(Words.unitRole(u.status))),
            ]
            if let n = u.name { out.append((Words.text(n) + (u.badge.map { " #" + Words.text($0) } ?? ""), .normal)) }
            if let p = u.plate { out.append((lang.t("details.plate", Words.text(p)), .normal)) }
            if !u.crew.isEmpty { out.append((lang.t("details.crew", u.crew.map(Words.text).joined(separator: ", ")), .normal)) }
            if let i = u.incident { out.append((lang.t("details.task", Words.number(of: i, in: s)), .normal)) }
            if let r = u.route {
                let left = r.eta.timeIntervalSince(now)
                out.append((lang.t("details.eta", clock(r.eta), left > 0 ? DurationText.clock(left) : lang.t("list.due"), Words.distance(r.meters)), .normal))
            }
            if let v = u.speedKmh, let hd = u.heading {
                out.append((lang.t("details.moving", Words.compass(hd, lang), Int(v.rounded())), Style(.dim)))
            }
            if let at = u.positionAt { out.append((lang.t("details.positionAt", clock(at)), Style(.dim))) }
            return out
        case .camera(let id):
            guard let c = input.map.cameras.first(where: { $0.key == id.rawValue }) else {
                return [(lang.t("details.unknownCamera", Words.text(id.rawValue)), Style(.warning))]
            }
            let online = s.isCameraOnline(id)
            var out: [(String, Style)] = [
                ("\(Words.text(c.key))  \(Words.text(c.name))", Style(.camera, [.bold])),
                (lang.t(online ? "details.online" : "details.offline"), online ? Style(.ok) : Style(.warning, [.bold])),
            ]
            if c.fieldOfView >= 360 {
                out.append((lang.t("details.dome", Words.distance(c.range)), .normal))
            } else {
                out.append((lang.t("details.faces", Words.compass(c.facing, lang), Int(c.facing.rounded()), Int(c.fieldOfView.rounded()),
                                   Words.distance(c.range)), .normal))
            }
            if let k = c.kind { out.append((lang.t("details.kind", Words.text(k)), Style(.dim))) }
            if let since = s.cameras[id]?.since { out.append((lang.t("details.since", clock(since)), Style(.dim))) }
            if !input.cameraInView.isEmpty {
                out.append((lang.t("details.inView"), Style(.normal, [.bold])))
                for l in input.cameraInView { out.append(("  " + Words.text(l), .normal)) }
            }
            out.append((lang.t("details.noVideo"), Style(.dim)))
            return out
        }
    }

    /// A scene farther than this from any usable road is flagged (metres).
    static let farFromRoadMeters = 250.0
    /// Off-road legs from this length on are shown beside a recommended unit (metres).
    static let offRoadNoteMeters = 10.0

    /// Sections of an incident up to this rank are pinned at the top of the panel (what
    /// concerns safety: weapon, warnings, the caller's phone); the rest scrolls.
    static let pinnedRank = 15

    /// How far the incident's details can scroll at this size (0 when all of it fits).
    static func maxScroll(_ input: ConsoleFrameInput, width: Int, height: Int) -> Int {
        guard case .incident(let id) = input.ui.selection, input.dispatch != nil, width > 1, height > 0 else { return 0 }
        let sections = incidentSections(input, id: id, width: width)
        let pinned = sections.filter { $0.rank <= pinnedRank }.reduce(0) { $0 + $1.rows.count }
        let rest = sections.filter { $0.rank > pinnedRank }.reduce(0) { $0 + $1.rows.count }
        guard pinned + rest > height else { return 0 }
        return Swift.max(0, rest - Swift.max(1, height - pinned - 1))
    }

    /// The rows the panel shows, fitted to `height`: for an incident with dispatch details,
    /// the safety rows pinned at the top and the rest scrolled by ``ConsoleUIState/detailsScroll``,
    /// with a last row saying how much more there is and how to see it.
    static func rows(_ input: ConsoleFrameInput, width: Int, height: Int) -> [DetailRow] {
        guard width > 1, height > 0 else { return [] }
        var sections: [DetailSection]
        switch input.ui.selection {
        case .incident(let id) where input.dispatch != nil && input.state.incidents[id] != nil:
            let all = incidentSections(input, id: id, width: width)
            let pinned = all.filter { $0.rank <= pinnedRank }.flatMap(\.rows)
            let rest = all.filter { $0.rank > pinnedRank }.flatMap(\.rows)
            guard pinned.count + rest.count > height else { return pinned + rest }
            guard pinned.count + 1 < height else { return Array(pinned.prefix(height)) }
            let room = height - pinned.count - 1
            let top = Swift.min(Swift.max(0, input.ui.detailsScroll), Swift.max(0, rest.count - room))
            let above = top, below = Swift.max(0, rest.count - top - room)
            let u = input.capabilities.unicode, lang = input.language
            var mark = [above > 0 ? (u ? "▲ \(above)" : "^ \(above)") : "",
                        below > 0 ? (u ? "▼ " : "v ") + lang.t("details.more", below) : ""]
                .filter { !$0.isEmpty }.joined(separator: "  ")
            mark += "  " + lang.t(input.ui.focus == .details ? "details.scrollKeys" : "details.scrollHere")
            return pinned + Array(rest[top..<Swift.min(rest.count, top + room)]) + [DetailRow.line(mark, Style(.header, [.bold]), width: width)]
        case .unit(let id) where input.state.units[id] != nil:
            sections = unitSections(input, id: id, width: width)
        default:
            sections = [DetailSection(rank: 0, rows: lines(input).flatMap { DetailRow.wrapped($0.0, $0.1, width: width) })]
        }
        DetailSection.fit(&sections, height: height)
        return Array(sections.flatMap(\.rows).prefix(height))
    }

    static func draw(_ input: ConsoleFrameInput, rect r: CellRect, into grid: inout Grid) {
        Chrome.title(input.language.t("title.details"), x: r.x, y: r.y - 1, width: r.width, focused: input.ui.focus == .details, unicode: input.capabilities.unicode, into: &grid)
        guard !r.isEmpty else { return }
        for (k, row) in rows(input, width: r.width, height: r.height).enumerated() {
            Chrome.row(row.parts, x: r.x, y: r.y + k, width: r.width, base: .normal, into: &grid)
        }
    }

    // MARK: - Incident with dispatch details

    static func incidentSections(_ input: ConsoleFrameInput, id: IncidentID, width: Int) -> [DetailSection] {
        guard let i = input.state.incidents[id], let d = input.dispatch else { return [] }
        let glyphs = MapGlyphs(unicode: input.capabilities.unicode)
        let lang = input.language
        let alerted = input.alerts[id] ?? d.alert
        var out: [DetailSection] = []
        func add(_ rank: Int, _ rows: [DetailRow], trimFromStart: Bool = false) {
            guard !rows.isEmpty else { return }
            out.append(DetailSection(rank: rank, rows: rows, trimFromStart: trimFromStart))
        }
        func text(_ t: String, _ style: Style) -> [DetailRow] { DetailRow.wrapped(t, style, width: width) }

        // Header: priority, number, category, status; then the place.
        let headRole: StyleRole = alerted != nil && i.isOpen ? .alert : Words.incidentRole(i)
        add(0, [DetailRow.line("P\(i.priority) \(Words.category(i.category, input.language))  \(Words.number(i, short: false))",
                               Style(headRole, [.bold]), width: width)])
        add(10, text(Words.text(i.place) + (i.weapon ? " " + lang.t("details.weaponMark") : "") + " · "
                     + Words.incidentStatus(i.status, wide: true, lang), .normal))
        if let a = alerted, i.isOpen { add(10, text(lang.t("details.alert", a.text(lang)), Style(.alert, [.bold, .reverse]))) }

        // Warnings first and prominent; the rest of the background later.
        let isWarning: (String) -> Bool = { l in
            let t = l.trimmingCharacters(in: .whitespaces)
            return t.hasPrefix("⚠") || t.hasPrefix("!") || t.lowercased().hasPrefix("warning")
        }
        let warnings = d.background.filter(isWarning), rest = d.background.filter { !isWarning($0) }
        let warnGlyph = input.capabilities.unicode ? "⚠" : "!"
        add(10, warnings.flatMap { w -> [DetailRow] in
            var t = Words.text(w).trimmingCharacters(in: .whitespaces)
            if !(t.hasPrefix("⚠") || t.hasPrefix("!")) { t = warnGlyph + " " + t }
            return text(t, Style(.alert, [.bold]))
        })
        // The caller's phone, to call back: with the warnings, above everything that scrolls.
        if let name = i.callerName ?? i.callerPhone {
            var caller = Words.text(name)
            if i.callerName != nil, let p = i.callerPhone { caller += " " + Words.text(p) }
            add(10, text(lang.t("details.caller", caller), Style(.normal, [.bold])))
        }

        // Timers.
        var timers = lang.t("details.callAgo", DurationText.clock(d.sinceCall))
        timers += d.sinceDispatch.map { lang.t("details.dispatchedAgo", DurationText.clock($0)) } ?? lang.t("details.notDispatched")

        // A scene far from any road: every ETA includes a long walk.
        if let far = d.sceneOffRoadMeters, far > DetailsView.farFromRoadMeters, i.isOpen {
            add(15, text((input.capabilities.unicode ? "⚠" : "!") + " " + lang.t("details.farFromRoad", Words.distance(far)),
                         Style(.alert, [.bold])))
        }

        // Recommendation: heading and the top three; the assigned units; then the crow-nearest
        // note and the other recommendations.
        var laterRows: [DetailRow] = []
        var crowNote = false
        if !d.recommendation.isEmpty, i.isOpen {
            let call = Swift.min(8, Swift.max(4, d.recommendation.map { DisplayWidth.of(Words.text($0.callsign)) }.max() ?? 4))
            let fixed = 1 + call + 1 + 1 + 1 + 5 + 1 + 7 + 1 + 7
            add(20, [DetailRow(parts: [(" ", 1, .normal, false), (lang.t("details.fastest"), call + 3, Style(.header, [.bold]), false),
                                       (lang.t("details.etaHeader"), 5, Style(.header, [.bold]), true), (" ", 1, .normal, false),
                                       (lang.t("details.road"), 7, Style(.header, [.bold]), true), (" ", 1, .normal, false),
                                       (lang.t("details.crow"), 7, Style(.header, [.bold]), true)], target: nil)])
            let flagRoom = width - fixed - 1
            let flags = [lang.t("details.crowFlag.1"), lang.t("details.crowFlag.2"), lang.t("details.crowFlag.3"),
                         lang.t("details.crowFlag.4"), "*"]
            let flag = flags.first { DisplayWidth.of($0) <= flagRoom } ?? ""
            var rows: [DetailRow] = []
            var flagged = false
            /// Off-road legs that found no room beside their row: a line each under the top three.
            var legNotes: [String] = []
            for (k, rec) in d.recommendation.enumerated() {
                let marked = rec.isCrowNearest && k > 0
                if marked { flagged = true }
                // The off-road part of the distance, "+340 m off road", where there is room.
                var note = marked ? flag : ""
                if rec.offRoadMeters >= DetailsView.offRoadNoteMeters {
                    let legs = "+" + Words.distance(rec.offRoadMeters)
                    let offRoad = lang.t("details.offRoad", legs)
                    let choices = marked ? [note + ", " + offRoad, note + " " + legs, note]
                                         : [offRoad, legs]
                    if let fits = choices.first(where: { DisplayWidth.of($0) <= flagRoom }) {
                        note = fits
                    } else if k < 3 {
                        legNotes.append(Words.text(rec.callsign) + " " + lang.t("details.offRoad", legs))
                    }
                }
                let role = StyleRole.unitAvailable
                rows.append(DetailRow(parts: [
                    (" ", 1, .normal, false),
                    (Words.text(rec.callsign), call, Style(.normal, [.bold]), false),
                    (" ", 1, .normal, false),
                    (String(glyphs.unit(rec.kind)), 1, Style(role, [.bold]), false),
                    (" ", 1, .normal, false),
                    (DurationText.clock(rec.etaSeconds), 5, Style(k == 0 ? .ok : .normal, k == 0 ? [.bold] : []), true),
                    (" ", 1, .normal, false),
                    (Words.distance(rec.meters), 7, .normal, true),
                    (" ", 1, .normal, false),
                    (Words.distance(rec.straightLineMeters), 7, Style(.dim), true),
                    (note.isEmpty ? "" : " " + note, note.isEmpty ? 0 : flagRoom + 1, Style(.warning, [.bold]), false),
                ], target: .unit(rec.unit)))
            }
            add(20, Array(rows.prefix(3)))
            if !legNotes.isEmpty { add(25, text(" " + legNotes.joined(separator: ", "), Style(.warning))) }
            laterRows = Array(rows.dropFirst(3))
            crowNote = flagged && flag != flags[0]
        } else if i.isOpen, d.assigned.isEmpty {
            add(20, text(lang.t("details.noUnit"), Style(.warning, [.bold])))
        }

        // Assigned units with states and ETA.
        if !d.assigned.isEmpty {
            add(60, text(lang.t("details.assigned", d.assigned.count), Style(.header, [.bold])))
            let call = Swift.min(8, Swift.max(4, d.assigned.map { DisplayWidth.of(Words.text($0.callsign)) }.max() ?? 4))
            add(30, d.assigned.map { a in
                let eta: String
                if a.status == .onScene {
                    eta = ""
                } else if let e = a.etaSeconds {
                    eta = e > 0 ? lang.t("details.etaIn", DurationText.clock(e)) : lang.t("list.due")
                } else {
                    eta = ""
                }
                let kind = input.state.units[a.unit]?.kind
                return DetailRow(parts: [
                    (" ", 1, .normal, false),
                    (Words.text(a.callsign), call, Style(.normal, [.bold]), false),
                    (" ", 1, .normal, false),
                    (kind.map { String(glyphs.unit($0)) } ?? " ", 1, Style(Words.unitRole(a.status), [.bold]), false),
                    (" ", 1, .normal, false),
                    (Words.unitStatus(a.status, wide: true, input.language), 14, Style(Words.unitRole(a.status)), false),
                    (eta, 10, .normal, false),
                ], target: .unit(a.unit))
            })
        }
        if crowNote { add(45, text("* " + lang.t("details.crowFlag.1"), Style(.warning))) }
        add(80, laterRows)
        add(35, text(timers, .normal))
        if !d.plan.isEmpty { add(50, text(lang.t("details.plan", Words.text(d.plan)), Style(.dim))) }
        if !i.summary.isEmpty { add(55, text(Words.text(i.summary), .normal)) }

        // Cameras: seeing ones marked, offline dimmed, then the no-video line.
        if !d.cameras.isEmpty {
            add(70, text(lang.t("details.cameras"), Style(.header, [.bold])))
            add(70, d.cameras.flatMap { c -> [DetailRow] in
                var t = (c.sees ? (input.capabilities.unicode ? "◉ " : "* ") : "  ") + Words.text(c.camera.rawValue)
                t += " " + Words.text(c.name) + "  " + Words.distance(c.meters)
                if c.sees { t += "  " + lang.t("details.seesIt") }
                if !c.online { t += "  " + lang.t("details.cameraOffline") }
                if input.ui.pickedCamera == c.camera { t += "  " + lang.t("details.shown") }
                let style = !c.online ? Style(.cameraOffline, [.dim]) : (c.sees ? Style(.camera, [.bold]) : Style(.camera))
                return DetailRow.wrapped(t, style, width: width)
            })
            if !input.cameraInView.isEmpty {
                add(75, text(lang.t("details.inView"), Style(.normal, [.bold])) + input.cameraInView.flatMap { text("  " + Words.text($0), .normal) })
            }
            add(70, text(lang.t("details.noVideo"), Style(.dim)))
        }

        // The latest order, then the rest of the background.
        if !d.orderLines.isEmpty {
            add(85, text(lang.t("details.latestOrder"), Style(.header, [.bold])) + d.orderLines.flatMap { text("  " + Words.text($0), .normal) })
        }
        if !rest.isEmpty {
            add(90, text(lang.t("details.background"), Style(.header, [.bold])) + rest.flatMap { text("  " + Words.text($0), .normal) })
        }
        return out
    }

    // MARK: - Unit with its timeline

    static func unitSections(_ input: ConsoleFrameInput, id: UnitID, width: Int) -> [DetailSection] {
        guard let u = input.state.units[id] else { return [] }
        let tz = input.precinctTimeZone
        var out = [DetailSection(rank: 0, rows: lines(input).flatMap { DetailRow.wrapped($0.0, $0.1, width: width) })]
        guard !u.history.isEmpty else { return out }
        out.append(DetailSection(rank: 50, rows: DetailRow.wrapped(input.language.t("details.timeline"), Style(.header, [.bold]), width: width)))
        let entries = u.history.flatMap { h -> [DetailRow] in
            var t = ISOTime.clock(h.time, timeZone: tz) + " " + Words.unitStatus(h.status, wide: true, input.language)
            if let i = h.incident { t += " " + Words.number(of: i, in: input.state) }
            return DetailRow.wrapped(t, Style(Words.unitRole(h.status)), width: width)
        }
        out.append(DetailSection(rank: 40, rows: entries, trimFromStart: true))
        return out
    }
}

/// One row of the details panel: parts left to right, and what a click on it selects.
struct DetailRow {
    typealias Part = (text: String, width: Int, style: Style, right: Bool)
    var parts: [Part]
    var target: ConsoleUIState.Selection?

    /// A single line cut to the panel (one column of margin on the left).
    static func line(_ text: String, _ style: Style, width: Int) -> DetailRow {
        DetailRow(parts: [(" ", 1, style, false), (text, Swift.max(0, width - 1), style, false)], target: nil)
    }

    /// `text` wrapped to the panel, one row per line.
    static func wrapped(_ text: String, _ style: Style, width: Int) -> [DetailRow] {
        TextFit.wrap(text, Swift.max(1, width - 1)).map { line($0, style, width: width) }
    }

    /// The row's text as shown, for tests and debugging.
    var text: String { parts.map { TextFit.fit($0.text, $0.width, alignRight: $0.right) }.joined() }
}

/// A run of rows that is shortened, then dropped, when the panel is short of room:
/// the highest `rank` first (later sections first on equal rank).
struct DetailSection {
    var rank: Int
    var rows: [DetailRow]
    /// Trim the oldest rows (a timeline) rather than the last.
    var trimFromStart = false

    static func fit(_ sections: inout [DetailSection], height: Int) {
        var total = sections.reduce(0) { $0 + $1.rows.count }
        guard total > height else { return }
        let order = sections.indices.sorted { a, b in
            sections[a].rank != sections[b].rank ? sections[a].rank > sections[b].rank : a > b
        }
        for k in order where total > height {
            let cut = Swift.min(sections[k].rows.count, total - height)
            if sections[k].trimFromStart {
                sections[k].rows.removeFirst(cut)
            } else {
                sections[k].rows.removeLast(cut)
            }
            total -= cut
        }
    }
}
