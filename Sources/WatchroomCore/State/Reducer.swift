import Foundation

/// Folds one event into the state: `reduce(&state, envelope)`. Same as `state.apply(envelope)`.
public func reduce(_ state: inout PrecinctState, _ envelope: EventEnvelope) {
    state.apply(envelope)
}

extension PrecinctState {
    /// The fold of `envelopes` over `initial`.
    public static func fold<S: Sequence>(_ envelopes: S, from initial: PrecinctState = PrecinctState()) -> PrecinctState
        where S.Element == EventEnvelope {
        var state = initial
        for e in envelopes { state.apply(e) }
        return state
    }

    /// A copy with `envelope` applied.
    public func applying(_ envelope: EventEnvelope) -> PrecinctState {
        var s = self
        s.apply(envelope)
        return s
    }

    /// The reducer. Pure and deterministic: no I/O, no clock reads; time comes from the envelope.
    ///
    /// Rules:
    /// - An envelope whose `seq` is not greater than `lastSeq` is ignored and counted
    ///   (`anomalies.outOfOrder`). Otherwise `lastSeq`, `now` and `appliedCount` advance,
    ///   even when the event itself is then ignored.
    /// - An event naming an unknown incident or unit is ignored and counted; so is an
    ///   action on a closed incident and a route for an incident its unit has left.
    /// - A unit is tied to an incident exactly while it is `Dispatched`, `EnRoute` or
    ///   `OnScene`; any other status releases it (and drops its route).
    /// - An open incident's status follows its committed units: any `OnScene` gives
    ///   `ResourcesOnscene`, else any `EnRoute` gives `ResourcesEnroute`, else any
    ///   `Dispatched` gives `ResourcesAssigned`, else `Active`. Closing sets `Closed`
    ///   and returns its units to `Available`.
    public mutating func apply(_ envelope: EventEnvelope) {
        guard envelope.seq > lastSeq else {
            anomalies.outOfOrder += 1
            anomalies.note("seq \(envelope.seq) ignored: not after \(lastSeq)")
            return
        }
        lastSeq = envelope.seq
        appliedCount += 1
        if let n = now { now = max(n, envelope.time) } else { now = envelope.time }
        let t = envelope.time
        let seq = envelope.seq

        switch envelope.event {
        case .shiftStarted(let p):
            shift = p
            shiftStartedAt = t

        case .clockTick:
            break

        case .incidentReported(let p):
            guard incidents[p.id] == nil else {
                return anomaly(\.duplicateIncident, seq, "incident \(p.id) reported twice")
            }
            incidents[p.id] = IncidentRecord(reported: p, at: t, seq: seq)

        case .incidentUpdated(let p):
            guard var inc = incidents[p.id] else { return unknownIncident(p.id, seq) }
            if let v = p.category { inc.category = v }
            if let v = p.priority { inc.priority = min(3, max(1, v)) }
            if let v = p.summary { inc.summary = v }
            if let v = p.place { inc.place = v }
            if let v = p.point { inc.point = v }
            if let v = p.road { inc.road = v }
            if let v = p.callerName { inc.callerName = v }
            if let v = p.callerPhone { inc.callerPhone = v }
            if let v = p.weapon { inc.weapon = v }
            if let v = p.note { inc.notes.append(IncidentNote(time: t, text: v)) }
            incidents[p.id] = inc

        case .incidentClosed(let p):
            guard var inc = incidents[p.id] else { return unknownIncident(p.id, seq) }
            guard inc.isOpen else { return anomaly(\.closedIncident, seq, "incident \(p.id) closed twice") }
            for u in inc.assignedUnits where units[u]?.incident == p.id {
                setStatus(of: u, to: .available, incident: nil, at: t)
            }
            inc.assignedUnits = []
            inc.status = .closed
            inc.closedAt = t
            inc.disposition = p.disposition
            inc.closeNote = p.note
            incidents[p.id] = inc

        case .unitRegistered(let p):
            if var unit = units[p.id] {
                unit.updateDetails(p)
                units[p.id] = unit
            } else {
                units[p.id] = UnitRecord(registered: p, at: t)
            }

        case .unitPosition(let p):
            // The commonest event of a shift: updated in place, without copying the record
            // out of the dictionary and back.
            guard let index = units.index(forKey: p.unit) else { return unknownUnit(p.unit, seq) }
            units.values[index].position = p.point
            units.values[index].road = p.road
            units.values[index].heading = p.heading
            units.values[index].speedKmh = p.speedKmh
            units.values[index].positionAt = t

        case .unitStatus(let p):
            guard let unit = units[p.unit] else { return unknownUnit(p.unit, seq) }
            if p.status.isCommitted {
                if let id = p.incident {
                    guard let inc = incidents[id] else { return unknownIncident(id, seq) }
                    guard inc.isOpen else { return anomaly(\.closedIncident, seq, "unit \(p.unit) \(p.status.rawValue) to closed incident \(id)") }
                }
                setStatus(of: p.unit, to: p.status, incident: p.incident ?? unit.incident, at: t)
            } else {
                setStatus(of: p.unit, to: p.status, incident: nil, at: t)
            }

        case .dispatch(let p):
            guard let inc = incidents[p.incident] else { return unknownIncident(p.incident, seq) }
            guard inc.isOpen else { return anomaly(\.closedIncident, seq, "dispatch to closed incident \(p.incident)") }
            var any = false
            for u in p.units {
                guard let unit = units[u] else {
                    unknownUnit(u, seq)
                    continue
                }
                any = true
                // Dispatching a unit already on its way to this incident changes nothing.
                if unit.incident == p.incident, unit.status.isCommitted { continue }
                setStatus(of: u, to: .dispatched, incident: p.incident, at: t)
            }
            if any, var inc = incidents[p.incident], inc.dispatchedBy == nil {
                inc.dispatchedBy = p.by
                incidents[p.incident] = inc
            }

        case .routeAssigned(let p):
            guard var unit = units[p.unit] else { return unknownUnit(p.unit, seq) }
            guard incidents[p.incident] != nil else { return unknownIncident(p.incident, seq) }
            guard unit.incident == p.incident else {
                return anomaly(\.staleRoute, seq, "route of \(p.unit) to \(p.incident) ignored: unit not committed to it")
            }
            unit.route = p
            units[p.unit] = unit

        case .unitsRecommended(let p):
            guard var inc = incidents[p.incident] else { return unknownIncident(p.incident, seq) }
            inc.recommendation = p.ranked
            inc.recommendedAt = t
            inc.sceneOffRoadMeters = p.sceneOffRoadMeters
            incidents[p.incident] = inc

        case .unitArrived(let p):
            guard units[p.unit] != nil else { return unknownUnit(p.unit, seq) }
            guard let inc = incidents[p.incident] else { return unknownIncident(p.incident, seq) }
            guard inc.isOpen else { return anomaly(\.closedIncident, seq, "unit \(p.unit) arrived at closed incident \(p.incident)") }
            setStatus(of: p.unit, to: .onScene, incident: p.incident, at: t)
            units[p.unit]?.route = nil

        case .cameraStatus(let p):
            if cameras[p.camera]?.online != p.online || cameras[p.camera] == nil {
                cameras[p.camera] = CameraRecord(online: p.online, since: t)
            }

        case .trafficChanged(let p):
            if p.factor == 1, !p.closed {
                traffic[p.segment] = nil
            } else {
                traffic[p.segment] = TrafficOverride(factor: p.factor, closed: p.closed, since: t)
            }

        case .unknown(let type, _):
            // Order sheets and their delivery are extension types this build knows; they change no state.
            if [EventType.orderIssued, EventType.orderDelivered, EventType.ordersSink].contains(type) { break }
            anomaly(\.unknownType, seq, "event type \(type) not known to this build")
        }
    }

