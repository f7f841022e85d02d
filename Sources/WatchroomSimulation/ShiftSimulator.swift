import Foundation
import WatchroomCore
import WatchroomRouting

/// An event the simulator produces and the simulated instant it happens at.
public struct SimulatedEvent: Hashable, Sendable {
    public var time: Date
    public var event: Event

    public init(time: Date, event: Event) {
        self.time = time
        self.event = event
    }
}

/// A simulated live shift on a precinct map: officers on foot walk their beats, patrol
/// cars drive the streets, calls come in, a virtual commander dispatches, units drive
/// their assigned routes, arrive, handle the incident and go back on patrol; cameras
/// drop out, traffic jams up, a road closes for a while.
///
/// Pure and deterministic: no clock reads, no threads, no I/O. Time comes in as
/// parameters; randomness from the config's seed. The simulator is driven by
/// ``start(at:)`` once, then ``advance(to:state:)`` (or ``advanceTimed(to:state:)``)
/// with increasing times. `state` is the bus's fold of everything published so far: it
/// must include the events returned by earlier calls (publish them before calling
/// again). From it the simulator learns what others did: routes assigned by the routing
/// engine, dispatches and status changes by a human commander, closures, traffic.
///
/// Same map, same config, same sequence of `advance` times and same states give the
/// same events. Not thread-safe: drive it from one thread (or one actor).
public final class ShiftSimulator {
    public let map: PrecinctMap
    public let config: SimulationConfig
    public let roster: Roster
    /// The virtual commander: on when ``SimulationConfig/autoDispatch`` is, off for good
    /// once the commander acts (``VirtualCommander``).
    public let commander: VirtualCommander
    /// When the shift started (`nil` before ``start(at:)``).
    public private(set) var startTime: Date?
    /// How units got their way to incidents so far.
    public private(set) var stats = SimulationStats()

    // Roads.
    private var network: RoadNetwork
    private let carRoutes: RouteQuery
    private let footRoutes: RouteQuery
    private let carSnap: PlaceResolver
    private let footSnap: PlaceResolver
    /// Free-flow weights for when traffic closes every way (built on first use: 16 bytes an arc).
    private lazy var freeCar = LiveWeights(graph: network.car)
    private lazy var freeFoot = LiveWeights(graph: network.foot)
    private let shapes: SegmentShapes
    private let segmentIndex: [SegmentKey: Int]
    private let timeZone: TimeZone
    private let step: Double
    private var trafficApplied: [Int: TrafficOverrideValue] = [:]

    // Randomness, one stream per concern so that, say, a different roster does not
    // change which calls come in.
    private var rngCalls: SplitMix64
    private var rngMoves: SplitMix64
    private var rngSurroundings: SplitMix64
    private var rngCommander: SplitMix64

    // Units, in roster order.
    private var units: [SimUnit] = []
    private var unitIndex: [UnitID: Int] = [:]

    // Time (seconds since the start) and what this call emits.
    private var now: Double = 0
    private var out: [SimulatedEvent] = []

    // Incidents.
    private var incidentCounter = 0
    private var dayKey = ""
    private var dayOrdinal = 0
    private var ownIncidents: [IncidentID: IncidentInfo] = [:]
    private var dispatchScheduled: Set<IncidentID> = []
    private var dispatchedByUs: Set<IncidentID> = []
    private var closeScheduled: Set<IncidentID> = []
    private var reinforced: Set<IncidentID> = []
    /// Scripted calls whose first unit on scene always gets two more units.
    private var scriptedReinforcement: Set<IncidentID> = []
    private var closedByUs: Set<IncidentID> = []
    private var timers: [Timer] = []
    private var timerSeq = 0

    // Places and surroundings.
    private let addressPlaces: [Place]
    private let landmarkPlaces: [Place]
    private let crossings: [Crossing]
    private let carSpots: [Int]
    private let majorSegments: [Int]
    private let closableSegments: [Int]
    private var offlineCameras: Set<Int> = []
    private var jammed: Set<Int> = []
    private var closedRoads: Set<Int> = []

    /// - Parameter index: the map's shared routing index (built here when `nil`): the
    ///   simulation, the routing engine and the console of one shift share one.
    public init(map: PrecinctMap, config: SimulationConfig, index: RoutingIndex? = nil) {
        let index = index ?? RoutingIndex(map: map)
        self.map = map
        self.config = config
        roster = Roster(carCount: config.carCount, footCount: config.footCount, stationStrength: config.stationStrength)
        commander = VirtualCommander(on: config.autoDispatch)
        network = RoadNetwork(index: index)
        carRoutes = RouteQuery(graph: network.car)
        footRoutes = RouteQuery(graph: network.foot)
        carSnap = index.carPlaces
        footSnap = index.footPlaces
        let shapes = SegmentShapes(map: map)
        self.shapes = shapes
        segmentIndex = index.segmentIndex
        timeZone = ISOTime.timeZone(named: map.timeZone) ?? TimeZone(secondsFromGMT: 0) ?? .current
        step = config.clampedStep

        var seeder = SplitMix64(seed: config.seed)
        rngCalls = SplitMix64(seed: seeder.next())
        rngMoves = SplitMix64(seed: seeder.next())
        rngSurroundings = SplitMix64(seed: seeder.next())
        rngCommander = SplitMix64(seed: seeder.next())

        let places = Places(map: map, carSnap: carSnap, footSnap: footSnap)
        addressPlaces = places.addresses
        landmarkPlaces = places.landmarks
        crossings = places.crossings

        let car = network.car, foot = network.foot
        carSpots = map.segments.indices.filter { car.isUsable(segment: $0) && shapes[$0].length > 5 }
        majorSegments = map.segments.indices.filter { s in
            let c = map.segments[s].roadClass
            return car.isUsable(segment: s) && [.primary, .secondary, .tertiary, .trunk].contains(c) && shapes[s].length > 20
        }
        closableSegments = map.segments.indices.filter { s in
            let c = map.segments[s].roadClass
            return car.isUsable(segment: s) && foot.isUsable(segment: s)
                && [.tertiary, .residential, .unclassified, .livingStreet, .service].contains(c)
        }
    }

    // MARK: - Driving the simulation

    /// Starts the shift at `time`: `shift.started` (if configured), a `unit.registered`
    /// and a first `unit.position` for every unit of the roster, and cameras that start
    /// the shift offline. Call once.
    public func start(at time: Date) -> [Event] { startTimed(at: time).map(\.event) }

    /// ``start(at:)`` with each event's time (all `time`).
    public func startTimed(at time: Date) -> [SimulatedEvent] {
        guard startTime == nil else { return [] }
        startTime = time
        now = 0
        out = []
        if config.includeShiftStarted {
            emit(.shiftStarted(ShiftStarted(map: MapKey(map.key), timeZone: map.timeZone, mode: config.mode,
                                            seed: config.seed)))
        }
        placeUnits()
        for u in units {
            let home = shapes[u.segment].point(at: u.fraction)
            emit(.unitRegistered(roster.registration(u.member, home: Point(x: rounded(home.x, 10), y: rounded(home.y, 10)))))
        }
        for i in units.indices { emitPosition(i, force: true) }
        if config.surroundings, !map.cameras.isEmpty, rngSurroundings.chance(0.5) {
            let c = rngSurroundings.nextInt(below: map.cameras.count)
            offlineCameras.insert(c)
            emit(.cameraStatus(CameraStatus(camera: CameraID(map.cameras[c].key), online: false)))
            schedule(at: rngSurroundings.uniform(120...900), .cameraRestore(c))
        }
        // The first call.
        let first = config.profile.firstIncidentAfter.map { rngCalls.uniform($0) }
            ?? rngCalls.exponentialSeconds(ratePerHour: config.effectiveIncidentsPerHour)
        return scheduleCallsAndSurroundings(first: first, elapsed: 0)
    }

