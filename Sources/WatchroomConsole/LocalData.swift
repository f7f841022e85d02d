import Foundation
import WatchroomCore
import WatchroomRecords

/// Where the default map lives: `$WATCHROOM_MAP`, else `Maps/jiangbei-city.wrmap` in the
/// working directory or beside the build folder the binary runs from.
public enum DefaultMap {
    public static let relativePath = "Maps/jiangbei-city.wrmap"

    public static func path() -> String {
        if let env = ProcessInfo.processInfo.environment["WATCHROOM_MAP"], !env.isEmpty { return env }
        return resolve(relativePath)
    }

    /// A file shipped with the project, found from the working directory or the binary.
    public static func resolve(_ relativePath: String) -> String {
        let fm = FileManager.default
        if fm.fileExists(atPath: relativePath) { return relativePath }
        // .build/<config>/watchroom -> package root
        var dir = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent(relativePath).path
            if fm.fileExists(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return relativePath
    }
}

/// Where Watchroom keeps its files on this machine: shift recordings and the records
/// database under `$XDG_DATA_HOME/watchroom` (private folders, docs/privacy.md).
public enum LocalData {
    /// `$XDG_DATA_HOME/watchroom/shifts/2026-11-25T2148+0800.shift` (else under `~/.local/share`).
    public static func shiftPath(timeZone: String, prefix: String = "") -> String {
        let dir = directory("shifts") ?? "."
        let stamp = ISOTime.format(Date(), timeZone: ISOTime.timeZone(named: timeZone) ?? .current)
        // 2026-11-25T21:48:11.250+08:00 -> 2026-11-25T214811+0800
        let name = prefix + String(stamp.prefix(19)).replacingOccurrences(of: ":", with: "")
            + String(stamp.suffix(6)).replacingOccurrences(of: ":", with: "")
        var path = "\(dir)/\(name).shift"
        var n = 2
        while FileManager.default.fileExists(atPath: path) { path = "\(dir)/\(name)-\(n).shift"; n += 1 }
        return path
    }

    /// `$XDG_DATA_HOME/watchroom/records.sqlite` (else `~/.local/share/...`); `nil` keeps it in memory.
    /// One made by an older build with a wider mode is set back to 0600 (with its side files).
    public static func recordsDatabase() -> String? {
        guard let path = directory().map({ $0 + "/records.sqlite" }) else { return nil }
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            chmod(file, 0o600)
        }
        return path
    }

    /// `$XDG_DATA_HOME/watchroom[/sub]` (else `~/.local/share/...`), created if need be;
    /// `nil` when there is no such place or it cannot be made. The `watchroom` folder and
    /// `sub` are private (0700, set again if they were made wider); shift files and the
    /// records database in them are created 0600 (the process's umask, `Watchroom.main()`).
    public static func directory(_ sub: String? = nil) -> String? {
        let env = ProcessInfo.processInfo.environment
        guard let base = env["XDG_DATA_HOME"].flatMap({ $0.isEmpty ? nil : $0 }) ?? env["HOME"].map({ $0 + "/.local/share" })
        else { return nil }
        let top = base + "/watchroom"
        let dir = top + (sub.map { "/" + $0 } ?? "")
        let fm = FileManager.default
        guard (try? fm.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])) != nil
        else { return nil }
        for folder in [top, dir] { chmod(folder, 0o700) }
        return dir
    }

    /// Opens the records database (its audit trail lasts across runs), building it from the
    /// fixture the first time.
    /// Every lookup is audited with the OS user, the role and `mode` (the front end).
    public static func openRecords(fixture: String, database: String?, observer: Bool, mode: String) throws -> SQLiteRecords {
        let context = AuditContext.current(mode: mode)
        guard let database else { return try SQLiteRecords.openDefault(fixturePath: fixture, observer: observer, context: context) }
        if FileManager.default.fileExists(atPath: database) {
            return try SQLiteRecords.open(path: database, observer: observer, context: context)
        }
        return try SQLiteRecords.build(fromSQL: fixture, at: database, observer: observer, context: context)
    }
}
