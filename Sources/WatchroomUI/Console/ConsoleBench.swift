import Foundation
import WatchroomCore

/// A micro-benchmark of frame composition, for `watchroom-bench console`; its sample state
/// serves the UI tests too.
public enum ConsoleBench {
    /// Renders `frames` frames at `width` x `height` with one cache (as the live loop
    /// does), moving every unit a little each frame and toggling the blink phase.
    ///
    /// - Returns: each frame's compose time in milliseconds; the first includes drawing
    ///   the static map layer.
    public static func composeTimes(map: PrecinctMap, state: PrecinctState, width: Int, height: Int,
                                    frames: Int) -> [Double] {
        let cache = MapRasterCache()
        var grid = Grid(width: width, height: height)
        var s = state
        let ids = Array(s.units.keys)
        let now = s.now ?? Date(timeIntervalSince1970: 1_795_000_000)
        var times: [Double] = []
        times.reserveCapacity(Swift.max(0, frames))
        let clock = ContinuousClock()
        for f in 0..<Swift.max(0, frames) {
            for (k, id) in ids.enumerated() {
                let angle = Double(f + k) * 0.1
                s.units[id]?.position.x += cos(angle) * 3
                s.units[id]?.position.y += sin(angle) * 3
            }
            let input = ConsoleFrameInput(map: map, state: s, ui: ConsoleUIState(), now: now + Double(f) / 10,
                                          blinkPhase: f % 2 == 0)
            let elapsed = clock.measure { ConsoleRenderer.render(input, into: &grid, cache: cache) }
            let c = elapsed.components
            times.append(Double(c.seconds) * 1000 + Double(c.attoseconds) / 1e15)
        }
        return times
    }

    /// A busy shift for benchmarks and demos: `units` units spread over the map's
    /// intersections (every third a car) and `incidents` open incidents, built through
    /// the reducer. Deterministic.
    public static func sampleState(map: PrecinctMap, units: Int, incidents: Int,
                                   start: Date = Date(timeIntervalSince1970: 1_795_000_000)) -> PrecinctState {
        var s = PrecinctState()
        var seq: UInt64 = 0
        func add(_ e: Event, _ t: Date) { seq += 1; s.apply(EventEnvelope(seq: seq, time: t, event: e)) }
        add(.shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: .live)), start)
        let nodes = map.intersections.map(\.position)
        guard !nodes.isEmpty else { return s }
        let statuses: [UnitStatus] = [.available, .available, .enRoute, .onScene, .busy, .dispatched]
        for k in 0..<Swift.max(0, units) {
            let id = UnitID(String(format: "U-%03d", k + 1))
            let p = nodes[(k * 7) % nodes.count]
            add(.unitRegistered(UnitRegistered(id: id, kind: k % 3 == 0 ? .car : .officerOnFoot, home: p,
                                               status: statuses[k % statuses.count] == .busy ? .busy : nil)), start)
            add(.unitPosition(UnitPosition(unit: id, point: Point(x: p.x + Double(k % 5) * 4, y: p.y))), start)
        }
        let cats = IncidentCategory.allCases
        for k in 0..<Swift.max(0, incidents) {
            let p = nodes[(k * 13 + 5) % nodes.count]
            add(.incidentReported(IncidentReported(id: IncidentID(String(format: "I%04d", k + 1)),
                                                   number: String(format: "2026-1125-%04d", k + 1),
                                                   category: cats[k % cats.count], priority: k % 3 + 1,
                                                   summary: "sample incident", place: "node \(k)", point: p)),
                start + Double(k * 30))
        }
        return s
    }
}
