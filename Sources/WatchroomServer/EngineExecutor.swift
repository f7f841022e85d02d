import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol

/// The shift server's one command executor over the engine's ``CommandExecutor``: runs
/// each command against the shift's state, applies clock commands (`speed`, `pause`,
/// `resume`) to the shift's clock, and hands records lookups and the virtual commander's
/// hand-over to the hooks the front end gives. Used on the server's command queue only.
public final class EngineExecutor: @unchecked Sendable {
    private let executor: CommandExecutor
    private let shift: LiveShift
    /// Looks up records (audited by the front end); `nil`: lookups are refused.
    public var lookup: ((LookupQuery, CommandCaller) -> CommandResult)?
    /// Called with a commander's accepted events; returns words to add to the reply
    /// (the virtual commander handing over).
    public var published: (([Event]) -> String?)?
    /// Background warnings for an order sheet.
    public var warnings: (IncidentRecord) -> [String] = { _ in [] }

    public init(shift: LiveShift, routing: DispatchRouting) {
        self.shift = shift
        executor = CommandExecutor(routing: routing)
    }

    /// The function to give ``ShiftServer``.
    public var run: ShiftServer.Executor {
        { [self] command, caller, state, now in execute(command, caller: caller, state: state, now: now) }
    }

    public func execute(_ command: Command, caller: CommandCaller, state: PrecinctState, now: Date) -> CommandResult {
        let context = CommandContext(now: now, selectedIncident: caller.selected, operatorName: caller.name,
                                     warnings: warnings)
        switch executor.execute(command, state: state, context: context) {
        case .failure(let error):
            return CommandResult(accepted: false, message: error.description)
        case .success(let outcome):
            var result = CommandResult(accepted: true, events: outcome.events, message: outcome.message)
            switch outcome.action {
            case .setSpeed(let v)?:
                shift.clock.speed = v
            case .pause?:
                shift.clock.pause()
            case .resume?:
                shift.clock.resume()
            case .showLines(let lines)?, .showHelp(let lines)?:
                result.lines = lines
            case .lookup(let q)?:
                return lookup?(q, caller) ?? CommandResult(accepted: false, message: "No records database on this server.")
            case .showSummary?:
                result.lines = ShiftSummary.compute(state: state).table(timeZone: state.timeZone ?? .current)
                    .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            default:
                break
            }
            if !outcome.events.isEmpty, let extra = published?(outcome.events) { result.message += extra }
            return result
        }
    }
}
