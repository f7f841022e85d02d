import Foundation
import WatchroomCore
import WatchroomRouting

/// What the console should do besides publishing events.
public enum ConsoleAction: Hashable, Sendable {
    case selectIncident(IncidentID)
    case selectUnit(UnitID)
    case showCamera(CameraID)
    case lookup(LookupQuery)
    case setSpeed(Double)
    case pause
    case resume
    case goto(label: String, point: Point)
    case showSummary
    /// The drill's after-action report (a live shift has none).
    case showReport
    case showHelp([String])
    /// Switch the virtual commander on or off.
    case setAuto(Bool)
    /// Lines to show (a recommendation, a route), as `summary` shows its table.
    case showLines([String])
}

/// The result of a command: events to publish (in order), an action for the console and
/// a line for the status bar.
public struct CommandOutcome: Hashable, Sendable {
    public var events: [Event]
    public var action: ConsoleAction?
    /// In English: what scripts, logs and the wire carry.
    public var message: String
    /// The same for the console to show in its language; `nil` for a message in English only.
    public var phrase: InterfacePhrase?

    public init(events: [Event] = [], action: ConsoleAction? = nil, message: String) {
        self.events = events
        self.action = action
        self.message = message
    }

    public init(events: [Event] = [], action: ConsoleAction? = nil, phrase: InterfacePhrase) {
        self.init(events: events, action: action, message: phrase.text(.english))
        self.phrase = phrase
    }

    /// The message in `language` (English where it has no phrase).
    public func text(_ language: InterfaceLanguage) -> String { phrase?.text(language) ?? message }
}

/// What a command runs with besides the state.
public struct CommandContext {
    /// The time the events will carry (the shift clock).
    public var now: Date
    /// The incident selected in the console, used when a command names none.
    public var selectedIncident: IncidentID?
    /// Who gives orders (`DispatchOrder.by`).
    public var operatorName: String
    /// Background warnings for an incident (records lookup, done elsewhere).
    public var warnings: (IncidentRecord) -> [String]
    /// Masks names and phone numbers on order sheets (observer mode); identity otherwise.
    public var mask: (String) -> String
    /// Whether `dispatch` and `reinforce` also emit `order.issued` sheets.
    public var issueOrders: Bool

    public init(now: Date, selectedIncident: IncidentID? = nil, operatorName: String = "commander",
                warnings: @escaping (IncidentRecord) -> [String] = { _ in [] },
                mask: @escaping (String) -> String = { $0 }, issueOrders: Bool = true) {
        self.now = now
        self.selectedIncident = selectedIncident
        self.operatorName = operatorName
        self.warnings = warnings
        self.mask = mask
        self.issueOrders = issueOrders
    }
}

/// Turns a ``Command`` into the events to publish, without side effects of its own
/// (it only uses its reusable routing queries). Not thread-safe.
public final class CommandExecutor {
    public let map: PrecinctMap
    public let routing: DispatchRouting
    public var builder: DispatchOrderBuilder
    /// How many units `reinforce` sends when no number is given.
    public var defaultReinforcement = 2
    private let carPlaces: PlaceResolver
    private let footPlaces: PlaceResolver

    /// An executor over a dispatch routing (and so over its map's shared index).
    public convenience init(routing: DispatchRouting) {
        self.init(map: routing.map, routing: routing)
    }

    public init(map: PrecinctMap, routing: DispatchRouting? = nil) {
        self.map = map
        let routing = routing ?? DispatchRouting(map: map)
        self.routing = routing
        builder = DispatchOrderBuilder(map: map, routing: routing)
        carPlaces = routing.index.carPlaces
        footPlaces = routing.index.footPlaces
    }

    /// Parses and executes one command line.
    public func execute(line: String, state: PrecinctState, context: CommandContext) -> Result<CommandOutcome, CommandError> {
        CommandParser.parse(line).flatMap { execute($0, state: state, context: context) }
    }

    public func execute(_ command: Command, state: PrecinctState, context: CommandContext) -> Result<CommandOutcome, CommandError> {
        Result { () throws(CommandError) -> CommandOutcome in try run(command, state, context) }
    }

    // MARK: - Commands

