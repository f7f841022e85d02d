import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomRecords
import WatchroomRouting
import WatchroomSimulation
import WatchroomUI

/// Milliseconds since `start` on the monotonic clock.
private func elapsedMs(since start: ContinuousClock.Instant) -> Double {
    let c = (ContinuousClock.now - start).components
    return Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
}

/// CPU time of the calling thread in milliseconds (on a shared machine, what the work
/// itself cost, whatever the neighbours do).
private func threadCPUMs() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) * 1000 + Double(ts.tv_nsec) / 1e6
}

private func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

private func ms(_ v: Double) -> String { String(format: "%.1f ms", v) }

extension WatchroomBench {
    // MARK: - replay

    struct Replay: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Headless replay of a generated busy shift: load, fold and seek, against raw SQLite reads.",
            discussion: """
                Generates a shift (busy profile, positions every --position-interval seconds) into a
                temporary shift file (or uses --file), then measures in the same run: a raw SQLite read
                of every row (no decoding: the yardstick), Recording.load, the fold into PrecinctState,
                and seeks to random times with ReplayCursor.
                """
        )

        @Option(help: "Simulated hours.") var hours: Double = 12
        @Option(help: "Seconds between two position events of a car.") var positionInterval: Double = 1
        @Option(help: "Seconds between two position events of an officer on foot.") var footPositionInterval: Double = 1
        @Option(help: "Patrol cars (the default 10 with 8 on foot gives more than 500,000 events in 12 h).") var cars: Int = 10
        @Option(help: "Officers on foot.") var foot: Int = 8
        @Option(parsing: .unconditional, help: "Random seed (0 to 2^64-1).", transform: Seed.parse) var seed: UInt64 = 2
        @Option(help: "Runs of each measurement (the median is reported).") var runs: Int = 3
        @Option(help: "Random seeks.") var seeks: Int = 1000
        @Option(help: "Use this shift file instead of generating one (opened read-only).") var file: String?
        @Option(help: "Keep the generated shift file here (must not exist).") var keep: String?

        func validate() throws {
            guard hours > 0, hours <= 48, positionInterval >= 1, footPositionInterval >= 1, cars >= 0, foot >= 0,
                  runs >= 1, seeks >= 1 else {
                throw ValidationError("hours 0-48, intervals at least 1 s, runs and seeks at least 1")
            }
        }

        func run() throws {
            let path: String
            var temporary: String?
            if let file {
                path = file
            } else {
                path = keep ?? NSTemporaryDirectory() + "watchroom-bench-\(ProcessInfo.processInfo.processIdentifier).shift"
                if keep == nil { temporary = path }
                try generate(to: path)
            }
            defer { if let temporary { try? FileManager.default.removeItem(atPath: temporary) } }

            let store = try ShiftStore.open(path: path, readOnly: true)
            let count = try store.count()
            var raw: [Double] = [], load: [Double] = [], fold: [Double] = [], both: [Double] = []
            var rawCPU: [Double] = [], loadCPU: [Double] = [], foldCPU: [Double] = [], bothCPU: [Double] = []
            var rows = 0, bytes = 0
            var digest: UInt64 = 0
            for _ in 0..<runs {
                var t = ContinuousClock.now
                var c = threadCPUMs()
                let scan = try store.scanRaw()
                raw.append(elapsedMs(since: t))
                rawCPU.append(threadCPUMs() - c)
                rows = scan.rows
                bytes = scan.bytes

                t = ContinuousClock.now
                c = threadCPUMs()
                let recording = try Recording.load(path: path)
                load.append(elapsedMs(since: t))
                loadCPU.append(threadCPUMs() - c)

                t = ContinuousClock.now
                c = threadCPUMs()
                let state = PrecinctState.fold(recording.envelopes)
                fold.append(elapsedMs(since: t))
                foldCPU.append(threadCPUMs() - c)
                digest = state.digest

                t = ContinuousClock.now
                c = threadCPUMs()
                let again = try Recording.load(path: path)
                let s2 = PrecinctState.fold(again.envelopes)
                both.append(elapsedMs(since: t))
                bothCPU.append(threadCPUMs() - c)
                guard s2.lastSeq == state.lastSeq else { throw CLIError("two loads disagree") }
            }
            try store.close()
            func med(_ v: [Double]) -> Double { percentile(v.sorted(), 0.5) }
            let rawMs = med(raw), rawCPUMs = med(rawCPU)
            func line(_ label: String, _ wall: [Double], _ cpu: [Double], ratio: Bool) -> String {
                var text = label.padding(toLength: 42, withPad: " ", startingAt: 0)
                    + String(format: "%7.1f ms wall (min %.1f), %7.1f ms CPU", med(wall), wall.min() ?? 0, med(cpu))
                if ratio {
                    text += String(format: "   %.1fx raw wall, %.1fx raw CPU", med(wall) / rawMs, med(cpu) / rawCPUMs)
                }
                return text
            }
            say("shift \(path): \(count) events, \(rows) rows, \(bytes / 1_000_000) MB of text, \(FileSize.text(ofFile: path)) file")
            say("median of \(runs) runs (wall clock; CPU time of the thread):")
            say("  " + line("raw SQLite read of every row (yardstick)", raw, rawCPU, ratio: false))
            say("  " + line("Recording.load", load, loadCPU, ratio: true))
            say("  " + line("fold into PrecinctState", fold, foldCPU, ratio: false))
            say("  " + line("load + fold", both, bothCPU, ratio: true))
            say("  final state digest \(String(digest, radix: 16))")

            // Seeks with the console's replay cursor (periodic snapshots).
            let recording = try Recording.load(path: path)
            var t = ContinuousClock.now
            var cursor = ReplayCursor(envelopes: recording.envelopes)
            let build = elapsedMs(since: t)
            var rng = SplitMix64(seed: seed)
            let span = cursor.end.timeIntervalSince(cursor.start)
            var times: [Double] = []
            times.reserveCapacity(seeks)
            for _ in 0..<seeks {
                let target = cursor.start.addingTimeInterval(span * rng.nextUnit())
                t = ContinuousClock.now
                cursor.seek(to: target)
                times.append(elapsedMs(since: t))
            }
            let sorted = times.sorted()
            say(String(format: "  ReplayCursor: built in %.0f ms (%d snapshots); %d random seeks: median %.2f ms, p99 %.2f ms, max %.2f ms",
                       build, cursor.snapshotCount, seeks, percentile(sorted, 0.5), percentile(sorted, 0.99), sorted.last ?? 0))
        }

        private func generate(to path: String) throws {
            let precinct = try MapFile.load(DefaultMap.path())
            var config = SimulationConfig(seed: seed, profile: .busy)
            config.positionInterval = positionInterval
            config.footPositionInterval = footPositionInterval
            config.carCount = cars
            config.footCount = foot
            var routing = RoutingCore(map: precinct)
            let t = ContinuousClock.now
            let start = ISOTime.parse("2026-03-14T20:00:00+08:00") ?? Date(timeIntervalSince1970: 1_773_489_600)
            let envelopes = ShiftSimulator.generateShift(map: precinct, config: config, hours: hours, start: start) {
                routing.handle($0)
            }
            let store = try ShiftStore.create(path: path, map: MapKey(precinct.key), timeZone: precinct.timeZone,
                                              watchroomVersion: WatchroomVersion.current)
            var k = 0
            while k < envelopes.count {
                let end = min(envelopes.count, k + 50_000)
                try store.append(Array(envelopes[k..<end]))
                k = end
            }
            try store.close()
            say(String(format: "generated %d events (%.0f h, busy, positions every %.0f s / %.0f s on foot, %d cars, %d on foot) in %.1f s",
                       envelopes.count, hours, positionInterval, footPositionInterval, cars, foot, elapsedMs(since: t) / 1000))
        }
    }
}

