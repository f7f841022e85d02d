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
