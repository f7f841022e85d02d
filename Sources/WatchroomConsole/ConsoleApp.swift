import Foundation
import Logging
import WatchroomCore
import WatchroomEngine
import WatchroomRouting
import WatchroomSimulation
import WatchroomUI

extension ShiftSimulator: ShiftSource {
    /// The simulator takes over every unit of a resumed shift.
    public func resume(from state: PrecinctState, at time: Date) -> [Event] { resume(from: state, at: time, only: nil) }
}

/// What the console's loop reads and drives, so a live shift, a drill and a replay run the
/// same loop and the same renderer. Used from the loop's thread only, except ``publish(_:)``,
/// which the desk's queue calls.
public protocol ConsoleFeed: AnyObject {
    var map: PrecinctMap { get }
    var mode: ShiftMode { get }
    /// The state shown now.
    var state: PrecinctState { get }
    /// The seq of the newest event in ``state``.
    var lastSeq: UInt64 { get }
    /// Changes when history jumps (a replay's seek): the ticker starts again from ``recent()``.
    var generation: Int { get }
    /// Events newer than `seq`, oldest first, for the ticker and the desk.
    func envelopes(after seq: UInt64) -> [EventEnvelope]
    /// The latest events worth a ticker line, after a jump.
    func recent() -> [EventEnvelope]
    /// The instant shown on the clock.
    func now() -> Date
    var speed: Double { get set }
    var isPaused: Bool { get }
    func pause()
    func resume()
    /// An event from the console's desk (a live shift publishes it; a replay drops it).
    func publish(_ event: Event)
    /// Once per turn of the loop: a replay plays on by the real time passed.
    func pump()
    /// A command the feed answers itself (a replay's `goto TIME`, its clock; the refusal
    /// of a command whose kind it does not allow); `nil` leaves it to the dispatch desk.
    func intercept(_ command: Command) -> FeedReply?
    /// A replay key.
    func control(_ control: ReplayControl) -> FeedReply?
    /// The replay's timeline.
    var timeline: TimelineModel? { get }
    /// A standing warning for the status bar.
    var headerNote: String? { get }
    /// The consoles attached to the shift (a served shift's presence); `nil` where the shift
    /// is this console's own.
    var attached: AttachedConsoles? { get }
    /// Whether the shift's virtual commander dispatches, when the feed knows it (a served
    /// shift); `nil`: ask this console's desk.
    var autoDispatch: Bool? { get }
    /// A command the shift runs elsewhere (a served shift): its result, waited for on the
    /// desk's queue (so it is called from there, not from the loop). `nil` runs the command
    /// on this console's desk.
    func execute(_ command: Command, selected: IncidentID?) -> DispatchDesk.Result?
}

/// What a feed answers to a command or key: a line for the bottom bar, maybe a selection.
public struct FeedReply {
    /// In English (tests, logs).
    public var message: String
    /// The same for the console to show in its language; `nil` for English only.
    public var phrase: InterfacePhrase?
    public var select: ConsoleUIState.Selection?

    public init(message: String, select: ConsoleUIState.Selection? = nil) {
        self.message = message
        self.select = select
    }

    public init(_ phrase: InterfacePhrase, select: ConsoleUIState.Selection? = nil) {
        self.init(message: phrase.text(.english), select: select)
        self.phrase = phrase
    }

    /// The reply in `language`.
    public func text(_ language: InterfaceLanguage) -> String { phrase?.text(language) ?? message }
}

/// The live shift (and a drill, which is a live shift in mode drill) as a console feed.
public final class LiveFeed: ConsoleFeed, @unchecked Sendable {
    public let shift: LiveShift
    /// A drill's end: the last instant of its recording.
    public let drillEnd: Date?
    /// The language of ``headerNote`` (set by the console).
    public var language: InterfaceLanguage = .english
    public init(_ shift: LiveShift, drillEnd: Date? = nil) {
        self.shift = shift
        self.drillEnd = drillEnd
    }

