import Foundation
import WatchroomUI

/// The colours and attributes each style role gets on a terminal, as plain numbers.
///
/// Pure: no curses here, so every table is testable. Colour numbers are terminal colour
/// indices (0–7 for the eight basic colours, 0–255 on 256-colour terminals); `-1` is the
/// terminal's own default colour. Backgrounds are the default almost everywhere, so the
/// console follows the user's terminal and writes fewer bytes.
public enum Palette {
    /// What one role looks like.
    public struct Entry: Sendable, Hashable {
        public var foreground: Int16
        public var background: Int16
        public var attributes: Attributes
        /// Attributes a view asks for that this entry leaves out: its colour already says
        /// it, and each attribute switched on or off costs a full SGR reset on the wire.
        public var ignores: Attributes

        public init(_ foreground: Int16, _ background: Int16 = -1, _ attributes: Attributes = [],
                    ignores: Attributes = []) {
            self.foreground = foreground
            self.background = background
            self.attributes = attributes
            self.ignores = ignores
        }
    }

    /// The default colour (foreground or background).
    public static let defaultColour: Int16 = -1

    /// The table for what `capabilities` can show: every `StyleRole` has an entry.
    public static func `for`(_ capabilities: TerminalCapabilities) -> [StyleRole: Entry] {
        switch capabilities.colours {
        case .many: return table(many)
        case .eight: return table(eight)
        case .none: return table(mono)
        }
    }

    /// How many colours to use, from the environment and what the terminal reports.
    ///
    /// `NO_COLOR` set to any value (even empty) turns colour off, as does a terminal without
    /// colours. 256 colours or more give the full palette; anything from 8 up the basic one.
    public static func colourMode(environment: [String: String], hasColours: Bool, colourCount: Int) -> TerminalCapabilities.Colours {
        if environment["NO_COLOR"] != nil || !hasColours || colourCount < 8 { return .none }
        return colourCount >= 256 ? .many : .eight
    }

    private static func table(_ f: (StyleRole) -> Entry) -> [StyleRole: Entry] {
        var out: [StyleRole: Entry] = [:]
        for role in StyleRole.allCases { out[role] = f(role) }
        return out
    }

    // MARK: - 256 colours (xterm indices): a dark-terminal palette
    //
    // Bright colours rather than bold where colour alone is clear: an attribute costs a full
    // SGR reset on the wire (`ESC(B ESC[0;1m` on, `ESC(B ESC[0m` off, then the colour again:
    // about 28 bytes around each bold run on xterm), a colour does not. So the map ignores the
    // bold its views ask for (main roads are told apart by their heavy glyphs, units and the
    // route by bright colours), and the help's keys are a colour, not bold.

    private static func many(_ role: StyleRole) -> Entry {
        switch role {
        case .normal: Entry(-1)
        case .dim: Entry(244)
        case .road: Entry(-1)
        case .roadMajor: Entry(-1, ignores: .bold)
        case .roadFoot: Entry(240)
        case .roadClosed: Entry(124)
        case .roadCongested: Entry(172)
        case .river: Entry(12)
        case .water: Entry(4)
        case .park: Entry(2)
        case .square: Entry(180)
        case .building: Entry(238)
        case .station: Entry(231, 25, .bold)
        case .camera: Entry(250)
        case .cameraOffline: Entry(240)
        // Dark teal #008787: a contrast of 4.4:1 on white and 4.8:1 on black (WCAG), so it
        // reads on light and dark terminals alike (37, #00afaf, was 2.7:1 on white; 237, a
        // dark grey, vanished on dark ones). Its own glyph (∴, ASCII `,`) shows it without colour.
        case .cameraCone: Entry(30, -1, .bold)
        case .label: Entry(-1)
        case .labelMajor: Entry(-1, -1, .bold)
        case .incidentP1: Entry(196, -1, .bold)
        case .incidentP2: Entry(208, -1, .bold)
        case .incidentP3: Entry(226)
        case .incidentClosed: Entry(242)
        case .unitAvailable: Entry(46, ignores: .bold)
        case .unitDispatched: Entry(51, ignores: .bold)
        case .unitEnRoute: Entry(39, ignores: .bold)
        case .unitOnScene: Entry(201, ignores: .bold)
        case .unitBusy: Entry(245)
        case .unitOutOfService: Entry(239)
        case .route: Entry(117, ignores: .bold)
        case .cursor: Entry(16, 220, .bold)
        case .panelBorder: Entry(240)
        case .panelTitle: Entry(250, -1, .bold)
        case .panelTitleFocused: Entry(117, -1, .bold)
        case .selection: Entry(-1, -1, .reverse)
        case .header: Entry(231, 236, .bold)
        case .statusBar: Entry(-1, -1, .reverse)
        case .statusMode: Entry(16, 75, .bold)
        case .alert: Entry(231, 160, .bold)
        case .warning: Entry(214, -1, .bold)
        case .ok: Entry(46)
        case .help: Entry(250)
        case .helpKey: Entry(6)
        case .commandLine: Entry(-1)
        }
    }

