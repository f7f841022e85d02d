import Foundation
import WatchroomCore
import WatchroomRouting

/// What calls look like: the category mix, summaries with their priority and weapon
/// flag, where each kind of call tends to happen, how long it keeps units on scene and
/// how it ends. All of it fictional, loosely modelled on an urban precinct's 110 calls.
public enum IncidentCatalog {
    /// A call as the caller describes it.
    public struct Template: Hashable, Sendable {
        public var summary: String
        public var priority: Int
        public var weapon: Bool

        init(_ summary: String, _ priority: Int, weapon: Bool = false) {
            self.summary = summary
            self.priority = priority
            self.weapon = weapon
        }
    }

    /// Relative frequency of each category (sums to 100).
    public static let categoryWeights: [(IncidentCategory, Double)] = [
        (.dispute, 22), (.theft, 15), (.trafficAccident, 14), (.noise, 11), (.other, 11),
        (.domestic, 8), (.assault, 8), (.missingPerson, 4), (.suicideRisk, 3), (.fire, 4),
    ]

    /// The calls of a category.
    public static func templates(_ c: IncidentCategory) -> [Template] {
        switch c {
        case .dispute:
            return [
                Template("Consumer dispute in a shop, two men shouting", 2),
                Template("Argument over a restaurant bill, customer refuses to pay", 3),
                Template("Driver and shop owner arguing over a parking space", 3),
                Template("Neighbours arguing loudly in the stairwell", 3),
                Template("Dispute between a taxi driver and a passenger over the fare", 3),
                Template("Crowd gathering around two vendors pushing each other", 2),
                Template("Consumer dispute, woman threatening with a knife", 1, weapon: true),
                Template("Argument escalated, man waving a kitchen knife", 1, weapon: true),
            ]
        case .theft:
            return [
                Template("Mobile phone snatched, suspect fled on foot", 2),
                Template("Bicycle stolen from outside the entrance", 3),
                Template("Shoplifter held by staff, waiting for police", 2),
                Template("Wallet stolen, victim waiting at the scene", 3),
                Template("Electric scooter battery stolen overnight", 3),
                Template("Pickpocket seen in the crowd, caller following him", 2),
                Template("Break-in at a closed shop, alarm ringing", 2),
            ]
        case .assault:
            return [
                Template("Fight between two groups, one person injured", 1),
                Template("Man punched outside a bar, bleeding from the nose", 2),
                Template("Delivery rider assaulted by a customer", 2),
                Template("Man attacked with a knife, caller hiding nearby", 1, weapon: true),
                Template("Fight with a metal bar outside a karaoke bar", 1, weapon: true),
            ]
        case .trafficAccident:
            return [
                Template("Two cars collided, no injuries, blocking a lane", 3),
                Template("Scooter rider hit by a car, rider injured", 1),
                Template("Rear-end collision, drivers arguing in the road", 2),
                Template("Taxi hit a pedestrian, ambulance requested", 1),
                Template("Van scraped parked cars and drove off", 3),
                Template("Bus and car collided at the crossing", 2),
            ]
        case .suicideRisk:
            return [
                Template("Woman standing on the riverside railing, crying", 1),
                Template("Caller's friend sent farewell messages, last seen here", 1),
                Template("Man on a rooftop threatening to jump", 1),
            ]
        case .domestic:
            return [
                Template("Couple fighting, neighbours hear screaming", 2),
                Template("Woman reports her husband hit her, children at home", 1),
                Template("Elderly father locked out by his son", 3),
                Template("Husband threatening his wife with a knife", 1, weapon: true),
                Template("Family quarrel over an inheritance turning physical", 2),
            ]
        case .noise:
            return [
                Template("Loud music from a karaoke bar after midnight", 3),
                Template("Square dancing music too loud, residents complaining", 3),
                Template("Construction work after hours", 3),
                Template("Party in an apartment, shouting and music", 3),
            ]
        case .missingPerson:
            return [
                Template("Child about six separated from parents", 1),
                Template("Elderly man with dementia missing since morning", 2),
                Template("Teenager did not come home from school", 2),
            ]
        case .fire:
            return [
                Template("Smoke from a restaurant kitchen, fire brigade called", 1),
                Template("Electric scooter on fire in a stairwell", 1),
                Template("Rubbish bin on fire next to parked cars", 2),
            ]
        case .other:
            return [
                Template("Drunk man lying on the pavement", 2),
                Template("Suspicious person looking into parked cars", 3),
                Template("Stray dog chasing pedestrians", 3),
                Template("Lost property handed in by a passer-by", 3),
                Template("Elderly resident locked out, asks for help", 3),
                Template("Fallen tree branch blocking the pavement", 3),
            ]
        }
    }

    /// Where a category tends to happen.
    enum PlaceKind { case address, landmark, crossing }

    /// Weights for address, landmark and crossing.
    static func placeWeights(_ c: IncidentCategory) -> [(PlaceKind, Double)] {
        switch c {
        case .trafficAccident: return [(.crossing, 70), (.address, 25), (.landmark, 5)]
        case .theft: return [(.landmark, 45), (.address, 55)]
        case .missingPerson: return [(.landmark, 60), (.address, 40)]
        case .suicideRisk: return [(.landmark, 50), (.address, 50)]
        case .noise, .domestic, .fire: return [(.address, 95), (.landmark, 5)]
        default: return [(.address, 75), (.landmark, 15), (.crossing, 10)]
        }
    }