    /// The events of the interval since the last call up to `time`, in time order.
    ///
    /// For callers that publish with the bus's own clock: within one call, a unit's
    /// positions that follow each other with nothing else about that unit in between are
    /// reduced to the last one (they would all be stamped with the same time).
    public func advance(to time: Date, state: PrecinctState) -> [Event] {
        let timed = advanceTimed(to: time, state: state)
        guard timed.count > 1 else { return timed.map(\.event) }
        // Keep a position only when the next event about the same unit is not a position.
        var keep = [Bool](repeating: true, count: timed.count)
        var laterIsPosition: [UnitID: Bool] = [:]
        for k in stride(from: timed.count - 1, through: 0, by: -1) {
            let e = timed[k].event
            if case .unitPosition(let p) = e {
                if laterIsPosition[p.unit] == true { keep[k] = false }
                laterIsPosition[p.unit] = true
            } else {
                for u in e.unitIDs { laterIsPosition[u] = false }
            }
        }
        return timed.indices.compactMap { keep[$0] ? timed[$0].event : nil }
    }

    /// The events of the interval since the last call up to `time`, each with its simulated time.
    public func advanceTimed(to time: Date, state: PrecinctState) -> [SimulatedEvent] {
        guard let startTime else { return [] }
        let target = time.timeIntervalSince(startTime)
        guard target > now, target.isFinite else { return [] }
        out = []
        syncTraffic(state)
        reconcile(state)
        if commander.isOn { scheduleDispatches(state) }
        while now < target - 1e-9 {
            let next = min(target, (now / step + 1e-9).rounded(.down) * step + step)
            let dt = next - now
            now = next
            for i in units.indices { update(i, dt: dt, state: state) }
            fireTimers(state)
        }
        now = max(now, target)
        let result = out
        out = []
        return result
    }

    // MARK: - Units

    private func placeUnits() {
        let carCentres = Self.spread(count: roster.units.filter { $0.kind == .car }.count,
                                     candidates: carSpots.map { shapes[$0].point(at: 0.5) },
                                     first: map.station?.position ?? map.bounds.center)
        var beatCandidates = map.landmarks.map(\.position)
        if beatCandidates.count < roster.units.count { beatCandidates += map.addresses.map(\.position) }
        if beatCandidates.isEmpty { beatCandidates = map.intersections.map(\.position) }
        let footCentres = Self.spread(count: roster.units.filter { $0.kind == .officerOnFoot }.count,
                                      candidates: beatCandidates, first: map.station?.position ?? map.bounds.center)
        var ci = 0, fi = 0
        for m in roster.units {
            let profile = RoutingProfile(m.kind)
            let centre: Point
            if m.kind == .car {
                centre = carCentres.isEmpty ? map.bounds.center : carCentres[ci % carCentres.count]
                ci += 1
            } else {
                centre = footCentres.isEmpty ? map.bounds.center : footCentres[fi % footCentres.count]
                fi += 1
            }
            let area = beat(profile, around: centre)
            let jitter = Point(x: centre.x + rngMoves.uniform(-60...60), y: centre.y + rngMoves.uniform(-60...60))
            let start = (profile == .car ? carSnap : footSnap).snap(jitter)
                ?? RoadPosition(segment: area.first ?? 0, fraction: 0.5)
            var u = SimUnit(member: m, profile: profile, area: area, segment: start.segment,
                            fraction: min(1, max(0, start.fraction)))
            // A car on a one-way street faces its direction.
            u.forward = true
            u.heading = shapes[u.segment].heading(at: u.fraction, forward: true)
            u.pauseUntil = rngMoves.uniform(0...8)
            unitIndex[m.id] = units.count
            units.append(u)
        }
    }

    /// The segments of a unit's beat (officer on foot, 300 m) or patrol sector (car, 900 m)
    /// around `centre`; the eight nearest usable segments when none is that close.
    private func beat(_ profile: RoutingProfile, around centre: Point) -> [Int] {
        let radius: Double = profile == .car ? 900 : 300
        let graph = network.graph(for: profile)
        var area = map.segments.indices.filter {
            graph.isUsable(segment: $0) && shapes[$0].point(at: 0.5).distance(to: centre) <= radius && shapes[$0].length > 1
        }
        if area.isEmpty {
            area = map.segments.indices.filter { graph.isUsable(segment: $0) && shapes[$0].length > 1 }
                .sorted { shapes[$0].point(at: 0.5).distance(to: centre) < shapes[$1].point(at: 0.5).distance(to: centre) }
            area = Array(area.prefix(8))
        }
        return area
    }

    /// `count` points from `candidates`, spread out: the one nearest `first`, then each
    /// time the one farthest from those already chosen.
    static func spread(count: Int, candidates: [Point], first: Point) -> [Point] {
        guard count > 0, !candidates.isEmpty else { return [] }
        var chosen: [Point] = []
        var dist = candidates.map { $0.distance(to: first) }
        var idx = dist.indices.min { dist[$0] < dist[$1] } ?? 0
        dist = [Double](repeating: .infinity, count: candidates.count)
        while chosen.count < count {
            let p = candidates[idx]
            chosen.append(p)
            for k in candidates.indices { dist[k] = min(dist[k], candidates[k].distance(to: p)) }
            guard let far = dist.indices.max(by: { dist[$0] < dist[$1] }), dist[far] > 0 else {
                // Fewer distinct candidates than units: reuse them in order.
                while chosen.count < count { chosen.append(chosen[chosen.count % max(1, chosen.count)]) }
                break
            }
            idx = far
        }
        return chosen
    }

    /// One step of one unit: patrol planning, movement, arrival, position reports.
    private func update(_ i: Int, dt: Double, state: PrecinctState) {
        switch units[i].mode {
        case .holding, .onScene:
            return
        case .awaiting(let incident, let since):
            if now - since >= Self.routeWait { planOwnRoute(i, to: incident, state: state) }
            return
        case .patrol:
            if units[i].leg >= units[i].path.count {
                guard now >= units[i].pauseUntil else { return }
                planPatrol(i)
            }
        case .responding:
            break
        }
        let finished = move(i, dt: dt)
        if finished {
            switch units[i].mode {
            case .responding(let incident, _):
                // The crew walks the straight off-road leg from where the road ends to the
                // scene, at 5 km/h, as the routing engine counts it.
                if units[i].walkUntil == nil {
                    let here = shapes[units[i].segment].point(at: units[i].fraction)
                    let leg = state.incidents[incident].map { here.distance(to: $0.point) } ?? 0
                    units[i].walkUntil = now + (leg.isFinite ? leg : 0) / RoutingProfile.footSpeedMetersPerSecond
                }
                if let until = units[i].walkUntil, now + 1e-9 >= until { arrive(i, at: incident, state: state) }
            case .patrol:
                // Sometimes a stop (a look around, a chat with a shopkeeper): report where.
                if rngMoves.chance(units[i].profile == .car ? 0.3 : 0.4) {
                    units[i].pauseUntil = now + rngMoves.uniform(units[i].profile == .car ? 20...120 : 30...150)
                    emitPosition(i, force: true)
                } else {
                    emitPosition(i, force: false)
                }
            default:
                break
            }
        } else {
            emitPosition(i, force: false)
        }
    }

    /// How long a dispatched unit waits for the routing engine's route before finding its own way.
    static let routeWait: Double = 12

