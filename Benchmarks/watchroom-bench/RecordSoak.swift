import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomRecords

extension WatchroomBench {
    /// Records a stream of events as fast as it can with the real recorder, printing
    /// `committed SEQ` each time `flushAndWait` returns (every event up to SEQ is then on
    /// disk). The kill -9 test kills it mid-write and checks the file holds them all.
    /// Event `seq` is a `unit.position` of unit `S1` at x = seq, y = -seq / 2.
    struct RecordSoak: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record-soak",
            abstract: "Record a stream of events, reporting what is committed (the kill -9 durability test)."
        )

        @Option(name: .shortAndLong, help: "The shift file to create.") var output: String
        @Option(help: "Events to publish (after the shift start and the unit).") var events: Int = 5_000_000
        @Option(help: "Wait for the disk after this many events.") var flushEvery: Int = 200

        func run() throws {
            guard events >= 1, flushEvery >= 1 else { throw CLIError("--events and --flush-every must be at least 1") }
            let start = ISOTime.parse("2026-03-14T20:00:00+08:00") ?? Date(timeIntervalSince1970: 1_773_489_600)
            let clock = ManualClock(start)
            let bus = EventBus(clock: clock, logCapacity: 10_000)
            let store: ShiftStore
            do {
                store = try ShiftStore.create(path: output, map: "soak", timeZone: "Asia/Shanghai",
                                              watchroomVersion: WatchroomVersion.current)
            } catch {
                throw CLIError("\(error)")
            }
            let recorder = try ShiftRecorder(store: store, bus: bus)
            bus.publish(.shiftStarted(ShiftStarted(map: "soak", timeZone: "Asia/Shanghai", mode: .live)))
            bus.publish(.unitRegistered(UnitRegistered(id: "S1", kind: .car, home: Point(x: 0, y: 0))))
            for k in 1...events {
                clock.advance(by: 0.01)
                let seq = Double(bus.lastSeq + 1)
                bus.publish(.unitPosition(UnitPosition(unit: "S1", point: Point(x: seq, y: -seq / 2))))
                if k % flushEvery == 0 {
                    try recorder.flushAndWait()
                    FileHandle.standardOutput.write(Data("committed \(recorder.lastCommittedSeq)\n".utf8))
                }
            }
            try recorder.stop()
            FileHandle.standardOutput.write(Data("committed \(recorder.lastCommittedSeq)\nclosed\n".utf8))
        }
    }
}
