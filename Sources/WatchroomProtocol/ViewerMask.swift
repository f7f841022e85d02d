import Foundation
import WatchroomCore
import WatchroomEngine

/// What a viewer receives instead of names and phone numbers (observer mode, done on the
/// server: the real ones never leave it for a viewer). The audit trail and the recording
/// keep the real thing.
///
/// The rules come from the caller (the executable passes the records' `Masking`), so this
/// pure target does not link the records database.
public struct ViewerMask: Sendable {
    public var name: @Sendable (String) -> String
    public var phone: @Sendable (String) -> String
    /// Free text (a summary, a note, a warning): phone numbers written inside it.
    public var text: @Sendable (String) -> String

    public init(name: @escaping @Sendable (String) -> String, phone: @escaping @Sendable (String) -> String,
                text: @escaping @Sendable (String) -> String) {
        self.name = name
        self.phone = phone
        self.text = text
    }

    /// The event as a viewer may see it; `nil` when it may not see it at all.
    public func event(_ event: Event, timeZone: TimeZone) -> Event? {
        switch event {
        case .incidentReported(var p):
            p.callerName = p.callerName.map(name)
            p.callerPhone = p.callerPhone.map(phone)
            p.summary = text(p.summary)
            return .incidentReported(p)
        case .incidentUpdated(var p):
            p.callerName = p.callerName.map(name)
            p.callerPhone = p.callerPhone.map(phone)
            p.summary = p.summary.map(text)
            p.note = p.note.map(text)
            return .incidentUpdated(p)
        case .incidentClosed(var p):
            p.note = p.note.map(text)
            return .incidentClosed(p)
        case .unitRegistered(var p):
            p.name = p.name.map(name)
            p.crew = p.crew.map(name)
            return .unitRegistered(p)
        default:
            if var sheet = event.orderSheet {
                sheet.callerName = sheet.callerName.map(name)
                sheet.callerPhone = sheet.callerPhone.map(phone)
                sheet.summary = text(sheet.summary)
                sheet.warnings = sheet.warnings.map(text)
                sheet.notes = sheet.notes.map(text)
                // A sheet that cannot be written again is withheld rather than sent unmasked.
                return try? Event.orderIssued(sheet, timeZone: timeZone)
            }
            return event
        }
    }

    /// The state as a viewer may see it: every caller's and officer's name and phone masked.
    public func state(_ state: PrecinctState) -> PrecinctState {
        var s = state
        for (id, var incident) in s.incidents {
            incident.callerName = incident.callerName.map(name)
            incident.callerPhone = incident.callerPhone.map(phone)
            incident.summary = text(incident.summary)
            incident.closeNote = incident.closeNote.map(text)
            incident.notes = incident.notes.map { IncidentNote(time: $0.time, text: text($0.text)) }
            s.incidents[id] = incident
        }
        for (id, var unit) in s.units {
            unit.name = unit.name.map(name)
            unit.crew = unit.crew.map(name)
            s.units[id] = unit
        }
        return s
    }
}

/// What each role may run. A viewer is read-only: it may look (select, cameras, the map,
/// the summary, help, routes) but not change the shift or its clock, look up records, or
/// ask for a ranking (published as an event for everyone).
public enum CommandPolicy {
    /// Why `role` may not run `command`, or `nil` when it may.
    public static func refusal(_ command: Command, role: Role) -> String? {
        guard role == .viewer else { return nil }
        switch (command.kind, command) {
        case (.changesShift, _), (.clock, _), (_, .lookup), (_, .recommend):
            return command.readOnlyRefusal("Viewer")
        default:
            return nil
        }
    }
}
