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
    private let places: PlaceResolver
    private var ui: ConsoleUIState
    private let cache = MapRasterCache()
    private var previous: Grid?
    private var ticker: [EventEnvelope] = []
    private var tickerSeq: UInt64 = 0
    private let tickerLimit = 200

    init(shift: LiveShift, backend: CursesBackend, speed: Double, options: Options = Options()) {
        self.shift = shift
        self.backend = backend
        self.options = options
        places = PlaceResolver(map: shift.map, profile: .car)
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
                let context = ConsoleContext(map: shift.map, state: shift.bus.state, width: w, height: h, ticker: ticker)
                switch ConsoleController.handle(key, ui: &ui, context: context) {
                case .quit:
                    logger.info("quit by the commander")
                    return nil
                case .redraw:
                    backend.invalidate()
                    previous = nil
                case .command(let text):
                    perform(command: text)
                case .bell:
                    backend.bell()
                case .none:
                    break
                }
                dirty = true
            }
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
        for envelope in shift.bus.envelopes(after: tickerSeq) {
            tickerSeq = envelope.seq
            switch envelope.event {
            case .unitPosition, .clockTick: continue
            default: ticker.append(envelope)
            }
        }
        if ticker.count > tickerLimit { ticker.removeFirst(ticker.count - tickerLimit) }
    }

    private func draw(now: Date, blink: Bool) {
        refreshTicker()
        let (w, h) = backend.size()
        var grid = Grid(width: w, height: h)
        let input = ConsoleFrameInput(map: shift.map, state: shift.bus.state, ui: ui, now: now,
                                      capabilities: backend.capabilities, blinkPhase: blink, ticker: ticker)
        ConsoleRenderer.render(input, into: &grid, cache: cache)
        backend.draw(grid.diff(from: previous))
        previous = grid
    }

    /// Commands from the `:` line that the UI leaves to the application.
    private func perform(command text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let (verb, rest) = trimmed.firstIndex(of: " ").map {
            (String(trimmed[..<$0]), String(trimmed[$0...]).trimmingCharacters(in: .whitespaces))
        } ?? (trimmed, "")
        switch verb.lowercased() {
        case "goto", "go":
            do {
                let place = try places.resolve(rest)
                ui.viewport = (ui.viewport ?? MapViewport(centre: place.point, metresPerColumn: 10)).centred(on: place.point)
                ui.message = "Centred on \(place.label)."
            } catch {
                ui.message = error.description
            }
        case "speed":
            if let factor = Double(rest), factor > 0, factor <= 1000 {
                shift.clock.speed = factor
                ui.speed = factor
                ui.message = "Speed \(factor.formatted())x."
            } else {
                ui.message = "Speed takes a factor from 0.1 to 1000, e.g. :speed 10"
            }
        case "pause":
            shift.clock.pause()
            ui.message = "Paused. :resume to go on."
        case "resume":
            shift.clock.resume()
            ui.message = "Running."
        default:
            ui.message = "Unknown command :\(Sanitizer.inert(verb)). Try :help"
        }
    }
}
