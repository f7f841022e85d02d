import Foundation
import WatchroomCore
import WatchroomEngine

/// Turns keys into changes of ``ConsoleUIState`` and effects for the caller:
/// `update(state, key) -> effect`, never touching the terminal.
public enum ConsoleController {
    public static func handle(_ key: Key, ui: inout ConsoleUIState, context: ConsoleContext) -> ConsoleEffect {
        let hadMessage = ui.message != nil
        ui.message = nil
        if case .resize = key { return .repaint }
        if ui.summaryScroll != nil, ui.overlay == .none {
            let effect = summaryKey(key, ui: &ui, context: context)
            return effect == .none && hadMessage ? .redraw : effect
        }
        switch ui.overlay {
        case .quitConfirm:
            switch key {
            case .character("y"), .character("Y"): return .quit
            case .character("n"), .character("N"), .escape:
                ui.overlay = .none
                return .redraw
            default: return hadMessage ? .redraw : .none
            }
        case .help:
            switch key {
            case .escape, .character("?"), .character("q"), .enter:
                ui.overlay = .none
                return .redraw
            default: return hadMessage ? .redraw : .none
            }
        case .commandLine(let text):
            return commandLine(key, text: text, ui: &ui, context: context)
        case .intakeForm(let form):
            return intakeForm(key, form: form, ui: &ui)
        case .none:
            let effect = normal(key, ui: &ui, context: context)
            return effect == .none && hadMessage ? .redraw : effect
        }
    }

    // MARK: - Command line

    private static func commandLine(_ key: Key, text: String, ui: inout ConsoleUIState, context: ConsoleContext) -> ConsoleEffect {
        switch key {
        case .escape:
            ui.overlay = .none
            return .redraw
        case .backspace, .delete:
            if text.isEmpty { ui.overlay = .none } else { ui.overlay = .commandLine(String(text.dropLast())) }
            return .redraw
        case .character(let c):
            guard !c.unicodeScalars.contains(where: { Sanitizer.isControl($0) }), text.count < 500 else { return .bell }
            ui.overlay = .commandLine(text + String(c))
            return .redraw
        case .control("u"):
            ui.overlay = .commandLine("")
            return .redraw
        case .enter:
            ui.overlay = .none
            return submit(text.trimmingCharacters(in: .whitespaces), ui: &ui, context: context)
        default:
            return .none
        }
    }

    /// Runs the commands the console knows (`zoom N`, `follow`, `quit`); anything else is
    /// parsed and goes to the caller as `.command`, or is refused here with the parser's reason.
    private static func submit(_ typed: String, ui: inout ConsoleUIState, context: ConsoleContext) -> ConsoleEffect {
        // The Chinese command words (派警 C16) as the English ones; places and names as typed.
        let text = CommandWords.english(typed)
        let words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard let verb = words.first?.lowercased() else { return .redraw }
        switch verb {
        case "quit", "q":
            return .quit
        case "follow" where words.count == 2 && ["on", "off"].contains(words[1].lowercased()):
            ui.follow = words[1].lowercased() == "on"
            ui.message = context.language.t(ui.follow ? "controller.followOn" : "controller.followOff")
            return .redraw
        case "zoom" where words.count == 2:
            guard let m = Double(words[1]), m.isFinite, m > 0 else {
                ui.message = context.language.t("controller.zoomNeeds")
                return .redraw
            }
            let vp = currentViewport(ui, context)
            ui.viewport = MapViewport(centre: vp.centre, metresPerColumn: m)
            return .redraw
        default:
            switch CommandParser.parse(text) {
            case .success(let command): return .command(command)
            case .failure(let error):
                ui.message = error.text(context.language)
                return .redraw
            }
        }
    }

    /// A new P1 incident at `point`: unless `:follow off`, the map pans (keeping its zoom)
    /// just far enough to show it, a few cells in from the edge. `true` when it moved.
    @discardableResult
    public static func follow(newPriorityOneAt point: Point, ui: inout ConsoleUIState, context: ConsoleContext) -> Bool {
        guard ui.follow else { return false }
        let rect = layout(ui, context).map
        guard !rect.isEmpty else { return false }
        let vp = currentViewport(ui, context)
        let w = rect.width, h = rect.height
        let mx = Swift.min(3, w / 4), my = Swift.min(2, h / 4)
        let c = vp.column(of: point, width: w), r = vp.row(of: point, height: h)
        guard c.isFinite, r.isFinite else { return false }
        var dx = 0.0, dy = 0.0
        if c < Double(mx) { dx = c - Double(mx) } else if c >= Double(w - mx) { dx = c - Double(w - mx) + 1 }
        if r < Double(my) { dy = r - Double(my) } else if r >= Double(h - my) { dy = r - Double(h - my) + 1 }
        guard dx != 0 || dy != 0 else { return false }
        ui.viewport = vp.panned(columns: Int(dx.rounded(.awayFromZero)), rows: Int(dy.rounded(.awayFromZero)))
        return true
    }

