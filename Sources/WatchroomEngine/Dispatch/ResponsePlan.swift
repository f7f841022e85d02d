import Foundation
import WatchroomCore

/// How many units, and of what kind, the first dispatch to an incident sends.
/// The table is in docs/dispatch.md.
public struct ResponsePlan: Hashable, Sendable {
    /// Units the first dispatch sends.
    public var units: Int
    /// How many of them must be cars (when cars are available).
    public var minCars: Int
    /// For a single-unit plan: send an officer on foot if one is within this many
    /// seconds, else the fastest car.
    public var footWithinSeconds: Double?
    /// Lines for the order sheets ("fire brigade called").
    public var notes: [String]

    public init(units: Int, minCars: Int = 0, footWithinSeconds: Double? = nil, notes: [String] = []) {
        self.units = max(1, units)
        self.minCars = max(0, min(minCars, max(1, units)))
        self.footWithinSeconds = footWithinSeconds
        self.notes = notes
    }

    /// A short description: `2 units, at least 1 car`.
    public var summary: String { summaryPhrase.text(.english) }

    /// The same in the interface's language (`2 个警力，至少 1 辆车`).
    public var summaryPhrase: InterfacePhrase {
        var p = InterfacePhrase(key: "plan.summary", args: ["", "", ""])
        p = p.with(0, units == 1 ? InterfacePhrase("plan.oneUnit") : InterfacePhrase("plan.units", units))
        if minCars > 0 {
            p = p.with(1, minCars == units ? InterfacePhrase(units == 1 ? "plan.aCar" : "plan.allCars")
                                           : InterfacePhrase(minCars > 1 ? "plan.atLeastCars" : "plan.atLeastCar", minCars))
        }
        if let f = footWithinSeconds { p = p.with(2, InterfacePhrase("plan.footWithin", Int(f / 60))) }
        return p
    }

    /// The plan for an incident of `category` and `priority` (1...3); a weapon in play
    /// raises it to at least two units with at least one car.
    public static func plan(category: IncidentCategory, priority: Int, weapon: Bool) -> ResponsePlan {
        let p = min(3, max(1, priority))
        var plan: ResponsePlan
        switch category {
        case .assault, .dispute, .domestic:
            plan = p == 1 ? ResponsePlan(units: 2, minCars: 1)
                : p == 2 ? ResponsePlan(units: category == .dispute ? 1 : 2)
                : ResponsePlan(units: 1, footWithinSeconds: 300)
        case .suicideRisk:
            plan = ResponsePlan(units: 2, minCars: 1, notes: ["ambulance requested (120)", "check background before contact"])
        case .trafficAccident:
            plan = p == 1 ? ResponsePlan(units: 2, minCars: 2, notes: ["ambulance requested (120)"]) : ResponsePlan(units: 1, minCars: 1)
        case .fire:
            plan = ResponsePlan(units: p == 1 ? 2 : 1, minCars: 1, notes: ["fire brigade called (119)", "keep the access road clear"])
        case .noise:
            plan = ResponsePlan(units: 1, footWithinSeconds: 300)
        case .theft:
            plan = p == 1 ? ResponsePlan(units: 2, minCars: 1) : p == 2 ? ResponsePlan(units: 1) : ResponsePlan(units: 1, footWithinSeconds: 300)
        case .missingPerson:
            plan = p == 1 ? ResponsePlan(units: 2, minCars: 1) : ResponsePlan(units: 1, minCars: 1)
        case .other:
            plan = p == 1 ? ResponsePlan(units: 2) : ResponsePlan(units: 1)
        }
        if weapon {
            plan.units = max(plan.units, 2)
            plan.minCars = max(plan.minCars, 1)
            plan.footWithinSeconds = nil
            plan.notes.insert("weapon reported: approach with caution, wait for your colleague", at: 0)
        }
        return plan
    }

    /// The plan for a known incident.
    public static func plan(for incident: IncidentRecord) -> ResponsePlan {
        plan(category: incident.category, priority: incident.priority, weapon: incident.weapon)
    }
}

/// Picks units from a ranking according to a plan.
public enum ResponsePlanner {
    /// The units a plan sends, from `ranked` (fastest first), honouring kinds: the
    /// fastest units, except that slots are held for the plan's cars while cars remain;
    /// a single-unit plan with `footWithinSeconds` takes an officer on foot within that
    /// time, else the fastest car. Only assignable units in `units` are chosen. With too
    /// few of a kind, the fastest of the rest fill the plan. Result in ranking order.
    public static func choose(plan: ResponsePlan, ranked: [UnitRecommendation], units: [UnitID: UnitRecord]) -> [UnitID] {
        let pool = ranked.filter { units[$0.unit]?.status.isAssignable == true }
        func isCar(_ r: UnitRecommendation) -> Bool { units[r.unit]?.kind == .car }
        if plan.units == 1, let limit = plan.footWithinSeconds {
            if let foot = pool.first(where: { !isCar($0) && $0.seconds <= limit }) { return [foot.unit] }
            if let car = pool.first(where: isCar) { return [car.unit] }
            return pool.first.map { [$0.unit] } ?? []
        }
        let carsAvailable = pool.filter(isCar).count
        let carsWanted = min(plan.minCars, carsAvailable)
        var chosen: [UnitRecommendation] = []
        var cars = 0
        for r in pool where chosen.count < plan.units {
            let car = isCar(r)
            if !car && plan.units - chosen.count <= carsWanted - cars { continue }
            chosen.append(r)
            if car { cars += 1 }
        }
        if chosen.count < plan.units {
            for r in pool where chosen.count < plan.units && !chosen.contains(r) { chosen.append(r) }
        }
        let picked = Set(chosen.map(\.unit))
        return pool.filter { picked.contains($0.unit) }.map(\.unit)
    }

    /// Reinforcement: the next `count` fastest assignable units, skipping `excluding`
    /// (units already sent).
    public static func nextFastest(count: Int, ranked: [UnitRecommendation], units: [UnitID: UnitRecord],
                                   excluding: Set<UnitID>) -> [UnitID] {
        ranked.lazy.filter { !excluding.contains($0.unit) && units[$0.unit]?.status.isAssignable == true }
            .prefix(max(0, count)).map(\.unit)
    }
}
