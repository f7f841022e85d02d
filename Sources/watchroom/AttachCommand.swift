import ArgumentParser
import Foundation
import Logging
import WatchroomConsole
import WatchroomCore
import WatchroomProtocol
import WatchroomServer
import WatchroomTerminal

/// `watchroom attach [SOCKET]`: the console on the shift a server runs (docs/protocol.md).
struct AttachCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attach",
        abstract: "Open the console on the shift a `watchroom serve` (or another `watchroom`) runs.",
        discussion: """
            The same screens, keys and commands as `watchroom`. A commander's commands run on the
            server, for every console; a viewer is read-only and sees names and phone numbers
            masked. The clock (speed, pause) is the server's. When the connection drops the status
            bar says "connection lost — reconnecting" and the console comes back by itself.
            """
    )

    @Argument(help: "The server's socket, unix:/path or tcp:HOST:PORT (default: the default socket).")
    var socket: String?

    @Option(help: "commander (runs commands) or viewer (read-only, names and phones masked).")
    var role: Role = .commander

    @Option(name: .customLong("token-file"), help: "The server's token file (for tcp:).")
    var tokenFile: String?

    @Option(help: "The map file: the server's map (default: the bundled Jiangbeicheng precinct).")
    var map: String?

    @OptionGroup var display: ConsoleDisplayOptions

    @Option(help: "Log file (default: $XDG_STATE_HOME/watchroom/watchroom.log).")
    var log: String?

    func run() throws {
        let precinct = try MapCommand.load(map ?? DefaultMap.path())
        let endpoint: Endpoint
        switch Endpoint.parse(socket ?? Endpoint.defaultSocketPath()) {
        case .success(let e): endpoint = e
        case .failure(let e): throw CLIError("\(e)")
        }
        if case .unix(let path) = endpoint, !FileManager.default.fileExists(atPath: path) {
            throw CLIError("\(path): no server listens here; start one with `watchroom serve` (or `watchroom`), or give its socket")
        }
        let token = try tokenFile.map { try ServeCommand.readToken($0) }
        if case .refused(let why) = CursesBackend.preflight(environment: ProcessInfo.processInfo.environment) {
            throw CLIError("\(why.description); without a terminal, use `watchroom run --attach \(endpoint) --script FILE`")
        }
        WatchroomLogging.bootstrap(path: log)
        let zone = ISOTime.timeZone(named: precinct.timeZone) ?? .current
        let client = ShiftClient(options: ShiftClient.Options(endpoint: endpoint, map: precinct, role: role, token: token),
                                 timeZone: zone)
        // Lookups run on the server: this console's desk has no records of its own.
        let desk = DispatchDesk(map: precinct, records: nil, observer: role == .viewer)
        let ending = try AttachedConsole(client: client, map: precinct, ascii: display.ascii, bell: !display.noBell, observer: role == .viewer,
                                         language: display.language)
            .run(desk: desk)
        if let signal = ending { throw ExitCode(128 + signal) }
    }
}

/// A console on a served shift: `watchroom attach`, and plain `watchroom` on its own
/// embedded server. Connects first (a refusal or an absent server is one plain line, before
/// the terminal is taken), then runs the console until the commander quits.
struct AttachedConsole {
    var client: ShiftClient
    var map: PrecinctMap
    var ascii: Bool
    var bell: Bool
    /// Names and phone numbers masked on this console (a viewer; demonstration mode).
    var observer: Bool
    /// The interface language asked for (`--lang`, else the locale's).
    var language: InterfaceLanguage
    /// The embedded server's desk (plain `watchroom`): it answers in the console's language.
    var serverDesk: DispatchDesk?

    /// Runs the console with `desk` for what runs on the console (the view, the panels,
    /// help, the summary, routes); returns the signal that ended it, if any.
    func run(desk: DispatchDesk) throws -> Int32? {
        let logger = Logger(label: "watchroom.attach")
        let feed = RemoteFeed(client: client, map: map)
        let started = Date()
        do {
            try client.connect(timeout: 5)
        } catch {
            client.close()
            throw CLIError("\(error)")
        }
        logger.info("attached to \(client.options.endpoint) as \(client.options.role.rawValue) in \(Int(Date().timeIntervalSince(started) * 1000)) ms, seq \(client.lastSeq)")
        let backend: CursesBackend
        do {
            backend = try CursesBackend(options: CursesBackend.Options(forceASCII: ascii))
        } catch {
            client.close()
            throw CLIError("\(error)")
        }
        var options = ConsoleApp<CursesBackend>.Options()
        options.language = language
        let app = ConsoleApp(feed: feed, backend: backend, desk: desk, speed: feed.speed, bell: bell, options: options)
        feed.language = app.language
        serverDesk?.language = app.language
        let signal = app.run()
        backend.shutdown()
        client.close()
        logger.info("detached from \(client.options.endpoint)")
        return signal
    }
}