    // MARK: - Intake form

    /// Keys while the "New incident" form is open. Every key stays in the form: letters
    /// type into text fields and never reach the console's own keys.
    private static func intakeForm(_ key: Key, form: IntakeForm, ui: inout ConsoleUIState) -> ConsoleEffect {
        var f = form
        let field = f.focus
        var changed = true
        switch key {
        case .escape:
            ui.overlay = .none
            return .redraw
        case .control("s"):
            return submitForm(f, ui: &ui)
        case .enter:
            if field == IntakeForm.Field.allCases.last { return submitForm(f, ui: &ui) }
            f.move(by: 1)
        case .tab, .down:
            f.move(by: 1)
        case .backTab, .up:
            f.move(by: -1)
        case .left, .right:
            let step = key == .left ? -1 : 1
            switch field {
            case .category: f.cycleCategory(by: step)
            case .priority: f.priority = Swift.min(3, Swift.max(1, f.priority + step))
            case .weapon: f.weapon.toggle()
            default:
                let end = f.text(of: field)?.count ?? 0
                f.cursor = Swift.min(end, Swift.max(0, f.cursor + step))
            }
        case .home where field.isText:
            f.cursor = 0
        case .end where field.isText:
            f.cursor = f.text(of: field)?.count ?? 0
        case .backspace where field.isText:
            changed = f.delete(before: true)
        case .delete where field.isText:
            changed = f.delete(before: false)
        case .control("u") where field.isText:
            f.setText("", of: field)
            f.cursor = 0
        case .character(let c) where field.isText:
            changed = f.insert(String(c))
        case .character(let c):
            switch (field, c) {
            case (.category, " "): f.cycleCategory(by: 1)
            case (.priority, " "): f.cyclePriority(by: 1)
            case (.priority, "1"), (.priority, "2"), (.priority, "3"): f.priority = c.wholeNumberValue ?? f.priority
            case (.weapon, " "): f.weapon.toggle()
            case (.weapon, "y"), (.weapon, "Y"): f.weapon = true
            case (.weapon, "n"), (.weapon, "N"): f.weapon = false
            default: changed = false
            }
        case .control("l"):
            return .repaint
        default:
            changed = false
        }
        guard changed else {
            switch key {
            case .character, .backspace, .delete: return .bell
            default: return .none
            }
        }
        // An edit (not a move) clears the refusal.
        var moved = form
        moved.focus = f.focus
        moved.cursor = f.cursor
        if f != moved { f.error = nil }
        ui.overlay = .intakeForm(f)
        return .redraw
    }

    /// Submits the form: the `new` command, or the form stays open saying what is missing.
    private static func submitForm(_ form: IntakeForm, ui: inout ConsoleUIState) -> ConsoleEffect {
        guard let command = form.command() else {
            var f = form
            f.error = form.problem
            if f.error == IntakeForm.missingMessage {
                if IntakeForm.clean(f.place).isEmpty { f.focus(on: .place) } else { f.focus(on: .summary) }
            } else {
                f.focus(on: .callerPhone)
            }
            ui.overlay = .intakeForm(f)
            return .redraw
        }
        ui.overlay = .none
        return .command(command)
    }

    // MARK: - Normal keys

    /// The layout for this context: the details panel grows while an incident with
    /// dispatch details is selected.
    static func layout(_ ui: ConsoleUIState, _ context: ConsoleContext) -> ConsoleLayout {
        ConsoleLayout(width: context.width, height: context.height,
                      expandDetails: ConsoleModel.expandsDetails(ui.selection, dispatch: context.dispatch),
                      timeline: ui.mode == .replay)
    }