    // MARK: - The xterm 256-colour palette's own RGB

    /// The red, green and blue (0–255) xterm gives colour `index` of its 6×6×6 cube (16–231)
    /// and grey ramp (232–255); `nil` for the 16 basic colours, which every terminal theme
    /// sets its own way, and for anything outside 0–255.
    public static func xtermRGB(_ index: Int) -> (red: Int, green: Int, blue: Int)? {
        switch index {
        case 16...231:
            let steps = [0, 95, 135, 175, 215, 255]
            let i = index - 16
            return (steps[i / 36], steps[(i / 6) % 6], steps[i % 6])
        case 232...255:
            let v = 8 + 10 * (index - 232)
            return (v, v, v)
        default:
            return nil
        }
    }

    /// WCAG 2 relative luminance of an sRGB colour (components 0–255, clamped).
    public static func relativeLuminance(red: Int, green: Int, blue: Int) -> Double {
        func linear(_ c: Int) -> Double {
            let v = Double(Swift.min(255, Swift.max(0, c))) / 255
            return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)
    }

    /// WCAG 2 contrast ratio of two luminances (1 to 21).
    public static func contrastRatio(_ a: Double, _ b: Double) -> Double {
        (Swift.max(a, b) + 0.05) / (Swift.min(a, b) + 0.05)
    }

    // MARK: - 8 colours

    private static let black: Int16 = 0, red: Int16 = 1, green: Int16 = 2, yellow: Int16 = 3
    private static let blue: Int16 = 4, magenta: Int16 = 5, cyan: Int16 = 6, white: Int16 = 7

    private static func eight(_ role: StyleRole) -> Entry {
        switch role {
        case .normal: Entry(-1)
        case .dim: Entry(white, -1, .dim)
        case .road: Entry(white)
        case .roadMajor: Entry(white, -1, .bold)
        case .roadFoot: Entry(white, -1, .dim)
        case .roadClosed: Entry(red)
        case .roadCongested: Entry(yellow)
        case .river: Entry(blue, -1, .bold)
        case .water: Entry(blue)
        case .park: Entry(green)
        case .square: Entry(yellow, -1, .dim)
        case .building: Entry(white, -1, .dim)
        case .station: Entry(white, blue, .bold)
        case .camera: Entry(white)
        case .cameraOffline: Entry(white, -1, .dim)
        case .cameraCone: Entry(cyan, -1, .bold)
        case .label: Entry(-1)
        case .labelMajor: Entry(-1, -1, .bold)
        case .incidentP1: Entry(red, -1, .bold)
        case .incidentP2: Entry(yellow, -1, .bold)
        case .incidentP3: Entry(yellow)
        case .incidentClosed: Entry(white, -1, .dim)
        case .unitAvailable: Entry(green, -1, .bold)
        case .unitDispatched: Entry(cyan, -1, .bold)
        case .unitEnRoute: Entry(blue, -1, .bold)
        case .unitOnScene: Entry(magenta, -1, .bold)
        case .unitBusy: Entry(white)
        case .unitOutOfService: Entry(white, -1, .dim)
        case .route: Entry(cyan)
        case .cursor: Entry(black, yellow, .bold)
        case .panelBorder: Entry(white, -1, .dim)
        case .panelTitle: Entry(white, -1, .bold)
        case .panelTitleFocused: Entry(cyan, -1, .bold)
        case .selection: Entry(-1, -1, .reverse)
        case .header: Entry(white, blue, .bold)
        case .statusBar: Entry(-1, -1, .reverse)
        case .statusMode: Entry(black, cyan, .bold)
        case .alert: Entry(white, red, .bold)
        case .warning: Entry(yellow, -1, .bold)
        case .ok: Entry(green)
        case .help: Entry(white)
        case .helpKey: Entry(cyan)
        case .commandLine: Entry(-1)
        }
    }

    // MARK: - Monochrome: attributes only

    private static func mono(_ role: StyleRole) -> Entry {
        let a: Attributes
        switch role {
        case .normal, .road, .river, .water, .square, .camera, .label, .unitBusy, .panelBorder, .ok, .commandLine:
            a = []
        case .dim, .roadFoot, .park, .building, .cameraOffline, .cameraCone, .incidentClosed,
             .unitOutOfService, .help:
            a = .dim
        case .roadMajor, .roadCongested, .labelMajor, .unitAvailable, .route, .panelTitle, .warning, .helpKey:
            a = .bold
        case .roadClosed, .incidentP3:
            a = .underline
        case .incidentP1, .station, .panelTitleFocused, .statusMode, .alert:
            a = [.bold, .reverse]
        case .incidentP2, .unitDispatched, .unitEnRoute, .header:
            a = [.bold, .underline]
        case .unitOnScene:
            a = [.underline, .dim]
        case .selection, .statusBar, .cursor:
            a = .reverse
        }
        return Entry(-1, -1, a)
    }
}
