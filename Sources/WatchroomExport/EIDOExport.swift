import Foundation
import WatchroomCore
import WatchroomEngine

/// One NENA Emergency Incident Data Object (NENA-STA-021.1a-2022, JSON) per incident.
///
/// Field names are the standard's (as its published JSON schema and the EidoLib classes
/// built from it spell them). Each data component carries the common prologue (`$id`,
/// `lastUpdateTimestamp`, `updatedByAgencyReference`); components refer to each other by
/// `{"$ref": "<$id>"}`. The location is a PIDF-LO document (civic address and a WGS 84
/// point) in `locationByValue`. Times are ISO 8601 with the shift's offset.
///
/// Values drawn from the standard's registries are the ones in ``ValueLists``; see
/// docs/exports.md for where each comes from.
public enum EIDOExport {
    /// The registry values this export writes, per field.
    public enum ValueLists {
        /// IANA `urn:emergency:service:responder` sub-service of a police agency.
        public static let agencyType = ["police"]
        public static let agencyRole = ["CallReceiving", "Dispatching"]
        public static let locationType = ["CurrentIncident"]
        /// The incident statuses (docs/events.md: NENA EIDO's vocabulary).
        public static let incidentStatus = IncidentStatus.allCases.map(\.rawValue)
        /// The unit statuses (docs/events.md: NENA EIDO's vocabulary).
        public static let unitStatus = UnitStatus.allCases.map(\.rawValue)
        public static let resourceType = ["PatrolCar", "FootPatrol"]
        /// IANA CallStates of a call that has ended, and LogEvent call types.
        public static let callState = ["callEnd"]
        public static let primaryCallType = ["Emergency"]
        public static let callDirection = ["incoming", "outgoing", "internal"]
        /// The common disposition codes (docs/dispatch.md), numbered by tens like APCO ANS 1.111.2.
        public static var dispositionCode: [String] { DispositionCode.all.map(\.code) }
        /// The incident type words, one per Watchroom category.
        public static let incidentType: [IncidentCategory: String] = [
            .dispute: "Disturbance", .theft: "Theft", .assault: "Assault", .trafficAccident: "TrafficCollision",
            .suicideRisk: "SuicideThreat", .domestic: "DomesticViolence", .noise: "NoiseComplaint",
            .missingPerson: "MissingPerson", .fire: "Fire", .other: "Other",
        ]
    }

    /// Every incident's EIDO, in the order they were reported; with `incident`, the one.
    public static func export(_ digest: ShiftDigest, incident: String? = nil, agency: String? = nil) -> [JSONValue] {
        digest.incidents(matching: incident).map { eido(for: $0, digest: digest, agencyName: agency) }
    }

    /// The domain Watchroom identifies itself with in NENA identifiers.
    static func domain(_ map: PrecinctMap) -> String { "\(map.key).watchroom.example" }