    private static func normal(_ key: Key, ui: inout ConsoleUIState, context: ConsoleContext) -> ConsoleEffect {
        let layout = layout(ui, context)
        if ui.mode == .replay, let effect = replayKey(key, ui: &ui) { return effect }
        if let effect = dispatchKey(key, ui: &ui, context: context) { return effect }
        switch key {
        case .tab: ui.focus = cycle(ui.focus, by: 1); return .redraw
        case .backTab: ui.focus = cycle(ui.focus, by: -1); return .redraw
        case .character("?"): ui.overlay = .help; return .redraw
        case .character(":"): ui.overlay = .commandLine(""); return .redraw
        case .character("q"), .control("c"): ui.overlay = .quitConfirm; return .redraw
        case .control("l"): return .repaint
        case .character("+"), .character("="):
            ui.viewport = currentViewport(ui, context).zoomed(by: MapViewport.zoomStep)
                .clamped(to: context.map.roadBounds(), width: layout.map.width, height: layout.map.height)
            return .redraw
        case .character("-"), .character("_"):
            ui.viewport = currentViewport(ui, context).zoomed(by: 1 / MapViewport.zoomStep)
                .clamped(to: context.map.roadBounds(), width: layout.map.width, height: layout.map.height)
            return .redraw
        case .character("0"):
            ui.viewport = nil
            return .redraw
        case .character("c"):
            return centreOnSelection(&ui, context)
        case .character("L"):
            ui.showLegend = !(ui.showLegend ?? (layout.map.width >= 100 && layout.map.height >= 30))
            return .redraw
        case .escape:
            guard ui.selection != .none else { return .none }
            ui.selection = .none
            return .redraw
        case .mouse(let x, let y, _):
            return click(x: x, y: y, ui: &ui, context: context, layout: layout)
        default:
            break
        }
        switch ui.focus {
        case .map: return mapKey(key, ui: &ui, context: context, layout: layout)
        case .incidents:
            let items = ConsoleModel.incidentQueue(context.state)
            let r = listKey(key, cursor: ui.incidentCursor, count: items.count, page: layout.incidents.height)
            ui.incidentCursor = r.cursor
            if let k = r.chosen { select(.incident(items[k].id), at: items[k].point, ui: &ui, context: context) }
            return r.effect
        case .units:
            let items = ConsoleModel.roster(context.state)
            let r = listKey(key, cursor: ui.unitCursor, count: items.count, page: layout.units.height)
            ui.unitCursor = r.cursor
            if let k = r.chosen { select(.unit(items[k].id), at: items[k].position, ui: &ui, context: context) }
            return r.effect
        case .details:
            let probe = ConsoleFrameInput(map: context.map, state: context.state, ui: ui, now: Date(timeIntervalSince1970: 0),
                                          dispatch: context.dispatch)
            let last = DetailsView.maxScroll(probe, width: layout.details.width, height: layout.details.height)
            let page = Swift.max(1, layout.details.height / 2)
            var t = Swift.min(ui.detailsScroll, last)
            switch key {
            case .up, .character("k"): t -= 1
            case .down, .character("j"): t += 1
            case .pageUp: t -= page
            case .pageDown: t += page
            case .home: t = 0
            case .end: t = last
            default: return .none
            }
            t = Swift.max(0, Swift.min(t, last))
            guard t != ui.detailsScroll else { return .none }
            ui.detailsScroll = t
            return .redraw
        case .ticker:
            let events = ConsoleModel.tickerEvents(context.ticker)
            let cursor = Swift.min(ui.tickerCursor ?? events.count - 1, events.count - 1)
            let r = listKey(key, cursor: cursor, count: events.count, page: layout.ticker.height)
            if !events.isEmpty { ui.tickerCursor = r.cursor == events.count - 1 ? nil : r.cursor }
            if let k = r.chosen {
                let sel = ConsoleModel.selection(for: events[k].event)
                if let p = ConsoleModel.point(of: sel, map: context.map, state: context.state) {
                    select(sel, at: p, ui: &ui, context: context)
                } else if sel != .none {
                    ui.selection = sel
                }
            }
            return r.effect
        }
    }

    // MARK: - Dispatch keys

    /// The selected incident, if the selection is one.
    private static func selectedIncident(_ ui: ConsoleUIState) -> IncidentID? {
        if case .incident(let id) = ui.selection { return id }
        return nil
    }


    /// `d r n x v s b`: effects for the caller, which runs them. `nil` for other keys.
    private static func dispatchKey(_ key: Key, ui: inout ConsoleUIState, context: ConsoleContext) -> ConsoleEffect? {
        guard case .character(let c) = key, "drnxvsb".contains(c) else { return nil }
        switch c {
        case "n":
            ui.overlay = .intakeForm(IntakeForm())
            return .redraw
        case "s":
            ui.summaryScroll = 0
            return .command(.summary)
        default:
            break
        }
        guard let id = selectedIncident(ui) else {
            ui.message = context.language.t("controller.selectIncidentFirst")
            return .redraw
        }
        switch c {
        case "d": return .command(.dispatch(incident: IncidentRef(id.rawValue), units: []))
        case "r": return .command(.reinforce(incident: IncidentRef(id.rawValue), count: nil))
        case "b": return .command(.lookup(.incident(IncidentRef(id.rawValue))))
        case "x":
            ui.overlay = .commandLine("close " + id.rawValue + " ")
            return .redraw
        default: // "v"
            let cams = context.dispatch?.cameras ?? []
            guard !cams.isEmpty else {
                ui.message = context.language.t("controller.noCameras")
                return .redraw
            }
            let next: Int
            if let cur = ui.pickedCamera, let k = cams.firstIndex(where: { $0.camera == cur }) {
                next = (k + 1) % cams.count
            } else {
                next = 0
            }
            ui.pickedCamera = cams[next].camera
            return .command(.camera(cams[next].camera))
        }
    }