    public var map: PrecinctMap { shift.map }
    public var mode: ShiftMode { shift.mode }
    public var state: PrecinctState { shift.bus.state }
    public var lastSeq: UInt64 { shift.bus.lastSeq }
    public var generation: Int { 0 }
    public func envelopes(after seq: UInt64) -> [EventEnvelope] { shift.bus.envelopes(after: seq) }
    public func recent() -> [EventEnvelope] { [] }
    public func now() -> Date { shift.clock.now() }
    public var speed: Double {
        get { shift.clock.speed }
        set { shift.clock.speed = newValue }
    }
    public var isPaused: Bool { shift.clock.isPaused }
    public func pause() { shift.clock.pause() }
    public func resume() { shift.clock.resume() }
    public func publish(_ event: Event) { shift.publish(event) }
    public func pump() {}
    public func intercept(_ command: Command) -> FeedReply? { nil }
    public func control(_ control: ReplayControl) -> FeedReply? { nil }
    public var timeline: TimelineModel? { nil }
    public var headerNote: String? {
        guard let drillEnd, shift.clock.now() > drillEnd else { return nil }
        return language.t("drill.over")
    }
    public var attached: AttachedConsoles? { nil }
    public var autoDispatch: Bool? { nil }
    public func execute(_ command: Command, selected: IncidentID?) -> DispatchDesk.Result? { nil }
}

/// The console's loop: keys in, frames out. It owns the terminal and a view of the shift
/// (a ``ConsoleFeed``); a live shift itself (bus, routing, simulation) runs on its own queues.
public final class ConsoleApp<Backend: TerminalBackend> {
    public struct Options {
        public var frameMilliseconds = 100
        /// Least time between two frames drawn only because the shift changed.
        public var minimumFrameGapMilliseconds = 250
        /// The interface language asked for (`--lang`, else the locale's); an ASCII-only
        /// terminal shows English (``InterfaceLanguage/shown(requested:unicode:)``).
        public var language: InterfaceLanguage = .english

        public init() {}
    }

    private let feed: ConsoleFeed
    private let backend: Backend
    private let options: Options
    private let logger = Logger(label: "watchroom.console")
    private let desk: DeskWorker
    /// The intake form as it was when it submitted a command still being executed.
    private var pendingForm: IntakeForm?
    private let bellOnPriorityOne: Bool
    private var ui: ConsoleUIState
    private let cache = MapRasterCache()
    private var previous: Grid?
    private var ticker: [EventEnvelope] = []
    private var lastSelection: ConsoleUIState.Selection = .none
    /// Whether the overlay of the desk's lines was open at the last frame: the desk drops
    /// its lines when the commander closes it, never before it opened (a `:summary` finished
    /// between taking the outcomes and drawing would otherwise lose its lines, and its
    /// overlay would never open).
    private var overlayWasOpen = false
    private var tickerSeq: UInt64 = 0
    private var tickerGeneration = 0
    private let tickerLimit = 200
    /// Why the `--orders` sink is down, from its latest `orders.sink` event.
    private var ordersDown: String?

    /// - Parameter history: events from before the bus's log to start the ticker with (a
    ///   resumed shift's recorded tail), oldest first.
    public convenience init(shift: LiveShift, backend: Backend, desk: DispatchDesk, speed: Double, bell: Bool,
                     options: Options = Options(), history: [EventEnvelope] = [], drillEnd: Date? = nil) {
        self.init(feed: LiveFeed(shift, drillEnd: drillEnd), backend: backend, desk: desk, speed: speed, bell: bell, options: options)
        ticker = Array(history.filter {
            switch $0.event {
            case .unitPosition, .clockTick: return false
            default: return true
            }
        }.suffix(tickerLimit))
    }

