import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomRouting

extension DispatchRouting {
    /// The reference ranking: every assignable unit in `state` routed one by one to the
    /// incident (leg + road + leg), fastest first (ties by unit id); units no road leads from
    /// are left out. Metres to a decimetre, as the routing engine writes them.
    ///
    /// - Complexity: one route search per assignable unit.
    func rankAll(for incidentID: IncidentID, in state: PrecinctState) -> [UnitRecommendation] {
        guard let incident = state.incidents[incidentID] else { return [] }
        sync(traffic: state.traffic)
        var out: [UnitRecommendation] = []
        for unit in state.assignableUnits {
            guard let r = placedRoute(unit, to: incident) else { continue }
            out.append(UnitRecommendation(unit: unit.id, seconds: r.seconds, meters: Self.tenth(r.meters),
                                          straightLineMeters: Self.tenth(unit.position.distance(to: incident.point)),
                                          offRoadMeters: Self.tenth(r.offRoadMeters)))
        }
        out.sort { ($0.seconds, $0.unit) < ($1.seconds, $1.unit) }
        return out
    }
}