    private func run(_ command: Command, _ state: PrecinctState, _ ctx: CommandContext) throws(CommandError) -> CommandOutcome {
        switch command {
        case .dispatch(let ref, let units):
            let incident = try openIncident(ref, state, ctx)
            var chosen = units
            var how = InterfacePhrase("note.asNamed")
            if chosen.isEmpty {
                guard incident.assignedUnits.isEmpty else {
                    throw CommandError(InterfacePhrase("exec.alreadyHas", label(incident), incident.assignedUnits.map(\.rawValue).joined(separator: ", ")))
                }
                let plan = ResponsePlan.plan(for: incident)
                // Per profile the plan's number of fastest units is enough for its choice.
                let ranked = routing.rank(for: incident.id, in: state, perProfile: plan.units)
                chosen = ResponsePlanner.choose(plan: plan, ranked: ranked, units: state.units)
                guard !chosen.isEmpty else { throw CommandError(InterfacePhrase("exec.noUnitCanReach", label(incident))) }
                how = InterfacePhrase("note.plan").with(0, plan.summaryPhrase)
            } else {
                var seen = Set<UnitID>()
                for u in chosen {
                    guard seen.insert(u).inserted else { throw CommandError(InterfacePhrase("exec.namedTwice", u)) }
                    guard let unit = state.units[u] else { throw CommandError(InterfacePhrase("exec.noUnit", u, unitList(state))) }
                    if unit.incident == incident.id, unit.status.isCommitted {
                        throw CommandError(InterfacePhrase("exec.alreadyAssigned", u, label(incident), "").with(2, unit.status.phrase))
                    }
                    guard unit.status.isAssignable else {
                        // Two commanders sending the same unit at once: the second learns where it went.
                        if unit.status.isCommitted, let other = unit.incident {
                            throw CommandError(InterfacePhrase("exec.assignedElsewhere", u, state.incidents[other].map(label) ?? other.rawValue, "")
                                .with(2, unit.status.phrase))
                        }
                        if let at = unit.incident {
                            throw CommandError(InterfacePhrase("exec.notAvailableAt", u, "", at).with(1, unit.status.phrase))
                        }
                        throw CommandError(InterfacePhrase("exec.notAvailable", u, "").with(1, unit.status.phrase))
                    }
                }
            }
            // A dispatch is never a reinforcement; only `reinforce` is.
            return try send(chosen, to: incident, reinforcement: false, note: how, state, ctx)

        case .reinforce(let ref, let count):
            let incident = try openIncident(ref, state, ctx)
            let n = count ?? defaultReinforcement
            let exclude = Set(incident.assignedUnits + incident.respondedUnits)
            let ranked = routing.rank(for: incident.id, in: state, perProfile: n, excluding: exclude)
            let chosen = ResponsePlanner.nextFastest(count: n, ranked: ranked, units: state.units, excluding: exclude)
            guard !chosen.isEmpty else { throw CommandError(InterfacePhrase("exec.noMoreCanReach", label(incident))) }
            return try send(chosen, to: incident, reinforcement: true, note: InterfacePhrase("note.reinforcement"), state, ctx)

        case .new(let n):
            let place: ResolvedPlace
            do {
                place = try carPlaces.resolve(n.place)
            } catch {
                guard let foot = try? footPlaces.resolve(n.place) else { throw CommandError(error.description) }
                place = foot
            }
            let tz = state.timeZone ?? TimeZone(identifier: map.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
            let id = nextIncidentID(state)
            let number = nextNumber(state, now: ctx.now, timeZone: tz)
            let summary = n.summary.isEmpty ? (CommandParser.categoryWords.first { $0.category == n.category }?.word ?? n.category.rawValue) : n.summary
            let report = IncidentReported(id: id, number: number, category: n.category, priority: n.priority, summary: summary,
                                          place: place.label, point: place.point, road: place.position.keyed(in: map),
                                          callerName: n.callerName, callerPhone: n.callerPhone, weapon: n.weapon)
            return CommandOutcome(events: [.incidentReported(report)], action: .selectIncident(id),
                                  phrase: InterfacePhrase("exec.new", number, n.priority, "", place.label).with(2, n.category.phrase))

        case .close(let ref, let code, let note):
            let incident = try findIncident(ref.text, state)
            guard incident.isOpen else { throw CommandError(InterfacePhrase("exec.alreadyClosed", label(incident))) }
            return CommandOutcome(events: [.incidentClosed(IncidentClosed(id: incident.id, disposition: code.disposition, note: note))],
                                  phrase: InterfacePhrase("exec.closed", label(incident), code.code, code.label))

        case .status(let u, let status):
            guard let unit = state.units[u] else { throw CommandError(InterfacePhrase("exec.noUnit", u, unitList(state))) }
            var incident: IncidentID?
            if status.isCommitted {
                guard let id = unit.incident ?? ctx.selectedIncident else {
                    throw CommandError(InterfacePhrase("exec.noIncidentForStatus", u, "").with(1, status.phrase))
                }
                guard state.incidents[id]?.isOpen == true else { throw CommandError(InterfacePhrase("exec.incidentClosed", id)) }
                incident = id
            }
            return CommandOutcome(events: [.unitStatus(UnitStatusChange(unit: u, status: status, incident: incident))],
                                  phrase: InterfacePhrase("exec.status", unit.callsign, "").with(1, status.phrase))

        case .camera(let id):
            guard let camera = map.cameras.first(where: { $0.key == id.rawValue }) ?? map.cameras.first(where: { $0.key.lowercased() == id.rawValue.lowercased() }) else {
                throw CommandError("no camera \(id); cameras: \(map.cameras.prefix(8).map(\.key).joined(separator: ", "))\(map.cameras.count > 8 ? " ..." : "")")
            }
            let view = CameraQuery.inView(camera: camera, state: state)
            let online = state.isCameraOnline(CameraID(camera.key))
            return CommandOutcome(action: .showCamera(CameraID(camera.key)),
                                  phrase: InterfacePhrase(online ? "exec.camera" : "exec.cameraOffline", camera.key, camera.name,
                                                          view.units.count, view.incidents.count))

        case .lookup(.incident(let ref)):
            guard let text = ref?.text ?? ctx.selectedIncident?.rawValue else {
                throw CommandError(InterfacePhrase("exec.noIncidentSelected", "lookup incident"))
            }
            let incident = try findIncident(text, state)
            return CommandOutcome(action: .lookup(.incident(IncidentRef(incident.id.rawValue))), phrase: InterfacePhrase("exec.lookingUp", label(incident)))

        case .lookup(let q):
            return CommandOutcome(action: .lookup(q), phrase: InterfacePhrase("exec.lookingUp", "\(q)"))

        case .traffic(let segment, let setting):
            guard let s = routing.segment(segment) else { throw CommandError("no segment \(segment) on this map") }
            return CommandOutcome(events: [.trafficChanged(change(segment, setting))],
                                  message: "\(segment) on \(map.streetLabel(map.segments[s].street)): " + describe(setting))

        case .trafficAlong(let street, let from, let to, let setting):
            let keys = try stretch(of: street, from: from, to: to)
            return CommandOutcome(events: keys.map { .trafficChanged(change($0, setting)) }, message: "\(street) from \(from) to \(to) (\(keys.map(\.rawValue).joined(separator: ", "))): "
                                  + describe(setting))

        case .select(let text):
            if let inc = try? findIncident(text, state) {
                return CommandOutcome(action: .selectIncident(inc.id), phrase: InterfacePhrase("exec.selected", label(inc)))
            }
            if let unit = state.units[UnitID(text)] ?? state.unitsInOrder.first(where: { $0.id.rawValue.lowercased() == text.lowercased() || $0.callsign == text }) {
                return CommandOutcome(action: .selectUnit(unit.id), phrase: InterfacePhrase("exec.selected", unit.callsign))
            }
            throw CommandError(InterfacePhrase("exec.noIncidentOrUnit", text))

        case .speed(let v):
            return CommandOutcome(action: .setSpeed(v), phrase: InterfacePhrase("exec.speed", "\(v)"))
        case .pause:
            return CommandOutcome(action: .pause, phrase: InterfacePhrase("exec.paused"))
        case .resume:
            return CommandOutcome(action: .resume, phrase: InterfacePhrase("exec.running"))
        case .goto(let text):
            do {
                let p = try footPlaces.resolve(text)
                return CommandOutcome(action: .goto(label: p.label, point: p.point), phrase: InterfacePhrase("exec.centred", p.label))
            } catch {
                throw CommandError(error.description)
            }
        case .summary:
            return CommandOutcome(action: .showSummary, phrase: InterfacePhrase("exec.summary"))
        case .report:
            return CommandOutcome(action: .showReport, phrase: InterfacePhrase("exec.report"))
        case .unitAdd(let id, let kind, let text):
            guard state.units[id] == nil else { throw CommandError("\(id) is already a unit; move it with unit move \(id) PLACE") }
            let place = try resolve(text, RoutingProfile(kind))
            let point = Point(x: DispatchRouting.tenth(place.point.x), y: DispatchRouting.tenth(place.point.y))
            let events: [Event] = [
                .unitRegistered(UnitRegistered(id: id, kind: kind, home: point)),
                .unitPosition(UnitPosition(unit: id, point: point, road: place.position.keyed(in: map))),
            ]
            return CommandOutcome(events: events, action: .selectUnit(id),
                                  message: "\(id) (\(kind == .car ? "car" : "on foot")) at \(place.label)")

        case .unitMove(let id, let text):
            guard let unit = state.units[id] else { throw CommandError(InterfacePhrase("exec.noUnit", id, unitList(state))) }
            let place = try resolve(text, RoutingProfile(unit.kind))
            let point = Point(x: DispatchRouting.tenth(place.point.x), y: DispatchRouting.tenth(place.point.y))
            return CommandOutcome(events: [.unitPosition(UnitPosition(unit: id, point: point, road: place.position.keyed(in: map)))],
                                  action: .selectUnit(id), message: "\(unit.callsign) at \(place.label)")

        case .recommend(let ref, let count):
            let incident = try openIncident(ref, state, ctx)
            let n = count ?? 5
            let ranked = Array(routing.rank(for: incident.id, in: state, perProfile: n).prefix(n))
            guard !ranked.isEmpty else { throw CommandError(InterfacePhrase("exec.noUnitCanReach", label(incident))) }
            return CommandOutcome(events: [.unitsRecommended(UnitsRecommended(incident: incident.id, ranked: ranked))],
                                  action: .showLines(Self.recommendationLines(label(incident), ranked, in: .english)),
                                  message: "\(label(incident)): " + ranked.prefix(3).map { "\($0.unit) \(Int($0.seconds.rounded())) s" }.joined(separator: ", ")
                                      + (ranked.count > 3 ? " ..." : ""))

        case .route(let fromText, let toText, let profileChoice):
            let unit = state.units[UnitID(fromText)] ?? state.unitsInOrder.first { $0.id.rawValue.lowercased() == fromText.lowercased() }
            let profile = profileChoice ?? unit.map { RoutingProfile($0.kind) } ?? .car
            let start: RoadPosition, fromLabel: String
            if let unit {
                guard let p = routing.access(unit.road, unit.position, profile)?.position else {
                    throw CommandError("no road usable \(profile == .car ? "by car" : "on foot") near \(unit.callsign)")
                }
                start = p
                fromLabel = unit.callsign
            } else {
                let place = try resolve(fromText, profile)
                start = place.position
                fromLabel = place.label
            }
            let to = try resolve(toText, profile)
            routing.sync(traffic: state.traffic)
            guard let route = routing.route(from: start, to: to.position, profile: profile) else {
                throw CommandError("no \(profile.rawValue) route from \(fromLabel) to \(to.label): one-way streets, closures or access rules cut it off")
            }
            let head = "\(fromLabel) to \(to.label) by \(profile.rawValue): \(Int(route.seconds.rounded())) s, \(Int(route.meters.rounded())) m"
            let steps = route.steps.enumerated().map { i, step in
                "\(i + 1). \(step.instruction)" + (step.meters > 0 ? " — \(Int(step.meters.rounded())) m, \(Int(step.seconds.rounded())) s" : "")
            }
            return CommandOutcome(action: .showLines(steps), message: head)

        case .auto(let on):
            return CommandOutcome(action: .setAuto(on), phrase: InterfacePhrase(on ? "exec.autoOn" : "exec.autoOff"))
        case .help(let topic):
            if let topic {
                guard let lines = CommandParser.helpLines(topic: topic) else {
                    var seen = Set<String>()
                    let verbs = CommandParser.usage.map(\.verb).filter { seen.insert($0).inserted }
                    throw CommandError(InterfacePhrase("exec.noCommand", topic, verbs.joined(separator: ", ")))
                }
                return CommandOutcome(action: .showHelp(lines), message: lines[0])
            }
            return CommandOutcome(action: .showHelp(CommandParser.helpLines() ?? []),
                                  phrase: InterfacePhrase("exec.commands", CommandParser.scriptVerbs.joined(separator: ", ")))
        }
    }

    private func send(_ units: [UnitID], to incident: IncidentRecord, reinforcement: Bool, note: InterfacePhrase,
                      _ state: PrecinctState, _ ctx: CommandContext) throws(CommandError) -> CommandOutcome {
        var events: [Event] = [.dispatch(DispatchOrder(incident: incident.id, units: units, by: ctx.operatorName, note: note.text(.english)))]
        if ctx.issueOrders {
            let tz = state.timeZone ?? TimeZone(identifier: map.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
            let sheets = builder.build(incident: incident.id, units: units, state: state, at: ctx.now, reinforcement: reinforcement,
                                       warnings: ctx.warnings(incident), mask: ctx.mask)
            for sheet in sheets {
                do {
                    events.append(try Event.orderIssued(sheet, timeZone: tz))
                } catch {
                    throw CommandError("could not write the order for \(sheet.unit): \(error)")
                }
            }
        }
        let callsigns = units.map { state.units[$0]?.callsign ?? $0.rawValue }
        return CommandOutcome(events: events, action: .selectIncident(incident.id),
                              phrase: InterfacePhrase(reinforcement ? "exec.reinforced" : "exec.dispatched", callsigns.joined(separator: ", "),
                                                      label(incident), "").with(2, note))
    }

    /// What `recommend` shows: a heading, then a line per unit (ETA, road metres, the walk
    /// off the road, the straight line), in `language`.
    public static func recommendationLines(_ incident: String, _ ranked: [UnitRecommendation],
                                           in language: InterfaceLanguage) -> [String] {
        func whole(_ v: Double) -> Int { v.isFinite ? Int(Swift.max(-1e12, Swift.min(1e12, v)).rounded()) : 0 }
        return [language.t("recommend.heading", incident)] + ranked.map { r in
            language.t("recommend.line", r.unit, whole(r.seconds), whole(r.meters), whole(r.offRoadMeters), whole(r.straightLineMeters))
        }
    }

    // MARK: - Helpers

    /// A typed place on the roads `profile` may use.
    private func resolve(_ text: String, _ profile: RoutingProfile) throws(CommandError) -> ResolvedPlace {
        do {
            return try (profile == .car ? carPlaces : footPlaces).resolve(text)
        } catch {
            throw CommandError(error.description)
        }
    }

    /// The street whose Chinese or romanized name is `name` (any case).
    private func street(named name: String) throws(CommandError) -> Int {
        let n = name.lowercased()
        if let i = map.streets.firstIndex(where: { $0.name.lowercased() == n || $0.roman?.lowercased() == n }) { return i }
        throw CommandError("no street '\(name)' on this map")
    }

    /// The segments of `name` from where it meets `from` to where it meets `to`, in order.
    private func stretch(of name: String, from: String, to: String) throws(CommandError) -> [SegmentKey] {
        let s = try street(named: name), a = try street(named: from), b = try street(named: to)
        func nodes(of street: Int) -> Set<Int> {
            Set(map.segments.filter { $0.street == street }.flatMap { [$0.from, $0.to] })
        }
        let along = nodes(of: s)
        guard let start = along.intersection(nodes(of: a)).min() else {
            throw CommandError("\(map.streetLabel(s)) does not meet \(map.streetLabel(a))")
        }
        let ends = along.intersection(nodes(of: b))
        guard !ends.isEmpty else { throw CommandError("\(map.streetLabel(s)) does not meet \(map.streetLabel(b))") }
        // Breadth first along the street's own segments.
        var previous: [Int: (node: Int, segment: Int)] = [:]
        var queue = [start], seen: Set<Int> = [start], k = 0
        var end: Int?
        while k < queue.count {
            let n = queue[k]
            k += 1
            if ends.contains(n), n != start || ends.count == 1 { end = n; break }
            for (si, seg) in map.segments.enumerated() where seg.street == s && (seg.from == n || seg.to == n) {
                let m = seg.from == n ? seg.to : seg.from
                guard seen.insert(m).inserted else { continue }
                previous[m] = (n, si)
                queue.append(m)
            }
        }
        guard let end, end != start else {
            throw CommandError("\(map.streetLabel(s)) does not run from \(map.streetLabel(a)) to \(map.streetLabel(b))")
        }
        var keys: [SegmentKey] = []
        var n = end
        while let p = previous[n] {
            keys.append(SegmentKey(map.segments[p.segment].key))
            n = p.node
        }
        return keys.reversed()
    }

    /// What `traffic` publishes for one segment.
    private func change(_ segment: SegmentKey, _ setting: TrafficSetting) -> TrafficChanged {
        switch setting {
        case .factor(let f): return TrafficChanged(segment: segment, factor: f)
        case .closed: return TrafficChanged(segment: segment, factor: 1, closed: true)
        case .open: return TrafficChanged(segment: segment)
        }
    }

    private func describe(_ s: TrafficSetting) -> String {
        switch s {
        case .factor(let f): return "travel time ×" + String(format: "%g", f)
        case .closed: return "closed"
        case .open: return "back to normal"
        }
    }

    private func label(_ incident: IncidentRecord) -> String { incident.number ?? incident.id.rawValue }

    private func unitList(_ state: PrecinctState) -> String {
        let ids = state.unitsInOrder.map(\.id.rawValue)
        return ids.prefix(10).joined(separator: ", ") + (ids.count > 10 ? " ..." : "")
    }

    private func openIncident(_ ref: IncidentRef?, _ state: PrecinctState, _ ctx: CommandContext) throws(CommandError) -> IncidentRecord {
        let incident: IncidentRecord
        if let ref {
            incident = try findIncident(ref.text, state)
        } else {
            guard let id = ctx.selectedIncident, let inc = state.incidents[id] else {
                throw CommandError(InterfacePhrase("exec.noIncidentSelected", "dispatch"))
            }
            incident = inc
        }
        guard incident.isOpen else { throw CommandError(InterfacePhrase("exec.isClosed", label(incident))) }
        return incident
    }

    /// An incident by id, number, `#N` or `N` (the day's running number, latest first).
    func findIncident(_ text: String, _ state: PrecinctState) throws(CommandError) -> IncidentRecord {
        if let inc = state.incidents[IncidentID(text)] { return inc }
        let all = state.incidentsInOrder
        if let inc = all.first(where: { $0.id.rawValue.lowercased() == text.lowercased() || $0.number == text }) { return inc }
        var t = text
        if t.hasPrefix("#") { t.removeFirst() }
        if let n = Int(t), n > 0 {
            let suffix = "-" + String(format: "%04d", n)
            if let inc = all.last(where: { $0.number?.hasSuffix(suffix) == true }) { return inc }
        }
        let open = state.openIncidents.suffix(5).map { $0.number ?? $0.id.rawValue }
        throw CommandError(open.isEmpty ? InterfacePhrase("exec.noIncident", text)
                                        : InterfacePhrase("exec.noIncidentOpen", text, open.joined(separator: ", ")))
    }

    private func nextIncidentID(_ state: PrecinctState) -> IncidentID {
        var highest = 0
        for id in state.incidents.keys {
            let s = id.rawValue
            guard s.hasPrefix("I"), let n = Int(s.dropFirst()) else { continue }
            highest = max(highest, n)
        }
        var n = highest + 1
        while state.incidents[IncidentID("I" + String(format: "%04d", n))] != nil { n += 1 }
        return IncidentID("I" + String(format: "%04d", n))
    }

    private func nextNumber(_ state: PrecinctState, now: Date, timeZone: TimeZone) -> String {
        let prefix = String(IncidentNumber.make(day: now, timeZone: timeZone, ordinal: 0).dropLast(4))
        var highest = 0
        for inc in state.incidents.values {
            guard let num = inc.number, num.hasPrefix(prefix), let n = Int(num.dropFirst(prefix.count)) else { continue }
            highest = max(highest, n)
        }
        return IncidentNumber.make(day: now, timeZone: timeZone, ordinal: highest + 1)
    }
}
