import ArgumentParser
import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomProtocol
import WatchroomServer

/// `watchroom status [SOCKET]`: the shift a server runs, its seq and the attached clients.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the shift a `watchroom serve` runs: its sequence number and the attached consoles."
    )

    @Argument(help: "The server's socket, unix:/path or tcp:HOST:PORT (default: the default socket).")
    var socket: String?

    @Option(name: .customLong("token-file"), help: "The token file (for tcp:).")
    var tokenFile: String?

    @Flag(help: "Print the status as one JSON object.")
    var json = false

    func run() throws {
        let endpoint: Endpoint
        switch Endpoint.parse(socket ?? Endpoint.defaultSocketPath()) {
        case .success(let e): endpoint = e
        case .failure(let e): throw CLIError("\(e)")
        }
        let token = try tokenFile.map { try ServeCommand.readToken($0) }
        let status: ShiftStatus
        do { status = try StatusQuery.ask(endpoint, token: token) } catch { throw CLIError("\(error)") }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            say(String(decoding: try encoder.encode(status), as: UTF8.self))
            return
        }
        let commanders = status.clients.filter { $0.role == .commander }.count
        say("shift \(status.shift) on \(status.map), seq \(status.seq)\(status.now.map { ", clock \($0)" } ?? "") at \(status.speed)x")
        say("file \(status.file ?? "(not recorded)")")
        say("\(commanders) commander\(commanders == 1 ? "" : "s"), \(status.clients.count - commanders) viewer\(status.clients.count - commanders == 1 ? "" : "s")")
        for c in status.clients {
            say("  #\(c.client) \(c.role.rawValue) \(c.name) (\(c.address)) since \(c.since), \(c.queued) bytes queued")
        }
    }
}