    /// Keys of a replay: Space, `<` `>`, `.`, `n` `N`, `[` `]` (Home and End on the map).
    /// `nil` for other keys: `d` and `r` give their commands, which the replay refuses by
    /// their kind (they would change the shift).
    private static func replayKey(_ key: Key, ui: inout ConsoleUIState) -> ConsoleEffect? {
        switch key {
        case .character(" "): return .replay(.togglePause)
        case .character("<"), .character(","): return .replay(.slower)
        case .character(">"): return .replay(.faster)
        case .character("."): return .replay(.step)
        case .character("n"): return .replay(.nextIncident)
        case .character("N"): return .replay(.previousIncident)
        case .character("["): return .replay(.start)
        case .character("]"): return .replay(.end)
        case .home where ui.focus == .map: return .replay(.start)
        case .end where ui.focus == .map: return .replay(.end)
        default: return nil
        }
    }

    /// Keys while the shift summary is open: scroll, Esc (or `s`, `q`) closes.
    private static func summaryKey(_ key: Key, ui: inout ConsoleUIState, context: ConsoleContext) -> ConsoleEffect {
        let page = Swift.max(1, SummaryOverlay.visibleRows(height: context.height))
        let top = ui.summaryScroll ?? 0
        let last = context.summaryLineCount > 0 ? Swift.max(0, context.summaryLineCount - page) : Int.max
        var t = top
        switch key {
        case .escape, .character("q"), .character("s"), .enter:
            ui.summaryScroll = nil
            return .redraw
        case .up, .character("k"): t -= 1
        case .down, .character("j"): t += 1
        case .pageUp: t -= page
        case .pageDown: t += page
        case .home: t = 0
        case .end: t = last == Int.max ? top : last
        case .control("l"): return .repaint
        default: return .none
        }
        t = Swift.max(0, Swift.min(t, last))
        guard t != top else { return .none }
        ui.summaryScroll = t
        return .redraw
    }

    private static func cycle(_ f: ConsoleUIState.Focus, by step: Int) -> ConsoleUIState.Focus {
        let all = ConsoleUIState.Focus.allCases
        let i = all.firstIndex(of: f) ?? 0
        return all[((i + step) % all.count + all.count) % all.count]
    }

    /// The map's viewport in force for this context (the default one when the user has not moved it).
    public static func currentViewport(_ ui: ConsoleUIState, _ context: ConsoleContext) -> MapViewport {
        let rect = layout(ui, context).map
        return ConsoleModel.viewport(ui, map: context.map, rect: rect.isEmpty ? CellRect(x: 0, y: 0, width: 80, height: 24) : rect)
    }

    private static func select(_ s: ConsoleUIState.Selection, at p: Point, ui: inout ConsoleUIState, context: ConsoleContext) {
        ui.selection = s
        ui.viewport = currentViewport(ui, context).centred(on: p)
    }

    private static func centreOnSelection(_ ui: inout ConsoleUIState, _ context: ConsoleContext) -> ConsoleEffect {
        guard let p = ConsoleModel.point(of: ui.selection, map: context.map, state: context.state) else {
            ui.message = context.language.t("details.nothing")
            return .redraw
        }
        ui.viewport = currentViewport(ui, context).centred(on: p)
        return .redraw
    }

