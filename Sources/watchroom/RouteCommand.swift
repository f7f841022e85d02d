import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomRouting

struct RouteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "route",
        abstract: "The fastest route between two places, turn by turn.",
        discussion: """
            PLACE is an address ("永平门街 18", "18 Yongping Gate Street"), a landmark (Chinese or
            romanized name), an intersection id ("n12"), two crossing streets ("永平门街 & 正街"),
            or metres "x,y", or a point part-way along a segment ("e17@0.25"). With --shift, --from
            may also be a unit id: the route starts where the recording last placed it, by its own
            profile unless --profile is given. With --json, prints one object with seconds,
            meters and steps.
            """
    )

    @Option(help: "The map file (default: the bundled Jiangbeicheng map).")
    var map: String?

    @Option(help: "Where from.")
    var from: String

    @Option(help: "Where to.")
    var to: String

    @Option(help: "car or foot (on foot ignores one-way streets and walks at 1.4 m/s); default car, or the unit's.")
    var profile: ProfileOption?

    @Option(help: "A recorded shift (shift file or JSON Lines): --from may name one of its units.")
    var shift: String?

    @Flag(help: "Print JSON.")
    var json = false

    func run() throws {
        let precinct = try MapCommand.load(map ?? DefaultMap.path())
        var fromText = from, fromLabel: String?, unitProfile: RoutingProfile?
        if let shift {
            let state = PrecinctState.fold(try ReplayConsole.load(shift).envelopes)
            if let unit = state.units[UnitID(from)] ?? state.unitsInOrder.first(where: { $0.id.rawValue.lowercased() == from.lowercased() }) {
                // Where the recording last placed it, as a place the resolver reads.
                fromText = unit.road.map { "\($0.segment.rawValue)@\($0.fraction)" } ?? "\(unit.position.x),\(unit.position.y)"
                fromLabel = "\(unit.callsign) (\(fromText))"
                unitProfile = RoutingProfile(unit.kind)
            }
        }
        var plan = try RoutePlan(map: precinct, from: fromText, to: to, profile: profile?.profile ?? unitProfile ?? .car)
        if let fromLabel { plan.from.label = fromLabel }
        if json {
            FileHandle.standardOutput.write(plan.json())
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else {
            say(plan.text())
        }
    }
}

/// A resolved route between two typed places, ready to print.
struct RoutePlan {
    let map: PrecinctMap
    let profile: RoutingProfile
    var from: ResolvedPlace
    let to: ResolvedPlace
    let route: Route

    init(map: PrecinctMap, from: String, to: String, profile: RoutingProfile) throws {
        self.map = map
        self.profile = profile
        let resolver = PlaceResolver(map: map, profile: profile)
        do { self.from = try resolver.resolve(from) } catch {
            let hint = if case .noMatch = error { "; a unit id needs --shift FILE" } else { "" }
            throw CLIError("--from: \(error.description)\(hint)")
        }
        do { self.to = try resolver.resolve(to) } catch { throw CLIError("--to: \(error.description)") }
        let network = RoadNetwork(map: map)
        let query = RouteQuery(graph: network.graph(for: profile))
        guard let route = query.fastest(from: self.from.position, to: self.to.position,
                                        weights: network.weights(for: profile)) else {
            throw CLIError("no \(profile.rawValue) route from \(self.from.label) to \(self.to.label): one-way streets, closures or access rules cut it off")
        }
        self.route = route
    }

    func text() -> String {
        var lines = [
            "From:  \(from.label)",
            "To:    \(to.label)",
            "By \(profile.rawValue): \(DurationText.clock(route.seconds)) (\(Int(route.seconds.rounded())) s), \(Distance.text(route.meters))",
        ]
        for (i, step) in route.steps.enumerated() {
            let tail = step.meters > 0 ? " — \(Distance.text(step.meters)), \(DurationText.clock(step.seconds))" : ""
            lines.append(String(format: "%3d. ", i + 1) + step.instruction + tail)
        }
        return lines.joined(separator: "\n")
    }

    func json() -> Data {
        let steps: [[String: Any]] = route.steps.map {
            ["instruction": $0.instruction, "street": $0.streetName, "turn": $0.turn.rawValue,
             "meters": round1($0.meters), "seconds": round1($0.seconds)]
        }
        let object: [String: Any] = [
            "from": ["query": from.label, "x": round1(from.point.x), "y": round1(from.point.y)],
            "to": ["query": to.label, "x": round1(to.point.x), "y": round1(to.point.y)],
            "profile": profile.rawValue,
            "seconds": (route.seconds * 1000).rounded() / 1000,
            "meters": round1(route.meters),
            "steps": steps,
        ]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
    }

    private func round1(_ v: Double) -> Double { (v * 10).rounded() / 10 }
}

enum Distance {
    static func text(_ meters: Double) -> String {
        meters >= 1000 ? String(format: "%.2f km", meters / 1000) : "\(Int(meters.rounded())) m"
    }
}