    public init(feed: ConsoleFeed, backend: Backend, desk: DispatchDesk, speed: Double, bell: Bool,
         options: Options = Options()) {
        self.feed = feed
        self.backend = backend
        let publisher = PublishBox(feed)
        let worker = DeskWorker(desk: desk, publish: { publisher.publish($0) },
                                remote: { publisher.execute($0, selected: $1) })
        self.desk = worker
        // The virtual commander decides on the shift's queue and dispatches through the desk's.
        desk.virtual?.desk = { worker.auto($0, state: $1, now: $2) }
        self.options = options
        let shown = InterfaceLanguage.shown(requested: options.language, unicode: backend.capabilities.unicode)
        language = shown
        desk.language = shown
        (feed as? LiveFeed)?.language = shown
        bellOnPriorityOne = bell
        ui = ConsoleUIState(mode: feed.mode, speed: speed)
    }

    /// The language the interface is shown in.
    public let language: InterfaceLanguage

    /// Why the loop ended.
    public enum Ending: Equatable, Sendable {
        /// The commander quit (`q` `y`, `:quit`).
        case quit
        /// A signal arrived (SIGINT, SIGTERM, SIGHUP).
        case signal(Int32)
    }

    /// Runs until the commander quits or a signal arrives; returns the signal, if any.
    public func run() -> Int32? {
        var trimmed = Date()
        while true {
            switch turn() {
            case nil: break
            case .quit?: return nil
            case .signal(let signal)?: return signal
            }
            // Once a minute, what the allocator holds free goes back (a console runs for days).
            if Date().timeIntervalSince(trimmed) >= 60 {
                MallocTuning.releaseFreeMemory()
                trimmed = Date()
            }
        }
    }

    private var lastFrame = Date.distantPast
    private var lastSecond = -1
    private var lastBlink = true
    private var lastSeq: UInt64 = .max
    private var dirty = true
    /// The feed's standing (connection note, attached consoles, clock) as last drawn.
    private var lastStanding: Standing?

    private struct Standing: Equatable {
        var note: String?
        var attached: AttachedConsoles?
        var auto: Bool?
        var speed: Double
        var paused: Bool
    }

    /// One turn of the loop: every key already waiting handled (waiting up to a frame for
    /// the first), the desk's finished work applied, and a frame drawn when something
    /// changed. `nil` while the console runs on.
    public func turn() -> Ending? {
        if let signal = backend.pendingSignal() {
            logger.info("signal \(signal): leaving")
            return .signal(signal)
        }
        // Every key already waiting (a paste, a held arrow) is handled before the next
        // frame: a 67-character paste shows in one frame, not 67.
        var wait = options.frameMilliseconds
        var handled = 0
        while handled < 512, let key = backend.readKey(timeoutMilliseconds: wait) {
            wait = 0
            handled += 1
            if handle(key) { return .quit }
            dirty = true
            if backend.pendingSignal() != nil { break }
        }
        for outcome in desk.takeOutcomes() {
            apply(outcome)
            dirty = true
        }
        if desk.takeChanged() { dirty = true }
        feed.pump()
        // A served shift's connection, consoles or clock changed: shown at once, even with
        // the clock stopped.
        let standing = Standing(note: feed.headerNote, attached: feed.attached, auto: feed.autoDispatch, speed: feed.speed,
                                paused: feed.isPaused)
        if standing != lastStanding {
            lastStanding = standing
            dirty = true
        }
        let now = feed.now()
        let second = Int(now.timeIntervalSince1970.rounded(.down))
        let blink = backend.capabilities.blink || (Int(Date().timeIntervalSince1970 * 2) % 2 == 0)
        let seq = feed.lastSeq
        let gapOK = Date().timeIntervalSince(lastFrame) * 1000 >= Double(options.minimumFrameGapMilliseconds)
        if dirty || second != lastSecond || blink != lastBlink || (seq != lastSeq && gapOK) {
            draw(now: now, blink: blink)
            lastFrame = Date()
            lastSecond = second
            lastBlink = blink
            lastSeq = seq
            dirty = false
        }
        return nil
    }

