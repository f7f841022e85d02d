import Foundation

/// Everything that can happen in a shift. One case per kind, each with a typed payload.
///
/// `unknown` carries an event type written by a newer version through untouched:
/// its `json` is the line's `data` object (canonical JSON, keys sorted).
public enum Event: Hashable, Sendable {
    case shiftStarted(ShiftStarted)
    case clockTick(ClockTick)
    case incidentReported(IncidentReported)
    case incidentUpdated(IncidentUpdated)
    case incidentClosed(IncidentClosed)
    case unitRegistered(UnitRegistered)
    case unitPosition(UnitPosition)
    case unitStatus(UnitStatusChange)
    case dispatch(DispatchOrder)
    case routeAssigned(RouteAssigned)
    case unitsRecommended(UnitsRecommended)
    case unitArrived(UnitArrived)
    case cameraStatus(CameraStatus)
    case trafficChanged(TrafficChanged)
    case unknown(type: String, json: String)

    /// The type name on the wire, e.g. `incident.reported`.
    public var type: String {
        switch self {
        case .shiftStarted: return EventType.shiftStarted
        case .clockTick: return EventType.clockTick
        case .incidentReported: return EventType.incidentReported
        case .incidentUpdated: return EventType.incidentUpdated
        case .incidentClosed: return EventType.incidentClosed
        case .unitRegistered: return EventType.unitRegistered
        case .unitPosition: return EventType.unitPosition
        case .unitStatus: return EventType.unitStatus
        case .dispatch: return EventType.dispatch
        case .routeAssigned: return EventType.routeAssigned
        case .unitsRecommended: return EventType.unitsRecommended
        case .unitArrived: return EventType.unitArrived
        case .cameraStatus: return EventType.cameraStatus
        case .trafficChanged: return EventType.trafficChanged
        case .unknown(let type, _): return type
        }
    }

    /// The incident the event concerns, if any.
    public var incidentID: IncidentID? {
        switch self {
        case .incidentReported(let p): return p.id
        case .incidentUpdated(let p): return p.id
        case .incidentClosed(let p): return p.id
        case .unitStatus(let p): return p.incident
        case .dispatch(let p): return p.incident
        case .routeAssigned(let p): return p.incident
        case .unitsRecommended(let p): return p.incident
        case .unitArrived(let p): return p.incident
        default: return nil
        }
    }

    /// The units the event concerns (dispatched units for `dispatch`; none for a ranking).
    public var unitIDs: [UnitID] {
        switch self {
        case .unitRegistered(let p): return [p.id]
        case .unitPosition(let p): return [p.unit]
        case .unitStatus(let p): return [p.unit]
        case .dispatch(let p): return p.units
        case .routeAssigned(let p): return [p.unit]
        case .unitArrived(let p): return [p.unit]
        default: return []
        }
    }
}

/// The wire names of the event types this build knows.
public enum EventType {
    public static let shiftStarted = "shift.started"
    public static let clockTick = "clock.tick"
    public static let incidentReported = "incident.reported"
    public static let incidentUpdated = "incident.updated"
    public static let incidentClosed = "incident.closed"
    public static let unitRegistered = "unit.registered"
    public static let unitPosition = "unit.position"
    public static let unitStatus = "unit.status"
    public static let dispatch = "dispatch"
    public static let routeAssigned = "route.assigned"
    public static let unitsRecommended = "units.recommended"
    public static let unitArrived = "unit.arrived"
    public static let cameraStatus = "camera.status"
    public static let trafficChanged = "traffic.changed"

    /// Every known type, in the order docs/events.md lists them.
    public static let all: [String] = [
        shiftStarted, clockTick, incidentReported, incidentUpdated, incidentClosed, unitRegistered, unitPosition,
        unitStatus, dispatch, routeAssigned, unitsRecommended, unitArrived, cameraStatus, trafficChanged,
    ]
}

/// An event as it happened: its place in the shift's sequence and its instant.
///
/// Sequence numbers start at 1 and increase by one per event published on a bus;
/// a recording keeps them, so replay reproduces them exactly.
public struct EventEnvelope: Hashable, Sendable {
    public var seq: UInt64
    public var time: Date
    public var event: Event

    public init(seq: UInt64, time: Date, event: Event) {
        self.seq = seq
        self.time = time
        self.event = event
    }
}
