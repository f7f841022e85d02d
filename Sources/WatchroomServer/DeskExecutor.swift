import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol

/// The server's one command executor: the console's dispatch desk (response plans, order
/// sheets with background warnings, audited records lookups, the virtual commander's
/// hand-over), with clock commands (`speed`, `pause`, `resume`) applied to the shift's clock
/// for everyone. Used on the server's command queue only, as the desk is on a console's.
public final class DeskExecutor: @unchecked Sendable {
    private let desk: DispatchDesk
    private let shift: LiveShift

    public init(desk: DispatchDesk, shift: LiveShift) {
        self.desk = desk
        self.shift = shift
    }

    /// The function to give ``ShiftServer``.
    public var run: ShiftServer.Executor {
        { [self] command, caller, state, now in execute(command, caller: caller, state: state, now: now) }
    }

    public func execute(_ command: Command, caller: CommandCaller, state: PrecinctState, now: Date) -> CommandResult {
        desk.closeOverlay()
        let result = desk.execute(command, state: state, now: now, selected: caller.selected)
        guard !result.failed else { return CommandResult(accepted: false, message: result.message) }
        if let speed = result.speed { shift.clock.speed = speed }
        if let pause = result.pause { if pause { shift.clock.pause() } else { shift.clock.resume() } }
        return CommandResult(accepted: true, events: result.events, message: result.message, lines: desk.summaryLines)
    }
}
