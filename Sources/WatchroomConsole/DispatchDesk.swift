import Foundation
import Logging
import WatchroomCore
import WatchroomEngine
import WatchroomRecords
import WatchroomRouting
import WatchroomSimulation
import WatchroomUI

/// The commander's side of the dispatch workflow in the console: runs `:` commands through
/// the engine's executor, looks up background records (audited), keeps the latest order
/// per incident, and builds what the details panel shows. Used on the console's thread only.
public final class DispatchDesk {
    public let map: PrecinctMap
    public let observer: Bool
    private let executor: CommandExecutor
    private let records: RecordsLookup?
    private let timeZone: TimeZone
    private let logger = Logger(label: "watchroom.desk")
    private var backgrounds: [IncidentID: BackgroundReport] = [:]
    private var orders: [IncidentID: DispatchOrderSheet] = [:]
    public private(set) var camera: CameraID?
    public private(set) var summaryLines: [String]?
    /// The title of the overlay showing ``summaryLines``: what it shows.
    public private(set) var summaryTitle = InterfaceLanguage.english.t("overlay.summary")
    private var priorityOne = PriorityOneWatch()
    /// Set when a new priority-1 call came in since the last frame (the bell).
    var newPriorityOne = false
    /// Makes what was published so far durable (the shift recording); `nil` when not recording.
    public var durable: (() throws -> Void)?
    /// The drill's after-action report as lines (`:report`); `nil` outside a drill.
    public var report: ((PrecinctState, Date) -> [String])?
    /// The virtual commander, switched by `:auto` and handed over to the commander's own
    /// dispatches and closes; `nil` where there is none (a drill).
    public var virtual: VirtualCommander?

    public let policy: AlertPolicy
    /// The language of the lines the desk hands the console (replies, titles, overlay lines);
    /// set by the console from its own.
    public var language: InterfaceLanguage = .english

    /// - Parameter index: the map's shared routing index (built here when `nil`).
    ///   `routing`: a dispatch routing to share (used on this thread only); else one over `index`.
    public init(map: PrecinctMap, records: RecordsLookup?, observer: Bool, policy: AlertPolicy = .standard, index: RoutingIndex? = nil,
         routing: DispatchRouting? = nil) {
        self.map = map
        self.policy = policy
        self.records = records
        self.observer = observer
        executor = CommandExecutor(routing: routing ?? DispatchRouting(index: index ?? RoutingIndex(map: map)))
        timeZone = ISOTime.timeZone(named: map.timeZone) ?? .current
    }

    public var mask: (String) -> String {
        guard observer else { return { $0 } }
        return { text in text.filter(\.isNumber).count >= 7 ? Masking.phone(text) : Masking.name(text) }
    }

    // MARK: - Events from the bus

    /// Looks at an event the console has not seen yet (order sheets, new P1 calls); returns
    /// events to publish (none today: the virtual commander issues its own sheets).
    public func ingest(_ envelope: EventEnvelope, state: PrecinctState) -> [Event] {
        if let sheet = envelope.event.orderSheet {
            orders[sheet.incident] = sheet
            return []
        }
        if priorityOne.newPriorityOne(envelope.event, state: state) != nil {
            newPriorityOne = true
        }
        return []
    }

    /// The virtual commander's decision run as the commander's own `dispatch` or
    /// `reinforce` (response plan, ranking, order sheets with the background warnings),
    /// by `auto`: the events to publish, or none when it cannot be done now.
    public func auto(_ decision: VirtualCommander.Decision, state: PrecinctState, now: Date) -> [Event] {
        let command: Command
        switch decision {
        case .dispatch(let id): command = .dispatch(incident: IncidentRef(id.rawValue), units: [])
        case .reinforce(let id, let count): command = .reinforce(incident: IncidentRef(id.rawValue), count: count)
        }
        let context = CommandContext(now: now, operatorName: "auto",
                                     warnings: { [weak self] in self?.warnings(for: $0) ?? [] }, mask: mask)
        switch executor.execute(command, state: state, context: context) {
        case .success(let outcome): return outcome.events
        case .failure(let error):
            logger.debug("virtual commander: \(decision): \(error.description)")
            return []
        }
    }

    // MARK: - Commands

