import Foundation
import WatchroomRouting
import WatchroomCore

/// How a command names an incident: its id (`I0007`), its number (`2026-1125-0007`) or
/// `#7` (the day's running number). Resolved against the state by ``CommandExecutor``.
public struct IncidentRef: Hashable, Sendable, CustomStringConvertible {
    public var text: String
    public init(_ text: String) { self.text = text }
    public var description: String { text }
}

/// What a `traffic` command does to a segment.
public enum TrafficSetting: Hashable, Sendable {
    case factor(Double)
    case closed
    case open
}

/// What to look up in the records.
public enum LookupQuery: Hashable, Sendable {
    case address(String)
    case phone(String)
    /// The incident's address and caller phone; no incident: the selected one.
    case incident(IncidentRef?)
}

/// A new incident typed on the command line.
public struct NewIncident: Hashable, Sendable {
    public var category: IncidentCategory
    public var priority: Int
    public var place: String
    public var summary: String
    public var callerName: String?
    public var callerPhone: String?
    public var weapon: Bool

    public init(category: IncidentCategory, priority: Int, place: String, summary: String,
                callerName: String? = nil, callerPhone: String? = nil, weapon: Bool = false) {
        self.category = category
        self.priority = priority
        self.place = place
        self.summary = summary
        self.callerName = callerName
        self.callerPhone = callerPhone
        self.weapon = weapon
    }
}

/// Every action of the console as a typed command (docs/commands.md).
public enum Command: Hashable, Sendable {
    /// Send units; no incident: the selected one; no units: the response plan's units.
    case dispatch(incident: IncidentRef?, units: [UnitID])
    /// Send the next fastest `count` (default 2) available units.
    case reinforce(incident: IncidentRef?, count: Int?)
    case new(NewIncident)
    case close(incident: IncidentRef, code: DispositionCode, note: String?)
    case status(unit: UnitID, status: UnitStatus)
    case camera(CameraID)
    case lookup(LookupQuery)
    case traffic(segment: SegmentKey, setting: TrafficSetting)
    /// Every segment of a street between two crossings (`traffic 永平门街 from 正街 to 上横街 closed`).
    case trafficAlong(street: String, from: String, to: String, setting: TrafficSetting)
    /// An incident or a unit, resolved by the executor.
    case select(String)
    case speed(Double)
    case pause
    case resume
    case goto(String)
    case summary
    /// The after-action report of a drill (docs/drills.md).
    case report
    case help(topic: String?)
    /// Switches the virtual commander on or off (docs/dispatch.md).
    case auto(Bool)
    /// A new unit at a place (scripts set up situations with it).
    case unitAdd(unit: UnitID, kind: UnitKind, place: String)
    /// A unit put at a place.
    case unitMove(unit: UnitID, place: String)
    /// The `count` (default 5) fastest available units for an incident, as a `units.recommended`.
    case recommend(incident: IncidentRef?, count: Int?)
    /// The fastest route from a place or a unit to a place; no profile: the unit's, else car.
    case route(from: String, to: String, profile: RoutingProfile?)

    /// The command word.
    public var verb: String {
        switch self {
        case .dispatch: return "dispatch"
        case .reinforce: return "reinforce"
        case .new: return "new"
        case .close: return "close"
        case .status: return "status"
        case .camera: return "camera"
        case .lookup: return "lookup"
        case .traffic, .trafficAlong: return "traffic"
        case .select: return "select"
        case .speed: return "speed"
        case .pause: return "pause"
        case .resume: return "resume"
        case .goto: return "goto"
        case .summary: return "summary"
        case .report: return "report"
        case .help: return "help"
        case .auto: return "auto"
        case .unitAdd, .unitMove: return "unit"
        case .recommend: return "recommend"
        case .route: return "route"
        }
    }
}

extension Command {
    /// What a command does to the shift. A console that may not change the shift (a
    /// replay, a viewer) refuses a command by its kind, never by its spelling.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// Changes the shift: publishes events every console sees and the recording keeps.
        case changesShift
        /// Reads the shift, the map or the records and shows the answer (a recommendation
        /// is advice: it changes nothing).
        case reads
        /// Runs, stops or speeds the shift's clock.
        case clock
        /// Moves this console's view: what is selected, where the map is.
        case view
    }

    /// Why a console that may not change the shift refuses this command:
    /// `Replay is read-only: dispatch is not available`.
    public func readOnlyRefusal(_ console: String) -> String {
        "\(console) is read-only: \(verb) is not available"
    }

    public var kind: Kind {
        switch self {
        case .dispatch, .reinforce, .new, .close, .status, .traffic, .trafficAlong, .auto, .unitAdd, .unitMove:
            return .changesShift
        case .camera, .lookup, .summary, .report, .help, .recommend, .route:
            return .reads
        case .speed, .pause, .resume:
            return .clock
        case .select, .goto:
            return .view
        }
    }
}

/// Why a command line was refused or a command could not run: a message for the status bar.
public struct CommandError: Error, Hashable, Sendable, CustomStringConvertible {
    /// In English: what scripts, logs and the wire carry.
    public var message: String
    /// The same for the console to show in its language; `nil` for a message in English only.
    public var phrase: InterfacePhrase?
    public init(_ message: String) { self.message = message }
    public init(_ phrase: InterfacePhrase) {
        self.phrase = phrase
        message = phrase.text(.english)
    }
    public var description: String { message }
    /// The message in `language` (English where it has no phrase).
    public func text(_ language: InterfaceLanguage) -> String { phrase?.text(language) ?? message }
}

extension UnitStatus {
    /// The status as the engine names it (`OnScene`), in the interface's language.
    public var phrase: InterfacePhrase { InterfacePhrase("status.code." + rawValue) }
}

extension IncidentCategory {
    /// The category's ``words`` (`traffic accident`), in the interface's language.
    public var phrase: InterfacePhrase { InterfacePhrase("category.words." + rawValue) }
}
