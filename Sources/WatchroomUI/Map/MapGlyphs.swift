import WatchroomCore

/// The characters the map is drawn with: box drawing and symbols in a UTF-8 terminal,
/// plain ASCII otherwise.
public struct MapGlyphs: Sendable, Hashable {
    public let unicode: Bool

    public init(unicode: Bool) { self.unicode = unicode }

    // MARK: - Direction bits

    static let north: UInt8 = 1, east: UInt8 = 2, south: UInt8 = 4, west: UInt8 = 8

    /// A road cell from the directions its lines leave it in (`north | east ...`).
    ///
    /// - Parameter weight: 1 footpath, 2 street, 3 major road.
    func road(bits: UInt8, weight: UInt8) -> Character {
        let b = bits & 0x0F
        if !unicode {
            switch b {
            case MapGlyphs.east, MapGlyphs.west, MapGlyphs.east | MapGlyphs.west: return weight >= 3 ? "=" : "-"
            case MapGlyphs.north, MapGlyphs.south, MapGlyphs.north | MapGlyphs.south: return weight == 1 ? ":" : "|"
            case 0: return "."
            default: return "+"
            }
        }
        let table: [Character]
        if weight >= 3 {
            table = [" ", "┃", "━", "┗", "┃", "┃", "┏", "┣", "━", "┛", "━", "┻", "┓", "┫", "┳", "╋"]
        } else {
            table = [" ", "│", "─", "└", "│", "│", "┌", "├", "─", "┘", "─", "┴", "┐", "┤", "┬", "┼"]
        }
        if weight == 1 {
            switch b {
            case MapGlyphs.east, MapGlyphs.west, MapGlyphs.east | MapGlyphs.west: return "┄"
            case MapGlyphs.north, MapGlyphs.south, MapGlyphs.north | MapGlyphs.south: return "┆"
            default: break
            }
        }
        return b == 0 ? "·" : table[Int(b)]
    }

    /// A diagonal road cell: 1 rising (`╱`), 2 falling (`╲`), 3 both.
    func diagonal(_ d: UInt8) -> Character {
        switch d {
        case 1: return unicode ? "╱" : "/"
        case 2: return unicode ? "╲" : "\\"
        default: return unicode ? "╳" : "X"
        }
    }

    // MARK: - Areas

    func area(_ kind: AreaKind) -> Character {
        switch kind {
        case .river, .water: return unicode ? "≈" : "~"
        case .park: return unicode ? "·" : "."
        case .square, .plaza: return unicode ? "░" : ":"
        case .building: return unicode ? "▒" : "%"
        }
    }

    // MARK: - Markers

    var station: Character { unicode ? "⌂" : "@" }
    var officerOnFoot: Character { unicode ? "●" : "o" }
    var car: Character { unicode ? "■" : "#" }

    func unit(_ kind: UnitKind) -> Character { kind == .car ? car : officerOnFoot }

    /// Empty ground inside a picked camera's view cone.
    var coneFill: Character { unicode ? "∴" : "," }

    /// The arrow on the map's edge towards incidents out of view, by side
    /// (0 north, 1 east, 2 south, 3 west).
    func edgeArrow(_ side: Int) -> Character {
        let u: [Character] = ["⇑", "⇒", "⇓", "⇐"], a: [Character] = ["^", ">", "v", "<"]
        return (unicode ? u : a)[((side % 4) + 4) % 4]
    }

    /// The incident marker; `on` is the blink phase shown when the terminal cannot blink.
    func incident(on: Bool) -> Character {
        unicode ? (on ? "▲" : "△") : (on ? "!" : ".")
    }

    /// A camera looking towards compass bearing `facing`; a dome (360°) has no direction.
    func camera(facing: Double, fieldOfView: Double) -> Character {
        if fieldOfView >= 360 { return unicode ? "◎" : "*" }
        let f = facing.isFinite ? facing : 0
        var deg = f.truncatingRemainder(dividingBy: 360)
        if deg < 0 { deg += 360 }
        if unicode {
            let arrows: [Character] = ["↑", "↗", "→", "↘", "↓", "↙", "←", "↖"]
            return arrows[Int((deg + 22.5) / 45) % 8]
        }
        let arrows: [Character] = ["^", ">", "v", "<"]
        return arrows[Int((deg + 45) / 90) % 4]
    }
}