    /// Moves unit `i` along its path for `dt` seconds. Returns `true` when it reached the path's end.
    private func move(_ i: Int, dt: Double) -> Bool {
        var u = units[i]
        defer { units[i] = u }
        var t = dt
        let responding: Bool
        if case .responding = u.mode { responding = true } else { responding = false }
        while t > 1e-12 {
            if u.dwell > 0 {
                let d = min(u.dwell, t)
                u.dwell -= d
                t -= d
                u.speed = 0
                continue
            }
            guard u.leg < u.path.count else { return true }
            let leg = u.path[u.leg]
            let len = shapes[leg.segment].length
            let v = speed(of: u.profile, on: leg.segment, responding: responding)
            let remaining = len * (leg.forward ? max(0, leg.end - u.fraction) : max(0, u.fraction - leg.end))
            u.speed = v
            if remaining <= v * t {
                t -= remaining / v
                if remaining > 0 { u.moved = true }
                u.fraction = leg.end
                u.heading = shapes[leg.segment].heading(at: u.fraction, forward: leg.forward)
                u.leg += 1
                if u.leg < u.path.count {
                    let next = u.path[u.leg]
                    enter(&u, next)
                    if u.profile == .car, next.segment != leg.segment {
                        let out = shapes[next.segment].heading(at: next.start, forward: next.forward)
                        var turn = abs(out - u.heading).truncatingRemainder(dividingBy: 360)
                        if turn > 180 { turn = 360 - turn }
                        let delay: Double = turn < 30 ? 0.5 : (turn < 150 ? 2.5 : 4)
                        u.dwell = responding ? delay / 2 : delay
                    }
                    u.heading = shapes[next.segment].heading(at: next.start, forward: next.forward)
                } else {
                    return true
                }
            } else {
                let df = v * t / len
                u.fraction = leg.forward ? min(leg.end, u.fraction + df) : max(leg.end, u.fraction - df)
                u.heading = shapes[leg.segment].heading(at: u.fraction, forward: leg.forward)
                u.moved = true
                t = 0
            }
        }
        return u.leg >= u.path.count
    }

    /// Puts the unit at the start of `leg` and remembers the stretch in its trail.
    private func enter(_ u: inout SimUnit, _ leg: PathLeg) {
        u.segment = leg.segment
        u.fraction = leg.start
        u.forward = leg.forward
        if u.trail.last != TrailLeg(segment: leg.segment, forward: leg.forward) {
            u.trail.append(TrailLeg(segment: leg.segment, forward: leg.forward))
        }
    }

    /// Speed in m/s on a segment: the segment's speed (cars cruise at 85 % of it on patrol)
    /// divided by the traffic factor; officers on foot stroll at 1.1 m/s and hurry at 1.4.
    private func speed(of profile: RoutingProfile, on segment: Int, responding: Bool) -> Double {
        switch profile {
        case .foot:
            return responding ? RoutingProfile.footSpeedMetersPerSecond : 1.1
        case .car:
            let s = map.segments[segment]
            let base = max(5, s.speedKmh.isFinite ? s.speedKmh : 30) / 3.6 * (responding ? 1 : 0.85)
            var factor = network.traffic.factor(ofSegment: segment)
            if network.traffic.isClosed(segment: segment) { factor = max(factor, 3) }
            return base / max(0.5, factor)
        }
    }

    /// Sets a new path starting where the unit is.
    private func setPath(_ i: Int, _ legs: [PathLeg]) {
        units[i].walkUntil = nil
        units[i].path = legs
        units[i].leg = 0
        units[i].dwell = 0
        if let first = legs.first { enter(&units[i], first) }
    }

    private func routeQuery(_ p: RoutingProfile) -> RouteQuery { p == .car ? carRoutes : footRoutes }

    private func fastest(_ profile: RoutingProfile, from: RoadPosition, to: RoadPosition) -> Route? {
        let q = routeQuery(profile)
        if let r = q.fastest(from: from, to: to, weights: network.weights(for: profile)) { return r }
        return q.fastest(from: from, to: to, weights: profile == .car ? freeCar : freeFoot)
    }

    private static func legs(of route: Route) -> [PathLeg] {
        route.segments.map { PathLeg(segment: $0.segment, forward: $0.forward, start: $0.startFraction, end: $0.endFraction) }
    }

    private func planPatrol(_ i: Int) {
        let u = units[i]
        let here = RoadPosition(segment: u.segment, fraction: u.fraction)
        for _ in 0..<4 {
            let pool = (u.profile == .car && rngMoves.chance(0.3)) ? carSpots : u.area
            guard let s = rngMoves.element(pool) else { break }
            if closedRoads.contains(s) { continue }
            let dest = RoadPosition(segment: s, fraction: rounded(rngMoves.uniform(0.1...0.9), 1000))
            guard let r = routeQuery(u.profile).fastest(from: here, to: dest, weights: network.weights(for: u.profile)),
                  r.meters > 40 else { continue }
            setPath(i, Self.legs(of: r))
            return
        }
        units[i].pauseUntil = now + 10
    }

    // MARK: - Responding

    /// The road position of an incident for a profile: its road if the profile may use
    /// that segment, else the nearest road the profile may use.
    private func incidentPosition(_ id: IncidentID, profile: RoutingProfile, state: PrecinctState) -> RoadPosition? {
        let road = state.incidents[id]?.road ?? ownIncidents[id]?.road
        let point = state.incidents[id]?.point ?? ownIncidents[id]?.point
        if let road, let s = segmentIndex[road.segment], network.graph(for: profile).isUsable(segment: s) {
            return RoadPosition(segment: s, fraction: min(1, max(0, road.fraction)))
        }
        guard let point else { return nil }
        return (profile == .car ? carSnap : footSnap).snap(point)
    }

    /// Follows the routing engine's route from where the unit is now: along the route if
    /// the unit has only driven its start since its last reported position, else by its
    /// own fastest way to the route's end.
    private func adopt(_ i: Int, route r: RouteAssigned, state: PrecinctState) {
        let u = units[i]
        var path: [PathLeg]?
        var followed = false
        let legs = r.legs.compactMap { leg in segmentIndex[leg.segment].map { TrailLeg(segment: $0, forward: leg.forward) } }
        if legs.count == r.legs.count, !legs.isEmpty, let from = r.from, let to = r.to,
           let fromSeg = segmentIndex[from.segment], let toSeg = segmentIndex[to.segment],
           fromSeg == u.emittedSegment, abs(from.fraction - u.emittedFraction) < 1e-3 {
            // The legs may stop at the node where `to` lies, and start at the node where
            // `from` lies (zero-length stretches are left out).
            let last = legs[legs.count - 1]
            let finalEnd = last.segment == toSeg ? to.fraction : (last.forward ? 1 : 0)
            var k = -1
            var startFraction = u.fraction
            if !u.moved {
                // Still where the route starts: any direction the route takes (a U-turn on a two-way street).
                if legs[0].segment == u.segment {
                    k = 0
                } else if from.fraction <= 0 || from.fraction >= 1 {
                    let s = map.segments[fromSeg], first = map.segments[legs[0].segment]
                    let node = from.fraction <= 0 ? s.from : s.to
                    if node == (legs[0].forward ? first.from : first.to) {
                        k = 0
                        startFraction = legs[0].forward ? 0 : 1
                    }
                }
            } else if legs[0].segment == fromSeg, !u.trail.isEmpty, u.trail.count <= legs.count,
                      u.segment == legs[u.trail.count - 1].segment,
                      u.trail.indices.allSatisfy({ u.trail[$0] == legs[$0] }) {
                // Drove on along the route's start since the position the route was planned from.
                k = u.trail.count - 1
            }
            if k >= 0 {
                let fwd = legs[k].forward
                let endK = k == legs.count - 1 ? finalEnd : (fwd ? 1 : 0)
                let ahead = fwd ? startFraction <= endK + 1e-9 : startFraction >= endK - 1e-9
                if ahead {
                    var p = [PathLeg(segment: legs[k].segment, forward: fwd, start: startFraction, end: endK)]
                    for j in (k + 1)..<legs.count {
                        let l = legs[j]
                        let end = j == legs.count - 1 ? finalEnd : (l.forward ? 1 : 0)
                        p.append(PathLeg(segment: l.segment, forward: l.forward, start: l.forward ? 0 : 1, end: end))
                    }
                    path = p
                    followed = true
                }
            }
        }
        if path == nil {
            let target = r.to.flatMap { RoadPosition($0, segmentIndex: segmentIndex) }
                ?? incidentPosition(r.incident, profile: u.profile, state: state)
            if let target, let own = fastest(u.profile, from: RoadPosition(segment: u.segment, fraction: u.fraction), to: target) {
                path = Self.legs(of: own)
            }
        }
        guard let path else {
            units[i].mode = .awaiting(r.incident, since: now)
            return
        }
        if followed { stats.routesFollowed += 1 } else { stats.ownWay += 1 }
        setPath(i, path)
        units[i].mode = .responding(r.incident, r)
        sendEnRoute(i, r.incident)
    }

