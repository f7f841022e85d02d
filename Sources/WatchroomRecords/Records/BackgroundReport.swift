/// What a background lookup found, ready for the screen and for dispatch orders.
///
/// Every text field has been through `Sanitizer.inert` (see ``SQLiteRecords``); a masked
/// report (``masked()``) shows names as `张*`, phones as `138-****-1234` and plates
/// partly hidden.
public struct BackgroundReport: Sendable, Hashable {
    public struct Resident: Sendable, Hashable {
        public var name: String
        /// `YYYY` or `YYYY-MM-DD`, if known.
        public var born: String?
        /// In the household: `head`, `spouse`, `child`, `tenant`, ...
        public var role: String
        /// Display form, e.g. `138-0000-1234`.
        public var phone: String?
        public var note: String?

        public init(name: String, born: String? = nil, role: String, phone: String? = nil, note: String? = nil) {
            self.name = name
            self.born = born
            self.role = role
            self.phone = phone
            self.note = note
        }
    }

    public struct Household: Sendable, Hashable {
        /// The map address id, e.g. `a06`.
        public var addressKey: String
        public var street: String
        public var number: String
        /// Flat or unit within the address, if any.
        public var unit: String?
        public var residents: [Resident]

        public init(addressKey: String, street: String, number: String, unit: String? = nil, residents: [Resident]) {
            self.addressKey = addressKey
            self.street = street
            self.number = number
            self.unit = unit
            self.residents = residents
        }
    }

    public struct Vehicle: Sendable, Hashable {
        public var plate: String
        public var make: String
        public var colour: String
        public var owner: String

        public init(plate: String, make: String, colour: String, owner: String) {
            self.plate = plate
            self.make = make
            self.colour = colour
            self.owner = owner
        }
    }

    public struct PastIncident: Sendable, Hashable {
        /// `YYYY-MM-DD`.
        public var date: String
        /// An `IncidentCategory` raw value (`dispute`, `suicideRisk`, ...).
        public var category: String
        public var summary: String
        public var outcome: String
        public var addressKey: String
        /// Who was involved, as `name (role)`.
        public var involved: [String]

        public init(date: String, category: String, summary: String, outcome: String,
                    addressKey: String, involved: [String] = []) {
            self.date = date
            self.category = category
            self.summary = summary
            self.outcome = outcome
            self.addressKey = addressKey
            self.involved = involved
        }
    }

    public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
        case info, caution, danger

