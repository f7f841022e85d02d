import Foundation

/// One row of the lookup audit trail.
public struct AuditEntry: Sendable, Hashable {
    public var id: Int64
    /// ISO 8601 with offset, e.g. `2026-11-25T19:48:11.250+08:00`.
    public var time: String
    public var who: String
    /// `address` or `phone`.
    public var queryKind: String
    /// What was asked, as asked.
    public var query: String
    /// A short summary of what was shown (masked when the viewer was an observer).
    public var shown: String
    public var observer: Bool
    /// The operating-system account the program ran as (`""` on rows older than schema 2).
    public var osUser: String = ""
    /// `commander` or `observer` (the demonstration role, which masks what is shown).
    public var role: String = ""
    /// The front end that made the lookup: `console`, `run` (a script), `drill`.
    public var mode: String = ""
}

/// Who and what a records view audits its lookups as, beyond the name given per lookup.
public struct AuditContext: Sendable, Hashable {
    /// The operating-system account.
    public var osUser: String
    /// The front end: `console`, `run`, `drill`.
    public var mode: String

    public init(osUser: String, mode: String) {
        self.osUser = osUser
        self.mode = mode
    }

    /// This process's account (its effective user's name, else `$USER`, else `uid N`) in `mode`.
    public static func current(mode: String) -> AuditContext {
        AuditContext(osUser: osUserName(), mode: mode)
    }

    static func osUserName() -> String {
        let uid = geteuid()
        if let entry = getpwuid(uid), let name = entry.pointee.pw_name {
            let text = String(cString: name)
            if !text.isEmpty { return text }
        }
        if let user = ProcessInfo.processInfo.environment["USER"], !user.isEmpty { return user }
        return "uid \(uid)"
    }
}

/// Errors of the records layer beyond SQLite's own.
public enum RecordsError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A lookup without a user name cannot be audited, so it is refused.
    case anonymousLookup

    public var description: String {
        switch self {
        case .anonymousLookup: return "a records lookup needs the name of who is asking (for the audit trail)"
        }
    }
}