    public struct Result {
        public var events: [Event] = []
        public var message: String
        public var select: ConsoleUIState.Selection?
        public var goto: Point?
        public var speed: Double?
        public var pause: Bool?
        public var failed = false
        /// Lines for the overlay from where the command ran (a served shift's reply).
        public var overlay: (title: String, lines: [String])?

        public init(events: [Event] = [], message: String, select: ConsoleUIState.Selection? = nil) {
            self.events = events
            self.message = message
            self.select = select
        }
    }

    /// Runs a command through the engine's executor: the events to publish, the line for
    /// the status bar, and what the console should show.
    public func execute(_ command: Command, state: PrecinctState, now: Date, selected: IncidentID?) -> Result {
        let context = CommandContext(now: now, selectedIncident: selected, operatorName: "commander",
                                     warnings: { [weak self] in self?.warnings(for: $0) ?? [] }, mask: mask)
        switch executor.execute(command, state: state, context: context) {
        case .failure(let error):
            var result = Result(message: error.text(language))
            result.failed = true
            return result
        case .success(let outcome):
            var result = Result(events: outcome.events, message: outcome.text(language))
            if let virtual, virtual.commanderPublished(outcome.events), case .handedOver(let why)? = virtual.offReason {
                result.message += language.t("desk.handedOver", why)
                logger.info("virtual commander handed over: \(why)")
            }
            switch outcome.action {
            case .selectIncident(let id)?: result.select = .incident(id)
            case .selectUnit(let id)?: result.select = .unit(id)
            case .showCamera(let id)?:
                camera = id
            case .lookup(.incident(let ref))?:
                let id = ref.map { IncidentID($0.text) } ?? selected
                guard let id, let incident = state.incidents[id] else {
                    result.message = language.t("desk.noSuchIncident")
                    result.failed = true
                    return result
                }
                result.select = .incident(id)
                result.message = lookupBackground(of: incident)
            case .lookup(let query)?:
                result.message = lookup(query)
            case .setSpeed(let s)?: result.speed = s
            case .pause?: result.pause = true
            case .resume?: result.pause = false
            case .goto(_, let point)?: result.goto = point
            case .showSummary?:
                summaryLines = ShiftSummary.compute(state: state).table(timeZone: timeZone, language: language, columns: DisplayWidth.of)
                    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                summaryTitle = language.t("overlay.summary")
            case .showLines(let lines)?:
                summaryLines = lines
                if language != .english, case .recommend = command,
                   let ranked = outcome.events.lazy.compactMap({ e -> UnitsRecommended? in
                       if case .unitsRecommended(let r) = e { return r } else { return nil } }).first {
                    let label = state.incidents[ranked.incident].flatMap(\.number) ?? ranked.incident.rawValue
                    summaryLines = CommandExecutor.recommendationLines(label, ranked.ranked, in: language)
                }
                summaryTitle = language.t(command.verb == "route" ? "desk.route" : "desk.recommended")
            case .showHelp(let lines)?:
                // The whole list ends with a blank line and the short forms; one command does not.
                let whole = lines.contains("")
                let topic = lines.first?.split(separator: " ").first.map(String.init) ?? ""
                summaryLines = language == .english ? lines : CommandParser.helpLines(topic: whole ? nil : topic, in: language) ?? lines
                summaryTitle = whole ? language.t("desk.commands") : language.t("desk.command", topic)
            case .setAuto(let on)?:
                guard let virtual else {
                    result.message = language.t("desk.noVirtual")
                    result.failed = true
                    return result
                }
                virtual.set(on: on)
            case .showReport?:
                guard let report else {
                    result.message = language.t("desk.noReport")
                    result.failed = true
                    return result
                }
                summaryLines = report(state, now)
                summaryTitle = language.t("desk.reportTitle")
            case nil:
                break
            }
            return result
        }
    }

    public func closeOverlay() { summaryLines = nil }

    /// Lines for the overlay that another desk worked out (a served shift's reply).
    public func show(lines: [String], title: String) {
        summaryLines = lines.map { Sanitizer.inert($0) }
        summaryTitle = Sanitizer.inert(title)
    }
    public func clearCamera() { camera = nil }
    public func pick(camera id: CameraID?) { if let id { camera = id } }

    // MARK: - Records

