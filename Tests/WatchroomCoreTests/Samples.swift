import Foundation
@testable import WatchroomCore

/// Shared sample values for the core tests.
enum Samples {
    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? TimeZone(secondsFromGMT: 8 * 3600)!
    /// 2026-11-25T19:48:11.250+08:00
    static let t0 = Date(timeIntervalSince1970: 1_795_607_291.25)

    static func time(_ offset: TimeInterval) -> Date { t0 + offset }

    /// One event of every known kind, with optional fields filled.
    static let everyKind: [Event] = [
        .shiftStarted(ShiftStarted(map: "jiangbei-city", timeZone: "Asia/Shanghai", mode: .drill, seed: 42, source: "2026-11-25-night")),
        .clockTick(ClockTick(speed: 10)),
        .incidentReported(IncidentReported(
            id: "I0007", number: "2026-1125-0007", category: .dispute, priority: 1,
            summary: "Consumer dispute, woman threatening with a knife", place: "永平门街 12 (Yongping Gate Street)",
            point: Point(x: 120.5, y: -40.25), road: RoadLocation(segment: "s12", fraction: 0.375),
            callerName: "Li Wei", callerPhone: "+86 138 0000 0007", weapon: true)),
        .incidentUpdated(IncidentUpdated(id: "I0007", priority: 1, summary: "Knife, one person hurt", weapon: true, note: "Caller locked in shop")),
        .incidentClosed(IncidentClosed(id: "I0007", disposition: .arrest, note: "One arrested, knife seized")),
        .unitRegistered(UnitRegistered(id: "car-3", callsign: "Jiangbei 3", kind: .car, name: "Zhang Min", badge: "041203",
                                       plate: "渝A·P0303", seats: 4, crew: ["Zhang Min", "Chen Jie"], home: Point(x: 0, y: 10), status: .available)),
        .unitPosition(UnitPosition(unit: "car-3", point: Point(x: 80, y: -35.5), road: RoadLocation(segment: "s11", fraction: 0.5), heading: 90, speedKmh: 32.5)),
        .unitStatus(UnitStatusChange(unit: "car-3", status: .enRoute, incident: "I0007", note: "lights on")),
        .dispatch(DispatchOrder(incident: "I0007", units: ["car-3", "P-12"], by: "commander", note: "one-key dispatch")),
        .routeAssigned(RouteAssigned(unit: "car-3", incident: "I0007", seconds: 181.5, meters: 1204.75,
                                     legs: [RouteLeg(segment: "s11", forward: true), RouteLeg(segment: "s12", forward: false)],
                                     from: RoadLocation(segment: "s11", fraction: 0.5), to: RoadLocation(segment: "s12", fraction: 0.375),
                                     steps: ["Head east on 临江路", "Turn left onto 永平门街"], eta: t0 + 181.5)),
        .unitsRecommended(UnitsRecommended(incident: "I0007", ranked: [
            UnitRecommendation(unit: "P-12", seconds: 95, meters: 130, straightLineMeters: 110.5, offRoadMeters: 12.5),
            UnitRecommendation(unit: "car-3", seconds: 181.5, meters: 1204.75, straightLineMeters: 650, offRoadMeters: 12.5),
        ], sceneOffRoadMeters: 12.5)),
        .unitArrived(UnitArrived(unit: "car-3", incident: "I0007")),
        .cameraStatus(CameraStatus(camera: "cam-ypm-1", online: false)),
        .trafficChanged(TrafficChanged(segment: "s12", factor: 2.5, closed: false)),
        .unknown(type: "bodycam.started", json: #"{"nested":{"a":[1,2.5,"x",null,true]},"unit":"car-3"}"#),
    ]

    // MARK: - Building histories

    /// Numbers events from 1, a second apart from `t0`.
    static func envelopes(_ events: [Event], start: TimeInterval = 0) -> [EventEnvelope] {
        events.enumerated().map { i, e in EventEnvelope(seq: UInt64(i + 1), time: time(start + Double(i)), event: e) }
    }

    static func register(_ id: UnitID, _ kind: UnitKind = .officerOnFoot, at p: Point = .zero) -> Event {
        .unitRegistered(UnitRegistered(id: id, kind: kind, home: p))
    }

    static func report(_ id: IncidentID, priority: Int = 2, at p: Point = Point(x: 100, y: 100)) -> Event {
        .incidentReported(IncidentReported(id: id, category: .theft, priority: priority, summary: "Bike stolen", place: "Gate 3", point: p))
    }

    static func status(_ unit: UnitID, _ s: UnitStatus, _ incident: IncidentID? = nil) -> Event {
        .unitStatus(UnitStatusChange(unit: unit, status: s, incident: incident))
    }
}