extension WatchroomBench {
    // MARK: - record

    struct Record: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "record",
            abstract: "Durable recording at a sustained rate while console frames are composed at 10 fps.",
            discussion: """
                One thread publishes unit.position events on an EventBus at --rate events per second,
                paced every millisecond; the real ShiftRecorder writes them to a temporary shift file
                (WAL, synchronous=FULL). Meanwhile a desk thread publishes a dispatch decision every
                250 ms and waits until it is durable (flushAndWait), as the console does before showing
                it as sent; and a frame thread composes console frames (ConsoleRenderer, the live state)
                at 10 fps, counting frames that finish more than one frame interval (100 ms) late.
                """
        )

        @Option(help: "Events per second to publish.") var rate: Int = 25_000
        @Option(help: "Seconds to run.") var seconds: Double = 10
        @Option(help: "Units moving (round robin).") var units: Int = 300
        @Option(help: "Screen width in cells.") var width: Int = 160
        @Option(help: "Screen height in cells.") var height: Int = 48

        func validate() throws {
            guard rate >= 1, rate <= 2_000_000, seconds > 0, seconds <= 600, units >= 1, width >= 20, height >= 10 else {
                throw ValidationError("rate 1-2000000, seconds up to 600, at least one unit, a screen of at least 20x10")
            }
        }

        func run() throws {
            let precinct = try MapFile.load(DefaultMap.path())
            let zone = ISOTime.timeZone(named: precinct.timeZone) ?? .current
            let path = NSTemporaryDirectory() + "watchroom-bench-record-\(ProcessInfo.processInfo.processIdentifier).shift"
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

            // The starting state: a shift with `units` units, and a few incidents, as the console shows it.
            let initial = ConsoleBench.sampleState(map: precinct, units: units, incidents: 20)
            let bus = EventBus(clock: WallClock(), state: initial, logCapacity: 10_000)
            // The sample state is folded from seq 1; the bus numbers on from it.
            let store = try ShiftStore.create(path: path, map: MapKey(precinct.key), timeZone: precinct.timeZone,
                                              watchroomVersion: WatchroomVersion.current)
            let recorder = try ShiftRecorder(store: store, bus: bus)
            let ids = initial.unitsInOrder.map(\.id)
            let homes = initial.unitsInOrder.map(\.position)
            let incidents = initial.openIncidents.map(\.id)

            let stop = Atomicish()
            let began = ContinuousClock.now
            let duration = Duration.milliseconds(Int64(seconds * 1000))

            // Publisher: paced every millisecond.
            let group = DispatchGroup()
            let published = Box(0)
            let atStop = Box((committed: 0, seconds: 0.0))
            let publisher = Thread {
                defer { group.leave() }
                var k = 0
                var tick = 0
                while ContinuousClock.now - began < duration {
                    tick += 1
                    let due = Int((Double(tick) * Double(rate) / 1000).rounded())
                    while k < due {
                        let i = k % ids.count
                        let angle = Double(k / ids.count) * 0.05
                        bus.publish(.unitPosition(UnitPosition(
                            unit: ids[i], point: Point(x: homes[i].x + cos(angle) * 30, y: homes[i].y + sin(angle) * 30),
                            heading: Double((k / ids.count) % 360), speedKmh: 30)))
                        k += 1
                    }
                    let next = began + .microseconds(Int64(tick) * 1000)
                    let now = ContinuousClock.now
                    if next > now { Thread.sleep(forTimeInterval: Double((next - now).components.attoseconds) / 1e18) }
                }
                published.value = k
                let c = (ContinuousClock.now - began).components
                atStop.value = (recorder.stats.events, Double(c.seconds) + Double(c.attoseconds) / 1e18)
                stop.set()
            }

            // Desk: a dispatch decision every 250 ms, durable before it would show as sent.
            let durableWaits = Box<[Double]>([])
            let deskError = Box<(any Error)?>(nil)
            let desk = Thread {
                defer { group.leave() }
                var n = 0
                while !stop.isSet {
                    Thread.sleep(forTimeInterval: 0.25)
                    guard !incidents.isEmpty else { continue }
                    let t = ContinuousClock.now
                    bus.publish(.unitStatus(UnitStatusChange(unit: ids[n % ids.count], status: .dispatched,
                                                              incident: incidents[n % incidents.count], note: "bench")))
                    n += 1
                    do {
                        try recorder.flushAndWait()
                    } catch {
                        deskError.value = error
                        return
                    }
                    durableWaits.value.append(elapsedMs(since: t))
                }
            }

            // Frames at 10 fps.
            let composeTimes = Box<[Double]>([])
            let lateness = Box<[Double]>([])
            let backlog = Box(0)
            let frames = Thread {
                defer { group.leave() }
                let cache = MapRasterCache()
                var grid = Grid(width: width, height: height)
                var f = 0
                while !stop.isSet {
                    let due = began + .milliseconds(Int64(f) * 100)
                    let now = ContinuousClock.now
                    if due > now { Thread.sleep(forTimeInterval: Double((due - now).components.attoseconds) / 1e18) }
                    let t = ContinuousClock.now
                    let input = ConsoleFrameInput(map: precinct, state: bus.state, ui: ConsoleUIState(), now: Date(),
                                                  blinkPhase: f % 2 == 0)
                    ConsoleRenderer.render(input, into: &grid, cache: cache)
                    composeTimes.value.append(elapsedMs(since: t))
                    lateness.value.append(elapsedMs(since: due))
                    // Published but not yet committed, sampled each frame.
                    backlog.value = max(backlog.value, Int(bus.lastSeq - recorder.lastCommittedSeq))
                    f += 1
                }
            }
            for thread in [publisher, desk, frames] {
                group.enter()
                thread.start()
            }
            group.wait()
            let drainStart = ContinuousClock.now
            try recorder.flushAndWait()
            let drain = elapsedMs(since: drainStart)
            let stats = recorder.stats
            try recorder.stop()
            if let error = deskError.value { throw CLIError("recording failed: \(error)") }
            let stored = try ShiftStore.open(path: path).count()

            let late = lateness.value.dropFirst().filter { $0 > 100 }.count
            let compose = composeTimes.value.dropFirst().sorted(), waits = durableWaits.value.sorted()
            let sustained = Double(atStop.value.committed) / max(0.001, atStop.value.seconds)
            say(String(format: "published %d events in %.1f s (target %d/s): %.0f events/s committed durably while publishing; %d in the file at the end",
                       published.value, atStop.value.seconds, rate, sustained, stored))
            say(String(format: "  largest backlog (published, not yet committed) seen at a frame: %d events (%.0f ms of events)",
                       backlog.value, Double(backlog.value) * 1000 / Double(rate)))
            say(String(format: "  batches: %d, mean %.0f events, largest %d; write+fsync per batch mean %.2f ms, longest %.1f ms; backlog at the end drained in %.0f ms",
                       stats.batches, Double(stats.events) / Double(max(1, stats.batches)), stats.largestBatch,
                       stats.writeSeconds * 1000 / Double(max(1, stats.batches)), stats.longestWriteSeconds * 1000, drain))
            say(String(format: "  dispatch durable (publish to flushAndWait): %d decisions, median %.1f ms, p99 %.1f ms, max %.1f ms",
                       waits.count, percentile(waits, 0.5), percentile(waits, 0.99), waits.last ?? 0))
            say(String(format: "  frames %dx%d at 10 fps: %d composed, %d late by more than one interval (100 ms); compose median %.2f ms, p99 %.2f ms, max %.2f ms; lateness max %.1f ms",
                       width, height, composeTimes.value.count, late, percentile(compose, 0.5), percentile(compose, 0.99),
                       compose.last ?? 0, lateness.value.dropFirst().max() ?? 0))
            _ = zone
        }
    }
}

/// A value handed between the benchmark's threads; each is written by one thread and
/// read after that thread has finished (joined with a DispatchGroup).
final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}

/// A flag set once, read from other threads.
final class Atomicish: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    func set() { lock.withLock { flag = true } }
    var isSet: Bool { lock.withLock { flag } }
}
