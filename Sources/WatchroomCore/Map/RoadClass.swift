/// The class of a road, named as OpenStreetMap's `highway` values so an import maps one to one.
public enum RoadClass: String, CaseIterable, Sendable, Codable {
    case motorway, trunk, primary, secondary, tertiary, unclassified, residential, service
    case motorwayLink = "motorway_link", trunkLink = "trunk_link", primaryLink = "primary_link"
    case secondaryLink = "secondary_link", tertiaryLink = "tertiary_link"
    case livingStreet = "living_street"
    case pedestrian, footway, path, steps

    /// Default speed for cars in km/h when a segment gives none (urban China-like defaults).
    public var defaultSpeedKmh: Double {
        switch self {
        case .motorway: return 80
        case .trunk: return 60
        case .primary: return 50
        case .secondary: return 40
        case .tertiary: return 35
        case .unclassified: return 30
        case .residential: return 25
        case .service: return 15
        case .motorwayLink: return 50
        case .trunkLink: return 40
        case .primaryLink, .secondaryLink, .tertiaryLink: return 30
        case .livingStreet: return 10
        case .pedestrian, .footway, .path, .steps: return 0
        }
    }

    /// Who may use a road of this class when a segment says nothing: footways are for
    /// officers on foot only, motorways for cars only.
    public var defaultAccess: Access {
        switch self {
        case .motorway, .motorwayLink, .trunk, .trunkLink: return .car
        case .pedestrian, .footway, .path, .steps: return .foot
        default: return .all
        }
    }
}

/// Which travel profiles may use a segment.
public enum Access: String, CaseIterable, Sendable, Codable {
    case all, car, foot

    public var allowsCar: Bool { self != .foot }
    public var allowsFoot: Bool { self != .car }
}
