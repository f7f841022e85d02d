import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomProtocol

/// `watchroom run --attach SOCKET --script FILE`: a script run as a headless commander
/// against a served shift. Its commands go to the server and are answered there; `wait`
/// and `at` follow the shift's own clock (as the events bring it); `expect` checks the
/// last reply. With `jsonl` every event received is printed as the server sent its line.
public struct AttachedScript {
    public let lines: [ScriptLine]
    public let scriptName: String
    public let client: ShiftClient
    public let jsonl: Bool
    public let timeZone: TimeZone
    /// The longest a `wait` or `at` waits in real time beyond the simulated time asked for.
    public var patience: TimeInterval = 60

    public init(lines: [ScriptLine], scriptName: String, client: ShiftClient, jsonl: Bool, timeZone: TimeZone) {
        self.lines = lines
        self.scriptName = scriptName
        self.client = client
        self.jsonl = jsonl
        self.timeZone = timeZone
    }

    /// Runs every line; returns how many failed (reported as `SCRIPT:LINE: message`).
    public func run() -> Int {
        var failures = 0
        var lastMessage = ""
        func fail(_ line: ScriptLine, _ text: String) {
            failures += 1
            ScriptRunner.report("\(scriptName):\(line.number): \(text)")
        }
        func waitUntil(_ time: Date, _ line: ScriptLine) {
            let real = max(0, time.timeIntervalSince(client.state.now ?? time)) + patience
            if !client.wait(timeout: real, until: { state, _ in (state.now ?? .distantPast) >= time }) {
                fail(line, "the shift's clock did not reach \(ISOTime.format(time, timeZone: timeZone)) within \(Int(real)) s (paused, or the server is gone)")
            }
        }
        for line in lines {
            if case .closed(let why) = client.connection {
                fail(line, "the server closed the connection: \(why)")
                break
            }
            switch line.kind {
            case .wait(let seconds):
                waitUntil((client.state.now ?? Date()).addingTimeInterval(seconds), line)
            case .at(let seconds):
                guard let start = client.state.shiftStartedAt else {
                    fail(line, "at: the shift has no start time; use wait")
                    continue
                }
                waitUntil(start.addingTimeInterval(seconds), line)
            case .expect(let needle):
                if !lastMessage.localizedCaseInsensitiveContains(needle) { fail(line, "expected \"\(needle)\" in: \(lastMessage)") }
            case .command(let text):
                let state = client.state
                let command: Command
                switch CommandParser.parse(ScriptRunner.resolveLast(text, state)) {
                case .success(let c): command = c
                case .failure(let error):
                    lastMessage = error.description
                    fail(line, error.description)
                    continue
                }
                do {
                    let reply = try client.execute(command, selected: state.incidentsInOrder.last?.id)
                    lastMessage = reply.message
                    if !reply.accepted {
                        fail(line, reply.message)
                    } else if !jsonl {
                        let now = client.state.now.map { ISOTime.clock($0, timeZone: timeZone) } ?? "--:--:--"
                        say("\(now)  \(reply.message)")
                        switch command {
                        case .summary, .lookup, .report, .recommend, .route:
                            for extra in reply.lines ?? [] { say("    " + extra) }
                        default:
                            break
                        }
                    }
                } catch {
                    lastMessage = "\(error)"
                    fail(line, "\(error)")
                }
            }
        }
        return failures
    }

    private func say(_ text: String) {
        FileHandle.standardOutput.write(Data((Sanitizer.inert(text) + "\n").utf8))
    }
}