    /// Turns until the desk has nothing in hand: commands executed, panel data worked out,
    /// and the frame showing them drawn (tests; a console driven without a clock).
    public func settle() -> Ending? {
        for _ in 0..<4 {
            desk.drain()
            dirty = true
            if let ending = turn() { return ending }
        }
        return nil
    }

    /// One key: the controller's effect carried out. `true` when the commander quit.
    private func handle(_ key: Key) -> Bool {
        let (w, h) = backend.size()
        var context = ConsoleContext(map: feed.map, state: feed.state, width: w, height: h, ticker: ticker)
        context.language = language
        context.summaryLineCount = desk.summaryLines?.count ?? 0
        if case .incident = ui.selection { context.dispatch = desk.latestExtras.dispatch }
        let formBefore = ui.intakeForm
        switch ConsoleController.handle(key, ui: &ui, context: context) {
        case .quit:
            logger.info("quit by the commander")
            return true
        case .repaint:
            backend.invalidate()
            previous = nil
        case .redraw:
            break
        case .command(let command):
            pendingForm = formBefore
            perform(command)
        case .bell:
            backend.bell()
        case .replay(let control):
            if let reply = feed.control(control) { show(reply) }
        case .none:
            break
        }
        return false
    }

    /// Incidents seen as P1 (reported so, or raised later): the map follows each once.
    private var priorityOne = PriorityOneWatch()

    private func refreshTicker() {
        let state = feed.state
        var fresh: [EventEnvelope] = []
        defer { desk.ingest(fresh, state: state) }
        if feed.generation != tickerGeneration {
            // History jumped (a replay's seek): start again from what led up to here.
            tickerGeneration = feed.generation
            ticker = feed.recent()
            tickerSeq = feed.lastSeq
            fresh = ticker
            // What the orders sink said last (a served shift's snapshot starts here).
            if let sink = ticker.last(where: { $0.event.ordersSinkStatus != nil })?.event.ordersSinkStatus {
                ordersDown = sink.up ? nil : (sink.reason ?? sink.sink)
            }
            return
        }
        for envelope in feed.envelopes(after: tickerSeq) {
            tickerSeq = envelope.seq
            fresh.append(envelope)
            if let point = priorityOne.newPriorityOne(envelope.event, state: state) {
                let (w, h) = backend.size()
                let context = ConsoleContext(map: feed.map, state: state, width: w, height: h, ticker: ticker)
                ConsoleController.follow(newPriorityOneAt: point, ui: &ui, context: context)
            }
            if let sink = envelope.event.ordersSinkStatus { ordersDown = sink.up ? nil : (sink.reason ?? sink.sink) }
            switch envelope.event {
            case .unitPosition, .clockTick: continue
            default: ticker.append(envelope)
            }
        }
        if ticker.count > tickerLimit { ticker.removeFirst(ticker.count - tickerLimit) }
    }

