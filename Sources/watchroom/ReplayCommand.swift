import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomRecords

/// `watchroom replay SHIFT`: a recorded shift in the console (marked REPLAY), or folded
/// without a terminal with `--headless`.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded shift in the console, or headless (events or the shift summary).",
        discussion: """
            SHIFT is a shift file (.shift, opened read-only, never written) or a JSON Lines recording.
            Keys: Space pause/play, < > speed (1 to 1000x), . one event, n N next/previous incident,
            [ ] start/end, :goto 21:30 (or ISO 8601, +30m, 2h since the start); ? lists every key.
            Dispatching, new incidents and other changes are refused: a replay is read-only.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, summary }

    @Argument(help: "The recorded shift.")
    var shift: String

    @Flag(help: "Print instead of opening the console.")
    var headless = false

    @Option(help: "Headless: stop at this time: ISO 8601 with offset, or a duration since the first event (2h, 90m).")
    var to: String?

    @Option(help: "Headless: jsonl (every event) or summary (the shift summary table).")
    var format: Format = .summary

    @Option(help: "Console: the map file (default: the bundled Jiangbeicheng precinct).")
    var map: String?

    @Option(help: "Console: playback speed, 1 to 1000 (simulated seconds per real second).")
    var speed: Double = 1

    @Option(help: "Console: open at this time: 21:30, ISO 8601 with offset, or a duration since the start (2h).")
    var at: String?

    @Flag(help: "Console: draw with ASCII only.")
    var ascii = false

    @Option(name: .customLong("lang"), help: InterfaceLanguage.optionHelp, transform: InterfaceLanguage.argument)
    var lang: InterfaceLanguage?

    @Option(help: "Console: log file (default: $XDG_STATE_HOME/watchroom/watchroom.log).")
    var log: String?

    @Flag(help: "Console: demonstration mode, names and phone numbers masked everywhere.")
    var observer = false

    func validate() throws {
        guard speed.isFinite, speed >= 1, speed <= 1000 else { throw ValidationError("--speed must be from 1 to 1000") }
    }

    func run() throws {
        guard headless else {
            try ReplayConsole.run(.init(shift: shift, map: map, speed: speed, at: at, ascii: ascii, log: log, observer: observer,
                                        language: InterfaceLanguage.chosen(lang)))
            return
        }
        let envelopes = try load()
        guard let first = envelopes.first else { throw CLIError("\(shift): no events") }
        let zone = envelopes.lazy.compactMap { e -> TimeZone? in
            if case .shiftStarted(let s) = e.event { return TimeZone(identifier: s.timeZone) } else { return nil }
        }.first ?? .current
        let stop = try to.map { try RunCommand.time($0, from: first.time, what: "--to") }
        let codec = EventCodec(timeZone: zone)
        var state = PrecinctState()
        var out = ""
        for envelope in envelopes {
            if let stop, envelope.time > stop { break }
            state.apply(envelope)
            if format == .jsonl {
                out += try codec.encode(envelope) + "\n"
                if out.utf8.count > 1 << 20 {
                    FileHandle.standardOutput.write(Data(out.utf8))
                    out = ""
                }
            }
        }
        if format == .summary {
            out = ShiftSummary.compute(state: state).table(timeZone: zone)
            out += "\n\(state.appliedCount) events up to \(state.now.map { ISOTime.format($0, timeZone: zone) } ?? "-"), state digest \(state.digestHex)"
            if state.anomalies.total > 0 { out += ", \(state.anomalies.total) events ignored (see anomalies)" }
            out += "\n"
            // Incident numbers, places and dispositions come from the recording: made inert.
            out = Sanitizer.inert(out, keepNewlines: true)
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    /// The recording's events; its warnings (bad lines or rows skipped, one a line, and
    /// their total) go to standard error.
    private func load() throws -> [EventEnvelope] {
        let recording: Recording
        do {
            recording = try Recording.load(path: shift)
        } catch {
            throw CLIError("\(error)")
        }
        for warning in recording.warnings {
            FileHandle.standardError.write(Data((Sanitizer.inert(warning) + "\n").utf8))
        }
        return recording.envelopes
    }
}