    /// No route came from the routing engine: find the way alone.
    private func planOwnRoute(_ i: Int, to incident: IncidentID, state: PrecinctState) {
        let u = units[i]
        guard let target = incidentPosition(incident, profile: u.profile, state: state),
              let r = fastest(u.profile, from: RoadPosition(segment: u.segment, fraction: u.fraction), to: target) else {
            units[i].mode = .awaiting(incident, since: now)
            return
        }
        stats.ownWay += 1
        setPath(i, Self.legs(of: r))
        units[i].mode = .responding(incident, nil)
        sendEnRoute(i, incident)
    }

    private func sendEnRoute(_ i: Int, _ incident: IncidentID) {
        guard units[i].enRouteFor != incident else { return }
        units[i].enRouteFor = incident
        emit(.unitStatus(UnitStatusChange(unit: units[i].member.id, status: .enRoute, incident: incident)))
    }

    private func arrive(_ i: Int, at incident: IncidentID, state: PrecinctState) {
        emitPosition(i, force: true)
        let id = units[i].member.id
        units[i].mode = .onScene(incident)
        units[i].walkUntil = nil
        units[i].path = []
        units[i].leg = 0
        units[i].speed = 0
        emit(.unitArrived(UnitArrived(unit: id, incident: incident)))
        emit(.unitStatus(UnitStatusChange(unit: id, status: .onScene, incident: incident)))
        onSceneBegan(incident, state: state)
    }

    /// The first unit on scene starts the on-scene clock; a weapon call may get reinforcement.
    ///
    /// - Parameter since: when the first unit arrived (seconds since the start), if before
    ///   now (a resumed shift): the time on scene counts from then, closing a minute from
    ///   now at the earliest.
    private func onSceneBegan(_ incident: IncidentID, state: PrecinctState, since: Double? = nil) {
        guard !closedByUs.contains(incident), let info = info(incident, state: state) else { return }
        if config.autoClose, !closeScheduled.contains(incident) {
            closeScheduled.insert(incident)
            let minutes = rngCommander.uniform(IncidentCatalog.onSceneMinutes(info.category)) * config.profile.onSceneScale
            let at = since.map { max(now + 60, $0 + minutes * 60) } ?? now + minutes * 60
            schedule(at: at, .close(incident))
        }
        if commander.mayAct(on: incident), info.weapon, !reinforced.contains(incident),
           scriptedReinforcement.contains(incident) || rngCommander.chance(0.5) {
            reinforced.insert(incident)
            schedule(at: now + rngCommander.uniform(20...60), .reinforce(incident))
        }
    }

    /// Back to patrol from wherever the unit is.
    private func release(_ i: Int) {
        units[i].mode = .patrol
        units[i].enRouteFor = nil
        units[i].path = []
        units[i].leg = 0
        units[i].dwell = 0
        units[i].pauseUntil = now + rngMoves.uniform(5...30)
    }

    private func stop(_ i: Int) {
        units[i].path = []
        units[i].leg = 0
        units[i].dwell = 0
        units[i].speed = 0
    }

    // MARK: - Reading the state

    /// Brings each unit's plan in line with what the bus says about it.
    private func reconcile(_ state: PrecinctState) {
        for i in units.indices {
            guard let rec = state.units[units[i].member.id] else { continue }
            let mode = units[i].mode
            if rec.status.isCommitted, let inc = rec.incident, !closedByUs.contains(inc),
               state.incidents[inc]?.isOpen ?? false {
                if case .onScene(inc) = mode { continue }
                if rec.status == .onScene {
                    stop(i)
                    units[i].mode = .onScene(inc)
                    units[i].enRouteFor = inc
                    onSceneBegan(inc, state: state)
                    continue
                }
                if let r = rec.route, r.incident == inc {
                    if case .responding(inc, let current) = mode, current == r { continue }
                    adopt(i, route: r, state: state)
                } else {
                    if case .awaiting(inc, _) = mode { continue }
                    if case .responding(inc, _) = mode { continue }
                    stop(i)
                    units[i].mode = .awaiting(inc, since: now)
                    if rec.status == .enRoute { units[i].enRouteFor = inc }
                }
            } else if rec.status == .outOfService || rec.status == .busy {
                if mode != .holding {
                    stop(i)
                    units[i].mode = .holding
                    units[i].enRouteFor = nil
                }
            } else if mode != .patrol {
                release(i)
            }
        }
    }

    /// Mirrors the state's traffic into the simulator's road network.
    private func syncTraffic(_ state: PrecinctState) {
        var seen: Set<Int> = []
        for (key, o) in state.traffic {
            guard let s = segmentIndex[key] else { continue }
            seen.insert(s)
            let v = TrafficOverrideValue(factor: o.factor, closed: o.closed)
            if trafficApplied[s] != v { applyTraffic(s, v) }
        }
        for s in trafficApplied.keys.sorted() where !seen.contains(s) {
            applyTraffic(s, TrafficOverrideValue(factor: 1, closed: false))
        }
    }

    private func applyTraffic(_ s: Int, _ v: TrafficOverrideValue) {
        network.setCongestion(v.factor > 0 && v.factor.isFinite ? v.factor : 1, onSegment: s)
        network.setClosed(v.closed, segment: s)
        trafficApplied[s] = v.isNormal ? nil : v
    }

    /// Facts about an incident, from the simulator's own record or the state.
    private func info(_ id: IncidentID, state: PrecinctState) -> IncidentInfo? {
        if let own = ownIncidents[id] { return own }
        guard let r = state.incidents[id] else { return nil }
        return IncidentInfo(category: r.category, priority: r.priority, weapon: r.weapon, point: r.point, road: r.road)
    }

    // MARK: - The virtual commander

    /// Every open incident nobody has been sent to gets a dispatch timer.
    private func scheduleDispatches(_ state: PrecinctState) {
        let waiting = state.incidents.values.filter {
            $0.isOpen && $0.respondedUnits.isEmpty && !dispatchScheduled.contains($0.id)
        }
        for inc in waiting.sorted(by: { $0.reportedSeq < $1.reportedSeq }) {
            dispatchScheduled.insert(inc.id)
            let reported = inc.reportedAt.timeIntervalSince(startTime ?? inc.reportedAt)
            schedule(at: max(now, reported + dispatchDelay(priority: inc.priority)), .dispatch(inc.id))
        }
    }

    /// Seconds from the call to the dispatch: quicker for urgent calls.
    private func dispatchDelay(priority: Int) -> Double {
        switch priority {
        case 1: return rngCommander.uniform(20...30)
        case 2: return rngCommander.uniform(30...45)
        default: return rngCommander.uniform(40...60)
        }
    }

