import Foundation
import WatchroomCore

/// The top status bar and the bottom bar (hints, command line, quit question).
enum Bars {
    /// ` 江北城  19:48:11+08:00  on shift 2h13m  LIVE  1x ... open 3  P1 1  units 12/18 free  cams 17/18`
    static func status(_ input: ConsoleFrameInput, rect r: CellRect, into grid: inout Grid) {
        guard !r.isEmpty else { return }
        let bar = Style(.statusBar)
        grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", style: bar))
        let s = input.state, lang = input.language
        var x = r.x + 1
        let end = r.x + r.width
        func put(_ text: String, _ style: Style) {
            guard x < end else { return }
            x += grid.put(text, x: x, y: r.y, style: style, maxWidth: end - x)
        }
        let name = input.capabilities.unicode ? input.map.name : (input.map.roman ?? input.map.key)
        put(Words.text(name), Style(.statusBar, [.bold]))
        // The one full time of day on the console's screen, with the precinct's offset: the ticker,
        // the details panel and the unit history have room only for `19:48:11` and stand on it.
        put("  " + ISOTime.clockWithOffset(input.now, timeZone: input.precinctTimeZone), Style(.statusBar, [.bold]))
        if let start = input.shiftStart ?? s.shiftStartedAt {
            put("  " + lang.t("status.onShift", DurationText.hoursMinutes(input.now.timeIntervalSince(start))), bar)
        }
        put("  ", bar)
        let mode = lang.t("mode." + input.ui.mode.rawValue)
        put(" " + mode + " ", Style(input.ui.mode == .live ? .statusMode : .warning, [.bold, .reverse]))
        put("  " + Words.speed(input.ui.speed), bar)
        if input.ui.paused { put("  ", bar); put(" " + lang.t("status.paused") + " ", Style(.warning, [.bold, .reverse])) }
        // Counted once another console shares the shift (alone, the bar keeps its room).
        if let a = input.attached, a.commanders + a.viewers > 1 {
            put("  " + lang.t("status.attached", a.commanders, a.viewers), bar)
        }
        if input.autoCommander { put("  ", bar); put(" " + lang.t("status.auto") + " ", Style(.warning, [.bold, .reverse])) }
        if input.ordersDown != nil { put("  ", bar); put(" " + lang.t("status.ordersDown") + " ", Style(.alert, [.bold, .reverse])) }
        if let note = input.headerNote { put("  ", bar); put(Words.text(note), Style(.warning, [.bold])) }
        if input.observer { put("  ", bar); put(" " + lang.t("status.observer") + " ", Style(.warning, [.bold, .reverse])) }
        let alerts = input.alerts.keys.filter { s.incidents[$0]?.isOpen ?? true }.count
        if alerts > 0 { put("  ", bar); put(" " + lang.t("status.alert", alerts) + " ", Style(.alert, [.bold, .reverse])) }

        let open = s.incidents.values.filter(\.isOpen)
        let p1 = open.filter { $0.priority <= 1 }.count
        let free = s.units.values.filter { $0.status.isAssignable }.count
        let camsOff = input.map.cameras.filter { !s.isCameraOnline(CameraID($0.key)) }.count
        let counts = lang.t("status.counts", open.count, p1, free, s.units.count,
                            input.map.cameras.count - camsOff, input.map.cameras.count)
        let cw = DisplayWidth.of(counts)
        if end - x >= cw + 3 {
            grid.put(counts, x: end - cw - 1, y: r.y, style: p1 > 0 ? Style(.alert, [.bold]) : bar)
        }
    }

    static func bottom(_ input: ConsoleFrameInput, rect r: CellRect, into grid: inout Grid) {
        guard !r.isEmpty else { return }
        let ui = input.ui, lang = input.language
        switch ui.overlay {
        case .quitConfirm:
            grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", style: Style(.alert, [.reverse])))
            grid.put(" " + lang.t("bar.quit"), x: r.x, y: r.y, style: Style(.alert, [.bold, .reverse]), maxWidth: r.width)
        case .commandLine(let text):
            let style = Style(.commandLine)
            hints(input.commandHints, above: r, unicode: input.capabilities.unicode, into: &grid)
            grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", style: style))
            // Show the end of a long line so the cursor stays visible.
            let shown = Words.text(text)
            var tail = shown
            while DisplayWidth.of(tail) > r.width - 3, !tail.isEmpty { tail.removeFirst() }
            let used = grid.put(":" + tail, x: r.x, y: r.y, style: style, maxWidth: r.width)
            grid.set(x: r.x + used, y: r.y, input.capabilities.unicode ? "█" : "_", style: Style(.commandLine, [.blink]))
        case .intakeForm:
            let style = Style(.help)
            grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", style: style))
            grid.put(" " + lang.t("bar.intake"), x: r.x, y: r.y, style: style, maxWidth: r.width)
        default:
            let style = Style(.help)
            grid.fill(x: r.x, y: r.y, width: r.width, height: 1, with: Cell(" ", style: style))
            if let m = ui.message ?? input.notice {
                grid.put(" " + Words.text(m), x: r.x, y: r.y, style: Style(.warning, [.bold]), maxWidth: r.width)
                return
            }
            if ui.mode == .replay {
                let replayHint = " " + lang.t(r.width >= 110 ? "bar.replay.wide" : "bar.replay.narrow")
                grid.put(replayHint, x: r.x, y: r.y, style: style, maxWidth: r.width)
                return
            }
            // With the map focused: the road under the map's centre, by name and segment id
            // (what `traffic` takes), at the right end.
            var right = ""
            if ui.focus == .map, let road = input.roadAtCentre {
                right = (input.capabilities.unicode ? "⌖ " : "+ ") + Words.text(road) + " "
            }
            let rw = DisplayWidth.of(right)
            let room = r.width - rw - 2
            if !right.isEmpty, room >= 40 {
                grid.put(KeyTable.hintLine(width: room, language: lang), x: r.x, y: r.y, style: style, maxWidth: room)
                grid.put(right, x: r.x + r.width - rw, y: r.y, style: Style(.help, [.bold]), maxWidth: rw)
            } else {
                grid.put(KeyTable.hintLine(width: r.width, language: lang), x: r.x, y: r.y, style: style, maxWidth: r.width)
            }
        }
    }

