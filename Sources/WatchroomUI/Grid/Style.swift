/// What a cell shows, named by role; a backend maps roles to colours the terminal can show
/// (256 colours, 8 colours, or attributes only). Views never name raw colours.
public enum StyleRole: UInt8, CaseIterable, Sendable, Hashable {
    case normal
    case dim
    // Map
    case road, roadMajor, roadFoot, roadClosed, roadCongested
    case river, water, park, square, building
    case station, camera, cameraOffline, cameraCone
    case label, labelMajor
    case incidentP1, incidentP2, incidentP3, incidentClosed
    case unitAvailable, unitDispatched, unitEnRoute, unitOnScene, unitBusy, unitOutOfService
    case route, cursor
    // Chrome
    case panelBorder, panelTitle, panelTitleFocused, selection, header
    case statusBar, statusMode, alert, warning, ok, help, helpKey, commandLine
}

/// Text attributes, independent of colour.
public struct Attributes: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public static let bold = Attributes(rawValue: 1 << 0)
    public static let blink = Attributes(rawValue: 1 << 1)
    public static let reverse = Attributes(rawValue: 1 << 2)
    public static let underline = Attributes(rawValue: 1 << 3)
    public static let dim = Attributes(rawValue: 1 << 4)
}

/// A role plus attributes: everything about a cell but its text.
public struct Style: Sendable, Hashable {
    public var role: StyleRole
    public var attributes: Attributes

    public init(_ role: StyleRole = .normal, _ attributes: Attributes = []) {
        self.role = role
        self.attributes = attributes
    }

    public static let normal = Style()
}
