import Foundation
import WatchroomCore

/// Everything one frame shows.
public struct ConsoleFrameInput: Sendable {
    public var map: PrecinctMap
    public var state: PrecinctState
    public var ui: ConsoleUIState
    /// The instant shown on the clock and used for ages and ETAs.
    public var now: Date
    public var capabilities: TerminalCapabilities
    /// For terminals without a blink attribute: incident markers alternate with this.
    public var blinkPhase: Bool
    /// Clock times are shown in this zone (the map's `timeZone`).
    public var precinctTimeZone: TimeZone
    /// Start of the shift for the elapsed timer; `nil` uses `state.shiftStartedAt`.
    public var shiftStart: Date?
    /// Recent events, newest last.
    public var ticker: [EventEnvelope]
    /// Dispatch details for the selected incident, computed by the application.
    public var dispatch: DispatchPanelModel?
    /// Overdue incidents: their rows and markers are drawn in role `.alert`, the status bar says `ALERT n`.
    public var alerts: [IncidentID: AlertLevel]
    /// The picked camera's field of view as a polygon in map metres, shaded on the map.
    public var cameraCone: [Point]?
    /// What is inside the picked camera's view now, one line each.
    public var cameraInView: [String]
    /// The shift summary lines; non-nil opens the full-screen "Shift summary" overlay.
    public var summaryLines: [String]?
    /// The title of that overlay: what it shows (`Shift summary`, `Commands`, `Background — PLACE / PHONE`).
    public var summaryTitle = "Shift summary"
    /// Lines offered above the `:` line while it is open: the command's syntax, or the
    /// choices for what is being typed (the disposition codes after `close INCIDENT`).
    public var commandHints: [String] = []
    /// The road under the map's centre, e.g. `北城路 (Beicheng Road) · s123`, for the bottom bar.
    public var roadAtCentre: String?
    /// Observer (demo) mode: the status bar says OBSERVER. Masking is the application's.
    public var observer: Bool
    /// A one-line notice from the application, shown like ``ConsoleUIState/message``.
    public var notice: String?
    /// The replay's timeline (drawn above the key bar while ``ConsoleUIState/mode`` is replay).
    public var timeline: TimelineModel?
    /// A short warning in the status bar after the speed (e.g. a replay on another map).
    public var headerNote: String?
    /// Whether the virtual commander is dispatching (AUTO in the status bar).
    public var autoCommander = false
    /// The consoles attached to a served shift (the status bar counts them); `nil` where
    /// the shift is the console's own.
    public var attached: AttachedConsoles?
    /// Why the `--orders` sink is down (ORDERS DOWN in the status bar); `nil` when up or none.
    public var ordersDown: String?
    /// The language of the interface strings (``InterfaceLanguage/shown(requested:unicode:)``);
    /// names, ids and times are drawn as they are.
    public var language: InterfaceLanguage = .english

    public init(map: PrecinctMap, state: PrecinctState, ui: ConsoleUIState, now: Date,
                capabilities: TerminalCapabilities = TerminalCapabilities(colours: .many, blink: true, unicode: true),
                blinkPhase: Bool = true, precinctTimeZone: TimeZone? = nil, shiftStart: Date? = nil,
                ticker: [EventEnvelope] = [], dispatch: DispatchPanelModel? = nil,
                alerts: [IncidentID: AlertLevel] = [:], cameraCone: [Point]? = nil, cameraInView: [String] = [],
                summaryLines: [String]? = nil, observer: Bool = false, notice: String? = nil) {
        self.dispatch = dispatch
        self.alerts = alerts
        self.cameraCone = cameraCone
        self.cameraInView = cameraInView
        self.summaryLines = summaryLines
        self.observer = observer
        self.notice = notice
        self.map = map
        self.state = state
        self.ui = ui
        self.now = now
        self.capabilities = capabilities
        self.blinkPhase = blinkPhase
        self.precinctTimeZone = precinctTimeZone ?? TimeZone(identifier: map.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        self.shiftStart = shiftStart
        self.ticker = ticker
    }
}

/// What key handling needs to know about the screen and the shift.
public struct ConsoleContext: Sendable {
    public var map: PrecinctMap
    public var state: PrecinctState
    /// Terminal size in cells.
    public var width: Int
    public var height: Int
    /// The same recent events the ticker shows, newest last.
    public var ticker: [EventEnvelope]
    /// The dispatch details the frame shows for the selected incident (`v` cycles its
    /// cameras; the details panel grows while it is set).
    public var dispatch: DispatchPanelModel?
    /// How many lines the shift summary has, to stop scrolling at its end (0: unknown).
    public var summaryLineCount: Int
    /// The language of the lines the key handler puts on the bottom bar.
    public var language: InterfaceLanguage = .english

    public init(map: PrecinctMap, state: PrecinctState, width: Int, height: Int, ticker: [EventEnvelope] = [],
                dispatch: DispatchPanelModel? = nil, summaryLineCount: Int = 0) {
        self.dispatch = dispatch
        self.summaryLineCount = summaryLineCount
        self.map = map
        self.state = state
        self.width = width
        self.height = height
        self.ticker = ticker
    }
}

/// How many consoles are attached to a served shift, by role.
public struct AttachedConsoles: Hashable, Sendable {
    public var commanders: Int
    public var viewers: Int

    public init(commanders: Int, viewers: Int) {
        self.commanders = commanders
        self.viewers = viewers
    }
}
