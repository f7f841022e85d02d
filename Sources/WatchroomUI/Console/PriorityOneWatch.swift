import WatchroomCore

/// Tells when an incident becomes a priority-1 call for the first time: reported as P1,
/// or raised to P1 later by an `incident.updated`. The map follows it and the bell rings
/// once per incident, however it became P1.
public struct PriorityOneWatch: Sendable {
    private var seen: Set<IncidentID> = []

    public init() {}

    /// Where the new P1 is when `event` makes one, else `nil`. `state` is the state after
    /// the event (an update that only changes the priority carries no point).
    public mutating func newPriorityOne(_ event: Event, state: PrecinctState) -> Point? {
        switch event {
        case .incidentReported(let r):
            guard r.priority <= 1, seen.insert(r.id).inserted else { return nil }
            return r.point
        case .incidentUpdated(let u):
            guard let p = u.priority, p <= 1 else { return nil }
            let record = state.incidents[u.id]
            guard record?.isOpen ?? true, seen.insert(u.id).inserted else { return nil }
            return u.point ?? record?.point
        default:
            return nil
        }
    }
}
