import Foundation
import WatchroomCore

/// Where a shift server listens and a client connects.
public enum Endpoint: Hashable, Sendable, CustomStringConvertible {
    case unix(String)
    case tcp(host: String, port: Int)

    /// `unix:/path`, `/path`, or `tcp:HOST:PORT` (`tcp:[::1]:7000` for IPv6).
    public static func parse(_ text: String) -> Result<Endpoint, EndpointError> {
        if text.hasPrefix("tcp:") {
            let rest = String(text.dropFirst(4))
            let host: String, portText: String
            if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
                host = String(rest[rest.index(after: rest.startIndex)..<close])
                portText = String(rest[close...].dropFirst().drop { $0 == ":" })
            } else if let colon = rest.lastIndex(of: ":") {
                host = String(rest[..<colon])
                portText = String(rest[rest.index(after: colon)...])
            } else {
                return .failure(EndpointError("\(text): give tcp:HOST:PORT, e.g. tcp:127.0.0.1:7411"))
            }
            guard !host.isEmpty, let port = Int(portText), (0...65535).contains(port) else {
                return .failure(EndpointError("\(text): give tcp:HOST:PORT with a port from 0 to 65535"))
            }
            return .success(.tcp(host: host, port: port))
        }
        let path = text.hasPrefix("unix:") ? String(text.dropFirst(5)) : text
        guard !path.isEmpty else { return .failure(EndpointError("give a socket path, unix:/path or tcp:HOST:PORT")) }
        // sockaddr_un holds 108 bytes with the terminating zero.
        guard path.utf8.count < 104 else {
            return .failure(EndpointError("\(path): a Unix socket path is at most 103 bytes; choose a shorter one"))
        }
        return .success(.unix(path))
    }

    public var description: String {
        switch self {
        case .unix(let path): return "unix:\(path)"
        case .tcp(let host, let port): return host.contains(":") ? "tcp:[\(host)]:\(port)" : "tcp:\(host):\(port)"
        }
    }

    /// Whether a TCP host is on this machine only (127.0.0.0/8, ::1, localhost).
    public static func isLoopback(_ host: String) -> Bool {
        let h = host.lowercased()
        if h == "localhost" || h == "::1" || h == "0:0:0:0:0:0:0:1" { return true }
        let parts = h.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The default socket: `$XDG_RUNTIME_DIR/watchroom/watchroom.sock`, else
    /// `/tmp/watchroom-UID/watchroom.sock` (a private folder).
    public static func defaultSocketPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let runtime = environment["XDG_RUNTIME_DIR"], !runtime.isEmpty {
            return runtime + "/watchroom/watchroom.sock"
        }
        return "/tmp/watchroom-\(getuid())/watchroom.sock"
    }
}

/// A socket address or folder that cannot be used, as one line for the user.
public struct EndpointError: Error, Hashable, Sendable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = Sanitizer.inert(description) }
}

/// The folder of a Unix socket: created 0700 when missing; refused when it belongs to
/// another user or others may enter it (so nobody can swap the socket under us).
enum SocketFolder {
    static func prepare(socketPath path: String) throws(EndpointError) {
        let dir = (path as NSString).deletingLastPathComponent
        let folder = dir.isEmpty ? "." : dir
        var info = stat()
        if stat(folder, &info) != 0 {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true,
                                                        attributes: [.posixPermissions: 0o700])
            } catch {
                throw EndpointError("\(folder): cannot create the socket's folder (\(error.localizedDescription))")
            }
            guard stat(folder, &info) == 0 else { throw EndpointError("\(folder): cannot read the socket's folder") }
            chmod(folder, 0o700)
            return
        }
        guard info.st_mode & S_IFMT == S_IFDIR else { throw EndpointError("\(folder) is not a folder") }
        // A shared folder such as /tmp itself is fine for an explicit path as long as it is
        // sticky; a folder of our own must be private.
        let shared = info.st_mode & S_ISVTX != 0
        guard shared || info.st_uid == getuid() else {
            throw EndpointError("\(folder) belongs to another user; choose a socket in a folder of your own")
        }
        guard shared || info.st_mode & 0o077 == 0 else {
            throw EndpointError("\(folder) is open to other users (mode \(String(info.st_mode & 0o777, radix: 8))); make it 0700 (chmod 700 \(folder)) or choose another socket")
        }
    }

    /// A socket file left by a server that is gone is removed; one that still answers is
    /// another server's, and refused.
    static func clearStale(_ path: String) throws(EndpointError) {
        var info = stat()
        guard lstat(path, &info) == 0 else { return }
        guard info.st_mode & S_IFMT == S_IFSOCK else {
            throw EndpointError("\(path) exists and is not a socket; choose another path")
        }
        if answers(path) { throw EndpointError("another server is listening on \(path); stop it or choose another socket") }
        unlink(path)
    }

    static func answers(_ path: String) -> Bool {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8.prefix(103)) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (k, b) in bytes.enumerated() where k < raw.count { raw[k] = b }
        }
        let size = socklen_t(MemoryLayout<sockaddr_un>.size)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, size) }
        }
        return result == 0
    }
}
