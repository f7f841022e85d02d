import Foundation
import WatchroomCore
import WatchroomRouting

/// `map export --format edges-tsv`: the routing graph as directed arcs.
enum EdgesExport {
    /// One line per arc of the profile's graph, after the header
    /// `from<TAB>to<TAB>seconds<TAB>meters`; weights are free-flow (no live traffic).
    static func tsv(map: PrecinctMap, profile: RoutingProfile) -> String {
        let graph = RoadGraph(map: map, profile: profile)
        var out = "from\tto\tseconds\tmeters\n"
        out.reserveCapacity(graph.arcCount * 32)
        for node in 0..<graph.nodeCount {
            let from = map.intersections[node].key
            for arc in Int(graph.firstOut[node])..<Int(graph.firstOut[node + 1]) {
                let to = map.intersections[Int(graph.head[arc])].key
                let seconds = Double(graph.baseWeight[arc]) / 1000
                let meters = map.segments[graph.segment(ofArc: arc)].lengthMeters
                out += "\(from)\t\(to)\t\(String(format: "%.3f", seconds))\t\(String(format: "%.1f", meters))\n"
            }
        }
        return out
    }
}
