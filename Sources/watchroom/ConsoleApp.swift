import Foundation
import Logging
import WatchroomCore
import WatchroomEngine
import WatchroomRouting
import WatchroomSimulation
import WatchroomTerminal
import WatchroomUI

extension ShiftSimulator: ShiftSource {}

/// The console's loop: keys in, frames out. It owns the terminal and a view of the live
/// shift; the shift itself (bus, routing, simulation) runs on its own queues.
final class ConsoleApp {
    struct Options {
        var frameMilliseconds = 100
        /// Least time between two frames drawn only because the shift changed.
        var minimumFrameGapMilliseconds = 250
    }

    private let shift: LiveShift
    private let backend: CursesBackend
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
    private var tickerSeq: UInt64 = 0
    private let tickerLimit = 200

    init(shift: LiveShift, backend: CursesBackend, desk: DispatchDesk, speed: Double, bell: Bool,
         options: Options = Options()) {
        self.shift = shift
        self.backend = backend
        let shift = shift
        self.desk = DeskWorker(desk: desk) { shift.publish($0) }
        self.options = options
        bellOnPriorityOne = bell
        ui = ConsoleUIState(mode: shift.mode, speed: speed)
    }

    /// Runs until the commander quits or a signal arrives; returns the signal, if any.
    func run() -> Int32? {
        var lastFrame = Date.distantPast
        var lastSecond = -1
        var lastBlink = true
        var lastSeq: UInt64 = .max
        var dirty = true
        while true {
            if let signal = backend.pendingSignal() {
                logger.info("signal \(signal): leaving")
                return signal
            }
            if let key = backend.readKey(timeoutMilliseconds: options.frameMilliseconds) {
                let (w, h) = backend.size()
                var context = ConsoleContext(map: shift.map, state: shift.bus.state, width: w, height: h, ticker: ticker)
                context.summaryLineCount = desk.summaryLines?.count ?? 0
                if case .incident = ui.selection { context.dispatch = desk.latestExtras.dispatch }
                let formBefore = ui.intakeForm
                switch ConsoleController.handle(key, ui: &ui, context: context) {
                case .quit:
                    logger.info("quit by the commander")
                    return nil
                case .redraw:
                    backend.invalidate()
                    previous = nil
                case .command(let text):
                    pendingForm = formBefore
                    perform(command: text)
                case .bell:
                    backend.bell()
                case .none:
                    break
                }
                dirty = true
            }
            for outcome in desk.takeOutcomes() {
                apply(outcome)
                dirty = true
            }
            if desk.takeChanged() { dirty = true }
            let now = shift.clock.now()
            let second = Int(now.timeIntervalSince1970.rounded(.down))
            let blink = backend.capabilities.blink || (Int(Date().timeIntervalSince1970 * 2) % 2 == 0)
            let seq = shift.bus.lastSeq
            let gapOK = Date().timeIntervalSince(lastFrame) * 1000 >= Double(options.minimumFrameGapMilliseconds)
            if dirty || second != lastSecond || blink != lastBlink || (seq != lastSeq && gapOK) {
                draw(now: now, blink: blink)
                lastFrame = Date()
                lastSecond = second
                lastBlink = blink
                lastSeq = seq
                dirty = false
            }
        }
    }

    private func refreshTicker() {
        let state = shift.bus.state
        var fresh: [EventEnvelope] = []
        defer { desk.ingest(fresh, state: state) }
        for envelope in shift.bus.envelopes(after: tickerSeq) {
            tickerSeq = envelope.seq
            fresh.append(envelope)
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
        if ui.summaryScroll == nil, desk.summaryLines != nil { desk.closeSummary() }
        let selectionChanged = ui.selection != lastSelection
        lastSelection = ui.selection
        let (w, h) = backend.size()
        var grid = Grid(width: w, height: h)
        var state = shift.bus.state
        if desk.observer { state = Self.masked(state, desk.mask) }
        // Panel data is worked out on the desk's queue; this frame shows the newest ready.
        desk.requestExtras(state: state, selection: ui.selection, pickedCamera: ui.pickedCamera,
                           selectionChanged: selectionChanged, now: now)
        let extras = desk.latestExtras
        var input = ConsoleFrameInput(map: shift.map, state: state, ui: ui, now: now,
                                      capabilities: backend.capabilities, blinkPhase: blink, ticker: ticker)
        input.dispatch = extras.dispatch
        input.alerts = extras.alerts
        input.cameraCone = extras.cone
        input.cameraInView = extras.inView
        input.summaryLines = ui.summaryScroll == nil ? nil : (desk.summaryLines ?? ["Shift summary is being prepared."])
        input.observer = desk.observer
        ConsoleRenderer.render(input, into: &grid, cache: cache)
        backend.draw(grid.diff(from: previous))
        previous = grid
    }

    /// Commands from the `:` line that the UI leaves to the application: executed on the
    /// desk's queue, applied by `apply` when done.
    private func perform(command text: String) {
        var selected: IncidentID?
        if case .incident(let id) = ui.selection { selected = id }
        ui.message = "Working: \(Sanitizer.inert(text))"
        desk.submit(text, state: shift.bus.state, now: shift.clock.now(), selected: selected)
    }

    private func apply(_ outcome: DeskWorker.Outcome) {
        let result = outcome.result
        let text = outcome.command.lowercased()
        ui.message = Sanitizer.inert(result.message)
        if let selection = result.select { ui.selection = selection }
        if let point = result.goto {
            ui.viewport = (ui.viewport ?? MapViewport(centre: point, metresPerColumn: 10)).centred(on: point)
        }
        if let speed = result.speed {
            shift.clock.speed = speed
            ui.speed = speed
        }
        if let pause = result.pause {
            if pause { shift.clock.pause() } else { shift.clock.resume() }
        }
        if desk.summaryLines != nil, ui.summaryScroll == nil,
           text.hasPrefix("summary") || text.hasPrefix("help") || text.hasPrefix("lookup") {
            ui.summaryScroll = 0
        }
        // A refused intake keeps what was typed: the form opens again with the reason.
        if text.hasPrefix("new "), let form = pendingForm {
            pendingForm = nil
            if result.failed, ui.overlay == .none {
                var reopened = form
                reopened.error = ui.message
                ui.overlay = .intakeForm(reopened)
            }
        }
    }

    /// The state with callers' names and phone numbers masked (observer mode).
    static func masked(_ state: PrecinctState, _ mask: (String) -> String) -> PrecinctState {
        var s = state
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
