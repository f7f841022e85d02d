import Foundation
import WatchroomCore
import WatchroomRouting

/// A place a call can come from: a label as the caller gives it, the point, and where
/// it joins the road network (a road cars may use when there is one nearby).
struct Place {
    var label: String
    var point: Point
    var road: RoadPosition?
    /// A landmark's kind (`market`, `school`, ...).
    var kind: String?
}

/// A crossing of two named streets: 16 bytes, made a ``Place`` (with its label) only when
/// a call comes from it (a city has hundreds of thousands).
struct Crossing {
    var node: Int32
    var streetA: Int32
    var streetB: Int32
    var segment: Int32

    func place(in map: PrecinctMap) -> Place {
        let a = map.streets[Int(streetA)], b = map.streets[Int(streetB)]
        var label = "\(a.name) & \(b.name)"
        if let ra = a.roman, let rb = b.roman, !ra.isEmpty, !rb.isEmpty { label += " (\(ra) & \(rb))" }
        let n = Int(node), s = Int(segment)
        return Place(label: label, point: map.intersections[n].position,
                     road: RoadPosition(segment: s, fraction: map.segments[s].from == n ? 0 : 1), kind: nil)
    }
}

/// The map's addresses, landmarks and street crossings as places.
struct Places {
    var addresses: [Place] = []
    var landmarks: [Place] = []
    var crossings: [Crossing] = []

    init(map: PrecinctMap, carSnap: PlaceResolver, footSnap: PlaceResolver) {
        func road(_ p: Point) -> RoadPosition? { carSnap.snap(p) ?? footSnap.snap(p) }
        for a in map.addresses where map.streets.indices.contains(a.street) {
            let street = map.streets[a.street]
            var label = "\(street.name) \(a.number)"
            if let r = street.roman, !r.isEmpty, r != street.name { label += " (\(r))" }
            if let name = a.name, !name.isEmpty { label = "\(name), " + label }
            addresses.append(Place(label: label, point: a.position, road: road(a.position), kind: nil))
        }
        for l in map.landmarks {
            var label = l.name
            if let r = l.roman, !r.isEmpty, r != l.name { label += " (\(r))" }
            landmarks.append(Place(label: label, point: l.position, road: road(l.position), kind: l.kind))
        }
        // Crossings of two named streets that cars use.
        var streetsAt = [[Int]](repeating: [], count: map.intersections.count)
        var segmentAt = [Int?](repeating: nil, count: map.intersections.count)
        let car = RoutingProfile.car
        for (i, s) in map.segments.enumerated() where car.speedMetersPerSecond(on: s) != nil {
            guard let st = s.street else { continue }
            for n in [s.from, s.to] where !streetsAt[n].contains(st) {
                streetsAt[n].append(st)
                if segmentAt[n] == nil { segmentAt[n] = i }
            }
        }
        for (n, streets) in streetsAt.enumerated() where streets.count >= 2 {
            // A street is listed at a node only with the segment that brought it there.
            guard let s = segmentAt[n] else { continue }
            crossings.append(Crossing(node: Int32(n), streetA: Int32(streets[0]), streetB: Int32(streets[1]), segment: Int32(s)))
        }
    }
}