    private func draw(now: Date, blink: Bool) {
        refreshTicker()
        if desk.takeBell(), bellOnPriorityOne { backend.bell() }
        if ui.summaryScroll == nil, overlayWasOpen, desk.summaryLines != nil { desk.closeSummary() }
        overlayWasOpen = ui.summaryScroll != nil
        let selectionChanged = ui.selection != lastSelection
        lastSelection = ui.selection
        // The camera picked with `v` belonged to the incident selected then: another
        // selection drops it (and its "in view now" list); selecting a camera picks that one.
        if selectionChanged {
            ui.pickedCamera = nil
            ui.detailsScroll = 0
        }
        let (w, h) = backend.size()
        var grid = Grid(width: w, height: h)
        var state = feed.state
        ui.speed = feed.speed
        ui.paused = feed.isPaused
        if desk.observer { state = state.masked(desk.mask) }
        // Panel data is worked out on the desk's queue; this frame shows the newest ready.
        desk.requestExtras(state: state, selection: ui.selection, pickedCamera: ui.pickedCamera,
                           selectionChanged: selectionChanged, now: now)
        let extras = desk.latestExtras
        var input = ConsoleFrameInput(map: feed.map, state: state, ui: ui, now: now,
                                      capabilities: backend.capabilities, blinkPhase: blink, ticker: ticker)
        input.language = language
        input.dispatch = extras.dispatch
        input.alerts = extras.alerts
        input.cameraCone = extras.cone
        input.cameraInView = extras.inView
        input.summaryLines = ui.summaryScroll == nil ? nil : (desk.summaryLines ?? [language.t("overlay.preparing")])
        input.summaryTitle = desk.summaryLines == nil ? language.t("overlay.summary") : desk.summaryTitle
        input.observer = desk.observer
        if let line = ui.commandLine, feed.mode != .replay { input.commandHints = CommandParser.hints(for: line, in: language) }
        if ui.focus == .map { input.roadAtCentre = roadAtCentre(width: w, height: h) }
        input.autoCommander = feed.autoDispatch ?? desk.virtual?.isOn ?? false
        input.attached = feed.attached
        input.ordersDown = ordersDown
        input.timeline = feed.timeline
        input.headerNote = feed.headerNote
        if !backend.capabilities.unicode { romanize(&input) }
        ConsoleRenderer.render(input, into: &grid, cache: cache)
        grid.settleBlanks(showsOnBlank: backend.showsOnBlank)
        backend.draw(grid.diff(from: previous))
        previous = grid
    }

    private var centreRoad: (centre: Point, text: String?)?
    private var asciiMap: PrecinctMap?

    /// An ASCII-only terminal: every name in the frame romanized (the map's own romanized
    /// names where it has them, else a transliteration), never `????`.
    private func romanize(_ input: inout ConsoleFrameInput) {
        if asciiMap?.key != feed.map.key { asciiMap = feed.map.romanized() }
        input.map = asciiMap ?? feed.map
        input.state = input.state.romanized()
        input.ticker = input.ticker.map { e in
            guard case .incidentReported(var r) = e.event else { return e }
            r.place = Romanizer.ascii(r.place)
            r.summary = Romanizer.ascii(r.summary)
            var out = e
            out.event = .incidentReported(r)
            return out
        }
        if var d = input.dispatch {
            d.plan = Romanizer.ascii(d.plan)
            d.background = d.background.map(Romanizer.ascii)
            d.orderLines = d.orderLines.map(Romanizer.ascii)
            for k in d.cameras.indices { d.cameras[k].name = Romanizer.ascii(d.cameras[k].name) }
            input.dispatch = d
        }
        input.cameraInView = input.cameraInView.map(Romanizer.ascii)
        input.summaryLines = input.summaryLines?.map(Romanizer.ascii)
        input.summaryTitle = Romanizer.ascii(input.summaryTitle)
        input.ui.message = input.ui.message.map(Romanizer.ascii)
        input.headerNote = input.headerNote.map(Romanizer.ascii)
        input.roadAtCentre = input.roadAtCentre.map(Romanizer.ascii)
        if case .intakeForm = input.ui.overlay {} else { input.commandHints = input.commandHints.map(Romanizer.ascii) }
    }

    /// The road nearest the map's centre (within three columns): street and segment id.
    private func roadAtCentre(width: Int, height: Int) -> String? {
        let context = ConsoleContext(map: feed.map, state: feed.state, width: width, height: height)
        let vp = ConsoleController.currentViewport(ui, context)
        if let c = centreRoad, c.centre == vp.centre { return c.text }
        let map = feed.map
        var best: (index: Int, distance: Double)?
        for i in map.segments.indices {
            let d = Polyline.project(vp.centre, onto: map.polyline(ofSegment: i)).distance
            if d < (best?.distance ?? .infinity) { best = (i, d) }
        }
        var text: String?
        if let best, best.distance <= 3 * vp.metresPerColumn {
            let s = map.segments[best.index]
            let unicode = backend.capabilities.unicode
            let name = unicode ? map.streetLabel(s.street)
                : s.street.flatMap { map.streets[$0].roman } ?? (s.street == nil ? "unnamed road" : map.streets[s.street ?? 0].name)
            text = name + " · " + s.key
        }
        centreRoad = (vp.centre, text)
        return text
    }

