import Foundation
import WatchroomCore

/// A closing code: two digits after the APCO custom of numbered dispositions, the
/// wire name carried in `incident.closed`, and a label. The list is in docs/dispatch.md.
public struct DispositionCode: Hashable, Sendable {
    public var code: String
    public var disposition: Disposition
    public var label: String
    /// Other words the command line accepts.
    public var aliases: [String]

    public init(code: String, disposition: Disposition, label: String, aliases: [String] = []) {
        self.code = code
        self.disposition = disposition
        self.label = label
        self.aliases = aliases
    }

    /// Every code, in numeric order.
    public static let all: [DispositionCode] = [
        DispositionCode(code: "10", disposition: .report, label: "Report taken", aliases: ["rpt", "report-taken"]),
        DispositionCode(code: "11", disposition: .arrest, label: "Arrest made", aliases: ["arr"]),
        DispositionCode(code: "12", disposition: "citation", label: "Citation or warning issued", aliases: ["cit", "warning"]),
        DispositionCode(code: "20", disposition: .resolved, label: "Resolved on scene", aliases: ["res"]),
        DispositionCode(code: "21", disposition: "advised", label: "Parties advised", aliases: ["adv"]),
        DispositionCode(code: "30", disposition: "goneOnArrival", label: "Gone on arrival", aliases: ["goa", "gone"]),
        DispositionCode(code: "31", disposition: "unableToLocate", label: "Unable to locate", aliases: ["utl"]),
        DispositionCode(code: "40", disposition: .unfounded, label: "Unfounded", aliases: ["unf"]),
        DispositionCode(code: "41", disposition: "falseAlarm", label: "False alarm", aliases: ["false"]),
        DispositionCode(code: "50", disposition: .referred, label: "Referred to another agency", aliases: ["ref"]),
        DispositionCode(code: "51", disposition: "transported", label: "Transported (hospital, home, shelter)", aliases: ["tx"]),
        DispositionCode(code: "60", disposition: .cancelled, label: "Cancelled by caller", aliases: ["can", "cancel"]),
        DispositionCode(code: "61", disposition: .duplicate, label: "Duplicate call", aliases: ["dup"]),
        DispositionCode(code: "90", disposition: "other", label: "Other (see note)", aliases: []),
    ]

    /// The code for `text`: its two digits, its wire name or an alias (any case, `-`/`_` ignored).
    public static func find(_ text: String) -> DispositionCode? {
        let wanted = normalize(text)
        return all.first { c in
            c.code == wanted || normalize(c.disposition.rawValue) == wanted || c.aliases.contains { normalize($0) == wanted }
        }
    }

    /// The code carrying `disposition`, if it is one of the list.
    public static func find(_ disposition: Disposition) -> DispositionCode? {
        all.first { $0.disposition == disposition }
    }

    private static func normalize(_ s: String) -> String {
        s.lowercased().filter { $0 != "-" && $0 != "_" && $0 != " " }
    }
}