    static func eido(for inc: IncidentRecord, digest: ShiftDigest, agencyName: String?) -> JSONValue {
        let map = digest.map
        let domain = domain(map)
        let base = "urn:emergency:uid:"
        let key = inc.number ?? inc.id.rawValue
        let updated = digest.iso(inc.closedAt ?? digest.end ?? inc.reportedAt)
        let agencyID = "\(base)agency:police:\(domain)"
        let agencyRef: JSONValue = .object([("$ref", .string(agencyID))])
        func prologue(_ id: String, _ rest: [(String, JSONValue)]) -> JSONValue {
            .object([("$id", .string(id)), ("lastUpdateTimestamp", .string(updated)), ("updatedByAgencyReference", agencyRef)] + rest)
        }
        func ref(_ id: String) -> JSONValue { .object([("$ref", .string(id))]) }

        // Agency.
        let agency = prologue(agencyID, [
            ("agencyJcard", .string("FN:" + Sanitizer.inert(agencyName ?? "\(map.roman ?? map.name) police precinct"))),
            ("agencyRoleDescriptionRegistryText", .array(ValueLists.agencyRole.map(JSONValue.string))),
            ("incidentOwningAgencyIndicator", .bool(true)),
            ("agencyType", .array(ValueLists.agencyType.map(JSONValue.string))),
        ])

        // Location: civic address from the map's nearest address, the point in WGS 84.
        let locationID = "\(base)location:\(key):\(domain)"
        var locationMembers: [(String, JSONValue)] = [
            ("locationTypeDescriptionRegistryText", .string(ValueLists.locationType[0])),
            ("locationDescriptionText", .string(Sanitizer.inert(inc.place))),
        ]
        if let pidf = pidfLO(inc, digest: digest) { locationMembers.insert(("locationByValue", .string(pidf)), at: 1) }
        let location = prologue(locationID, locationMembers)

        // Notes: the summary, each update's note, the close note.
        var notes: [JSONValue] = []
        var noteRefs: [JSONValue] = []
        var texts = [(inc.reportedAt, inc.summary)] + inc.notes.map { ($0.time, $0.text) }
        if let closedAt = inc.closedAt, let n = inc.closeNote, !n.isEmpty { texts.append((closedAt, n)) }
        for (k, (time, text)) in texts.enumerated() where !text.isEmpty {
            let id = "\(base)note:\(key)-\(k + 1):\(domain)"
            notes.append(.object([("$id", .string(id)), ("lastUpdateTimestamp", .string(digest.iso(time))),
                                  ("updatedByAgencyReference", agencyRef), ("notesActionComments", .string(html(text)))]))
            noteRefs.append(ref(id))
        }

        // Units: each with its status history on this incident.
        var resources: [JSONValue] = []
        var resourceRefs: [JSONValue] = []
        for unitID in inc.respondedUnits {
            guard let unit = digest.state.units[unitID] else { continue }
            let history = digest.history(of: unitID, on: inc.id)
            let id = "\(base)resource:\(unit.callsign)-\(key):\(domain)"
            let current = history.last?.status ?? unit.status
            let eta = digest.routes.last { $0.route.unit == unitID && $0.route.incident == inc.id }?.route.eta
            resources.append(.object([
                ("$id", .string(id)), ("lastUpdateTimestamp", .string(digest.iso(history.last?.time ?? unit.statusSince))),
                ("updatedByAgencyReference", agencyRef),
                ("eta", .optional(eta.map(digest.iso))),
                ("emergencyResourceTypeCommonRegistryText", .string(unit.kind == .car ? ValueLists.resourceType[0] : ValueLists.resourceType[1])),
                ("emergencyResourceTypeInternalText", .string(unit.kind.rawValue)),
                ("resourceAttributeRegistryText", .array([])),
                ("emergencyResourceName", .string(Sanitizer.inert(unit.callsign))),
                ("primaryUnitStatusRegistryText", .string(current.rawValue)),
                ("secondaryUnitStatusRegistryText", .array([])),
                // The history, oldest first: "2026-03-14T21:03:05.000+08:00 EnRoute".
                ("unitStatusInternal", .array(history.map { .string(digest.iso($0.time) + " " + $0.status.rawValue) })),
            ]))
            resourceRefs.append(ref(id))
        }

        // Dispatches: one component per order for this incident.
        var dispatches: [JSONValue] = []
        for (k, o) in digest.orders.enumerated() where o.order.incident == inc.id {
            let units = o.order.units.compactMap { u in digest.state.units[u].map { "\(base)resource:\($0.callsign)-\(key):\(domain)" } }
            dispatches.append(.object([
                ("$id", .string("\(base)dispatch:\(key)-\(k + 1):\(domain)")), ("lastUpdateTimestamp", .string(digest.iso(o.time))),
                ("updatedByAgencyReference", agencyRef), ("agencyReference", agencyRef),
                ("emergencyResourceReference", .array(units.map(ref))),
            ]))
        }

        // The call that reported it.
        let call = prologue("\(base)callid:\(key):\(domain)", [
            ("callStateRegistryText", .string(ValueLists.callState[0])),
            ("standardPrimaryCallType", .string(ValueLists.primaryCallType[0])),
            ("direction", .string(ValueLists.callDirection[0])),
            ("callStartTimestamp", .string(digest.iso(inc.reportedAt))),
            ("locationReference", .array([ref(locationID)])),
        ])

        var dispositions: [JSONValue] = []
        if let d = inc.disposition {
            let code = DispositionCode.find(d)
            dispositions.append(prologue("\(base)disposition:\(key):\(domain)", [
                ("dispositionCommonRegistryCode", .string(code?.code ?? ValueLists.dispositionCode.last ?? "")),
                ("dispositionPrimaryIndicator", .bool(true)),
                ("dispositionCategoryText", .string(Sanitizer.inert(d.rawValue))),
                ("dispositionDescriptionText", .string(Sanitizer.inert(code?.label ?? d.rawValue))),
            ]))
        }

        var statuses = [inc.status.rawValue]
        if inc.status != .closed, inc.status != .active { statuses.insert(IncidentStatus.active.rawValue, at: 0) }
        let incident = prologue("\(base)incidentinfo:\(key):\(domain)", [
            ("incidentTrackingIdentifier", .string("\(base)incidentid:\(key):\(domain)")),
            ("incidentTypeCommonRegistryText", .string(ValueLists.incidentType[inc.category] ?? "Other")),
            ("incidentTypeInternalCode", .string(inc.category.rawValue)),
            ("incidentTypeInternalText", .string(inc.category.words)),
            ("incidentStatusCommonRegistryText", .array(statuses.map(JSONValue.string))),
            ("internalIncidentId", .string(inc.id.rawValue)),
            ("incidentPriorityInternalText", .string("P\(inc.priority)")),
            ("incidentCommonPriorityNumber", .int(commonPriority(inc.priority))),
            ("locationReference", .array([ref(locationID)])),
            ("dispositionComponent", .array(dispositions)),
            ("notesReference", .array(noteRefs)),
        ])

        return .object([
            ("$id", .string("\(base)eido:\(key):\(domain)")),
            ("lastUpdateTimestamp", .string(updated)),
            ("updatedByAgencyReference", agencyRef),
            ("eidoVersion", .string("1.0")),
            ("issuingElementIdentification", .string("cad.\(domain)")),
            ("incidentComponent", incident),
            ("callComponent", .array([call])),
            ("dispatchComponent", .array(dispatches)),
            ("agencyComponent", .array([agency])),
            ("notesComponent", .array(notes)),
            ("locationComponent", .array([location])),
            ("emergencyResourceComponent", .array(resources)),
        ])
    }

