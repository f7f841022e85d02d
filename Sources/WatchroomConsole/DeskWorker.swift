import Dispatch
import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomSimulation
import WatchroomUI

/// Runs the dispatch desk (command execution with its routing, records lookups on disk,
/// order sheets) on its own serial queue, so the console's loop never waits for them: it
/// submits work and picks up results on a later turn.
public final class DeskWorker: @unchecked Sendable {
    public struct Outcome {
        public var command: Command
        public var result: DispatchDesk.Result
    }

    private let desk: DispatchDesk
    private let queue = DispatchQueue(label: "watchroom.desk")
    private let lock = NSLock()
    private let publish: @Sendable (Event) -> Void
    private let remote: (@Sendable (Command, IncidentID?) -> DispatchDesk.Result?)?
    private var outcomes: [Outcome] = []
    private var extras = DispatchDesk.Extras()
    private var summary: [String]?
    private var title = ""
    private var bell = false
    private var changed = false
    private var extrasPending = false

    public let observer: Bool
    public let mask: (String) -> String
    /// The virtual commander, if any (its switch is safe from any thread).
    public let virtual: VirtualCommander?

    /// - Parameter remote: runs a command where the shift is served (its result), or
    ///   returns `nil` to run it on this desk.
    public init(desk: DispatchDesk, publish: @escaping @Sendable (Event) -> Void,
                remote: (@Sendable (Command, IncidentID?) -> DispatchDesk.Result?)? = nil) {
        self.desk = desk
        self.publish = publish
        self.remote = remote
        observer = desk.observer
        mask = desk.mask
        virtual = desk.virtual
    }

    /// Executes a command off the loop; its outcome comes back through `takeOutcomes`.
    public func submit(_ command: Command, state: PrecinctState, now: Date, selected: IncidentID?) {
        queue.async { [self] in
            var result: DispatchDesk.Result
            if let answer = remote?(command, selected) {
                // Run where the shift is served: its events come back as everyone's do.
                result = answer
                desk.closeOverlay()
                if let overlay = answer.overlay { desk.show(lines: overlay.lines, title: overlay.title) }
            } else {
                result = desk.execute(command, state: state, now: now, selected: selected)
            }
            for event in result.events { publish(event) }
            if !result.events.isEmpty, let durable = desk.durable {
                do {
                    try durable()
                } catch {
                    result.message = desk.language.t("desk.notRecorded", "\(error)") + result.message
                }
            }
            let lines = desk.summaryLines
            let overlayTitle = desk.summaryTitle
            lock.withLock {
                outcomes.append(Outcome(command: command, result: result))
                summary = lines
                title = overlayTitle
                changed = true
            }
        }
    }

    /// The virtual commander's decision run by the desk, waiting for it (called from the
    /// shift's queue; the desk never waits for that queue).
    public func auto(_ decision: VirtualCommander.Decision, state: PrecinctState, now: Date) -> [Event] {
        queue.sync { desk.auto(decision, state: state, now: now) }
    }

    /// Lets the desk see new events (orders for dispatches made elsewhere, new P1 calls).
    public func ingest(_ envelopes: [EventEnvelope], state: PrecinctState) {
        guard !envelopes.isEmpty else { return }
        queue.async { [self] in
            for envelope in envelopes {
                for reply in desk.ingest(envelope, state: state) { publish(reply) }
            }
            if desk.newPriorityOne {
                desk.newPriorityOne = false
                lock.withLock { bell = true }
            }
        }
    }

    /// Asks for fresh panel data; the newest finished answer is in `latestExtras`.
    public func requestExtras(state: PrecinctState, selection: ConsoleUIState.Selection, pickedCamera: CameraID?,
                       selectionChanged: Bool, now: Date) {
        let skip = lock.withLock { () -> Bool in
            if extrasPending { return true }
            extrasPending = true
            return false
        }
        if skip { return }
        queue.async { [self] in
            if selectionChanged { desk.clearCamera() }
            if case .camera(let id) = selection { desk.pick(camera: id) }
            desk.pick(camera: pickedCamera)
            let fresh = desk.extras(state: state, selection: selection, now: now)
            lock.withLock {
                if fresh.dispatch != extras.dispatch || fresh.alerts != extras.alerts || fresh.cone != extras.cone
                    || fresh.inView != extras.inView { changed = true }
                extras = fresh
                extrasPending = false
            }
        }
    }

    public func closeSummary() {
        lock.withLock { summary = nil }
        queue.async { [self] in desk.closeOverlay() }
    }

    public var latestExtras: DispatchDesk.Extras { lock.withLock { extras } }
    public var summaryLines: [String]? { lock.withLock { summary } }
    /// What the overlay of ``summaryLines`` shows (its title).
    public var summaryTitle: String { lock.withLock { title } }

    public func takeOutcomes() -> [Outcome] {
        lock.withLock {
            defer { outcomes.removeAll() }
            return outcomes
        }
    }

    /// Whether something arrived that the screen should show; clears the flag.
    public func takeChanged() -> Bool { lock.withLock { defer { changed = false }; return changed } }

    /// Whether a new priority-1 call came in; clears the flag.
    public func takeBell() -> Bool { lock.withLock { defer { bell = false }; return bell } }

    /// Waits for queued work (shutdown, tests).
    public func drain() { queue.sync {} }
}
