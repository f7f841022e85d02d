import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol

/// The server's one command executor: the console's dispatch desk (response plans, order
/// sheets with background warnings, audited records lookups, the virtual commander's
/// hand-over), with clock commands (`speed`, `pause`, `resume`) applied to the shift's clock
/// for everyone. The virtual commander decides on the shift's queue and dispatches through
/// the same desk (order sheets included), one call at a time with the commanders' commands.
public final class DeskExecutor: @unchecked Sendable {
    private let desk: DispatchDesk
    private let shift: LiveShift
    private let lock = NSLock()

    public init(desk: DispatchDesk, shift: LiveShift) {
        self.desk = desk
        self.shift = shift
        let lock = self.lock
        desk.virtual?.desk = { [weak desk] decision, state, now in
            lock.withLock { desk?.auto(decision, state: state, now: now) ?? [] }
        }
    }

    /// The function to give ``ShiftServer``.
    public var run: ShiftServer.Executor {
        { [self] command, caller, state, now in execute(command, caller: caller, state: state, now: now) }
    }

    /// Whether the virtual commander dispatches (``ShiftServer/Options/autoDispatch``).
    public var autoDispatch: @Sendable () -> Bool {
        let virtual = desk.virtual
        return { virtual?.isOn ?? false }
    }

    public func execute(_ command: Command, caller: CommandCaller, state: PrecinctState, now: Date) -> CommandResult {
        lock.withLock {
            desk.closeOverlay()
            let result = desk.execute(command, state: state, now: now, selected: caller.selected)
            guard !result.failed else { return CommandResult(accepted: false, message: result.message) }
            var message = result.message
            if let speed = result.speed { shift.clock.speed = speed }
            if let pause = result.pause { if pause { shift.clock.pause() } else { shift.clock.resume() } }
            if command.kind == .clock { message += " (the server's clock: every console)" }
            let lines = desk.summaryLines
            return CommandResult(accepted: true, events: result.events, message: message, lines: lines,
                                 title: lines == nil ? nil : desk.summaryTitle)
        }
    }
}