    /// A command from a key, the intake form or the `:` line: answered by the feed, or
    /// executed on the desk's queue and applied by `apply` when done.
    private func perform(_ command: Command) {
        var selected: IncidentID?
        if case .incident(let id) = ui.selection { selected = id }
        if let reply = feed.intercept(command) {
            pendingForm = nil
            show(reply)
            return
        }
        ui.message = language.t("console.working", command.verb)
        desk.submit(command, state: feed.state, now: feed.now(), selected: selected)
    }

    /// A feed's answer on the bottom bar; its selection selected and centred.
    private func show(_ reply: FeedReply) {
        ui.message = Sanitizer.inert(reply.text(language))
        ui.speed = feed.speed
        ui.paused = feed.isPaused
        guard let selection = reply.select else { return }
        ui.selection = selection
        if case .incident(let id) = selection, let point = feed.state.incidents[id]?.point {
            ui.viewport = ui.viewport?.centred(on: point)
        }
    }

    private func apply(_ outcome: DeskWorker.Outcome) {
        let result = outcome.result
        ui.message = Sanitizer.inert(result.message)
        if let selection = result.select { ui.selection = selection }
        if let point = result.goto {
            ui.viewport = (ui.viewport ?? MapViewport(centre: point, metresPerColumn: 10)).centred(on: point)
        }
        if let speed = result.speed {
            feed.speed = speed
            ui.speed = feed.speed
        }
        if let pause = result.pause {
            if pause { feed.pause() } else { feed.resume() }
            ui.paused = feed.isPaused
        }
        if desk.summaryLines != nil, ui.summaryScroll == nil, outcome.command.opensOverlay {
            ui.summaryScroll = 0
        }
        // A refused intake keeps what was typed: the form opens again with the reason.
        if case .new = outcome.command, let form = pendingForm {
            pendingForm = nil
            if result.failed, ui.overlay == .none {
                var reopened = form
                reopened.error = ui.message
                ui.overlay = .intakeForm(reopened)
            }
        }
    }
}

/// Lets the desk's queue hand events and commands to the feed (its `publish` and `execute`
/// are safe from any thread: the live bus locks, a replay drops them, a served shift's
/// client locks).
private final class PublishBox: @unchecked Sendable {
    private let feed: ConsoleFeed
    init(_ feed: ConsoleFeed) { self.feed = feed }
    func publish(_ event: Event) { feed.publish(event) }
    func execute(_ command: Command, selected: IncidentID?) -> DispatchDesk.Result? { feed.execute(command, selected: selected) }
}

extension PrecinctState {
    /// The state with callers' names and phone numbers, unit names and crews masked by
    /// `mask` (observer mode).
    public func masked(_ mask: (String) -> String) -> PrecinctState {
        var s = self
        for (id, var unit) in s.units {
            unit.name = unit.name.map(mask)
            unit.crew = unit.crew.map(mask)
            s.units[id] = unit
        }
        for (id, var incident) in s.incidents {
            incident.callerName = incident.callerName.map(mask)
            incident.callerPhone = incident.callerPhone.map(mask)
            s.incidents[id] = incident
        }
        return s
    }
}

extension Command {
    /// Whether the command's answer is lines for the overlay (the summary, help, a lookup,
    /// the report, a recommendation, a route).
    fileprivate var opensOverlay: Bool {
        switch self {
        case .summary, .help, .lookup, .report, .recommend, .route: return true
        default: return false
        }
    }
}
