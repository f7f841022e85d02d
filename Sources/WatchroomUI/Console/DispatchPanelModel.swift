import Foundation
import WatchroomCore

/// What the details panel shows about dispatch for the selected incident. The application
/// computes it from the engine and passes it in ``ConsoleFrameInput/dispatch``; the console
/// only draws it.
public struct DispatchPanelModel: Sendable, Hashable {
    /// Ranked available units, fastest first.
    public var recommendation: [RecommendationRow]
    /// Every unit assigned to the incident, with its status and ETA.
    public var assigned: [AssignedRow]
    /// Seconds since the call.
    public var sinceCall: TimeInterval
    /// Seconds since the first dispatch, `nil` while nobody is dispatched.
    public var sinceDispatch: TimeInterval?
    /// An overdue threshold, if one is passed.
    public var alert: AlertLevel?
    /// The response plan, e.g. `2 units, 1 car (weapon)`.
    public var plan: String
    /// Warnings first (`⚠ knife involved, 2025-03`), then residents and past incidents.
    /// Lines starting with `⚠` or `!` are drawn as warnings.
    public var background: [String]
    /// Cameras that see the scene first, then the nearest others.
    public var cameras: [CameraRow]
    /// The latest dispatch order text for the selection, if any.
    public var orderLines: [String]
    /// How far the scene lies from the nearest road any unit may use (metres), when known.
    public var sceneOffRoadMeters: Double?

    public init(recommendation: [RecommendationRow] = [], assigned: [AssignedRow] = [],
                sinceCall: TimeInterval = 0, sinceDispatch: TimeInterval? = nil, alert: AlertLevel? = nil,
                plan: String = "", background: [String] = [], cameras: [CameraRow] = [], orderLines: [String] = [],
                sceneOffRoadMeters: Double? = nil) {
        self.recommendation = recommendation
        self.assigned = assigned
        self.sinceCall = sinceCall
        self.sinceDispatch = sinceDispatch
        self.alert = alert
        self.plan = plan
        self.background = background
        self.cameras = cameras
        self.orderLines = orderLines
        self.sceneOffRoadMeters = sceneOffRoadMeters
    }
}

/// One ranked available unit.
public struct RecommendationRow: Sendable, Hashable {
    public var unit: UnitID
    public var callsign: String
    public var kind: UnitKind
    /// Travel time on the road graph with current traffic.
    public var etaSeconds: Double
    /// Road distance.
    public var meters: Double
    /// Straight-line distance.
    public var straightLineMeters: Double
    /// The unit nearest as the crow flies (flagged when it is not also the first row).
    public var isCrowNearest: Bool
    /// The part of `meters` off the road (the unit's and the scene's straight legs).
    public var offRoadMeters: Double

    public init(unit: UnitID, callsign: String, kind: UnitKind, etaSeconds: Double, meters: Double,
                straightLineMeters: Double, isCrowNearest: Bool = false, offRoadMeters: Double = 0) {
        self.unit = unit
        self.callsign = callsign
        self.kind = kind
        self.etaSeconds = etaSeconds
        self.meters = meters
        self.straightLineMeters = straightLineMeters
        self.isCrowNearest = isCrowNearest
        self.offRoadMeters = offRoadMeters
    }
}

/// One unit assigned to the incident.
public struct AssignedRow: Sendable, Hashable {
    public var unit: UnitID
    public var callsign: String
    public var status: UnitStatus
    /// Seconds to arrival; `nil` on scene or unknown.
    public var etaSeconds: Double?

    public init(unit: UnitID, callsign: String, status: UnitStatus, etaSeconds: Double? = nil) {
        self.unit = unit
        self.callsign = callsign
        self.status = status
        self.etaSeconds = etaSeconds
    }
}

/// One camera near the incident.
public struct CameraRow: Sendable, Hashable {
    public var camera: CameraID
    public var name: String
    /// The incident is inside the camera's field of view and range.
    public var sees: Bool
    public var meters: Double
    public var online: Bool

    public init(camera: CameraID, name: String, sees: Bool, meters: Double, online: Bool = true) {
        self.camera = camera
        self.name = name
        self.sees = sees
        self.meters = meters
        self.online = online
    }
}

/// An overdue incident.
public enum AlertLevel: Sendable, Hashable {
    /// Not dispatched within the priority's threshold.
    case notDispatched(overdueBy: TimeInterval)
    /// Dispatched but nobody on scene within the threshold.
    case notOnScene(overdueBy: TimeInterval)

    /// `not dispatched, 0:45 overdue`
    public var text: String { text(.english) }

    /// The same in `language`.
    public func text(_ language: InterfaceLanguage) -> String {
        switch self {
        case .notDispatched(let s): return language.t("alert.notDispatched", DurationText.clock(Swift.max(0, s)))
        case .notOnScene(let s): return language.t("alert.notOnScene", DurationText.clock(Swift.max(0, s)))
        }
    }
}
