import Foundation
import Logging
import WatchroomCore
import WatchroomEngine
import WatchroomRecords
import WatchroomRouting
import WatchroomSimulation

/// A live shift put together: one road network and one set of indexes for the source, the
/// engine and the desk; the clock; the recording to a shift file; the orders sent out; the
/// dispatch desk. `watchroom` (the console), `watchroom drill` and a headless server build
/// a shift the same way through it.
///
/// Use: make it, then `record(to:)`, `sendOrders(to:)` and `desk(...)` as asked for (before
/// any terminal is taken, so a refusal is one plain line), `start()`, and `stop()` at the end.
public final class LiveShiftSetup {
    public let map: PrecinctMap
    public let index: RoutingIndex
    public let clock: SimulatedClock
    public let shift: LiveShift
    /// The simulation making the shift happen; `nil` when another source drives it (a drill).
    public let simulator: ShiftSimulator?
    /// The shift folded from the recording it resumes, if it does.
    public let resumed: PrecinctState?
    /// The recording, once `record(to:appending:watchroomVersion:)` opened it.
    public private(set) var recorder: ShiftRecorder?
    private var writer: OrdersWriter?
    private var ordersToken: SubscriptionToken?
    private let logger = Logger(label: "watchroom.shift")

    /// A simulated live shift. Resuming (`resuming` holds the recorded state), the clock goes
    /// on from its last event and the simulator takes over every unit.
    public init(map: PrecinctMap, simulation config: SimulationConfig, speed: Double, resuming: PrecinctState? = nil) {
        self.map = map
        index = RoutingIndex(map: map)
        let simulator = ShiftSimulator(map: map, config: config, index: index)
        self.simulator = simulator
        resumed = resuming
        clock = SimulatedClock(start: resuming?.now ?? Date(), speed: speed)
        shift = LiveShift(map: map, clock: clock, source: simulator, mode: .live, seed: config.seed, resuming: resuming,
                          index: index)
    }

    /// A shift driven by another source (a drill's recording) from `start`, over `index`.
    public init(map: PrecinctMap, source: ShiftSource, mode: ShiftMode, seed: UInt64, start: Date, speed: Double,
                index: RoutingIndex) {
        self.map = map
        self.index = index
        simulator = nil
        resumed = nil
        clock = SimulatedClock(start: start, speed: speed)
        shift = LiveShift(map: map, clock: clock, source: source, mode: mode, seed: seed, index: index)
    }

    /// Records every event of the shift to `file`: a new shift file, or (`appending`) the
    /// one it resumes. The error says what is wrong with the file.
    public func record(to file: String, appending: Bool, watchroomVersion: String) throws {
        let store = appending
            ? try ShiftStore.open(path: file, readOnly: false, watchroomVersion: watchroomVersion)
            : try ShiftStore.create(path: file, map: MapKey(map.key), timeZone: map.timeZone, mode: shift.mode,
                                    watchroomVersion: watchroomVersion)
        recorder = try ShiftRecorder(store: store, bus: shift.bus)
        logger.info("recording to \(file)")
    }

    /// Writes every dispatch order as JSON Lines to `spec` (a file path, `unix:/path` or
    /// `tcp:HOST:PORT`). No order vanishes: a sink that fails is shown (ORDERS DOWN, the
    /// ticker, the log) and its orders are re-delivered in order when it is back; every
    /// delivery is recorded, so `shift info` can list what never arrived.
    public func sendOrders(to spec: String) throws {
        let sink: OrdersSink
        switch OrdersSink.parse(spec) {
        case .failure(let error): throw CLIError("--orders \(spec): \(error)")
        case .success(let s): sink = s
        }
        let name = sink.description
        let ordersLog = Logger(label: "watchroom.orders")
        let shift = self.shift
        let w = OrdersWriter(sink: sink, timeZone: ISOTime.timeZone(named: map.timeZone) ?? .current,
                             onStatus: { status in
                                 switch status {
                                 case .down(let reason, let waiting):
                                     ordersLog.error("ORDERS DOWN: \(reason); \(waiting) waiting")
                                     shift.publish(.ordersSink(OrdersSinkStatus(sink: name, up: false, reason: reason, orders: waiting)))
                                 case .up(let redelivered):
                                     ordersLog.notice("orders to \(name) back up; \(redelivered) re-delivered")
                                     shift.publish(.ordersSink(OrdersSinkStatus(sink: name, up: true, orders: redelivered)))
                                 }
                             },
                             onDelivered: { tag in
                                 shift.publish(.orderDelivered(OrderDelivered(order: tag.seq, unit: tag.unit, incident: tag.incident, sink: name)))
                             })
        writer = w
        ordersToken = shift.bus.subscribe { envelope in
            if let sheet = envelope.event.orderSheet { w.write(sheet, seq: envelope.seq) }
        }
    }

    /// The dispatch desk on this shift: over its routing index, with the simulation's
    /// virtual commander, and (when recording) every decision on disk before it shows as sent.
    public func desk(records: RecordsLookup?, observer: Bool, policy: AlertPolicy = .standard) -> DispatchDesk {
        let desk = DispatchDesk(map: map, records: records, observer: observer, policy: policy, index: index)
        desk.virtual = simulator?.commander
        if let recorder { desk.durable = { try recorder.flushAndWait() } }
        return desk
    }

    /// Opens the shift (or takes up the resumed one) and connects the orders sink, so one
    /// that is down shows at once, not with the first order.
    public func start() {
        shift.start()
        writer?.connect()
    }

    /// Stops the shift, sends what orders are left and closes the recording; throws the
    /// recording's error, if any.
    public func stop() throws {
        shift.stop()
        ordersToken?.cancel()
        writer?.flush()
        try recorder?.stop()
    }

    /// Closes the recording of a shift that never started (a refusal after `record(to:)`).
    public func abandon() {
        ordersToken?.cancel()
        try? recorder?.stop()
    }
}
