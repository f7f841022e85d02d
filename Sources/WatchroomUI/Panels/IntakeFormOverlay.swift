import WatchroomCore

/// The "New incident" form in a box centred over the map (or the screen when the map is
/// narrower than the box). Fits 80x24; at smaller sizes it shows the fields around the
/// focused one and drops the hint first.
enum IntakeFormOverlay {
    /// Widest the box gets.
    static let boxWidth = 60
    /// Rows: frame, seven fields, a blank, the message, the hint, frame.
    static let boxHeight = 12
    static let labelWidth = 14

    static func hint(unicode: Bool, language: InterfaceLanguage = .english) -> String {
        language.t(unicode ? "intake.hint.unicode" : "intake.hint.ascii")
    }

    static func draw(_ form: IntakeForm, over map: CellRect, width: Int, height: Int, unicode: Bool,
                     language lang: InterfaceLanguage = .english, into grid: inout Grid) {
        guard width > 0, height > 0 else { return }
        let bw = Swift.min(width, boxWidth), bh = Swift.min(height, boxHeight)
        guard bw >= 8, bh >= 3 else {
            grid.put(lang.t("intake.title"), x: 0, y: 0, style: Style(.panelTitle, [.bold, .reverse]), maxWidth: width)
            return
        }
        let x0: Int, y0: Int
        if !map.isEmpty, map.width >= bw, map.height + 1 >= bh {
            x0 = map.x + (map.width - bw) / 2
            y0 = Swift.max(0, map.y - 1 + (map.height + 1 - bh) / 2)
        } else {
            x0 = (width - bw) / 2
            y0 = (height - bh) / 2
        }
        Chrome.box(x: x0, y: y0, width: bw, height: bh, title: lang.t("intake.title"), unicode: unicode, into: &grid)

        let pad = bw >= 20 ? 2 : 1
        let innerX = x0 + pad, innerW = bw - 2 * pad
        let rowX = x0 + 1, rowW = bw - 2
        let available = bh - 2
        let fields = IntakeForm.Field.allCases
        let fieldRows = Swift.min(fields.count, available)
        let extra = available - fieldRows
        let start = Swift.max(0, Swift.min(form.focus.rawValue - fieldRows / 2, fields.count - fieldRows))
        let labelW = innerW >= 30 ? labelWidth : innerW / 2
        var y = y0 + 1
        for field in fields[start..<(start + fieldRows)] {
            drawField(field, form: form, y: y, rowX: rowX, rowW: rowW, x: innerX, labelW: labelW,
                      valueW: innerW - labelW, unicode: unicode, language: lang, into: &grid)
            y += 1
        }
        let message = form.error.map { Words.text(IntakeForm.message($0, in: lang)) }
        var footer: [(String, Style)] = []
        if extra >= 3 { footer.append(("", Style(.help))) }
        if extra >= 2 || (extra == 1 && message != nil) { footer.append((message ?? "", Style(.warning, [.bold]))) }
        if extra >= 2 || (extra == 1 && message == nil) { footer.append((hint(unicode: unicode, language: lang), Style(.dim))) }
        for (text, style) in footer {
            grid.put(text, x: innerX, y: y, style: style, maxWidth: innerW)
            y += 1
        }
    }

    private static func drawField(_ field: IntakeForm.Field, form: IntakeForm, y: Int, rowX: Int, rowW: Int, x: Int,
                                  labelW: Int, valueW: Int, unicode: Bool, language lang: InterfaceLanguage,
                                  into grid: inout Grid) {
        let focused = form.focus == field
        let base = focused ? Style(.selection) : Style(.help)
        grid.fill(x: rowX, y: y, width: rowW, height: 1, with: Cell(" ", style: base))
        grid.put(field.label(in: lang), x: x, y: y, style: focused ? Style(.selection, [.bold]) : Style(.help, [.bold]),
                 maxWidth: Swift.max(0, labelW - 1))
        guard valueW > 0 else { return }
        let vx = x + labelW
        let (left, right) = unicode ? ("◀ ", " ▶") : ("< ", " >")
        func choice(_ s: String) -> String { focused ? left + s + right : s }
        switch field {
        case .category:
            grid.put(choice(lang == .english ? IntakeForm.label(form.category) : Words.category(form.category, lang)), x: vx, y: y, style: base, maxWidth: valueW)
        case .priority:
            grid.put(choice("P\(form.priority)"), x: vx, y: y, style: base, maxWidth: valueW)
        case .weapon:
            grid.put(lang.t(form.weapon ? "intake.weaponYes" : "intake.weaponNo"), x: vx, y: y, style: base, maxWidth: valueW)
        default:
            let text = form.text(of: field) ?? ""
            if focused {
                drawEditing(text, cursor: form.cursor, x: vx, y: y, width: valueW, unicode: unicode, into: &grid)
            } else if text.isEmpty {
                grid.put(placeholder(field, lang), x: vx, y: y, style: Style(.dim), maxWidth: valueW)
            } else {
                grid.put(Words.text(text), x: vx, y: y, style: base, maxWidth: valueW)
            }
        }
    }

    private static func placeholder(_ field: IntakeForm.Field, _ lang: InterfaceLanguage) -> String {
        switch field {
        case .place: return lang.t("intake.placeHint")
        case .summary: return lang.t("intake.summaryHint")
        default: return lang.t("intake.optional")
        }
    }

    /// The focused text with its cursor: the start scrolls off so the cursor stays in view;
    /// wide characters are drawn whole.
    private static func drawEditing(_ text: String, cursor: Int, x: Int, y: Int, width: Int, unicode: Bool,
                                    into grid: inout Grid) {
        let shown = text.map { Words.text(String($0)) }
        let widths = shown.map { DisplayWidth.of($0) }
        let c = Swift.min(Swift.max(0, cursor), shown.count)
        let cursorWidth = c < shown.count ? Swift.max(1, widths[c]) : 1
        var first = 0
        var used = widths[0..<c].reduce(0, +) + cursorWidth
        while used > width, first < c {
            used -= widths[first]
            first += 1
        }
        var col = x
        let end = x + width
        for k in first..<shown.count {
            guard col < end else { break }
            let style = k == c ? Style(.cursor, [.reverse, .bold]) : Style(.selection)
            col += grid.put(shown[k], x: col, y: y, style: style, maxWidth: end - col)
        }
        if c == shown.count, col < end {
            grid.put(unicode ? "█" : "_", x: col, y: y, style: Style(.selection, [.blink]), maxWidth: end - col)
        }
    }
}
