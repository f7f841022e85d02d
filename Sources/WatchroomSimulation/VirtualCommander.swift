import Foundation
import WatchroomCore

/// The virtual commander's switch: whether it dispatches, which calls the (human)
/// commander has touched, and the desk that turns its decisions into events.
///
/// It hands over (docs/dispatch.md): it only dispatches calls the commander has not
/// touched, and it goes off for good once the commander dispatches, reinforces or closes
/// anything; `:auto on` switches it on again. Its decisions go through ``desk`` — the
/// same executor as the commander's `dispatch` and `reinforce`, so they follow the
/// response plan and issue the same order sheets. Safe from any thread.
public final class VirtualCommander: @unchecked Sendable {
    /// What the virtual commander decided.
    public enum Decision: Hashable, Sendable {
        /// The one-key dispatch of a call nobody has been sent to.
        case dispatch(IncidentID)
        /// `count` more units to an incident it dispatched.
        case reinforce(IncidentID, count: Int)
    }

    /// Why it is off, for the status line.
    public enum Reason: Hashable, Sendable {
        case switchedOff
        case handedOver(String)
    }

    private let lock = NSLock()
    private var on: Bool
    private var reason: Reason?
    private var touched: Set<IncidentID> = []

    /// Runs a decision as the commander's desk would at a time, on a state: the events to
    /// publish (`dispatch`, then `order.issued` per unit), or none when it cannot.
    /// `nil`: the simulator emits a bare `dispatch` (tests of the simulator alone).
    public var desk: ((Decision, PrecinctState, Date) -> [Event])? {
        get { lock.withLock { _desk } }
        set { lock.withLock { _desk = newValue } }
    }
    private var _desk: ((Decision, PrecinctState, Date) -> [Event])?

    public init(on: Bool) {
        self.on = on
        reason = on ? nil : .switchedOff
    }

    /// Whether it dispatches now (AUTO in the status bar).
    public var isOn: Bool { lock.withLock { on } }

    /// Why it is off (`nil` when on).
    public var offReason: Reason? { lock.withLock { on ? nil : reason } }

    /// `:auto on|off`.
    public func set(on value: Bool) {
        lock.withLock {
            on = value
            reason = value ? nil : .switchedOff
        }
    }

    /// Whether it may act on `incident`: it is on and the commander has not touched the call.
    public func mayAct(on incident: IncidentID) -> Bool {
        lock.withLock { on && !touched.contains(incident) }
    }

    /// The commander's own events: every incident they name is theirs from now on, and a
    /// dispatch (or reinforcement) or a close hands over for good. Returns `true` when
    /// this switched the virtual commander off.
    @discardableResult
    public func commanderPublished(_ events: [Event]) -> Bool {
        lock.withLock {
            var handOver: String?
            for event in events {
                if let id = event.incidentID ?? event.orderSheet?.incident { touched.insert(id) }
                switch event {
                case .dispatch(let d): handOver = handOver ?? "you sent units to \(d.incident)"
                case .incidentClosed(let c): handOver = handOver ?? "you closed \(c.id)"
                default: break
                }
            }
            guard let handOver, on else { return false }
            on = false
            reason = .handedOver(handOver)
            return true
        }
    }
}
