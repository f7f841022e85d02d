import ArgumentParser
import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomRecords
import WatchroomSimulation
import WatchroomUI

/// Milliseconds since `start` on the monotonic clock.
private func elapsedMs(since start: ContinuousClock.Instant) -> Double {
    let c = (ContinuousClock.now - start).components
    return Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15
}

private func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]
}

private func ms(_ v: Double) -> String { String(format: "%.1f ms", v) }

extension BenchCommand {
    // MARK: - bench replay

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
        @Option(help: "Random seed.") var seed: UInt64 = 2
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
            var rows = 0, bytes = 0
            var digest: UInt64 = 0
            for _ in 0..<runs {
                var t = ContinuousClock.now
                let scan = try store.scanRaw()
                raw.append(elapsedMs(since: t))
                rows = scan.rows
                bytes = scan.bytes

                t = ContinuousClock.now
                let recording = try Recording.load(path: path)
                load.append(elapsedMs(since: t))

                t = ContinuousClock.now
                let state = PrecinctState.fold(recording.envelopes)
                fold.append(elapsedMs(since: t))
                digest = state.digest

                t = ContinuousClock.now
                let again = try Recording.load(path: path)
                let s2 = PrecinctState.fold(again.envelopes)
                both.append(elapsedMs(since: t))
                guard s2.lastSeq == state.lastSeq else { throw CLIError("two loads disagree") }
            }
            try store.close()
            func med(_ v: [Double]) -> Double { percentile(v.sorted(), 0.5) }
            let rawMs = med(raw)
            say("shift \(path): \(count) events, \(rows) rows, \(bytes / 1_000_000) MB of text, \(ShiftCommand.bytes(path)) file")
            say("median of \(runs) runs:")
            say("  raw SQLite read of every row (yardstick)  \(ms(rawMs))")
            say("  Recording.load                            \(ms(med(load)))  (\(String(format: "%.1f", med(load) / rawMs))x raw)")
            say("  fold into PrecinctState                   \(ms(med(fold)))")
            say("  load + fold                               \(ms(med(both)))  (\(String(format: "%.1f", med(both) / rawMs))x raw)")
            say("  final state digest \(String(digest, radix: 16))")

            // Seeks with the console's replay cursor (periodic snapshots).
            let recording = try Recording.load(path: path)
            var t = ContinuousClock.now
            var cursor = ReplayCursor(envelopes: recording.envelopes)
            let build = elapsedMs(since: t)
            var rng = SplitMix(seed: seed)
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
            let precinct = try MapCommand.load(DefaultMap.path())
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
                                              watchroomVersion: Watchroom.version)
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

/// A tiny seeded generator for benchmark choices.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
