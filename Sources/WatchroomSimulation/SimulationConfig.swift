import Foundation
import WatchroomCore

/// How lively a simulated shift is: incident rates and the pace of the surroundings.
public enum SimulationProfile: String, CaseIterable, Sendable, Codable {
    /// For watching: the first call within seconds, then a call every few minutes, short
    /// on-scene times, frequent camera and traffic changes.
    case demo
    /// A quiet weekday night: a few calls an hour.
    case quiet
    /// A Friday night: calls keep coming.
    case busy

    /// Incidents reported per simulated hour (a Poisson process at this rate).
    public var incidentsPerHour: Double {
        switch self {
        case .demo: return 20
        case .quiet: return 2.5
        case .busy: return 8
        }
    }

    /// When the first incident is reported, in seconds after the start, or `nil` for
    /// "as the rate gives it".
    public var firstIncidentAfter: ClosedRange<Double>? {
        switch self {
        case .demo: return 3...6
        case .quiet, .busy: return nil
        }
    }

    /// Seconds at least between two calls (the rest of the gap is exponential, keeping
    /// the mean rate): a demo never goes quiet for long.
    public var minimumCallGap: Double {
        switch self {
        case .demo: return 60
        case .quiet, .busy: return 0
        }
    }

    /// Multiplier on realistic on-scene times (a demo does not keep units for 40 minutes).
    public var onSceneScale: Double {
        switch self {
        case .demo: return 0.35
        case .quiet, .busy: return 1
        }
    }

    /// Cameras going offline per hour (each comes back after a while).
    public var cameraOutagesPerHour: Double {
        switch self {
        case .demo: return 4
        case .quiet: return 0.5
        case .busy: return 1
        }
    }

    /// Traffic jams per hour (a factor 1.5-3 on one to three segments of a major street).
    public var jamsPerHour: Double {
        switch self {
        case .demo: return 6
        case .quiet: return 1
        case .busy: return 3
        }
    }

    /// Road closures per hour (one segment, reopened later).
    public var closuresPerHour: Double {
        switch self {
        case .demo: return 1
        case .quiet: return 0.1
        case .busy: return 0.3
        }
    }
}

/// A call that comes in at a fixed time of a simulated shift, at a fixed address: the
/// scenarios a training officer wants in every recording (the knife dispute of the brief).
public struct ScriptedCall: Hashable, Sendable {
    /// Seconds after the start of the shift.
    public var after: TimeInterval
    public var category: IncidentCategory
    public var priority: Int
    public var summary: String
    /// The street as the map names it (Chinese name, romanized name or key) and the house number.
    public var street: String
    public var number: String
    public var callerName: String?
    public var callerPhone: String
    public var weapon: Bool
    /// The virtual commander sends two more units once the first is on scene (weapon calls).
    public var reinforce: Bool

    public init(after: TimeInterval, category: IncidentCategory, priority: Int, summary: String, street: String,
                number: String, callerName: String?, callerPhone: String, weapon: Bool, reinforce: Bool) {
        self.after = after
        self.category = category
        self.priority = priority
        self.summary = summary
        self.street = street
        self.number = number
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.weapon = weapon
        self.reinforce = reinforce
    }

    /// The brief's example: a consumer dispute at 永平门街23号 turns into a woman threatening
    /// with a knife; the records hold a knife warning for the address (Fixtures/records).
    /// Fictional caller.
    public static func knifeDispute(after: TimeInterval) -> ScriptedCall {
        ScriptedCall(after: after, category: .dispute, priority: 1,
                     summary: "Consumer dispute at a stall, woman threatening with a knife",
                     street: "永平门街", number: "23", callerName: "Zhou Hui", callerPhone: "138-0000-2323",
                     weapon: true, reinforce: true)
    }
}

extension SimulationProfile {
    /// Calls every shift of the profile has (skipped on maps without their address): a busy
    /// night has the knife dispute on 永平门街 two hours and ten minutes in.
    public var scriptedCalls: [ScriptedCall] {
        switch self {
        case .busy: return [.knifeDispute(after: 2 * 3600 + 600)]
        case .demo, .quiet: return []
        }
    }
}

/// Everything that shapes a simulated shift. Same config and same map give the same shift.
public struct SimulationConfig: Hashable, Sendable {
    /// Seed of every random choice.
    public var seed: UInt64
    public var profile: SimulationProfile
    /// Simulated seconds between two `unit.position` events of a moving car (at least the step).
    public var positionInterval: Double
    /// The same for officers on foot (they move 3 m in two seconds; bytes matter).
    public var footPositionInterval: Double
    /// The virtual commander: dispatches each reported incident with the routing
    /// engine's top recommendation(s) 20-60 s after the call (`by: "auto"`).
    public var autoDispatch: Bool
    /// Incidents are closed (with a disposition) after a plausible time on scene.
    public var autoClose: Bool
    /// Patrol cars (crew of two each), callsigns `C11`, `C12`, ...
    public var carCount: Int
    /// Officers on foot patrol, callsigns `F21`, `F22`, ...
    public var footCount: Int
    /// Officers of the station in all (the rest stay at the station and are not units).
    public var stationStrength: Int
    /// Overrides the profile's incident rate (per hour).
    public var incidentsPerHour: Double?
    /// Emit `shift.started` (mode ``mode``) first from `start(at:)`.
    public var includeShiftStarted: Bool
    public var mode: ShiftMode
    /// Incident ids are this prefix and a running number: `I0001`.
    public var incidentIDPrefix: String
    /// Generate camera outages, traffic jams and closures.
    public var surroundings: Bool
    /// Internal step of the simulation in seconds (movement, timers), 0.1 to 1.
    public var step: Double
    /// Calls at fixed times and places (default: the profile's ``SimulationProfile/scriptedCalls``).
    public var scriptedCalls: [ScriptedCall]

    public init(seed: UInt64 = 1, profile: SimulationProfile = .demo, positionInterval: Double = 2,
                footPositionInterval: Double = 4, autoDispatch: Bool = true, autoClose: Bool = true,
                carCount: Int = 8, footCount: Int = 6, stationStrength: Int = 30, incidentsPerHour: Double? = nil,
                includeShiftStarted: Bool = true, mode: ShiftMode = .live, incidentIDPrefix: String = "I",
                surroundings: Bool = true, step: Double = 1, scriptedCalls: [ScriptedCall]? = nil) {
        self.seed = seed
        self.profile = profile
        self.positionInterval = positionInterval
        self.footPositionInterval = footPositionInterval
        self.autoDispatch = autoDispatch
        self.autoClose = autoClose
        self.carCount = carCount
        self.footCount = footCount
        self.stationStrength = stationStrength
        self.incidentsPerHour = incidentsPerHour
        self.includeShiftStarted = includeShiftStarted
        self.mode = mode
        self.incidentIDPrefix = incidentIDPrefix
        self.surroundings = surroundings
        self.step = step
        self.scriptedCalls = scriptedCalls ?? profile.scriptedCalls
    }

    /// The incident rate in force: the override or the profile's.
    public var effectiveIncidentsPerHour: Double { max(0, incidentsPerHour ?? profile.incidentsPerHour) }

    /// The internal step clamped to 0.1...1 s.
    var clampedStep: Double { min(1, max(0.1, step.isFinite ? step : 1)) }
}
