import ArgumentParser
import Foundation
import Logging
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol
import WatchroomRecords
import WatchroomRouting
import WatchroomServer
import WatchroomSimulation
import WatchroomTerminal

/// `watchroom serve`: a live shift without a terminal, that consoles attach to
/// (docs/protocol.md).
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run a live shift headless for consoles to attach to (watchroom attach, run --attach, status).",
        discussion: """
            Listens on a Unix socket (default $XDG_RUNTIME_DIR/watchroom/watchroom.sock, else
            /tmp/watchroom-UID/watchroom.sock; folder 0700, socket 0600) and, with --listen, on TCP
            (a token file is required; loopback only unless --allow-remote). SIGTERM or SIGINT
            ends it cleanly: clients are told, the shift file is closed.
            """
    )

    @OptionGroup var live: LiveShiftOptions

    @Option(help: "demo, quiet, busy or off: how many calls the simulation makes up (off: none; units still patrol).")
    var simulate: Simulate = .demo

    @Option(help: "Record the shift to this new SQLite file (default: $XDG_DATA_HOME/watchroom/shifts/DATE-TIME.shift).")
    var shift: String?

    @Option(help: "Continue the shift recorded in this file, appending to it.")
    var resume: String?

    @Option(help: "The Unix socket (default: $XDG_RUNTIME_DIR/watchroom/watchroom.sock).")
    var socket: String?

    @Option(help: "Also listen on TCP: tcp:HOST:PORT (needs --token-file; loopback unless --allow-remote).")
    var listen: String?

    @Option(name: .customLong("token-file"), help: "A file holding the token TCP clients must give (mode 0600).")
    var tokenFile: String?

    @Flag(name: .customLong("allow-remote"), help: "Let --listen use an address other than loopback.")
    var allowRemote = false

    @Option(name: .customLong("client-queue"), help: ArgumentHelp("Bytes queued for a client before it is dropped (64 KiB to 256 MiB).", visibility: .hidden))
    var clientQueue: Int = 8 << 20

    enum Simulate: String, ExpressibleByArgument, CaseIterable {
        case demo, quiet, busy, off
    }

    func validate() throws {
        if resume != nil && shift != nil { throw ValidationError("--resume FILE records to FILE: leave out --shift") }
        if resume != nil && live.noRecord { throw ValidationError("--resume continues the recording: it cannot go with --no-record") }
        if listen != nil && tokenFile == nil { throw ValidationError("--listen needs --token-file FILE (the token TCP clients give)") }
        guard (64 << 10...256 << 20).contains(clientQueue) else { throw ValidationError("--client-queue: give 65536 to 268435456 bytes") }
    }

    func run() throws {
        let precinct = try MapCommand.load(live.mapPath)
        let socketPath = socket ?? Endpoint.defaultSocketPath()
        var endpoints: [Endpoint] = []
        switch Endpoint.parse(socketPath) {
        case .success(.unix(let p)): endpoints.append(.unix(p))
        case .success: throw CLIError("--socket \(socketPath): give a path; TCP is --listen")
        case .failure(let e): throw CLIError("--socket \(e)")
        }
        var token: String?
        if let listen {
            switch Endpoint.parse(listen.hasPrefix("tcp:") ? listen : "tcp:" + listen) {
            case .success(.tcp(let host, let port)):
                if !Endpoint.isLoopback(host) && !allowRemote {
                    throw CLIError("--listen \(listen): \(host) is not a loopback address; add --allow-remote to accept consoles from other machines")
                }
                endpoints.append(.tcp(host: host, port: port))
            case .success: throw CLIError("--listen \(listen): give tcp:HOST:PORT")
            case .failure(let e): throw CLIError("--listen \(e)")
            }
            token = try Self.readToken(tokenFile ?? "")
        }

        // Resuming: the recording folded; the clock goes on from its last event.
        var resumedState: PrecinctState?
        var history: [EventEnvelope] = []
        if let resume {
            guard FileManager.default.fileExists(atPath: resume) else { throw CLIError("\(resume) does not exist: there is no shift to resume") }
            guard case .resume(let recording) = try Start.offer(file: resume, precinct: precinct, resume: true, replay: false) else {
                throw CLIError("\(resume): cannot be resumed")
            }
            resumedState = recording.envelopes.isEmpty ? nil : PrecinctState.fold(recording.envelopes)
            history = Array(recording.envelopes.suffix(2000))
        } else if let file = shift, FileManager.default.fileExists(atPath: file) {
            throw CLIError("\(file) already exists; continue it with --resume \(file), or choose another file with --shift")
        }
        WatchroomLogging.bootstrap(path: live.log)
        let logger = Logger(label: "watchroom.serve")

        var config = live.simulation(profile: SimulationProfile(rawValue: simulate.rawValue) ?? .quiet, resumed: resumedState)
        if simulate == .off {
            // The roster on patrol, and no call but what the commanders enter.
            config.incidentsPerHour = 0
            config.autoDispatch = false
        }
        let setup = LiveShiftSetup(map: precinct, simulation: config, speed: live.speed, resuming: resumedState)
        var file: String?
        if !live.noRecord {
            let target = resume ?? shift ?? LocalData.shiftPath(timeZone: precinct.timeZone)
            do {
                try setup.record(to: target, appending: resume != nil, watchroomVersion: Watchroom.version)
                file = target
            } catch {
                throw CLIError("\(error); choose another file with --shift, or --no-record")
            }
        }
        do {
            if let orders = live.orders { try setup.sendOrders(to: orders) }
        } catch {
            setup.abandon()
            throw error
        }
        // Records lookups, audited with this front end's name; a server without them refuses lookups.
        let recordsDB: SQLiteRecords?
        do { recordsDB = try live.openRecords(observer: false, mode: "serve", logger: logger) } catch { setup.abandon(); throw error }
        let desk = setup.desk(records: recordsDB, observer: false)
        let server = ServedShift.server(setup: setup, desk: desk, token: token, shiftFile: file, clientQueue: clientQueue,
                                        history: history)
        let liveShift = setup.shift
        let clock = setup.clock

        setup.start()
        let bound: [Endpoint]
        do {
            bound = try server.listen(endpoints)
        } catch {
            try? setup.stop()
            desk.closeRecords()
            throw CLIError("\(error)")
        }
        let zone = ISOTime.timeZone(named: precinct.timeZone) ?? .current
        announce("watchroom serve: shift \(server.shiftID) on \(precinct.key), seq \(liveShift.bus.lastSeq)\(file.map { ", recording to \($0)" } ?? "")")
        for endpoint in bound { announce("listening on \(endpoint)") }
        logger.info("serving \(server.shiftID) on \(bound.map(\.description).joined(separator: ", "))")

        // SIGTERM and SIGINT: stop cleanly.
        let stop = DispatchSemaphore(value: 0)
        let received = SignalBox()
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT, SIGHUP] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler {
                received.set(sig)
                stop.signal()
            }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        let sig = received.value
        server.stop()
        do { try setup.stop() } catch { logger.error("recording: \(error)") }
        desk.closeRecords()
        announce("watchroom serve: stopped at seq \(liveShift.bus.lastSeq) \(ISOTime.format(clock.now(), timeZone: zone))\(file.map { "; \($0) closed" } ?? "")")
        logger.info("stopped by signal \(sig)")
        _ = sources
    }

    /// A line on standard output, written at once (scripts and supervisors read it through
    /// a pipe or a file, where `print` would hold it back).
    func announce(_ text: String) {
        FileHandle.standardOutput.write(Data((Sanitizer.inert(text) + "\n").utf8))
    }

    /// The token: the file's first line, at least 16 characters; the file must not be
    /// readable by others.
    static func readToken(_ path: String) throws -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw CLIError("--token-file \(path): cannot read it (\(String(cString: strerror(errno))))") }
        guard info.st_mode & 0o077 == 0 else {
            throw CLIError("--token-file \(path): others may read it (mode \(String(info.st_mode & 0o777, radix: 8))); chmod 600 \(path)")
        }
        guard let data = FileManager.default.contents(atPath: path), data.count <= 4096,
              let text = String(data: data, encoding: .utf8) else {
            throw CLIError("--token-file \(path): not a UTF-8 text file of at most 4096 bytes")
        }
        let token = text.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        guard token.count >= 16 else {
            throw CLIError("--token-file \(path): the token (its first line) must be at least 16 characters; e.g. head -c 24 /dev/urandom | base64 > \(path)")
        }
        return token
    }
}

/// The signal that ended the server.
final class SignalBox: @unchecked Sendable {
    private let lock = NSLock()
    private var sig: Int32 = 0
    func set(_ s: Int32) { lock.withLock { sig = s } }
    var value: Int32 { lock.withLock { sig } }
}