    /// The key list in a centred box.
    static func help(_ input: ConsoleFrameInput, width: Int, height: Int, into grid: inout Grid) {
        let lang = input.language
        let bindings = KeyTable.bindings(unicode: input.capabilities.unicode, mode: input.ui.mode)
        let keyWidth = bindings.map { DisplayWidth.of($0.keys(in: lang)) }.max() ?? 0
        let textWidth = bindings.map { DisplayWidth.of($0.action(in: lang)) }.max() ?? 0
        let bw = Swift.min(width, keyWidth + textWidth + 7), bh = Swift.min(height, bindings.count + 4)
        guard bw >= 10, bh >= 4 else { return }
        let x0 = (width - bw) / 2, y0 = (height - bh) / 2
        Chrome.box(x: x0, y: y0, width: bw, height: bh, title: lang.t("help.title"), unicode: input.capabilities.unicode, into: &grid)
        for (k, b) in bindings.enumerated() {
            let y = y0 + 1 + k
            guard y < y0 + bh - 2 else { break }
            grid.put(b.keys(in: lang), x: x0 + 2, y: y, style: Style(.helpKey), maxWidth: keyWidth)
            grid.put(b.action(in: lang), x: x0 + 4 + keyWidth, y: y, style: .normal, maxWidth: bw - keyWidth - 6)
        }
        grid.put(lang.t("help.closes"), x: x0 + 2, y: y0 + bh - 2, style: Style(.dim), maxWidth: bw - 4)
    }

    /// Below the minimum size: what is needed and what there is.
    /// The `:` line's hints in a box standing on the bottom bar, at most half the screen.
    static func hints(_ lines: [String], above r: CellRect, unicode: Bool, into grid: inout Grid) {
        guard !lines.isEmpty, r.y >= 4 else { return }
        let shown = Array(lines.prefix(Swift.max(1, r.y / 2 - 2)))
        let inner = shown.map { DisplayWidth.of(Words.text($0)) }.max() ?? 0
        let w = Swift.min(r.width, inner + 4), h = shown.count + 2
        let y0 = r.y - h
        Chrome.box(x: r.x, y: y0, width: w, height: h, title: nil, unicode: unicode, into: &grid)
        for (k, l) in shown.enumerated() {
            grid.put(Words.text(l), x: r.x + 2, y: y0 + 1 + k, style: Style(.help), maxWidth: w - 4)
        }
    }

    static func tooSmall(width: Int, height: Int, language lang: InterfaceLanguage = .english, into grid: inout Grid) {
        let need = "\(ConsoleLayout.minimumWidth)x\(ConsoleLayout.minimumHeight)"
        let now = "\(width)x\(height)"
        let style = Style(.warning, [.bold])
        // The longest wording whose lines fit, each sentence wrapped at spaces.
        let wordings = [
            [lang.t("small.1.now", now), lang.t("small.1.need", need), lang.t("small.1.what")],
            [lang.t("small.2.now", now), lang.t("small.2.need", need), lang.t("small.2.what")],
            [lang.t("small.3", now, need)],
        ]
        var chosen: [(String, Bool)] = []
        for (n, sentences) in wordings.enumerated() {
            let lines = sentences.enumerated().flatMap { k, s in TextFit.wrap(s, width).map { ($0, k == 0) } }
            chosen = lines
            if lines.count <= height || n == wordings.count - 1 { break }
        }
        let top = Swift.max(0, (height - chosen.count) / 2)
        for (k, (l, first)) in chosen.prefix(Swift.max(0, height)).enumerated() {
            let x = Swift.max(0, (width - DisplayWidth.of(l)) / 2)
            grid.put(l, x: x, y: top + k, style: first ? style : .normal)
        }
    }
}
