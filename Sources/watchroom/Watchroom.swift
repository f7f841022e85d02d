import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore

@main
struct Watchroom: ParsableCommand {
    static let version = WatchroomVersion.current

    static let configuration = CommandConfiguration(
        commandName: "watchroom",
        abstract: "A terminal command-room console for a police precinct.",
        discussion: """
            With no subcommand, starts on the default map (Maps/jiangbei-city.wrmap).
            Times are 24-hour ISO 8601 with offset, in the precinct's time zone.
            """,
        version: version,
        subcommands: [Start.self, RunCommand.self, ServeCommand.self, AttachCommand.self, StatusCommand.self, ReplayCommand.self, DrillCommand.self, MapCommand.self, RouteCommand.self, ShiftCommand.self],
        defaultSubcommand: Start.self
    )

    /// Every file the program creates (shift files, orders files, logs, the records
    /// database, exports) is private: mode 0600, folders 0700 (docs/privacy.md).
    static func main() {
        umask(0o077)
        MallocTuning.limitArenas()
        main(joiningNegativeValues(Array(CommandLine.arguments.dropFirst())))
    }

    /// `--speed -5` as `--speed=-5`: the argument parser takes a word starting with `-` for
    /// an option and would say "Missing value"; joined, the value reaches the option's own
    /// check, which says what is wrong with it.
    static func joiningNegativeValues(_ arguments: [String]) -> [String] {
        var out: [String] = []
        var k = 0
        while k < arguments.count {
            let word = arguments[k]
            if word.hasPrefix("--"), word.count > 2, !word.contains("="), k + 1 < arguments.count,
               isNegativeNumber(arguments[k + 1]) {
                out.append(word + "=" + arguments[k + 1])
                k += 2
                continue
            }
            out.append(word)
            k += 1
        }
        return out
    }

    private static func isNegativeNumber(_ word: String) -> Bool {
        guard word.hasPrefix("-"), word.count > 1 else { return false }
        let rest = word.dropFirst()
        return rest.first.map { $0.isNumber || $0 == "." } ?? false || ["inf", "infinity", "nan"].contains(rest.lowercased())
    }
}