    /// Landmark kinds a category prefers (any landmark otherwise).
    static func landmarkKinds(_ c: IncidentCategory) -> Set<String> {
        switch c {
        case .theft: return ["market", "mall", "ferry_terminal", "square", "hospital"]
        case .missingPerson: return ["park_gate", "square", "viewpoint", "school", "ferry_terminal", "mall"]
        case .suicideRisk: return ["viewpoint", "ferry_terminal", "gate"]
        default: return []
        }
    }

    /// Minutes on scene before the incident can be closed (uniform in the range).
    public static func onSceneMinutes(_ c: IncidentCategory) -> ClosedRange<Double> {
        switch c {
        case .dispute: return 10...25
        case .theft: return 15...30
        case .assault: return 20...45
        case .trafficAccident: return 20...45
        case .suicideRisk: return 30...60
        case .domestic: return 20...40
        case .noise: return 5...15
        case .missingPerson: return 25...60
        case .fire: return 15...35
        case .other: return 5...20
        }
    }

    /// How a category ends, with weights and a note. A weapon makes an arrest likelier.
    static func dispositions(_ c: IncidentCategory, weapon: Bool) -> [(Disposition, Double, String)] {
        if weapon {
            return [(.arrest, 65, "Suspect detained, weapon seized"),
                    (.report, 25, "Weapon seized, case file opened"),
                    (.referred, 10, "Injured taken to hospital, case passed to investigators")]
        }
        switch c {
        case .dispute:
            return [(.resolved, 70, "Parties reconciled on scene"), (.report, 20, "Statements taken"),
                    (.arrest, 5, "One party detained for disorder"), (.unfounded, 5, "Parties gone on arrival")]
        case .theft:
            return [(.report, 65, "Theft report taken"), (.arrest, 15, "Suspect detained, property recovered"),
                    (.unfounded, 10, "Property found, no theft"), (.duplicate, 10, "Already reported by another caller")]
        case .assault:
            return [(.arrest, 45, "Suspect detained"), (.report, 40, "Statements taken, victim to hospital"),
                    (.referred, 15, "Victim taken to hospital")]
        case .trafficAccident:
            return [(.report, 65, "Accident report, vehicles moved"), (.referred, 25, "Passed to traffic police"),
                    (.resolved, 10, "Drivers settled privately")]
        case .suicideRisk:
            return [(.referred, 70, "Person taken to hospital for care"), (.resolved, 30, "Person calmed, family took over")]
        case .domestic:
            return [(.resolved, 40, "Calmed, mediation arranged"), (.report, 35, "Statements taken, warning issued"),
                    (.arrest, 25, "Aggressor detained")]
        case .noise:
            return [(.resolved, 80, "Music turned down"), (.unfounded, 20, "Quiet on arrival")]
        case .missingPerson:
            return [(.resolved, 75, "Person found safe"), (.referred, 25, "Search handed to the district")]
        case .fire:
            return [(.referred, 85, "Fire brigade in charge"), (.resolved, 15, "Fire out before arrival")]
        case .other:
            return [(.resolved, 65, "Handled on scene"), (.unfounded, 25, "Nothing found"),
                    (.cancelled, 10, "Caller cancelled")]
        }
    }

    static let callerSurnames = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
                                 "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Gao", "Lin", "Luo", "Song", "Xie"]
    static let callerGiven = ["Wei", "Fang", "Na", "Xiuying", "Min", "Jing", "Li", "Qiang", "Lei", "Jun", "Yang",
                              "Yong", "Yan", "Jie", "Juan", "Tao", "Ming", "Chao", "Xiulan", "Xia", "Ping", "Gang",
                              "Guiying", "Hua", "Mei", "Lin", "Yi", "Zhen"]
}

/// Weighted pick from `(value, weight)` pairs.
func pick<T>(_ items: [(T, Double)], _ rng: inout SplitMix64) -> T? {
    let total = items.reduce(0) { $0 + max(0, $1.1) }
    guard total > 0 else { return items.first?.0 }
    var r = rng.nextUnit() * total
    for (v, w) in items {
        r -= max(0, w)
        if r < 0 { return v }
    }
    return items.last?.0
}

extension SplitMix64 {
    /// Uniform in `range`.
    mutating func uniform(_ range: ClosedRange<Double>) -> Double {
        range.lowerBound + nextUnit() * (range.upperBound - range.lowerBound)
    }

    /// Exponentially distributed waiting time for a Poisson process of `ratePerHour`, in seconds.
    mutating func exponentialSeconds(ratePerHour: Double) -> Double {
        guard ratePerHour > 0 else { return .infinity }
        let u = max(1e-12, 1 - nextUnit())
        return -log(u) * 3600 / ratePerHour
    }

    /// `true` with probability `p`.
    mutating func chance(_ p: Double) -> Bool { nextUnit() < p }

    mutating func element<T>(_ a: [T]) -> T? { a.isEmpty ? nil : a[nextInt(below: a.count)] }
}
