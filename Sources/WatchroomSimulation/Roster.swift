import Foundation
import WatchroomCore

/// The station's officers and the units they form: fictional names, badges, callsigns
/// and plates. The roster depends only on the counts, never on the seed, so unit ids and
/// crews are the same in every shift.
public struct Roster: Hashable, Sendable {
    /// One unit on patrol.
    public struct Member: Hashable, Sendable {
        public var id: UnitID
        public var kind: UnitKind
        /// Officers (a car's crew, or the one officer on foot), lead first.
        public var officers: [Officer]
        public var plate: String?
        public var seats: Int?
    }

    /// A (fictional) officer.
    public struct Officer: Hashable, Sendable {
        public var name: String
        /// Six digits, e.g. `041203`.
        public var badge: String
    }

    /// Patrol cars first (`C11`...), then officers on foot (`F21`...).
    public var units: [Member]
    /// Officers on duty at the station, not registered as units.
    public var atStation: [Officer]

    public init(carCount: Int, footCount: Int, stationStrength: Int) {
        let cars = max(0, carCount), foot = max(0, footCount)
        let total = max(stationStrength, cars * 2 + foot)
        let officers = (0..<total).map { Self.officer($0) }
        var next = 0
        var units: [Member] = []
        for i in 0..<cars {
            let crew = [officers[next], officers[next + 1]]
            next += 2
            let n = 11 + i
            units.append(Member(id: UnitID("C\(n)"), kind: .car, officers: crew,
                                plate: "渝A·J" + Self.pad(3 + i / 100, 2) + Self.pad(n % 100, 2), seats: 5))
        }
        for i in 0..<foot {
            units.append(Member(id: UnitID("F\(21 + i)"), kind: .officerOnFoot, officers: [officers[next]],
                                plate: nil, seats: nil))
            next += 1
        }
        self.units = units
        atStation = Array(officers[next...])
    }

    /// Officers out on patrol.
    public var onPatrolCount: Int { units.reduce(0) { $0 + $1.officers.count } }

    /// The `unit.registered` payload of a member, starting at `home`.
    public func registration(_ m: Member, home: Point) -> UnitRegistered {
        UnitRegistered(id: m.id, callsign: m.id.rawValue, kind: m.kind, name: m.officers.first?.name,
                       badge: m.officers.first?.badge, plate: m.plate, seats: m.seats,
                       crew: m.kind == .car ? m.officers.map(\.name) : [], home: home, status: .available)
    }

    // Fictional pinyin names, combined by a fixed rule.
    static let surnames = ["Zhang", "Li", "Wang", "Chen", "Liu", "Yang", "Zhao", "Huang", "Zhou", "Wu",
                           "Xu", "Sun", "Hu", "Zhu", "Gao", "Lin", "He", "Guo", "Ma", "Luo", "Tang", "Deng", "Feng"]
    static let givenNames = ["Min", "Jie", "Wei", "Qiang", "Lei", "Jun", "Yan", "Tao", "Ming", "Hui", "Fang",
                             "Ping", "Gang", "Hong", "Yun", "Bo", "Lan", "Ning", "Xin", "Hao", "Rui", "Kai",
                             "Jing", "Peng", "Dan", "Yu", "Chao", "Lu", "Shan"]

    static func officer(_ i: Int) -> Officer {
        let name = surnames[(i * 7) % surnames.count] + " " + givenNames[(i * 11 + 3) % givenNames.count]
        return Officer(name: name, badge: "0412" + pad(i + 1, 2))
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