    private func lookup(_ query: LookupQuery) -> String {
        guard let records else { return language.t("desk.noRecords") }
        do {
            let report: BackgroundReport
            switch query {
            case .phone(let phone): report = try records.byPhone(phone, who: "commander")
            case .incident: return language.t("desk.giveIncident")
            case .address(let text):
                let parts = text.split(separator: " ")
                guard parts.count >= 2 else { return language.t("desk.giveAddress") }
                report = try records.byAddress(street: parts.dropLast().joined(separator: " "), number: String(parts.last ?? ""),
                                               addressKey: nil, who: "commander")
            }
            summaryLines = reportLines(report, empty: language.t("desk.nothingOnRecord", report.query))
            summaryTitle = language.t("desk.backgroundTitle", Sanitizer.inert(report.query))
            return report.isEmpty ? language.t("desk.nothingOnRecord", report.query) : language.t("desk.backgroundShown", report.query)
        } catch {
            logger.error("lookup failed: \(error)")
            return language.t("desk.lookupFailed", "\(error)")
        }
    }

    /// `lookup incident`: the incident's background looked up again (and audited) and shown,
    /// titled by the place and the caller's phone it looked up.
    private func lookupBackground(of incident: IncidentRecord) -> String {
        backgrounds[incident.id] = nil
        guard let report = background(for: incident) else { return language.t("desk.noRecords") }
        var what = [incident.place]
        if let phone = incident.callerPhone, !phone.isEmpty { what.append(mask(phone)) }
        summaryLines = reportLines(report, empty: language.t("desk.nothingOnRecord", what.joined(separator: " / ")))
        summaryTitle = language.t("desk.backgroundTitle", Sanitizer.inert(what.joined(separator: " / ")))
        return language.t("desk.backgroundFor", incident.number ?? incident.id.rawValue,
                          report.warnings.isEmpty ? language.t("desk.noWarnings") : report.warnings.joined(separator: "; "))
    }

    /// The incident's background, looked up once (and audited) per incident.
    func background(for incident: IncidentRecord) -> BackgroundReport? {
        if let cached = backgrounds[incident.id] { return cached }
        guard let records else { return nil }
        var report: BackgroundReport?
        if let address = nearestAddress(to: incident.point) {
            report = try? records.byAddress(street: map.streets[address.street].name, number: address.number,
                                            addressKey: address.key, who: "commander")
        }
        if let phone = incident.callerPhone, let byPhone = try? records.byPhone(phone, who: "commander"), !byPhone.isEmpty {
            if var merged = report {
                merged.warningDetails += byPhone.warningDetails.filter { !merged.warningDetails.contains($0) }
                merged.matchedPeople += byPhone.matchedPeople
                merged.pastIncidents += byPhone.pastIncidents
                report = merged
            } else {
                report = byPhone
            }
        }
        let result = report ?? BackgroundReport(query: incident.place)
        backgrounds[incident.id] = result
        return result
    }

    /// Closes the records database at shutdown (no `-wal` or `-shm` left beside it).
    public func closeRecords() {
        records?.close()
    }

    func warnings(for incident: IncidentRecord) -> [String] {
        background(for: incident)?.warnings ?? []
    }

    private func nearestAddress(to point: Point) -> Address? {
        map.addresses.min { $0.position.distance(to: point) < $1.position.distance(to: point) }
            .flatMap { $0.position.distance(to: point) <= 40 ? $0 : nil }
    }

    private func reportLines(_ r: BackgroundReport, empty: String) -> [String] {
        var out = r.warnings.map { "⚠ \($0)" }
        for h in r.households {
            for p in h.residents {
                out.append("\(p.name)\(p.born.map { " (\($0))" } ?? ""), \(p.role)\(p.phone.map { ", \($0)" } ?? "")")
            }
        }
        for p in r.matchedPeople { out.append("\(p.name), \(p.role)\(p.phone.map { ", \($0)" } ?? "")") }
        for v in r.vehicles { out.append(language.t("desk.vehicle", v.plate, v.make, v.colour)) }
        for i in r.pastIncidents { out.append("\(i.date) \(i.category): \(i.summary) — \(i.outcome)") }
        if out.isEmpty { out = [empty] }
        return out.map { Sanitizer.inert($0) }
    }

    // MARK: - What the screen shows