    /// 0 (lowest) to 10 (highest): P1 is 9, P2 6, P3 3.
    static func commonPriority(_ p: Int) -> Int { max(0, min(10, 12 - 3 * min(3, max(1, p)))) }

    /// Plain text as HTML5 (what `notesActionComments` holds): escaped, controls made inert.
    static func html(_ s: String) -> String {
        Sanitizer.inert(s).replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }

    /// A PIDF-LO presence document (RFC 4119, civic RFC 5139, GML point EPSG 4326) for the
    /// incident: the map's nearest address within 60 m as the civic address.
    static func pidfLO(_ inc: IncidentRecord, digest: ShiftDigest) -> String? {
        guard let ll = digest.latLon(inc.point) else { return nil }
        let map = digest.map
        func x(_ s: String) -> String { html(s).replacingOccurrences(of: "\"", with: "&quot;") }
        var civic = "<ca:country>CN</ca:country><ca:A3>\(x(map.name))</ca:A3>"
        if let a = map.addresses.min(by: { $0.position.distance(to: inc.point) < $1.position.distance(to: inc.point) }),
           a.position.distance(to: inc.point) <= 60, map.streets.indices.contains(a.street) {
            civic += "<ca:A6>\(x(map.streets[a.street].name))</ca:A6><ca:HNO>\(x(a.number))</ca:HNO>"
            if let n = a.name { civic += "<ca:NAM>\(x(n))</ca:NAM>" }
        } else {
            civic += "<ca:LOC>\(x(inc.place))</ca:LOC>"
        }
        let pos = JSONValue.number(ll.lat).text() + " " + JSONValue.number(ll.lon).text()
        return "<presence xmlns=\"urn:ietf:params:xml:ns:pidf\" xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\""
            + " xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\" xmlns:gml=\"http://www.opengis.net/gml\""
            + " entity=\"pres:\(x(inc.id.rawValue))@\(domain(map))\"><tuple id=\"incident\"><status><gp:geopriv><gp:location-info>"
            + "<ca:civicAddress>\(civic)</ca:civicAddress>"
            + "<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>\(pos)</gml:pos></gml:Point>"
            + "</gp:location-info><gp:usage-rules/></gp:geopriv></status><timestamp>\(digest.iso(inc.reportedAt))</timestamp></tuple></presence>"
    }
}