    private func isFree(_ i: Int, state: PrecinctState) -> Bool {
        guard units[i].mode == .patrol else { return false }
        return state.units[units[i].member.id]?.status.isAssignable ?? true
    }

    /// Up to `count` free units for an incident: the routing engine's ranking first, then
    /// by estimated travel time (straight line at a typical speed).
    private func chooseUnits(_ count: Int, for id: IncidentID, info: IncidentInfo, state: PrecinctState,
                             excluding: Set<UnitID>) -> [Int] {
        var chosen: [Int] = []
        for r in state.incidents[id]?.recommendation ?? [] where chosen.count < count {
            guard let i = unitIndex[r.unit], !excluding.contains(r.unit), !chosen.contains(i), isFree(i, state: state) else { continue }
            chosen.append(i)
        }
        if chosen.count < count {
            let rest = units.indices.filter { !chosen.contains($0) && !excluding.contains(units[$0].member.id) && isFree($0, state: state) }
                .map { i -> (Int, Double) in
                    let p = shapes[units[i].segment].point(at: units[i].fraction)
                    return (i, p.distance(to: info.point) * 1.3 / (units[i].profile == .car ? 9 : 1.4))
                }
                .sorted { ($0.1, $0.0) < ($1.1, $1.0) }
            chosen += rest.prefix(count - chosen.count).map(\.0)
        }
        return chosen
    }

    private func dispatch(_ id: IncidentID, state: PrecinctState, reinforcement: Bool) {
        guard !closedByUs.contains(id), let info = info(id, state: state) else { return }
        let record = state.incidents[id]
        if let record, !record.isOpen { return }
        var want: Int
        var excluding: Set<UnitID> = []
        if reinforcement {
            want = scriptedReinforcement.contains(id) ? 2 : (rngCommander.chance(0.5) ? 2 : 1)
            excluding = Set(record?.respondedUnits ?? [])
            for u in units where u.mode.incident == id { excluding.insert(u.member.id) }
        } else {
            // Someone else (a human commander) already sent units.
            if dispatchedByUs.contains(id) || !(record?.respondedUnits.isEmpty ?? true) { return }
            want = (info.weapon || info.priority == 1) ? 2 : 1
        }
        if let desk = commander.desk {
            decide(id, want: want, reinforcement: reinforcement, state: state, desk: desk)
            return
        }
        let chosen = chooseUnits(want, for: id, info: info, state: state, excluding: excluding)
        guard !chosen.isEmpty else {
            if !reinforcement { schedule(at: now + 30, .dispatch(id)) }
            return
        }
        if !reinforcement { dispatchedByUs.insert(id) }
        for i in chosen {
            // Report where the unit is, so the route starts exactly there.
            emitPosition(i, force: true)
            stop(i)
            units[i].mode = .awaiting(id, since: now)
        }
        let note = reinforcement ? "reinforcement" : (chosen.count > 1 ? "two units: weapon or priority 1" : nil)
        emit(.dispatch(DispatchOrder(incident: id, units: chosen.map { units[$0].member.id }, by: "auto", note: note)))
    }

    /// The virtual commander's decision through the commander's desk: the units the
    /// response plan (or the reinforcement) picks, with their order sheets. Retried in 30 s
    /// when nobody can go, a step later when a unit it picked is already busy here.
    private func decide(_ id: IncidentID, want: Int, reinforcement: Bool, state: PrecinctState,
                        desk: (VirtualCommander.Decision, PrecinctState, Date) -> [Event]) {
        let date = (startTime ?? Date(timeIntervalSince1970: 0)).addingTimeInterval(now)
        let events = desk(reinforcement ? .reinforce(id, count: want) : .dispatch(id), state, date)
        var sent: [Int] = []
        for case .dispatch(let order) in events { sent += order.units.compactMap { unitIndex[$0] } }
        guard !sent.isEmpty else {
            if !reinforcement, state.incidents[id]?.assignedUnits.isEmpty ?? true { schedule(at: now + 30, .dispatch(id)) }
            return
        }
        // The state lags the simulation by a step: a unit sent elsewhere this step waits.
        guard sent.allSatisfy({ units[$0].mode == .patrol }) else {
            schedule(at: now + step, reinforcement ? .reinforce(id) : .dispatch(id))
            return
        }
        if !reinforcement { dispatchedByUs.insert(id) }
        for i in sent {
            emitPosition(i, force: true)
            stop(i)
            units[i].mode = .awaiting(id, since: now)
        }
        for event in events { emit(event) }
    }

    private func close(_ id: IncidentID, state: PrecinctState) {
        guard !closedByUs.contains(id), state.incidents[id]?.isOpen ?? true, let info = info(id, state: state) else { return }
        let (disposition, note) = pick(IncidentCatalog.dispositions(info.category, weapon: info.weapon)
            .map { (($0.0, $0.2), $0.1) }, &rngCommander) ?? (.resolved, "Handled on scene")
        closedByUs.insert(id)
        emit(.incidentClosed(IncidentClosed(id: id, disposition: disposition, note: note)))
        for i in units.indices where units[i].mode.incident == id { release(i) }
    }

    // MARK: - Calls

    private func newIncident(state: PrecinctState) {
        let category = pick(IncidentCatalog.categoryWeights, &rngCalls) ?? .other
        let template = rngCalls.element(IncidentCatalog.templates(category))
            ?? IncidentCatalog.Template("Call for assistance", 3)
        guard let place = choosePlace(category) else { return }
        report(category: category, template: template, place: place, state: state, caller: nil)
    }

    /// A call of ``SimulationConfig/scriptedCalls`` at its address (skipped when the map
    /// has no such address).
    private func scriptedCall(_ k: Int, state: PrecinctState) {
        guard config.scriptedCalls.indices.contains(k) else { return }
        let call = config.scriptedCalls[k]
        guard let address = map.addresses.first(where: { a in
            map.streets.indices.contains(a.street) && a.number == call.number
                && [map.streets[a.street].name, map.streets[a.street].roman ?? "", map.streets[a.street].key].contains(call.street)
        }), let place = addressPlaces.first(where: { $0.point == address.position }) else { return }
        let id = report(category: call.category, template: IncidentCatalog.Template(call.summary, call.priority, weapon: call.weapon),
                        place: place, state: state, caller: (call.callerName, call.callerPhone))
        if call.reinforce { scriptedReinforcement.insert(id) }
    }

    @discardableResult
    private func report(category: IncidentCategory, template: IncidentCatalog.Template, place: Place,
                        state: PrecinctState, caller: (name: String?, phone: String)?) -> IncidentID {
        var id: IncidentID
        repeat {
            incidentCounter += 1
            id = IncidentID(config.incidentIDPrefix + Roster.pad(incidentCounter, 4))
        } while state.incidents[id] != nil || ownIncidents[id] != nil
        let date = (startTime ?? Date(timeIntervalSince1970: 0)).addingTimeInterval(now)
        let day = ISOTime.day(date, timeZone: timeZone)
        if day != dayKey {
            dayKey = day
            dayOrdinal = 0
        }
        // Numbers are unique per day across everyone who reports calls (the commander too).
        let prefix = String(IncidentNumber.make(day: date, timeZone: timeZone, ordinal: 0).dropLast(4))
        let taken = state.incidents.values.compactMap { $0.number }.filter { $0.hasPrefix(prefix) }
            .compactMap { Int($0.dropFirst(prefix.count)) }.max() ?? 0
        dayOrdinal = max(dayOrdinal, taken) + 1
        let number = IncidentNumber.make(day: date, timeZone: timeZone, ordinal: dayOrdinal)
        var callerName: String?
        let phone: String
        if let caller {
            callerName = caller.name
            phone = caller.phone
        } else {
            if rngCalls.chance(0.85) {
                callerName = (rngCalls.element(IncidentCatalog.callerSurnames) ?? "Wang") + " "
                    + (rngCalls.element(IncidentCatalog.callerGiven) ?? "Wei")
            }
            phone = "138-0000-" + Roster.pad(rngCalls.nextInt(below: 10000), 4)
        }
        let road = place.road.map { RoadLocation(segment: SegmentKey(map.segments[$0.segment].key), fraction: rounded($0.fraction, 100_000)) }
        let report = IncidentReported(id: id, number: number, category: category, priority: template.priority,
                                      summary: template.summary, place: place.label, point: place.point, road: road,
                                      callerName: callerName, callerPhone: phone, weapon: template.weapon)
        ownIncidents[id] = IncidentInfo(category: category, priority: template.priority, weapon: template.weapon,
                                        point: place.point, road: road)
        emit(.incidentReported(report))
        if commander.isOn {
            dispatchScheduled.insert(id)
            schedule(at: now + dispatchDelay(priority: template.priority), .dispatch(id))
        }
        return id
    }

