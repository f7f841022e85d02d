/// Background lookups for the console and dispatch: by the incident's address, or by the
/// caller's phone number.
///
/// Pure callers depend on this protocol only; tests of dispatch can fake it. Every call
/// is audited by the implementation (who asked, when, what, what was shown).
public protocol RecordsLookup: AnyObject {
    /// Households, residents, vehicles, earlier incidents and warnings at an address.
    ///
    /// - Parameters:
    ///   - street: the street's Chinese or roman name (case-insensitive) or map key.
    ///   - number: the house number (`23`, `23号`).
    ///   - addressKey: the map address id (`a06`); when given and known it wins.
    ///   - who: the user asking, for the audit trail.
    func byAddress(street: String, number: String, addressKey: String?, who: String) throws -> BackgroundReport

    /// The people a phone number belongs to, their households, vehicles, earlier
    /// incidents and warnings. Any notation (`+86 138 0000 1001`, `138-0000-1001`).
    func byPhone(_ phone: String, who: String) throws -> BackgroundReport

    /// Ends the lookups (a program shutting down): a database is closed, so nothing is
    /// left beside it. Lookups fail afterwards.
    func close()
}
