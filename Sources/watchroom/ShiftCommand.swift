import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomExport
import WatchroomRecords
import WatchroomSimulation

/// `watchroom shift`: generate, convert and summarise recorded shifts.
struct ShiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shift",
        abstract: "Generate, import, export and summarise recorded shifts.",
        discussion: """
            A recorded shift is a SQLite shift file (.shift) or, for review and fixtures,
            JSON Lines (.jsonl, one event per line, docs/events.md).
            """,
        subcommands: [Generate.self, Import.self, Export.self, Info.self, Verify.self]
    )

    // MARK: - generate

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Simulate a whole shift headless and write it as JSON Lines.",
            discussion: """
                The same seed, hours, profile, start, map and intervals give the same
                file, byte for byte. The routing engine answers the simulated calls
                (recommendations, routes); the virtual commander dispatches.
                """
        )

        @Option(parsing: .unconditional, help: "Random seed (0 to 2^64-1).", transform: Seed.parse)
        var seed: UInt64 = 1

        @Option(help: "Simulated length in hours.")
        var hours: Double = 12

        @Option(help: "quiet or busy (or demo): how many calls the simulation makes up.")
        var profile: SimulationProfile = .quiet

        @Option(help: "The map file (default: the bundled map).")
        var map: String?

        @Option(help: "When the shift starts (ISO 8601 with offset).")
        var start: String = "2026-03-14T20:00:00+08:00"

        @Option(help: "Seconds between two position events of a moving car.")
        var positionInterval: Double = 2

        @Option(help: "Seconds between two position events of an officer on foot.")
        var footPositionInterval: Double = 4

        @Option(name: .shortAndLong, help: "The JSON Lines file to write ('-' for standard output).")
        var output: String

        @Flag(help: "Overwrite the output file if it exists.")
        var force = false

        func run() throws {
            guard hours.isFinite, hours > 0, hours <= 48 else { throw CLIError("--hours \(hours): give 0 to 48 hours") }
            guard positionInterval.isFinite, positionInterval >= 1, footPositionInterval.isFinite, footPositionInterval >= 1 else {
                throw CLIError("position intervals must be at least 1 second")
            }
            guard let startTime = ISOTime.parse(start) else {
                throw CLIError("--start \(start): not an ISO 8601 time with offset (e.g. 2026-03-14T20:00:00+08:00)")
            }
            try ShiftCommand.checkWritable(output, force: force)
            let precinct = try MapCommand.load(map ?? DefaultMap.path())
            var config = SimulationConfig(seed: seed, profile: profile)
            config.positionInterval = positionInterval
            config.footPositionInterval = footPositionInterval
            var routing = RoutingCore(map: precinct)
            // The virtual commander dispatches through a desk, as in the console: order sheets included.
            let desk = DispatchDesk(map: precinct, records: nil, observer: false)
            let envelopes = ShiftSimulator.generateShift(map: precinct, config: config, hours: hours, start: startTime,
                                                         respond: { routing.handle($0) },
                                                         commanderDesk: { desk.auto($0, state: $1, now: $2) })
            let codec = EventCodec(timeZone: ISOTime.timeZone(named: precinct.timeZone) ?? .current)
            try ShiftCommand.writeLines(to: output, force: force) { emit in
                for e in envelopes { try emit(codec.encode(e)) }
            }
            if output != "-" {
                let state = PrecinctState.fold(envelopes)
                say("\(output): \(envelopes.count) events, \(state.incidents.count) incidents, \(FileSize.text(ofFile: output))")
            }
        }
    }

    // MARK: - import

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "import",
            abstract: "Build a shift file from a JSON Lines recording.",
            discussion: """
                Bad lines are reported as FILE:LINE: message and nothing is written,
                unless --skip-bad-lines. The map and time zone come from the shift.started
                event, or from --map when the recording has none.
                """
        )

        @Argument(help: "The JSON Lines file.")
        var file: String

        @Option(name: .shortAndLong, help: "The shift file to create (never overwritten).")
        var output: String

        @Option(help: "The map the recording is on, when it has no shift.started event.")
        var map: String?

        @Flag(help: "Import the good lines and report the bad ones as warnings.")
        var skipBadLines = false

        func run() throws {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIError("\(file): cannot read it (\(error.localizedDescription))")
            }
            guard !FileManager.default.fileExists(atPath: output) else {
                throw CLIError("\(output) already exists; refusing to overwrite it")
            }
            let began = Date()
            let result = EventLogReader().read(data)
            var problems = result.errors.map { "\(file):\($0.line): \($0.error)" }
            var envelopes: [EventEnvelope] = []
            envelopes.reserveCapacity(result.entries.count)
            var last: UInt64 = 0
            for (line, e) in result.entries {
                if e.seq <= last {
                    problems.append("\(file):\(line): seq \(e.seq) does not come after seq \(last); events must be in order")
                    continue
                }
                last = e.seq
                envelopes.append(e)
            }
            for p in problems.prefix(50) { ShiftCommand.warn(p) }
            if problems.count > 50 { ShiftCommand.warn("\(file): \(problems.count - 50) more bad lines") }
            if !problems.isEmpty && !skipBadLines {
                throw CLIError("\(file): \(problems.count) bad line\(problems.count == 1 ? "" : "s"); nothing written (--skip-bad-lines imports the rest)")
            }
            let (mapKey, zone) = try shiftPlace(envelopes)
            let partial = output + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
            defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: partial + suffix) } }
            do {
                let store = try ShiftStore.create(path: partial, map: mapKey, timeZone: zone, mode: mode(envelopes),
                                                  watchroomVersion: WatchroomVersion.current)
                var k = 0
                while k < envelopes.count {
                    let end = min(envelopes.count, k + 20_000)
                    try store.append(Array(envelopes[k..<end]))
                    k = end
                }
                try store.close()
                guard !FileManager.default.fileExists(atPath: output) else {
                    throw CLIError("\(output) already exists; refusing to overwrite it")
                }
                try FileManager.default.moveItem(atPath: partial, toPath: output)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("\(error)")
            }
            let seconds = Date().timeIntervalSince(began)
            let rate = seconds > 0 ? Int(Double(envelopes.count) / seconds) : envelopes.count
            say("\(output): \(envelopes.count) events imported in \(String(format: "%.2f", seconds)) s (\(rate) events/s), \(FileSize.text(ofFile: output))")
        }

        private func shiftPlace(_ envelopes: [EventEnvelope]) throws -> (MapKey, String) {
            if let map {
                let precinct = try MapCommand.load(map)
                return (MapKey(precinct.key), precinct.timeZone)
            }
            for e in envelopes {
                if case .shiftStarted(let s) = e.event { return (s.map, s.timeZone) }
            }
            throw CLIError("\(file): no shift.started event says which map and time zone; give --map FILE")
        }

        private func mode(_ envelopes: [EventEnvelope]) -> ShiftMode {
            for e in envelopes {
                if case .shiftStarted(let s) = e.event { return s.mode }
            }
            return .live
        }
    }

    // MARK: - export

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a recorded shift for other systems: its events, NENA EIDO, CSV or GeoJSON.",
            discussion: """
                jsonl: the shift file's events as JSON Lines. eido: one NENA EIDO (NENA-STA-021.1a) \
                per incident, as a JSON array. csv: one row per incident with the NFPA 1225 intervals. \
                geojson: incidents, unit tracks and routes in WGS 84 (RFC 7946). docs/exports.md has \
                an example of each. The recording (a shift file or JSON Lines) is opened read-only; \
                what cannot be read is skipped and said on standard error.
                """
        )

        enum Format: String, ExpressibleByArgument, CaseIterable {
            case jsonl, eido, csv, geojson
        }

        @Argument(help: "The shift file (.shift), or for eido, csv and geojson also a JSON Lines recording.")
        var file: String

        @Option(help: "jsonl, eido, csv or geojson.")
        var format: Format = .jsonl

        @Option(help: "Only this incident: its id (I0007), number (2026-1125-0007) or the number's last digits (0007).")
        var incident: String?

        @Option(help: "The map the shift was recorded on (default: the bundled Jiangbeicheng precinct).")
        var map: String?

        @Option(name: .shortAndLong, help: "The file to write (default: standard output).")
        var output: String = "-"

        @Flag(help: "Overwrite the output file if it exists.")
        var force = false

        func run() throws {
            try ShiftCommand.checkWritable(output, force: force)
            guard format != .jsonl else {
                if incident != nil { throw CLIError("--incident needs --format eido, csv or geojson") }
                let store = try ShiftCommand.openStore(file)
                try ShiftCommand.writeLines(to: output, force: force) { emit in
                    do {
                        try store.forEachStored { try emit($0.jsonLine) }
                    } catch let error as ShiftStoreError {
                        throw CLIError("\(error)")
                    }
                }
                return
            }
            let recording: Recording
            do { recording = try Recording.load(path: file) } catch { throw CLIError("\(error)") }
            let mapPath = map ?? DefaultMap.path()
            let precinct = try MapFile.load(mapPath)
            if let recorded = recording.mapKey, recorded.rawValue != precinct.key {
                throw CLIError("\(file) was recorded on map \"\(recorded)\" but \(mapPath) is \"\(precinct.key)\"; give --map the map file of \"\(recorded)\"")
            }
            let digest = ShiftDigest(map: precinct, envelopes: recording.envelopes, skipped: recording.warnings)
            let incidents = digest.incidents(matching: incident)
            if let incident, incidents.isEmpty {
                throw CLIError("\(file) has no incident \"\(incident)\"; `watchroom shift info \(file)` lists them")
            }
            if let incident, incidents.count > 1 {
                throw CLIError("\"\(incident)\" matches \(incidents.count) incidents ("
                    + incidents.prefix(4).map { $0.number ?? $0.id.rawValue }.joined(separator: ", ") + "); give the whole number or the id")
            }
            let text: String
            switch format {
            case .eido:
                let objects = EIDOExport.export(digest, incident: incident)
                text = (incident == nil ? JSONValue.array(objects) : objects[0]).text(indent: 2) + "\n"
            case .csv:
                text = CSVExport.export(digest, incident: incident)
            case .geojson:
                do { text = try GeoJSONShiftExport.export(digest, incident: incident).text() + "\n" } catch { throw CLIError("\(error)") }
            case .jsonl:
                return
            }
            try ShiftCommand.writeLines(to: output, force: force) { emit in
                var body = text
                if body.hasSuffix("\n") { body.removeLast() }
                try emit(body)
            }
            for line in digest.skipped { ShiftCommand.warn("skipped: " + line) }
            ShiftCommand.warn("\(incidents.count) incident\(incidents.count == 1 ? "" : "s") exported as \(format.rawValue)"
                + (digest.skipped.isEmpty ? "" : "; \(digest.skipped.count) thing\(digest.skipped.count == 1 ? "" : "s") skipped (above)"))
        }
    }

    // MARK: - info

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Summarise a recorded shift (a shift file or JSON Lines).",
            discussion: "Shift files are opened read-only and never written."
        )

        @Argument(help: "The shift file (.shift) or JSON Lines recording.")
        var file: String

        func run() throws {
            do { try Recording.checkFile(file) } catch { throw CLIError("\(error)") }
            if Recording.isSQLite(file) {
                try sqliteInfo()
            } else {
                try jsonlInfo()
            }
        }

        private func sqliteInfo() throws {
            let store = try ShiftCommand.openStore(file)
            do {
                let meta = store.meta
                var lines = ["\(file): shift file, schema \(store.schemaVersion), created \(meta.created) by Watchroom \(meta.watchroomVersion)"]
                lines.append("map: \(meta.map)   time zone: \(meta.timeZone)   mode: \(meta.mode.rawValue)")
                var state = PrecinctState()
                var count = 0
                var undelivered = UndeliveredOrders()
                try store.forEach { e in
                    state.apply(e)
                    undelivered.add(e)
                    count += 1
                }
                if let (first, last) = try store.bounds() {
                    lines.append("first event: \(first.time) (seq \(first.seq))")
                    lines.append("last event:  \(last.time) (seq \(last.seq))")
                    lines.append("duration: \(DurationText.clock(Double(last.timeMs - first.timeMs) / 1000))")
                }
                lines.append("events: \(count)")
                for (type, n) in try store.countsByType() {
                    lines.append("  \(type.padding(toLength: 20, withPad: " ", startingAt: 0)) \(n)")
                }
                lines.append("incidents: \(try store.incidents().count)")
                lines.append("units: \(try store.units().count)")
                lines.append("state digest: \(state.digestHex) (after \(count) events)")
                lines += Self.undeliveredLines(undelivered, timeZone: meta.zone)
                let sessions = try store.sessions()
                if !sessions.isEmpty { lines.append("recorded in \(sessions.count) session\(sessions.count == 1 ? "" : "s"):") }
                for (k, session) in sessions.enumerated() {
                    let upTo = session.lastSeq ?? (k + 1 < sessions.count ? sessions[k + 1].firstSeq - 1 : store.lastSeq)
                    var line = "  \(session.how.rawValue) \(session.opened)"
                    if let pid = session.pid { line += " pid \(pid)" }
                    line += " Watchroom \(session.watchroomVersion), from seq \(session.firstSeq) to \(upTo)"
                    if let closed = session.closed {
                        line += ", closed \(closed)"
                    } else if session.how != .schemaOne {
                        line += k + 1 < sessions.count ? ", ended abruptly (killed or crashed)" : ", not closed (recording or killed)"
                    }
                    lines.append(line)
                }
                say(lines.joined(separator: "\n"))
            } catch let error as ShiftStoreError {
                throw CLIError("\(error)")
            }
        }

        /// `orders never delivered: N` and one line per order (only when `--orders` was used).
        static func undeliveredLines(_ undelivered: UndeliveredOrders, timeZone: TimeZone) -> [String] {
            let orders = undelivered.orders
            guard !orders.isEmpty else { return [] }
            return ["orders never delivered: \(orders.count)"] + orders.map { o in
                Sanitizer.inert("  seq \(o.seq)  \(ISOTime.format(o.time, timeZone: timeZone))  \(o.sheet.callsign) to \(o.sheet.number ?? o.sheet.incident.rawValue)\(o.sheet.reinforcement ? " (reinforcement)" : "")")
            }
        }

        private func jsonlInfo() throws {
            let result: EventLogReader.Result
            do {
                result = try EventLogReader().read(contentsOf: URL(fileURLWithPath: file))
            } catch {
                throw CLIError("\(file): cannot read it (\(error.localizedDescription))")
            }
            for err in result.errors.prefix(20) { ShiftCommand.warn("\(file):\(err.line): \(err.error)") }
            let envelopes = result.envelopes
            var lines = ["\(file): JSON Lines recording"]
            let started = envelopes.lazy.compactMap { e -> ShiftStarted? in
                if case .shiftStarted(let s) = e.event { return s } else { return nil }
            }.first
            let zone = started.flatMap { TimeZone(identifier: $0.timeZone) } ?? .current
            if let started {
                lines.append("map: \(started.map)   time zone: \(started.timeZone)   mode: \(started.mode.rawValue)")
            }
            if let first = envelopes.first, let last = envelopes.last {
                lines.append("first event: \(ISOTime.format(first.time, timeZone: zone)) (seq \(first.seq))")
                lines.append("last event:  \(ISOTime.format(last.time, timeZone: zone)) (seq \(last.seq))")
                lines.append("duration: \(DurationText.clock(last.time.timeIntervalSince(first.time)))")
            }
            lines.append("events: \(envelopes.count)\(result.errors.isEmpty ? "" : " (\(result.errors.count) bad lines skipped)")")
            var byType: [String: Int] = [:]
            var incidents = Set<IncidentID>(), units = Set<UnitID>()
            for e in envelopes {
                byType[e.event.type, default: 0] += 1
                if let i = e.event.incidentID { incidents.insert(i) }
                units.formUnion(e.event.unitIDs)
            }
            for (type, n) in byType.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
                lines.append("  \(type.padding(toLength: 20, withPad: " ", startingAt: 0)) \(n)")
            }
            lines.append("incidents: \(incidents.count)")
            lines.append("units: \(units.count)")
            let state = PrecinctState.fold(envelopes)
            lines.append("state digest: \(state.digestHex) (after \(envelopes.count) events)")
            var undelivered = UndeliveredOrders()
            for e in envelopes { undelivered.add(e) }
            lines += Self.undeliveredLines(undelivered, timeZone: zone)
            say(lines.joined(separator: "\n"))
            if !result.errors.isEmpty { throw ExitCode(1) }
        }
    }

    // MARK: - verify

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a shift file: SQLite's integrity check, then every event decoded in order.",
            discussion: "The file is opened read-only and never written. Exit status 0 when sound."
        )

        @Argument(help: "The shift file.")
        var file: String

        func run() throws {
            let store = try ShiftCommand.openStore(file)
            do {
                try store.verify(full: true)
                let rows = try store.verifyRows()
                guard rows.total == 0 else {
                    for problem in rows.problems { ShiftCommand.warn("\(file): \(problem)") }
                    if rows.total > rows.problems.count {
                        ShiftCommand.warn("\(file): \(rows.total - rows.problems.count) more problems not listed")
                    }
                    throw CLIError("\(file) is damaged: \(rows.total) problem\(rows.total == 1 ? "" : "s") (listed above); \(rows.sound) events are sound")
                }
                say("\(file): ok, schema \(store.schemaVersion), \(rows.sound) events, last seq \(store.lastSeq)")
            } catch let error as ShiftStoreError {
                throw CLIError("\(error)")
            }
        }
    }

    // MARK: - Helpers

    static func openStore(_ path: String) throws -> ShiftStore {
        do {
            return try ShiftStore.open(path: path, readOnly: true)
        } catch {
            throw CLIError("\(error)")
        }
    }

    static func checkWritable(_ output: String, force: Bool) throws {
        if output != "-", !force, FileManager.default.fileExists(atPath: output) {
            throw CLIError("\(output) already exists; refusing to overwrite it (--force to replace it)")
        }
    }

    /// Writes lines (each gets a `\n`) to a file, atomically (a temporary file put in
    /// place at the end by ``OutputFile/place(_:at:force:)``, which without `force` never
    /// replaces a file, even one made meanwhile), or to standard output for `-`, in chunks.
    static func writeLines(to output: String, force: Bool, _ body: ((String) throws -> Void) throws -> Void) throws {
        let temporary = output == "-" ? nil : output + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        let handle: FileHandle
        if let temporary {
            guard FileManager.default.createFile(atPath: temporary, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let h = FileHandle(forWritingAtPath: temporary) else {
                throw CLIError("\(output): cannot create it")
            }
            handle = h
        } else {
            handle = FileHandle.standardOutput
        }
        var buffer = ""
        do {
            try body { line in
                buffer += line
                buffer += "\n"
                if buffer.utf8.count >= 1 << 20 {
                    try handle.write(contentsOf: Data(buffer.utf8))
                    buffer = ""
                }
            }
            try handle.write(contentsOf: Data(buffer.utf8))
            if let temporary {
                try handle.close()
                try OutputFile.place(temporary, at: output, force: force)
            }
        } catch {
            if let temporary {
                try? handle.close()
                try? FileManager.default.removeItem(atPath: temporary)
            }
            if error is CLIError { throw error }
            throw CLIError("\(output): \(error)")
        }
    }

    static func warn(_ text: String) {
        FileHandle.standardError.write(Data((Sanitizer.inert(text) + "\n").utf8))
    }
}