    private func choosePlace(_ category: IncidentCategory) -> Place? {
        for _ in 0..<6 {
            let kind = pick(IncidentCatalog.placeWeights(category), &rngCalls) ?? .address
            var pool: [Place] = []
            switch kind {
            case .address: pool = addressPlaces
            case .crossing: break
            case .landmark:
                let kinds = IncidentCatalog.landmarkKinds(category)
                pool = landmarkPlaces.filter { kinds.isEmpty || kinds.contains($0.kind ?? "") }
                if pool.isEmpty { pool = landmarkPlaces }
            }
            let chosen: Place?
            if kind == .crossing && !crossings.isEmpty {
                chosen = rngCalls.element(crossings).map { $0.place(in: map) }
            } else {
                if pool.isEmpty { pool = addressPlaces + landmarkPlaces + crossings.map { $0.place(in: map) } }
                chosen = rngCalls.element(pool)
            }
            guard let place = chosen else { break }
            if let r = place.road, closedRoads.contains(r.segment) { continue }
            return place
        }
        // A map with no places: a point on a random road.
        guard let s = rngCalls.element(carSpots) else { return nil }
        let f = rounded(rngCalls.uniform(0.2...0.8), 1000)
        let p = shapes[s].point(at: f)
        return Place(label: map.streetLabel(map.segments[s].street), point: p,
                     road: RoadPosition(segment: s, fraction: f), kind: nil)
    }

    // MARK: - Surroundings

    private func cameraOutage() {
        let online = map.cameras.indices.filter { !offlineCameras.contains($0) }
        guard let c = rngSurroundings.element(online) else { return }
        offlineCameras.insert(c)
        emit(.cameraStatus(CameraStatus(camera: CameraID(map.cameras[c].key), online: false)))
        let minutes = rngSurroundings.uniform(3...30) * (config.profile == .demo ? 0.3 : 1)
        schedule(at: now + minutes * 60, .cameraRestore(c))
    }

    private func jam() {
        let free = majorSegments.filter { !jammed.contains($0) && !closedRoads.contains($0) && trafficApplied[$0] == nil }
        guard let s = rngSurroundings.element(free) else { return }
        var group = [s]
        // Up to two neighbours on the same street.
        let seg = map.segments[s]
        let neighbours = majorSegments.filter { n in
            n != s && !jammed.contains(n) && !closedRoads.contains(n) && trafficApplied[n] == nil
                && map.segments[n].street == seg.street && seg.street != nil
                && [map.segments[n].from, map.segments[n].to].contains(where: { $0 == seg.from || $0 == seg.to })
        }
        for n in neighbours.prefix(2) where rngSurroundings.chance(0.6) { group.append(n) }
        let factor = rounded(rngSurroundings.uniform(1.5...3), 10)
        let minutes = rngSurroundings.uniform(5...30) * (config.profile == .demo ? 0.5 : 1)
        for g in group {
            jammed.insert(g)
            applyTraffic(g, TrafficOverrideValue(factor: factor, closed: false))
            emit(.trafficChanged(TrafficChanged(segment: SegmentKey(map.segments[g].key), factor: factor)))
            schedule(at: now + minutes * 60, .jamEnds(g))
        }
    }

    private func closure(state: PrecinctState) {
        var occupied = Set(units.map(\.segment))
        for u in units { for l in u.path { occupied.insert(l.segment) } }
        for inc in state.openIncidents { if let r = inc.road, let s = segmentIndex[r.segment] { occupied.insert(s) } }
        for info in ownIncidents.values { if let r = info.road, let s = segmentIndex[r.segment] { occupied.insert(s) } }
        let free = closableSegments.filter { !occupied.contains($0) && !jammed.contains($0) && trafficApplied[$0] == nil }
        for _ in 0..<4 {
            guard let s = rngSurroundings.element(free) else { return }
            applyTraffic(s, TrafficOverrideValue(factor: 1, closed: true))
            if stillConnected(without: s) {
                closedRoads.insert(s)
                emit(.trafficChanged(TrafficChanged(segment: SegmentKey(map.segments[s].key), factor: 1, closed: true)))
                let minutes = rngSurroundings.uniform(10...40) * (config.profile == .demo ? 0.5 : 1)
                schedule(at: now + minutes * 60, .reopen(s))
                return
            }
            applyTraffic(s, TrafficOverrideValue(factor: 1, closed: false))
        }
    }

    /// Whether both ends of closed segment `s` still reach each other (so the network
    /// stays connected) for both profiles.
    private func stillConnected(without s: Int) -> Bool {
        let a = RoadPosition(segment: s, fraction: 0), b = RoadPosition(segment: s, fraction: 1)
        for profile in RoutingProfile.allCases where network.graph(for: profile).isUsable(segment: s) {
            let q = routeQuery(profile), w = network.weights(for: profile)
            guard q.fastest(from: a, to: b, weights: w) != nil, q.fastest(from: b, to: a, weights: w) != nil else { return false }
        }
        return true
    }

    // MARK: - Timers

    private func schedule(at time: Double, _ kind: TimerKind) {
        guard time.isFinite else { return }
        timerSeq += 1
        timers.append(Timer(at: time, seq: timerSeq, kind: kind))
    }

    private func scheduleNext(_ kind: TimerKind) {
        let rate: Double
        switch kind {
        case .newIncident: rate = config.effectiveIncidentsPerHour
        case .cameraOutage: rate = config.profile.cameraOutagesPerHour
        case .jam: rate = config.profile.jamsPerHour
        case .closure: rate = config.profile.closuresPerHour
        default: return
        }
        let wait: Double
        if kind == .newIncident {
            // A floor under the gap (demo: calls keep coming, never a quarter of an hour of nothing),
            // the rest exponential so that the mean stays 1/rate.
            let mean = rate > 0 ? 3600 / rate : .infinity
            let floor = min(config.profile.minimumCallGap, mean / 2)
            wait = floor + rngCalls.exponentialSeconds(ratePerHour: mean.isFinite ? 3600 / (mean - floor) : 0)
        } else {
            wait = rngSurroundings.exponentialSeconds(ratePerHour: rate)
        }
        schedule(at: now + wait, kind)
    }

