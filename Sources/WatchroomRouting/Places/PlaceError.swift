import WatchroomCore

/// Why a typed place could not be resolved.
public enum PlaceError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Nothing was typed.
    case empty
    /// No form of place matched the text.
    case noMatch(String)
    /// Several landmarks (or streets) match; the candidates are their display names.
    case ambiguous(String, candidates: [String])
    /// A street in an address or an intersection is not on the map.
    case unknownStreet(String)
    /// The street exists but has no such house number; `known` lists some numbers it has.
    case unknownNumber(street: String, number: String, known: [String])
    /// The two streets of an intersection never meet.
    case streetsDoNotMeet(String, String)
    /// The place is found but no road the profile may use is near it.
    case noRoad(String, profile: RoutingProfile)
    /// `SEGMENT@FRACTION` names no segment of the map.
    case unknownSegment(String)
    /// `SEGMENT@FRACTION` with a fraction that is not a number from 0 to 1.
    case badFraction(String)
    /// Metres `x,y` that are not finite or lie too far from the map's origin (``Bounds``).
    case outOfBounds(Bounds.Violation)

    public var description: String {
        switch self {
        case .empty:
            return "no place given; try an address like \"永平门街 18\", a landmark, a node id, \"street & street\" or x,y"
        case .noMatch(let text):
            return "no place matches \"\(text)\"; try an address like \"永平门街 18\", a landmark, a node id, \"street & street\" or x,y"
        case .ambiguous(let text, let candidates):
            return "\"\(text)\" is ambiguous: it could be \(candidates.joined(separator: ", ")); type more of the name"
        case .unknownStreet(let text):
            return "no street called \"\(text)\" on this map"
        case .unknownNumber(let street, let number, let known):
            let some = known.isEmpty ? "it has no numbered addresses" : "known numbers: \(known.joined(separator: ", "))"
            return "\(street) has no number \(number); \(some)"
        case .streetsDoNotMeet(let a, let b):
            return "\(a) and \(b) do not meet"
        case .noRoad(let text, let profile):
            return "no road usable \(profile == .car ? "by car" : "on foot") near \"\(text)\""
        case .unknownSegment(let key):
            return "no segment \(key) on this map; give SEGMENT@FRACTION with a segment id such as e17"
        case .badFraction(let text):
            return "\"\(text)\": the fraction after @ must be a number from 0 to 1 (e17@0.25)"
        case .outOfBounds(let violation):
            return violation.description
        }
    }
}
