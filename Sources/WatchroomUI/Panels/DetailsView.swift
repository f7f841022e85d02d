import Foundation
import WatchroomCore

/// The details of the selection, wrapped to the panel.
enum DetailsView {
    static func lines(_ input: ConsoleFrameInput) -> [(String, Style)] {
        let s = input.state, tz = input.precinctTimeZone, now = input.now
        func clock(_ d: Date) -> String { ISOTime.clock(d, timeZone: tz) }
        switch input.ui.selection {
        case .none:
            return [("Nothing selected.", Style(.dim)), ("Enter selects a row; click a marker.", Style(.dim))]
        case .incident(let id):
            guard let i = s.incidents[id] else { return [("Incident \(Words.text(id.rawValue)) is not known.", Style(.warning))] }
            var out: [(String, Style)] = [
                ("P\(i.priority) \(Words.category(i.category))  \(Words.number(i, short: false))", Style(Words.incidentRole(i), [.bold])),
                ("Place: " + Words.text(i.place), .normal),
            ]
            if !i.summary.isEmpty { out.append((Words.text(i.summary), .normal)) }
            if i.weapon { out.append(("Weapon mentioned.", Style(.alert, [.bold]))) }
            let age = (i.closedAt ?? now).timeIntervalSince(i.reportedAt)
            out.append(("Reported \(clock(i.reportedAt)), age \(DurationText.clock(age))", .normal))
            out.append(("Status: \(Words.incidentStatus(i.status, wide: true))", .normal))
            if let a = i.arrivedAt { out.append(("First on scene \(clock(a))", .normal)) }
            for u in i.assignedUnits {
                let unit = s.units[u]
                var line = Words.callsign(of: u, in: s) + " " + (unit.map { Words.unitStatus($0.status, wide: true) } ?? "")
                if let r = unit?.route, unit?.status != .onScene {
                    line += ", ETA \(clock(r.eta)), \(Words.distance(r.meters))"
                }
                out.append((line, Style(unit.map { Words.unitRole($0.status) } ?? .normal)))
            }
            if i.isOpen, !i.recommendation.isEmpty {
                let top = i.recommendation.prefix(3).map { "\(Words.callsign(of: $0.unit, in: s)) \(DurationText.clock($0.seconds))" }
                out.append(("Nearest: " + top.joined(separator: ", "), Style(.dim)))
            }
            if let name = i.callerName ?? i.callerPhone {
                var caller = "Caller: " + Words.text(name)
                if i.callerName != nil, let p = i.callerPhone { caller += " " + Words.text(p) }
                out.append((caller, .normal))
            }
            if let c = i.closedAt {
                out.append(("Closed \(clock(c))" + (i.disposition.map { " (\(Words.text($0.rawValue)))" } ?? ""), Style(.dim)))
            }
            for n in i.notes.suffix(3) { out.append(("\(clock(n.time)) \(Words.text(n.text))", Style(.dim))) }
            return out
        case .unit(let id):
            guard let u = s.units[id] else { return [("Unit \(Words.text(id.rawValue)) is not known.", Style(.warning))] }
            var out: [(String, Style)] = [
                ("\(Words.text(u.callsign))  \(u.kind == .car ? "car" : "officer on foot")", Style(.normal, [.bold])),
                ("Status: \(Words.unitStatus(u.status, wide: true)) since \(clock(u.statusSince))", Style(Words.unitRole(u.status))),
            ]
            if let n = u.name { out.append((Words.text(n) + (u.badge.map { " #" + Words.text($0) } ?? ""), .normal)) }
            if let p = u.plate { out.append(("Plate: " + Words.text(p), .normal)) }
            if !u.crew.isEmpty { out.append(("Crew: " + u.crew.map(Words.text).joined(separator: ", "), .normal)) }
            if let i = u.incident { out.append(("Task: " + Words.number(of: i, in: s), .normal)) }
            if let r = u.route {
                let left = r.eta.timeIntervalSince(now)
                out.append(("ETA \(clock(r.eta)) (\(left > 0 ? DurationText.clock(left) : "due")), \(Words.distance(r.meters))", .normal))
            }
            if let v = u.speedKmh, let hd = u.heading {
                out.append(("Moving \(Words.compass(hd)) at \(Int(v.rounded())) km/h", Style(.dim)))
            }
            if let at = u.positionAt { out.append(("Position at \(clock(at))", Style(.dim))) }
            return out
        case .camera(let id):
            guard let c = input.map.cameras.first(where: { $0.key == id.rawValue }) else {
                return [("Camera \(Words.text(id.rawValue)) is not on this map.", Style(.warning))]
            }
            let online = s.isCameraOnline(id)
            var out: [(String, Style)] = [
                ("\(Words.text(c.key))  \(Words.text(c.name))", Style(.camera, [.bold])),
                (online ? "Online" : "Offline", online ? Style(.ok) : Style(.warning, [.bold])),
            ]
            if c.fieldOfView >= 360 {
                out.append(("Dome, sees all round, \(Words.distance(c.range))", .normal))
            } else {
                out.append(("Faces \(Words.compass(c.facing)) (\(Int(c.facing.rounded()))°), \(Int(c.fieldOfView.rounded()))° wide, \(Words.distance(c.range))", .normal))
            }
            if let k = c.kind { out.append(("Kind: " + Words.text(k), Style(.dim))) }
            if let since = s.cameras[id]?.since { out.append(("Since \(clock(since))", Style(.dim))) }
            return out
        }
    }

    static func draw(_ input: ConsoleFrameInput, rect r: CellRect, into grid: inout Grid) {
        Chrome.title("Details", x: r.x, y: r.y - 1, width: r.width, focused: false, unicode: input.capabilities.unicode, into: &grid)
        guard !r.isEmpty else { return }
        var y = r.y
        for (text, style) in lines(input) {
            for line in TextFit.wrap(text, r.width - 1) {
                guard y < r.y + r.height else { return }
                grid.put(line, x: r.x + 1, y: y, style: style, maxWidth: r.width - 1)
                y += 1
            }
        }
    }
}
