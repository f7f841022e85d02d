import WatchroomCore
import WatchroomEngine

/// Everything about the console screen that is not the shift itself: which panel has
/// the keyboard, what is selected, where the map looks, which overlay is open.
///
/// A plain value: ``ConsoleController/handle(_:ui:context:)`` changes it,
/// ``ConsoleRenderer/render(_:into:)`` reads it.
public struct ConsoleUIState: Sendable, Hashable {
    /// The panels Tab moves between, in order.
    public enum Focus: String, CaseIterable, Sendable, Hashable {
        case map, incidents, units, details, ticker
    }

    /// What the details panel shows and the map highlights.
    public enum Selection: Sendable, Hashable {
        case none
        case incident(IncidentID)
        case unit(UnitID)
        case camera(CameraID)
    }

    /// At most one overlay is open at a time.
    public enum Overlay: Sendable, Hashable {
        case none
        /// The key list (`?`).
        case help
        /// "Quit Watchroom? y/n"
        case quitConfirm
        /// The `:` command line with the text typed so far.
        case commandLine(String)
        /// The "New incident" form (`n`).
        case intakeForm(IntakeForm)
    }

    public var focus: Focus = .map
    public var selection: Selection = .none
    /// Highlighted row of the incident queue.
    public var incidentCursor = 0
    /// Highlighted row of the unit roster.
    public var unitCursor = 0
    /// Highlighted ticker line; `nil` follows the newest.
    public var tickerCursor: Int?
    /// Where the map looks; `nil` fits the whole precinct to the map area (and keeps
    /// fitting as the terminal is resized) until the user pans or zooms.
    public var viewport: MapViewport?
    public var overlay: Overlay = .none
    /// `nil` shows the legend when the map has room for it; `L` sets it explicitly.
    public var showLegend: Bool?
    /// Shown in the status bar; set by the caller.
    public var mode: ShiftMode = .live
    /// Simulated seconds per real second; set by the caller.
    public var speed: Double = 1
    /// Whether the shift clock is stopped (the status bar says PAUSED); set by the caller.
    public var paused = false
    /// A one-line note in the bottom bar ("Nothing selected."); cleared by the next key.
    public var message: String?
    /// The camera last picked with `v` for the selected incident (the next `v` moves on).
    public var pickedCamera: CameraID?
    /// First line shown of the shift summary overlay; non-`nil` while it is open (`s`).
    /// The caller feeds ``ConsoleFrameInput/summaryLines`` while this is set.
    public var summaryScroll: Int?
    /// First scrolled row of the details panel (below its pinned safety rows); back to 0
    /// when the selection changes.
    public var detailsScroll = 0
    /// Whether a new P1 incident out of view pans the map to it (`:follow on|off`).
    public var follow = true

    public init(focus: Focus = .map, selection: Selection = .none, viewport: MapViewport? = nil,
                mode: ShiftMode = .live, speed: Double = 1) {
        self.focus = focus
        self.selection = selection
        self.viewport = viewport
        self.mode = mode
        self.speed = speed
    }

    /// The command line's text while it is open.
    public var commandLine: String? {
        if case .commandLine(let t) = overlay { return t }
        return nil
    }

    /// The intake form while it is open.
    public var intakeForm: IntakeForm? {
        if case .intakeForm(let f) = overlay { return f }
        return nil
    }

    public var isHelpShown: Bool { overlay == .help }
    public var isSummaryShown: Bool { summaryScroll != nil }
    public var isConfirmingQuit: Bool { overlay == .quitConfirm }
}

/// What the caller should do after a key.
public enum ConsoleEffect: Sendable, Equatable {
    /// Nothing changed.
    case none
    /// The screen changed: render again, sending only the cells that changed.
    case redraw
    /// Clear the terminal and send every cell (Ctrl-L, a resize): for a screen that no
    /// longer shows what the console last drew.
    case repaint
    /// The user confirmed quitting.
    case quit
    /// A command for the caller to run: from a key (`d`), the intake form, or the `:` line
    /// (parsed once, here, by `CommandParser`).
    case command(Command)
    /// Ring the bell (a key that does nothing here).
    case bell
    /// A replay control key (only while ``ConsoleUIState/mode`` is replay).
    case replay(ReplayControl)
}

/// What the replay keys ask of the caller, which owns the recording and its clock.
public enum ReplayControl: Sendable, Hashable {
    /// Space: pause or play on.
    case togglePause
    /// `<` and `>`: one speed step down or up (1, 2, 5 ... 1000x).
    case slower, faster
    /// `.`: one event on, then paused.
    case step
    /// `n` and `N`: the next or the previous incident.
    case nextIncident, previousIncident
    /// `[` and `]` (Home and End on the map): the start or the end of the shift.
    case start, end
}