    private func fireTimers(_ state: PrecinctState) {
        while true {
            var best: Int?
            for k in timers.indices where timers[k].at <= now + 1e-9 {
                if let b = best, (timers[b].at, timers[b].seq) < (timers[k].at, timers[k].seq) { continue }
                best = k
            }
            guard let b = best else { return }
            let timer = timers.remove(at: b)
            switch timer.kind {
            case .newIncident:
                newIncident(state: state)
                scheduleNext(.newIncident)
            case .scripted(let k):
                scriptedCall(k, state: state)
            case .dispatch(let id):
                // Off, or the commander's call: left alone (timed again if switched back on).
                guard commander.mayAct(on: id) else { dispatchScheduled.remove(id); continue }
                dispatch(id, state: state, reinforcement: false)
            case .reinforce(let id):
                guard commander.mayAct(on: id) else { continue }
                dispatch(id, state: state, reinforcement: true)
            case .close(let id):
                close(id, state: state)
            case .cameraOutage:
                cameraOutage()
                scheduleNext(.cameraOutage)
            case .cameraRestore(let c):
                offlineCameras.remove(c)
                emit(.cameraStatus(CameraStatus(camera: CameraID(map.cameras[c].key), online: true)))
            case .jam:
                jam()
                scheduleNext(.jam)
            case .jamEnds(let s):
                jammed.remove(s)
                applyTraffic(s, TrafficOverrideValue(factor: 1, closed: false))
                emit(.trafficChanged(TrafficChanged(segment: SegmentKey(map.segments[s].key), factor: 1)))
            case .closure:
                closure(state: state)
                scheduleNext(.closure)
            case .reopen(let s):
                closedRoads.remove(s)
                applyTraffic(s, TrafficOverrideValue(factor: 1, closed: false))
                emit(.trafficChanged(TrafficChanged(segment: SegmentKey(map.segments[s].key), factor: 1, closed: false)))
            }
        }
    }

    // MARK: - Emitting

    private func emit(_ event: Event) {
        let t = (startTime ?? Date(timeIntervalSince1970: 0)).addingTimeInterval(now)
        out.append(SimulatedEvent(time: t, event: event))
    }

    /// Reports unit `i`'s position when it moved and its interval has passed (or `force`
    /// and it moved at all since the last report, or it never reported).
    private func emitPosition(_ i: Int, force: Bool) {
        let u = units[i]
        let interval = max(step, u.profile == .car ? config.positionInterval : config.footPositionInterval)
        let neverReported = u.lastEmitAt == -.infinity
        guard neverReported || (u.moved && (force || now - u.lastEmitAt >= interval - 1e-6)) else { return }
        let f = rounded(u.fraction, 100_000)
        let p = shapes[u.segment].point(at: f)
        let moving = u.leg < u.path.count && u.dwell <= 0
        let kmh = moving ? rounded(u.speed * 3.6, 10) : 0
        emit(.unitPosition(UnitPosition(
            unit: u.member.id, point: Point(x: rounded(p.x, 10), y: rounded(p.y, 10)),
            road: RoadLocation(segment: SegmentKey(map.segments[u.segment].key), fraction: f),
            heading: rounded(u.heading, 1).truncatingRemainder(dividingBy: 360), speedKmh: kmh)))
        units[i].lastEmitAt = now
        units[i].emittedSegment = u.segment
        units[i].emittedFraction = f
        units[i].moved = false
        // The trail restarts on the stretch the unit is on.
        if u.leg < u.path.count, u.path[u.leg].segment == u.segment {
            units[i].trail = [TrailLeg(segment: u.segment, forward: u.path[u.leg].forward)]
        } else {
            units[i].trail = []
        }
    }
}

// MARK: - Resuming a shift and adopting units

extension ShiftSimulator {
    /// Takes over a shift that is already under way, from its folded state: call on a fresh
    /// simulator (never started) instead of ``start(at:)``.
    ///
    /// Every registered unit of `state` (or only those in `only`) is rebuilt at its last
    /// position snapped to the road its kind may use, with its status: `Available` and
    /// `Cleared` patrol; `Dispatched` and `EnRoute` drive a fresh route to their incident
    /// (an `EnRoute` status is sent for a unit that was only `Dispatched`); `OnScene` stay
    /// with a close timer counted from the first arrival; `OutOfService` and `Busy` hold.
    /// Open incidents, traffic, closures and offline cameras are known. Timers (the next
    /// call, the surroundings, the end of jams and closures if ``SimulationConfig/surroundings``)
    /// are scheduled from `time`. Nothing that is already in the state is emitted again:
    /// no `shift.started`, no registrations, no positions.
    ///
    /// Then drive it with ``advance(to:state:)`` as usual, from times after `time`.
    public func resume(from state: PrecinctState, at time: Date, only: Set<UnitID>? = nil) -> [Event] {
        resumeTimed(from: state, at: time, only: only).map(\.event)
    }

    /// ``resume(from:at:only:)`` with each event's time (all `time`).
    public func resumeTimed(from state: PrecinctState, at time: Date, only: Set<UnitID>? = nil) -> [SimulatedEvent] {
        guard startTime == nil else { return [] }
        startTime = time
        now = 0
        out = []
        let prefix = config.incidentIDPrefix
        incidentCounter = state.incidents.keys.compactMap { id -> Int? in
            guard id.rawValue.hasPrefix(prefix) else { return nil }
            return Int(id.rawValue.dropFirst(prefix.count))
        }.max() ?? 0
        for inc in state.openIncidents {
            ownIncidents[inc.id] = IncidentInfo(category: inc.category, priority: inc.priority, weapon: inc.weapon,
                                                point: inc.point, road: inc.road)
            // Already dispatched by someone: the virtual commander leaves it alone.
            if !inc.respondedUnits.isEmpty { dispatchScheduled.insert(inc.id) }
        }
        syncTraffic(state)
        if config.surroundings {
            for (key, o) in state.traffic.sorted(by: { $0.key < $1.key }) {
                guard let s = segmentIndex[key] else { continue }
                if o.closed {
                    closedRoads.insert(s)
                    schedule(at: rngSurroundings.uniform(5...30) * 60, .reopen(s))
                } else if o.factor != 1 {
                    jammed.insert(s)
                    schedule(at: rngSurroundings.uniform(3...20) * 60, .jamEnds(s))
                }
            }
        }
        for (k, cam) in map.cameras.enumerated() where !state.isCameraOnline(CameraID(cam.key)) {
            offlineCameras.insert(k)
            if config.surroundings { schedule(at: rngSurroundings.uniform(120...900), .cameraRestore(k)) }
        }
        for rec in state.unitsInOrder where only?.contains(rec.id) ?? true {
            takeOver(rec, state: state, awaitRoute: false)
        }
        let first = rngCalls.exponentialSeconds(ratePerHour: config.effectiveIncidentsPerHour)
        return scheduleCallsAndSurroundings(first: first, elapsed: state.shiftStartedAt.map { time.timeIntervalSince($0) } ?? 0)
    }

    /// The timers every running shift has: the next call `first` seconds on, the scripted
    /// calls still to come (counted from the shift's start, `elapsed` seconds ago), and the
    /// surroundings; then hands over what was emitted so far.
    private func scheduleCallsAndSurroundings(first: Double, elapsed: Double) -> [SimulatedEvent] {
        if first.isFinite { schedule(at: first, .newIncident) }
        for (k, call) in config.scriptedCalls.enumerated() where call.after - elapsed >= 0 {
            schedule(at: call.after - elapsed, .scripted(k))
        }
        if config.surroundings {
            scheduleNext(.cameraOutage)
            scheduleNext(.jam)
            scheduleNext(.closure)
        }
        let result = out
        out = []
        return result
    }

    /// Units the simulator moves.
    public var simulatedUnits: [UnitID] { units.map(\.member.id) }

    /// Whether the simulator moves this unit.
    public func simulates(_ unit: UnitID) -> Bool { unitIndex[unit] != nil }

    /// Takes units registered in `state` under the simulator's control from where they are
    /// now, in their current status, as ``resume(from:at:only:)`` does (for a drill: the
    /// units a trainee dispatched). A `Dispatched` unit without a route waits for the
    /// routing engine's like any other. Units already simulated or not registered are
    /// skipped. Returns the events this causes (usually none), stamped now. Call between
    /// two ``advance(to:state:)`` calls (or after ``resume(from:at:only:)``).
    public func adopt(_ ids: [UnitID], state: PrecinctState) -> [Event] {
        guard startTime != nil else { return [] }
        out = []
        syncTraffic(state)
        for id in ids where unitIndex[id] == nil {
            guard let rec = state.units[id] else { continue }
            takeOver(rec, state: state, awaitRoute: true)
        }
        let result = out.map(\.event)
        out = []
        return result
    }