    // MARK: - Helpers

    /// Sets a unit's status and its tie to an incident, keeping both incidents' unit
    /// lists, timestamps and derived statuses in step.
    private mutating func setStatus(of unitID: UnitID, to status: UnitStatus, incident: IncidentID?, at t: Date) {
        guard var unit = units[unitID] else { return }
        let target = status.isCommitted ? incident : nil
        let previous = unit.incident

        if previous != target {
            unit.route = nil
            if let old = previous, var inc = incidents[old] {
                inc.assignedUnits.removeAll { $0 == unitID }
                incidents[old] = inc
            }
        }
        if unit.status != status || previous != target {
            unit.history.append(UnitStatusEntry(status: status, time: t, incident: target))
        }
        if unit.status != status { unit.statusSince = t }
        unit.status = status
        unit.incident = target
        units[unitID] = unit

        if let id = target, var inc = incidents[id] {
            if !inc.assignedUnits.contains(unitID) { inc.assignedUnits.append(unitID) }
            if !inc.respondedUnits.contains(unitID) { inc.respondedUnits.append(unitID) }
            if inc.dispatchedAt == nil { inc.dispatchedAt = t }
            if status == .enRoute || status == .onScene, inc.enRouteAt == nil { inc.enRouteAt = t }
            if status == .onScene, inc.arrivedAt == nil { inc.arrivedAt = t }
            incidents[id] = inc
        }
        if let old = previous { refreshStatus(of: old) }
        if let id = target, id != previous { refreshStatus(of: id) }
    }

    /// Recomputes an open incident's status from its committed units.
    private mutating func refreshStatus(of id: IncidentID) {
        guard var inc = incidents[id], inc.isOpen else { return }
        let statuses = inc.assignedUnits.compactMap { units[$0]?.status }
        if statuses.contains(.onScene) {
            inc.status = .resourcesOnscene
        } else if statuses.contains(.enRoute) {
            inc.status = .resourcesEnroute
        } else if statuses.contains(.dispatched) {
            inc.status = .resourcesAssigned
        } else {
            inc.status = .active
        }
        incidents[id] = inc
    }

    private mutating func anomaly(_ counter: WritableKeyPath<Anomalies, Int>, _ seq: UInt64, _ message: String) {
        anomalies[keyPath: counter] += 1
        anomalies.note("seq \(seq): \(message)")
    }

    private mutating func unknownIncident(_ id: IncidentID, _ seq: UInt64) {
        anomaly(\.unknownIncident, seq, "unknown incident \(id)")
    }

    private mutating func unknownUnit(_ id: UnitID, _ seq: UInt64) {
        anomaly(\.unknownUnit, seq, "unknown unit \(id)")
    }
}
