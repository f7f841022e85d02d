import ArgumentParser
import Foundation
import WatchroomCore
import WatchroomMapFormat
import WatchroomRouting

/// What `watchroom` with no subcommand does. Until the console lands, it prints the map's
/// summary and an example dispatch route from the station.
struct Start: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "start",
        abstract: "Start on a map (the default: the bundled Jiangbeicheng precinct)."
    )

    @Option(help: "The map file.")
    var map: String?

    func run() throws {
        let path = map ?? DefaultMap.path()
        let precinct = try MapCommand.load(path)
        say(MapSummary(map: precinct).text)
        guard let station = precinct.station else { return }
        // The address farthest from the station makes the most telling example.
        guard let target = precinct.addresses.max(by: {
            $0.position.distance(to: station.position) < $1.position.distance(to: station.position)
        }) else { return }
        let street = precinct.streets[target.street].name
        say("")
        say("Example dispatch route, \(ISOTime.format(Date(), timeZone: ISOTime.timeZone(named: precinct.timeZone) ?? .current)):")
        let plan = try RoutePlan(map: precinct, from: station.name, to: "\(street) \(target.number)", profile: .car)
        say(plan.text())
    }
}
