import Foundation
import WatchroomCore

/// The ranked units for an incident as the console shows them: travel time and ETA, road
/// distance, straight-line distance, and whether the nearest unit as the crow flies is
/// not the fastest.
public struct RecommendationView: Hashable, Sendable {
    public struct Row: Hashable, Sendable {
        public var unit: UnitID
        public var callsign: String
        public var kind: UnitKind
        /// 1 for the fastest.
        public var rank: Int
        public var seconds: Double
        public var eta: Date
        public var meters: Double
        public var straightLineMeters: Double
        /// The part of `meters` off the road.
        public var offRoadMeters: Double
        /// This unit is the nearest as the crow flies.
        public var nearestAsCrowFlies: Bool
    }

    public var incident: IncidentID
    public var rows: [Row]
    /// The fastest unit.
    public var fastest: UnitID? { rows.first?.unit }
    /// The unit nearest as the crow flies among those listed.
    public var nearestAsCrowFlies: UnitID? { rows.first(where: \.nearestAsCrowFlies)?.unit }
    /// The crow-flies nearest unit is not the fastest: the map misleads, trust the ranking.
    public var crowFliesIsNotFastest: Bool { nearestAsCrowFlies != nil && nearestAsCrowFlies != fastest }

    /// The view of `ranked` (fastest first) for `incident`, keeping only units still assignable
    /// in `state`; ETAs from `now`.
    public static func make(incident: IncidentID, ranked: [UnitRecommendation], state: PrecinctState, now: Date) -> RecommendationView {
        let usable = ranked.filter { state.units[$0.unit]?.status.isAssignable == true }
        let nearest = usable.min { ($0.straightLineMeters, $0.unit) < ($1.straightLineMeters, $1.unit) }?.unit
        let rows = usable.enumerated().compactMap { i, r -> Row? in
            guard let u = state.units[r.unit] else { return nil }
            return Row(unit: r.unit, callsign: u.callsign, kind: u.kind, rank: i + 1, seconds: r.seconds,
                       eta: now.addingTimeInterval(r.seconds), meters: r.meters, straightLineMeters: r.straightLineMeters,
                       offRoadMeters: r.offRoadMeters, nearestAsCrowFlies: r.unit == nearest)
        }
        return RecommendationView(incident: incident, rows: rows)
    }

    /// The view of the incident's latest recommendation in `state`.
    public static func make(incident: IncidentID, state: PrecinctState, now: Date) -> RecommendationView {
        make(incident: incident, ranked: state.incidents[incident]?.recommendation ?? [], state: state, now: now)
    }
}