    public struct Extras: Equatable {
        public var dispatch: DispatchPanelModel?
        public var alerts: [IncidentID: AlertLevel] = [:]
        public var cone: [Point]?
        public var inView: [String] = []

        public init() {}
    }

    public func extras(state: PrecinctState, selection: ConsoleUIState.Selection, now: Date) -> Extras {
        var extras = Extras()
        for alert in Alerts.evaluate(state: state, now: now, policy: policy) {
            extras.alerts[alert.incident] = alert.kind == .notDispatched
                ? .notDispatched(overdueBy: alert.overdueBy) : .notOnScene(overdueBy: alert.overdueBy)
        }
        if let camera, let cam = map.cameras.first(where: { $0.key == camera.rawValue }) {
            extras.cone = CameraQuery.cone(camera: cam)
            let view = CameraQuery.inView(camera: cam, state: state)
            extras.inView = [language.t(state.isCameraOnline(camera) ? "desk.cameraNoVideo" : "desk.cameraOfflineNoVideo", cam.name)]
                + view.units.map { language.t("desk.unitInView", state.units[$0]?.callsign ?? $0.rawValue) }
                + view.incidents.map { language.t("desk.incidentInView", state.incidents[$0]?.number ?? $0.rawValue) }
        }
        guard case .incident(let id) = selection, let incident = state.incidents[id] else { return extras }
        let timers = Alerts.timers(for: incident, now: now)
        let view = RecommendationView.make(incident: id, state: state, now: now)
        let crow = view.crowFliesIsNotFastest ? view.nearestAsCrowFlies : nil
        let background = self.background(for: incident)
        var lines = background?.warnings.map { "⚠ \($0)" } ?? []
        if let background { lines += reportLines(background, empty: "").filter { !$0.hasPrefix("⚠") && !$0.isEmpty }.prefix(6) }
        extras.dispatch = DispatchPanelModel(
            recommendation: view.rows.map {
                RecommendationRow(unit: $0.unit, callsign: $0.callsign, kind: $0.kind, etaSeconds: $0.seconds,
                                  meters: $0.meters, straightLineMeters: $0.straightLineMeters, isCrowNearest: $0.unit == crow,
                                  offRoadMeters: $0.offRoadMeters)
            },
            assigned: incident.assignedUnits.compactMap { u in
                state.units[u].map { AssignedRow(unit: u, callsign: $0.callsign, status: $0.status,
                                                 etaSeconds: $0.route.map { max(0, $0.eta.timeIntervalSince(now)) }) }
            },
            sinceCall: timers.sinceCall, sinceDispatch: timers.sinceDispatch, alert: extras.alerts[id],
            plan: ResponsePlan.plan(for: incident).summaryPhrase.text(language),
            background: lines,
            cameras: CameraQuery.forIncident(point: incident.point, map: map, state: state).map {
                CameraRow(camera: $0.id, name: $0.camera.name, sees: $0.sees, meters: $0.distance, online: $0.online)
            },
            orderLines: orders[id].map { $0.lines(timeZone: timeZone) } ?? [],
            sceneOffRoadMeters: incident.sceneOffRoadMeters)
        return extras
    }
}

extension AlertPolicy {
    /// Parses `p1=60/480,p2=180/900`: per priority, seconds to dispatch / seconds to be on
    /// scene; priorities not named keep the standard limits.
    public static func parse(_ text: String) throws -> AlertPolicy {
        var policy = AlertPolicy.standard
        for item in text.split(separator: ",") {
            let kv = item.split(separator: "=")
            let times = kv.count == 2 ? kv[1].split(separator: "/").compactMap { TimeInterval($0) }.filter { $0 > 0 && $0.isFinite } : []
            guard kv.count == 2, times.count == 2 else {
                throw CLIError("--alerts \(text): give p1=DISPATCH/ONSCENE seconds, e.g. p1=60/480,p2=180/900")
            }
            let limits = AlertPolicy.Limits(dispatchWithin: times[0], onSceneWithin: times[1])
            switch kv[0].lowercased() {
            case "p1": policy.p1 = limits
            case "p2": policy.p2 = limits
            case "p3": policy.p3 = limits
            default: throw CLIError("--alerts \(text): priorities are p1, p2 and p3")
            }
        }
        return policy
    }
}
