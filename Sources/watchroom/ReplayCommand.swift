import ArgumentParser
import Foundation
import WatchroomCore
import WatchroomEngine
import WatchroomRecords

/// `watchroom replay SHIFT --headless`: a recorded shift folded without a terminal.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a recorded shift (headless for now: events or the shift summary).",
        discussion: """
            SHIFT is a shift file (.shift, opened read-only, never written) or a JSON Lines recording.
            The replay in the console is not built yet: give --headless.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case jsonl, summary }

    @Argument(help: "The recorded shift.")
    var shift: String

    @Flag(help: "Print instead of opening the console.")
    var headless = false

    @Option(help: "Stop at this time: ISO 8601 with offset, or a duration since the first event (2h, 90m).")
    var to: String?

    @Option(help: "jsonl (every event) or summary (the shift summary table).")
    var format: Format = .summary

    func run() throws {
        guard headless else {
            throw CLIError("the console replay is not built yet; use `watchroom replay \(shift) --headless`")
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
        }
        FileHandle.standardOutput.write(Data(out.utf8))
    }

    private func load() throws -> [EventEnvelope] {
        if ShiftCommand.isSQLite(shift) {
            let store = try ShiftCommand.openStore(shift)
            do { return try store.events() } catch { throw CLIError("\(error)") }
        }
        let result: EventLogReader.Result
        do {
            result = try EventLogReader().read(contentsOf: URL(fileURLWithPath: shift))
        } catch {
            throw CLIError("\(shift): cannot read it (\(error.localizedDescription))")
        }
        for err in result.errors.prefix(20) {
            FileHandle.standardError.write(Data(Sanitizer.inert("\(shift):\(err.line): warning: \(err.error); skipped\n").utf8))
        }
        return result.envelopes
    }
}
