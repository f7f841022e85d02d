import Foundation
import WatchroomCore

/// Time limits per priority: how long an open incident may wait for a dispatch and for
/// the first unit on scene before it is flagged.
public struct AlertPolicy: Hashable, Sendable {
    public struct Limits: Hashable, Sendable {
        /// Seconds from the call to the first dispatch.
        public var dispatchWithin: TimeInterval
        /// Seconds from the call to the first unit on scene.
        public var onSceneWithin: TimeInterval

        public init(dispatchWithin: TimeInterval, onSceneWithin: TimeInterval) {
            self.dispatchWithin = dispatchWithin
            self.onSceneWithin = onSceneWithin
        }
    }

    /// Limits for priorities 1, 2 and 3.
    public var p1: Limits
    public var p2: Limits
    public var p3: Limits

    public init(p1: Limits, p2: Limits, p3: Limits) {
        self.p1 = p1
        self.p2 = p2
        self.p3 = p3
    }

    /// P1: dispatched within 60 s, on scene within 8 min; P2: 3 min and 15 min; P3: 10 min and 30 min.
    public static let standard = AlertPolicy(
        p1: Limits(dispatchWithin: 60, onSceneWithin: 8 * 60),
        p2: Limits(dispatchWithin: 3 * 60, onSceneWithin: 15 * 60),
        p3: Limits(dispatchWithin: 10 * 60, onSceneWithin: 30 * 60))

    public func limits(priority: Int) -> Limits {
        switch priority {
        case ...1: return p1
        case 2: return p2
        default: return p3
        }
    }
}

/// An open incident past one of its limits.
public struct IncidentAlert: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        case notDispatched, notOnScene
    }

    public var incident: IncidentID
    public var priority: Int
    public var kind: Kind
    /// Seconds past the limit.
    public var overdueBy: TimeInterval

    public init(incident: IncidentID, priority: Int, kind: Kind, overdueBy: TimeInterval) {
        self.incident = incident
        self.priority = priority
        self.kind = kind
        self.overdueBy = overdueBy
    }
}

/// The clocks of one open incident.
public struct IncidentTimers: Hashable, Sendable {
    public var incident: IncidentID
    /// Seconds since the call.
    public var sinceCall: TimeInterval
    /// Seconds since the first dispatch, once dispatched.
    public var sinceDispatch: TimeInterval?
    /// Seconds from the call to the first arrival, once someone arrived (stops counting).
    public var callToArrival: TimeInterval?

    public init(incident: IncidentID, sinceCall: TimeInterval, sinceDispatch: TimeInterval?, callToArrival: TimeInterval?) {
        self.incident = incident
        self.sinceCall = sinceCall
        self.sinceDispatch = sinceDispatch
        self.callToArrival = callToArrival
    }
}

public enum Alerts {
    /// Alerts for every open incident at `now`: not dispatched past its limit, or dispatched
    /// but nobody on scene past its limit. Most urgent first (priority, then longest overdue).
    public static func evaluate(state: PrecinctState, now: Date, policy: AlertPolicy = .standard) -> [IncidentAlert] {
        var out: [IncidentAlert] = []
        for inc in state.openIncidents {
            let limits = policy.limits(priority: inc.priority)
            let since = now.timeIntervalSince(inc.reportedAt)
            if inc.dispatchedAt == nil {
                if since > limits.dispatchWithin {
                    out.append(IncidentAlert(incident: inc.id, priority: inc.priority, kind: .notDispatched, overdueBy: since - limits.dispatchWithin))
                }
            } else if inc.arrivedAt == nil, since > limits.onSceneWithin {
                out.append(IncidentAlert(incident: inc.id, priority: inc.priority, kind: .notOnScene, overdueBy: since - limits.onSceneWithin))
            }
        }
        return out.sorted { ($0.priority, -$0.overdueBy, $0.incident) < ($1.priority, -$1.overdueBy, $1.incident) }
    }

    /// The timers of every open incident at `now`, in the order they were reported.
    public static func timers(state: PrecinctState, now: Date) -> [IncidentTimers] {
        state.openIncidents.map { timers(for: $0, now: now) }
    }

    public static func timers(for inc: IncidentRecord, now: Date) -> IncidentTimers {
        IncidentTimers(incident: inc.id, sinceCall: now.timeIntervalSince(inc.reportedAt),
                       sinceDispatch: inc.dispatchedAt.map { now.timeIntervalSince($0) },
                       callToArrival: inc.responseSeconds)
    }
}