        public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
        private var rank: Int { switch self { case .info: 0; case .caution: 1; case .danger: 2 } }
    }

    public struct Warning: Sendable, Hashable {
        /// Whom or what it is about: a person's name, or the address (`永平门街 23`).
        public var subject: String
        /// Whether ``subject`` is a person (masked for observers) rather than an address.
        public var isAboutPerson: Bool
        public var text: String
        /// `YYYY-MM`.
        public var since: String
        public var severity: Severity

        public init(subject: String, isAboutPerson: Bool, text: String, since: String, severity: Severity) {
            self.subject = subject
            self.isAboutPerson = isAboutPerson
            self.text = text
            self.since = since
            self.severity = severity
        }

        /// `knife involved, 2025-03`: the line a dispatch order carries.
        public var line: String { "\(text), \(since)" }
    }

    /// What was asked, for the screen: `address 永平门街 23 (a06)`, `phone 138-0000-1001`.
    public var query: String
    public var households: [Household]
    /// For a phone lookup: the people the number belongs to.
    public var matchedPeople: [Resident]
    public var vehicles: [Vehicle]
    /// Newest first.
    public var pastIncidents: [PastIncident]
    /// Most severe first, then newest.
    public var warningDetails: [Warning]
    /// Whether names and phones are masked (observer mode).
    public var isMasked: Bool

    public init(query: String, households: [Household] = [], matchedPeople: [Resident] = [],
                vehicles: [Vehicle] = [], pastIncidents: [PastIncident] = [],
                warningDetails: [Warning] = [], isMasked: Bool = false) {
        self.query = query
        self.households = households
        self.matchedPeople = matchedPeople
        self.vehicles = vehicles
        self.pastIncidents = pastIncidents
        self.warningDetails = warningDetails
        self.isMasked = isMasked
    }

    /// The warnings as dispatch orders carry them: `["knife involved, 2025-03", ...]`.
    public var warnings: [String] { warningDetails.map(\.line) }

    /// Whether the lookup found nothing at all.
    public var isEmpty: Bool {
        households.isEmpty && matchedPeople.isEmpty && vehicles.isEmpty
            && pastIncidents.isEmpty && warningDetails.isEmpty
    }

    /// Every person named in the report, each once, in order of appearance.
    public var people: [Resident] {
        var seen = Set<Resident>()
        return (matchedPeople + households.flatMap(\.residents)).filter { seen.insert($0).inserted }
    }

    /// One line for the audit trail: what the screen showed, in short.
    ///
    /// `2 households, 4 people (王建国, 李秀英, ...), 1 vehicle (渝A·10001), 2 past incidents, warnings: knife involved, 2025-03`
    public var summary: String {
        if isEmpty { return "nothing found" }
        var parts: [String] = []
        func plural(_ n: Int, _ word: String, _ many: String? = nil) -> String {
            "\(n) " + (n == 1 ? word : (many ?? word + "s"))
        }
        parts.append(plural(households.count, "household"))
        let names = Array(Set(people.map(\.name))).sorted()
        let shownNames = names.prefix(6).joined(separator: ", ") + (names.count > 6 ? ", ..." : "")
        parts.append(plural(names.count, "person", "people") + (names.isEmpty ? "" : " (\(shownNames))"))
        let phones = Array(Set(people.compactMap(\.phone))).sorted()
        if !phones.isEmpty { parts.append("phones " + phones.joined(separator: ", ")) }
        parts.append(plural(vehicles.count, "vehicle")
                     + (vehicles.isEmpty ? "" : " (" + vehicles.map(\.plate).joined(separator: ", ") + ")"))
        parts.append(plural(pastIncidents.count, "past incident"))
        parts.append(warningDetails.isEmpty ? "no warnings" : "warnings: " + warnings.joined(separator: "; "))
        return parts.joined(separator: ", ")
    }

    /// The same report with names, phones and plates masked for an observer.
    ///
    /// Free-text fields (notes, summaries, outcomes, warnings) keep their words but any run
    /// of digits that could be a phone number is masked; resident notes are dropped, since
    /// they are the field most likely to name somebody.
    public func masked() -> BackgroundReport {
        if isMasked { return self }
        func resident(_ r: Resident) -> Resident {
            Resident(name: Masking.name(r.name), born: r.born.map { String($0.prefix(4)) }, role: r.role,
                     phone: r.phone.map(Masking.phone), note: nil)
        }
        return BackgroundReport(
            query: Masking.phonesInText(query),
            households: households.map { h in
                Household(addressKey: h.addressKey, street: h.street, number: h.number, unit: h.unit,
                          residents: h.residents.map(resident))
            },
            matchedPeople: matchedPeople.map(resident),
            vehicles: vehicles.map { v in
                Vehicle(plate: Masking.plate(v.plate), make: v.make, colour: v.colour, owner: Masking.name(v.owner))
            },
            pastIncidents: pastIncidents.map { p in
                PastIncident(date: p.date, category: p.category, summary: Masking.phonesInText(p.summary),
                             outcome: Masking.phonesInText(p.outcome), addressKey: p.addressKey,
                             involved: p.involved.map(Masking.involvement))
            },
            warningDetails: warningDetails.map { w in
                Warning(subject: w.isAboutPerson ? Masking.name(w.subject) : w.subject,
                        isAboutPerson: w.isAboutPerson, text: Masking.phonesInText(w.text), since: w.since, severity: w.severity)
            },
            isMasked: true)
    }
}