    /// Puts a simulated unit where the state now says it is (a script's `unit move`): it
    /// stands there a few seconds, then goes on with what it was doing from there (a
    /// unit on its way waits for a new route). Units it does not simulate are skipped.
    public func relocate(_ id: UnitID, state: PrecinctState) {
        guard let i = unitIndex[id], let rec = state.units[id] else { return }
        let graph = network.graph(for: units[i].profile)
        var here: RoadPosition?
        if let road = rec.road, let s = segmentIndex[road.segment], graph.isUsable(segment: s) {
            here = RoadPosition(segment: s, fraction: min(1, max(0, road.fraction.isFinite ? road.fraction : 0.5)))
        }
        if here == nil { here = (units[i].profile == .car ? carSnap : footSnap).snap(rec.position) }
        guard let here else { return }
        stop(i)
        units[i].segment = here.segment
        units[i].fraction = here.fraction
        units[i].pauseUntil = now + 5
        // Its position is known: report again only once it moves.
        units[i].lastEmitAt = now
        units[i].emittedSegment = here.segment
        units[i].emittedFraction = rounded(here.fraction, 100_000)
    }

    /// Adds one unit from the state.
    private func takeOver(_ rec: UnitRecord, state: PrecinctState, awaitRoute: Bool) {
        let member = roster.units.first { $0.id == rec.id } ?? Roster.Member(
            id: rec.id, kind: rec.kind,
            officers: (rec.crew.isEmpty ? [rec.name ?? rec.callsign] : rec.crew).map { Roster.Officer(name: $0, badge: rec.badge ?? "") },
            plate: rec.plate, seats: rec.seats)
        let profile = RoutingProfile(rec.kind)
        let graph = network.graph(for: profile)
        var here: RoadPosition?
        if let road = rec.road, let s = segmentIndex[road.segment], graph.isUsable(segment: s) {
            here = RoadPosition(segment: s, fraction: min(1, max(0, road.fraction.isFinite ? road.fraction : 0.5)))
        }
        if here == nil { here = (profile == .car ? carSnap : footSnap).snap(rec.position) }
        let area = beat(profile, around: rec.home)
        guard let start = here ?? area.first.map({ RoadPosition(segment: $0, fraction: 0.5) }) else { return }
        var u = SimUnit(member: member, profile: profile, area: area, segment: start.segment, fraction: start.fraction)
        u.forward = true
        u.heading = rec.heading ?? shapes[u.segment].heading(at: u.fraction, forward: true)
        u.pauseUntil = now + rngMoves.uniform(0...8)
        // Its position is known: report again only once it moves.
        u.lastEmitAt = now
        u.emittedSegment = u.segment
        u.emittedFraction = rounded(u.fraction, 100_000)
        let i = units.count
        unitIndex[member.id] = i
        units.append(u)

        let incident = rec.incident.flatMap { state.incidents[$0] }
        if rec.status.isCommitted, let incident, incident.isOpen {
            let id = incident.id
            if rec.status == .enRoute || rec.status == .onScene { units[i].enRouteFor = id }
            switch rec.status {
            case .onScene:
                units[i].mode = .onScene(id)
                let since = (incident.arrivedAt ?? rec.statusSince).timeIntervalSince(startTime ?? rec.statusSince)
                onSceneBegan(id, state: state, since: since)
            default:
                if let r = rec.route, r.incident == id {
                    // A fresh route from where it is to where its planned route ends.
                    let target = r.to.flatMap { RoadPosition($0, segmentIndex: segmentIndex) }
                        ?? incidentPosition(id, profile: profile, state: state)
                    if let target, let own = fastest(profile, from: start, to: target) {
                        stats.ownWay += 1
                        setPath(i, Self.legs(of: own))
                        units[i].mode = .responding(id, r)
                        sendEnRoute(i, id)
                    } else {
                        units[i].mode = .awaiting(id, since: now)
                    }
                } else if awaitRoute {
                    units[i].mode = .awaiting(id, since: now)
                } else {
                    planOwnRoute(i, to: id, state: state)
                }
            }
        } else if rec.status == .outOfService || rec.status == .busy {
            units[i].mode = .holding
        } else {
            units[i].mode = .patrol
        }
    }
}

/// Counters for diagnostics and tests.
public struct SimulationStats: Hashable, Sendable {
    /// Routes from the routing engine followed from where the unit was.
    public var routesFollowed = 0
    /// Times a unit found its own way (the engine's route started somewhere the unit had
    /// already left, or no route came).
    public var ownWay = 0

    public init(routesFollowed: Int = 0, ownWay: Int = 0) {
        self.routesFollowed = routesFollowed
        self.ownWay = ownWay
    }
}

// MARK: - Internal types

/// What a unit is doing, as the simulator plans it.
enum UnitMode: Equatable {
    case patrol
    /// Out of service or busy: stays put.
    case holding
    /// Dispatched, waiting for its route.
    case awaiting(IncidentID, since: Double)
    /// On its way; the routing engine's route, or `nil` when it found its own way.
    case responding(IncidentID, RouteAssigned?)
    case onScene(IncidentID)

    var incident: IncidentID? {
        switch self {
        case .patrol, .holding: return nil
        case .awaiting(let i, _), .responding(let i, _), .onScene(let i): return i
        }
    }
}

/// A stretch of road a unit has travelled, for matching routes to where it is.
struct TrailLeg: Hashable {
    var segment: Int
    var forward: Bool
}

struct SimUnit {
    let member: Roster.Member
    let profile: RoutingProfile
    /// Segments of its beat or patrol sector.
    let area: [Int]
    var segment: Int
    var fraction: Double
    var forward = true
    var heading: Double = 0
    var speed: Double = 0
    var path: [PathLeg] = []
    var leg = 0
    /// Seconds left waiting at a junction.
    var dwell: Double = 0
    var pauseUntil: Double = 0
    var mode: UnitMode = .patrol
    var enRouteFor: IncidentID?
    var lastEmitAt: Double = -.infinity
    var emittedSegment = -1
    var emittedFraction: Double = -1
    /// Stretches entered since the last reported position (the first is the one it was on then).
    var trail: [TrailLeg] = []
    var moved = false
    /// Responding, at the end of the road: when the walk to the scene is done.
    var walkUntil: Double?

    init(member: Roster.Member, profile: RoutingProfile, area: [Int], segment: Int, fraction: Double) {
        self.member = member
        self.profile = profile
        self.area = area
        self.segment = segment
        self.fraction = fraction
    }
}

struct IncidentInfo {
    var category: IncidentCategory
    var priority: Int
    var weapon: Bool
    var point: Point
    var road: RoadLocation?
}

struct TrafficOverrideValue: Equatable {
    var factor: Double
    var closed: Bool
    var isNormal: Bool { factor == 1 && !closed }
}

enum TimerKind: Equatable {
    case newIncident, cameraOutage, jam, closure
    /// The scripted call at this index of ``SimulationConfig/scriptedCalls``.
    case scripted(Int)
    case dispatch(IncidentID), reinforce(IncidentID), close(IncidentID)
    case cameraRestore(Int), jamEnds(Int), reopen(Int)
}

struct Timer {
    var at: Double
    var seq: Int
    var kind: TimerKind
}

extension Rect {
    var center: Point { Point(x: (min.x + max.x) / 2, y: (min.y + max.y) / 2) }
}