    private static func mapKey(_ key: Key, ui: inout ConsoleUIState, context: ConsoleContext,
                               layout: ConsoleLayout) -> ConsoleEffect {
        let stepX = Swift.max(1, layout.map.width / 4), stepY = Swift.max(1, layout.map.height / 4)
        var dx = 0, dy = 0
        switch key {
        case .left, .character("h"): dx = -stepX
        case .right, .character("l"): dx = stepX
        case .up, .character("k"): dy = -stepY
        case .down, .character("j"): dy = stepY
        case .enter:
            let vp = currentViewport(ui, context)
            let w = layout.map.width, h = layout.map.height
            let marks = MapView.markers(map: context.map, state: context.state, viewport: vp, width: w, height: h,
                                        glyphs: MapGlyphs(unicode: true), canBlink: true, blinkPhase: true, selection: ui.selection)
            let cx = w / 2, cy = h / 2
            let best = marks.filter { $0.target != .none }.min { a, b in
                let da = abs(a.x - cx) + 2 * abs(a.y - cy), db = abs(b.x - cx) + 2 * abs(b.y - cy)
                return da != db ? da < db : a.rank > b.rank
            }
            guard let m = best else {
                ui.message = context.language.t("controller.nothingHere")
                return .redraw
            }
            ui.selection = m.target
            return .redraw
        default:
            return .none
        }
        ui.viewport = currentViewport(ui, context).panned(columns: dx, rows: dy)
            .clamped(to: context.map.roadBounds(), width: layout.map.width, height: layout.map.height)
        return .redraw
    }

    /// A list key: the new cursor, the row chosen with Enter, and the effect.
    private static func listKey(_ key: Key, cursor: Int, count: Int, page: Int)
        -> (cursor: Int, chosen: Int?, effect: ConsoleEffect) {
        guard count > 0 else { return (0, nil, key == .enter ? .bell : .none) }
        let old = Swift.min(Swift.max(0, cursor), count - 1)
        var c = old
        switch key {
        case .up, .character("k"): c -= 1
        case .down, .character("j"): c += 1
        case .pageUp: c -= Swift.max(1, page)
        case .pageDown: c += Swift.max(1, page)
        case .home: c = 0
        case .end: c = count - 1
        case .enter: return (old, old, .redraw)
        default: return (old, nil, .none)
        }
        return (Swift.min(Swift.max(0, c), count - 1), nil, .redraw)
    }

    private static func click(x: Int, y: Int, ui: inout ConsoleUIState, context: ConsoleContext,
                              layout: ConsoleLayout) -> ConsoleEffect {
        guard !layout.tooSmall else { return .none }
        if layout.map.contains(x: x, y: y) {
            ui.focus = .map
            let vp = currentViewport(ui, context)
            let marks = MapView.markers(map: context.map, state: context.state, viewport: vp, width: layout.map.width,
                                        height: layout.map.height, glyphs: MapGlyphs(unicode: true), canBlink: true,
                                        blinkPhase: true, selection: ui.selection)
            guard let m = MapView.hit(marks, x: x - layout.map.x, y: y - layout.map.y) else { return .redraw }
            ui.selection = m.target
            return .redraw
        }
        if layout.incidents.contains(x: x, y: y) {
            let items = ConsoleModel.incidentQueue(context.state)
            ui.focus = .incidents
            let off = ListScroll.offset(cursor: ui.incidentCursor, count: items.count, visible: layout.incidents.height)
            let k = off + y - layout.incidents.y
            guard items.indices.contains(k) else { return .redraw }
            ui.incidentCursor = k
            select(.incident(items[k].id), at: items[k].point, ui: &ui, context: context)
            return .redraw
        }
        if layout.units.contains(x: x, y: y) {
            let items = ConsoleModel.roster(context.state)
            ui.focus = .units
            let off = ListScroll.offset(cursor: ui.unitCursor, count: items.count, visible: layout.units.height)
            let k = off + y - layout.units.y
            guard items.indices.contains(k) else { return .redraw }
            ui.unitCursor = k
            select(.unit(items[k].id), at: items[k].position, ui: &ui, context: context)
            return .redraw
        }
        if layout.details.contains(x: x, y: y) {
            // A recommendation or assigned row selects that unit; nothing is dispatched.
            let probe = ConsoleFrameInput(map: context.map, state: context.state, ui: ui, now: Date(timeIntervalSince1970: 0),
                                          dispatch: context.dispatch)
            let rows = DetailsView.rows(probe, width: layout.details.width, height: layout.details.height)
            let k = y - layout.details.y
            guard rows.indices.contains(k), let target = rows[k].target else { return .none }
            ui.selection = target
            return .redraw
        }
        if layout.ticker.contains(x: x, y: y) {
            let events = ConsoleModel.tickerEvents(context.ticker)
            ui.focus = .ticker
            let cursor = Swift.min(ui.tickerCursor ?? events.count - 1, events.count - 1)
            let off = ListScroll.offset(cursor: cursor, count: events.count, visible: layout.ticker.height)
            let k = off + y - layout.ticker.y
            guard events.indices.contains(k) else { return .redraw }
            ui.tickerCursor = k == events.count - 1 ? nil : k
            let sel = ConsoleModel.selection(for: events[k].event)
            if sel != .none { ui.selection = sel }
            return .redraw
        }
        return .none
    }
}
