import Foundation
import WatchroomConsole
import WatchroomCore
import WatchroomEngine
import WatchroomMapFormat
import WatchroomProtocol
import WatchroomRecords
import WatchroomRouting
import WatchroomServer
import WatchroomTestSupport
import XCTest

/// The server and its clients over real Unix sockets in this process.
final class ShiftServerTests: XCTestCase {
    static let map: PrecinctMap = { (try? TestMaps.jiangbei()) ?? PrecinctMap(key: "x", name: "x", timeZone: "UTC") }()
    static let index = RoutingIndex(map: map)
    static let mask = ViewerMask(name: { Masking.name($0) }, phone: { Masking.phone($0) }, text: { Masking.phonesInText($0) })
    let zone = TimeZone(identifier: "Asia/Shanghai")!

    var folder = ""
    var shift: LiveShift!
    var server: ShiftServer!
    var clients: [ShiftClient] = []
    var recorders: [ShiftRecorder] = []

    override func setUp() {
        folder = "/tmp/wrs-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let clock = SimulatedClock(start: Date(timeIntervalSince1970: 1_773_489_600), speed: 1, paused: true)
        shift = LiveShift(map: Self.map, clock: clock, source: nil, index: Self.index)
        shift.start()
        // Three cars and a P1 call with a caller.
        let points = Self.map.intersections.prefix(40).map(\.position)
        for (k, id) in ["C14", "C15", "C16"].enumerated() {
            shift.publish(.unitRegistered(UnitRegistered(id: UnitID(id), kind: .car, name: "王建国\(k)", home: points[k * 10])))
        }
        shift.publish(.incidentReported(IncidentReported(id: IncidentID("I0001"), number: "2026-0314-0001", category: .assault,
                                                         priority: 1, summary: "knife, call back 13800001234", place: "永平门街 18",
                                                         point: points[5], callerName: "张伟", callerPhone: "13800001234", weapon: true)))
    }

    override func tearDown() {
        for c in clients { c.close() }
        clients = []
        server?.stop()
        shift?.stop()
        for r in recorders { try? r.stop() }
        recorders = []
        try? FileManager.default.removeItem(atPath: folder)
    }

    var socket: String { folder + "/watchroom.sock" }

    func startServer(queueBytes: Int = 8 << 20, recorder: ShiftRecorder? = nil) throws {
        let desk = DispatchDesk(map: Self.map, records: nil, observer: false, index: Self.index)
        let engine = DeskExecutor(desk: desk, shift: shift)
        var options = ShiftServer.Options(mask: Self.mask)
        options.clientQueueBytes = queueBytes
        server = ShiftServer(shift: shift, options: options, recorder: recorder, executor: engine.run)
        _ = try server.listen([.unix(socket)])
    }

    func client(_ role: Role, map: PrecinctMap = ShiftServerTests.map) throws -> ShiftClient {
        let c = ShiftClient(options: ShiftClient.Options(endpoint: .unix(socket), map: map, role: role, name: "test \(role)"),
                            timeZone: zone)
        clients.append(c)
        try c.connect(timeout: 10)
        return c
    }

    /// Waits until the shift has been quiet for 0.3 s and `client` has folded all of it
    /// (the routing engine answers a dispatch with routes a moment later), then compares.
    func assertAgrees(_ client: ShiftClient, masked: Bool = false, file: StaticString = #filePath, line: UInt = #line) {
        var last: UInt64 = 0
        var quietSince = Date()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let seq = shift.bus.lastSeq
            if seq != last { last = seq; quietSince = Date() }
            if Date().timeIntervalSince(quietSince) > 0.3, client.lastSeq == seq { break }
            usleep(20_000)
        }
        let expected = masked ? Self.mask.state(shift.bus.state) : shift.bus.state
        XCTAssertEqual(client.lastSeq, shift.bus.lastSeq, file: file, line: line)
        XCTAssertEqual(client.state.digest, expected.digest, file: file, line: line)
        XCTAssertEqual(client.duplicates + client.gaps, 0, file: file, line: line)
    }

    /// Polls `condition` every 10 ms; `false` on timeout.
    func poll(timeout: TimeInterval, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while !condition() {
            guard Date() < deadline else { return false }
            usleep(10_000)
        }
        return true
    }

    // MARK: -

    func testSocketIsPrivateAndTheSnapshotFoldsToTheServersState() throws {
        try startServer()
        var info = stat()
        XCTAssertEqual(stat(folder, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o700)
        XCTAssertEqual(stat(socket, &info), 0)
        XCTAssertEqual(info.st_mode & 0o777, 0o600)

        let a = try client(.commander)
        XCTAssertEqual(a.lastSeq, shift.bus.lastSeq)
        XCTAssertEqual(a.state.digest, shift.bus.state.digest)
        XCTAssertEqual(a.snapshots, 1)
    }

    func testTwoCommandersDispatchingTheSameUnitAtOnceOneWinsAndAllAgree() throws {
        try startServer()
        let a = try client(.commander), b = try client(.commander), v = try client(.viewer)
        let command = Command.dispatch(incident: IncidentRef("I0001"), units: [UnitID("C16")])
        let replies = Locked<[CommandReply?]>([nil, nil])
        DispatchQueue.concurrentPerform(iterations: 2) { k in
            let r = try? (k == 0 ? a : b).execute(command)
            replies.update { $0[k] = r }
        }
        let got = replies.value.compactMap { $0 }
        XCTAssertEqual(got.count, 2)
        XCTAssertEqual(got.filter(\.accepted).count, 1, "\(got)")
        let refused = try XCTUnwrap(got.first { !$0.accepted })
        XCTAssertTrue(refused.message.hasPrefix("C16 already assigned to 2026-0314-0001"), refused.message)
        XCTAssertTrue(refused.seqs.isEmpty)
        // Every console at the same seq; the commanders' state is the server's.
        assertAgrees(a)
        assertAgrees(b)
        assertAgrees(v, masked: true)
        XCTAssertEqual(a.state.units[UnitID("C16")]?.incident, IncidentID("I0001"))
        for c in [a, b, v] { XCTAssertEqual(c.duplicates + c.gaps, 0) }
    }

    func testAViewerIsReadOnlyAndSeesNoNameOrPhone() throws {
        try startServer()
        let v = try client(.viewer)
        let lines = Locked<[String]>([])
        v.onEvent = { _, line in lines.update { $0.append(line) } }
        let reply = try v.execute(.dispatch(incident: IncidentRef("I0001"), units: [UnitID("C14")]))
        XCTAssertFalse(reply.accepted)
        XCTAssertEqual(reply.message, "Viewer is read-only: dispatch is not available")
        XCTAssertFalse(try v.execute(.pause).accepted)
        XCTAssertTrue(try v.execute(.select("I0001")).accepted)
        XCTAssertEqual(shift.bus.state.units[UnitID("C14")]?.status, .available)

        // A commander's new call, with a caller, reaches the viewer masked.
        let c = try client(.commander)
        let new = try c.execute(.new(NewIncident(category: .dispute, priority: 2, place: "永平门街 18", summary: "ring 13912345678",
                                                 callerName: "李娜", callerPhone: "13912345678")))
        XCTAssertTrue(new.accepted, new.message)
        XCTAssertTrue(v.wait(timeout: 5) { _, s in s >= new.seqs.max() ?? 0 })
        let seen = v.state
        let all = try JSONEncoder().encode(seen)
        let text = String(decoding: all, as: UTF8.self) + lines.value.joined()
        for secret in ["张伟", "李娜", "13800001234", "13912345678", "王建国"] {
            XCTAssertFalse(text.contains(secret), "\(secret) reached a viewer")
        }
        XCTAssertTrue(lines.value.count >= 1)
        // The server keeps the real thing.
        XCTAssertTrue(shift.bus.state.incidents.values.contains { $0.callerPhone == "13912345678" })
    }

    func testWrongMapAndWrongVersionAreRefusedWithAReason() throws {
        try startServer()
        var other = Self.map
        other.intersections[0].position.x += 1
        XCTAssertThrowsError(try client(.commander, map: other)) { error in
            XCTAssertTrue("\(error)".contains("this server runs map 'jiangbei-city'"), "\(error)")
        }
        let raw = try RawSocket(path: socket)
        let hello = Hello(protocol: 99, map: Self.map.key, mapDigest: MapDigest.of(Self.map), role: .commander)
        try raw.send(WireCodec(timeZone: zone).frame(ClientMessage.hello(hello)).bytes)
        let bye = try XCTUnwrap(raw.readBye(codec: WireCodec(timeZone: zone)))
        XCTAssertEqual(bye.code, .version)
        XCTAssertTrue(bye.reason.contains("this server speaks protocol 1"), bye.reason)
    }

    func testGarbageAndOversizedFramesCloseOnlyThatConnection() throws {
        try startServer()
        let good = try client(.commander)
        let codec = WireCodec(timeZone: zone)
        // Garbage at the start, an oversized length, and a bad message after a good hello.
        let garbage = try RawSocket(path: socket)
        try garbage.send(Array("GET / HTTP/1.1\r\n\r\n".utf8))
        XCTAssertEqual(try garbage.readBye(codec: codec)?.code, .frame)
        let big = try RawSocket(path: socket)
        try big.send([0x7F, 0xFF, 0xFF, 0xFF, 1])
        let bye = try XCTUnwrap(big.readBye(codec: codec))
        XCTAssertEqual(bye.code, .frame)
        XCTAssertTrue(bye.reason.contains("over the limit"), bye.reason)
        let late = try RawSocket(path: socket)
        try late.send(codec.frame(ClientMessage.hello(Hello(map: Self.map.key, mapDigest: MapDigest.of(Self.map), role: .commander))).bytes)
        try late.send(Frame(kind: .message, payload: Array("{\"type\":\"command\"}".utf8)).bytes)
        XCTAssertEqual(try late.readBye(codec: codec)?.code, .frame)
        // The server and the good client go on.
        let reply = try good.execute(.dispatch(incident: IncidentRef("I0001"), units: [UnitID("C15")]))
        XCTAssertTrue(reply.accepted, reply.message)
        assertAgrees(good)
    }

    func testAClientThatDoesNotReadIsDroppedPastItsBoundAndNeverDelaysTheOthers() throws {
        try startServer(queueBytes: 256 << 10)
        let codec = WireCodec(timeZone: zone)
        let stopped = try RawSocket(path: socket, receiveBuffer: 4096)
        try stopped.send(codec.frame(ClientMessage.hello(Hello(map: Self.map.key, mapDigest: MapDigest.of(Self.map),
                                                               role: .commander, name: "stopped"))).bytes)
        let fast = try client(.commander)
        XCTAssertTrue(fast.wait(timeout: 5) { _, _ in self.server.attached.commanders == 2 })
        // 20,000 positions (a few MB): far past the stopped client's bound.
        let start = Date()
        let points = Self.map.intersections.map(\.position)
        for k in 0..<20_000 {
            shift.publish(.unitPosition(UnitPosition(unit: UnitID("C14"), point: points[k % points.count])))
        }
        let last = shift.bus.lastSeq
        XCTAssertTrue(fast.wait(timeout: 20) { _, s in s >= last })
        let took = Date().timeIntervalSince(start)
        XCTAssertLessThan(took, 15)
        XCTAssertTrue(fast.wait(timeout: 5) { _, _ in self.server.attached.commanders == 1 }, "the stopped client was not dropped")
        XCTAssertEqual(fast.duplicates + fast.gaps, 0)
        XCTAssertEqual(fast.state.digest, shift.bus.state.digest)
    }

    func testAClientResumesFromItsLastSeqAfterTheServerRestarts() throws {
        try startServer()
        let c = try client(.commander)
        let seqs = Locked<[UInt64]>([])
        c.onEvent = { e, _ in seqs.update { $0.append(e.seq) } }
        let first = shift.bus.lastSeq
        server.stop()
        // Events while it is down; the log still holds them.
        for k in 0..<50 { shift.publish(.unitPosition(UnitPosition(unit: UnitID("C15"), point: Point(x: Double(k), y: 1)))) }
        let lostBy = Date().addingTimeInterval(5)
        while Date() < lostBy, !({ if case .reconnecting = c.connection { return true } else { return false } }()) {
            usleep(20_000)
        }
        guard case .reconnecting = c.connection else { return XCTFail("the client did not notice: \(c.connection)") }
        try startServer()
        let last = shift.bus.lastSeq
        XCTAssertTrue(c.wait(timeout: 10) { _, s in s >= last })
        // The callback runs just after the fold.
        for _ in 0..<100 where seqs.value.last != last { usleep(10_000) }
        XCTAssertEqual(seqs.value, Array((first + 1)...last))
        XCTAssertEqual(c.snapshots, 1, "resumed from the log, no second snapshot")
        XCTAssertEqual(c.duplicates + c.gaps, 0)
        XCTAssertEqual(c.state.digest, shift.bus.state.digest)
        XCTAssertGreaterThanOrEqual(c.reconnects, 1)
    }

    func testEveryClientGetsTheSameBytesForAnEventEncodedOnce() throws {
        try startServer()
        let codec = WireCodec(timeZone: zone)
        var raws: [RawSocket] = []
        for k in 0..<3 {
            let raw = try RawSocket(path: socket)
            try raw.send(codec.frame(ClientMessage.hello(Hello(map: Self.map.key, mapDigest: MapDigest.of(Self.map),
                                                               role: .commander, name: "raw \(k)"))).bytes)
            raws.append(raw)
        }
        let viewer = try RawSocket(path: socket)
        try viewer.send(codec.frame(ClientMessage.hello(Hello(map: Self.map.key, mapDigest: MapDigest.of(Self.map),
                                                              role: .viewer, name: "raw viewer"))).bytes)
        let probe = try client(.viewer)
        XCTAssertTrue(poll(timeout: 10) { self.server.attached.commanders == 3 && self.server.attached.viewers == 2 })
        let before = shift.bus.lastSeq
        let points = Self.map.intersections.map(\.position)
        for k in 0..<300 {
            shift.publish(.unitPosition(UnitPosition(unit: UnitID("C14"), point: points[k % points.count])))
            if k == 150 {
                shift.publish(.incidentUpdated(IncidentUpdated(id: IncidentID("I0001"), callerName: "李娜", callerPhone: "13911112222")))
            }
        }
        let last = shift.bus.lastSeq
        let sent = shift.bus.envelopes(after: before)
        let expected = try sent.flatMap { try codec.frame($0).bytes }
        for raw in raws {
            XCTAssertEqual(try raw.eventBytes(through: last, codec: codec), expected)
        }
        // A viewer's bytes are the masked events', the same for every viewer.
        let masked = try sent.compactMap { e in Self.mask.event(e.event, timeZone: zone).map { EventEnvelope(seq: e.seq, time: e.time, event: $0) } }
            .flatMap { try codec.frame($0).bytes }
        XCTAssertEqual(try viewer.eventBytes(through: last, codec: codec), masked)
        XCTAssertFalse(String(decoding: masked, as: UTF8.self).contains("13911112222"))
        assertAgrees(probe, masked: true)
    }

    func testClientsAttachingWhileEventsPourInMissNoneAndDoubleNone() throws {
        try startServer()
        let points = Self.map.intersections.map(\.position)
        let publisher = Thread { [shift] in
            for k in 0..<3_000 {
                shift?.publish(.unitPosition(UnitPosition(unit: UnitID("C15"), point: points[k % points.count])))
                if k % 100 == 0 { usleep(1_000) }
            }
        }
        publisher.start()
        var attached: [ShiftClient] = []
        for k in 0..<8 {
            attached.append(try client(k % 4 == 3 ? .viewer : .commander))
            usleep(20_000)
        }
        for (k, c) in attached.enumerated() { assertAgrees(c, masked: k % 4 == 3) }
        XCTAssertEqual(attached.map(\.snapshots), Array(repeating: 1, count: attached.count))
    }

    func testAClientResumesFromTheRecordingAfterTheServerRestartsOnTheFile() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let path = folder + "/night.shift"
        let store = try ShiftStore.create(path: path, map: MapKey(Self.map.key), timeZone: Self.map.timeZone, watchroomVersion: "test")
        let recorder = try ShiftRecorder(store: store, bus: shift.bus)
        recorders.append(recorder)
        try startServer(recorder: recorder)
        let c = try client(.commander)
        let first = c.lastSeq
        let seqs = Locked<[UInt64]>([])
        c.onEvent = { e, _ in seqs.update { $0.append(e.seq) } }
        for k in 0..<20 { shift.publish(.unitPosition(UnitPosition(unit: UnitID("C15"), point: Point(x: Double(k), y: 1)))) }
        let seen = shift.bus.lastSeq
        XCTAssertTrue(c.wait(timeout: 10) { _, s in s >= seen })
        server.stop()
        server = nil
        let lostBy = Date().addingTimeInterval(5)
        while Date() < lostBy, !({ if case .reconnecting = c.connection { return true } else { return false } }()) {
            usleep(20_000)
        }
        guard case .reconnecting = c.connection else { return XCTFail("the client did not notice: \(c.connection)") }
        // While no server runs the shift goes on, recorded; then it stops and the file is closed.
        for k in 0..<500 { shift.publish(.unitPosition(UnitPosition(unit: UnitID("C14"), point: Point(x: Double(k), y: 2)))) }
        shift.stop()
        try recorder.stop()
        // serve --resume: the file folded, a new shift and server on it; its memory holds none of the missed events.
        let reopened = try ShiftStore.open(path: path, readOnly: false, watchroomVersion: "test")
        let state = PrecinctState.fold(try reopened.events())
        let clock = SimulatedClock(start: try XCTUnwrap(state.now), speed: 1, paused: true)
        shift = LiveShift(map: Self.map, clock: clock, source: nil, resuming: state, index: Self.index)
        let again = try ShiftRecorder(store: reopened, bus: shift.bus)
        recorders.append(again)
        shift.start()
        for k in 0..<10 { shift.publish(.unitPosition(UnitPosition(unit: UnitID("C16"), point: Point(x: Double(k), y: 3)))) }
        try startServer(recorder: again)
        let last = shift.bus.lastSeq
        XCTAssertTrue(c.wait(timeout: 15) { _, s in s >= last })
        for _ in 0..<100 where seqs.value.last != last { usleep(10_000) }
        XCTAssertEqual(seqs.value, Array((first + 1)...last))
        XCTAssertEqual(c.snapshots, 1, "resumed from the recording, no second snapshot")
        XCTAssertEqual(c.welcome?.resumed, true)
        XCTAssertEqual(c.duplicates + c.gaps, 0)
        XCTAssertEqual(c.state.digest, shift.bus.state.digest)
    }

    func testWithARecordingNoClientGetsAnEventBeforeItIsCommitted() throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let store = try ShiftStore.create(path: folder + "/day.shift", map: MapKey(Self.map.key), timeZone: Self.map.timeZone,
                                          watchroomVersion: "test")
        let recorder = try ShiftRecorder(store: store, bus: shift.bus)
        recorders.append(recorder)
        try startServer(recorder: recorder)
        let c = try client(.commander)
        let codec = WireCodec(timeZone: zone)
        let raw = try RawSocket(path: socket)
        try raw.send(codec.frame(ClientMessage.hello(Hello(map: Self.map.key, mapDigest: MapDigest.of(Self.map),
                                                           role: .commander, name: "raw"))).bytes)
        XCTAssertTrue(poll(timeout: 5) { self.server.attached.commanders == 2 })
        let early = Locked<[UInt64]>([])
        c.onEvent = { e, _ in if e.seq > recorder.lastCommittedSeq { early.update { $0.append(e.seq) } } }
        let before = shift.bus.lastSeq
        for k in 0..<400 { shift.publish(.unitPosition(UnitPosition(unit: UnitID("C14"), point: Point(x: Double(k), y: 4)))) }
        let last = shift.bus.lastSeq
        XCTAssertTrue(c.wait(timeout: 10) { _, s in s >= last })
        XCTAssertEqual(early.value, [], "events that reached a client before their commit")
        // The lines made from what the recorder wrote are the bytes the codec would write.
        let expected = try shift.bus.envelopes(after: before).flatMap { try codec.frame($0).bytes }
        XCTAssertEqual(try raw.eventBytes(through: last, codec: codec), expected)
        assertAgrees(c)
    }
}

/// A plain blocking Unix socket, to send what no client would.
final class RawSocket {
    let fd: Int32

    init(path: String, receiveBuffer: Int32? = nil) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        if var size = receiveBuffer {
            setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8) + [0]
        withUnsafeMutableBytes(of: &address.sun_path) { raw in for (k, b) in bytes.enumerated() { raw[k] = b } }
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard ok == 0 else { throw NSError(domain: "RawSocket", code: Int(errno)) }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard n == bytes.count else { throw NSError(domain: "RawSocket", code: Int(errno)) }
    }

    /// The event frames' bytes as received, until the one with seq `last` (messages skipped).
    func eventBytes(through last: UInt64, codec: WireCodec) throws -> [UInt8] {
        var decoder = FrameDecoder()
        var chunk = [UInt8](repeating: 0, count: 65536)
        var out: [UInt8] = []
        var seenSnapshot = false
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw NSError(domain: "RawSocket", code: Int(errno)) }
            decoder.feed(chunk[0..<n])
            while let frame = try decoder.next() {
                if frame.kind == .message {
                    if case .snapshot? = try? codec.serverMessage(frame) { seenSnapshot = true }
                    continue
                }
                guard seenSnapshot else { throw NSError(domain: "RawSocket: an event before the snapshot", code: 0) }
                out += frame.bytes
                if try codec.event(frame).envelope.seq >= last { return out }
            }
        }
    }

    /// Reads frames until a bye (or the end of the stream).
    func readBye(codec: WireCodec) throws -> Bye? {
        var decoder = FrameDecoder()
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { return nil }
            decoder.feed(chunk[0..<n])
            while let frame = try decoder.next() {
                if case .bye(let bye)? = try? codec.serverMessage(frame) { return bye }
            }
        }
    }
}

/// A value shared with callbacks on other threads.
final class Locked<T>: @unchecked Sendable {
    private let lock = NSLock()
    private var _value: T
    init(_ value: T) { _value = value }
    var value: T { lock.withLock { _value } }
    func update(_ change: (inout T) -> Void) { lock.withLock { change(&_value) } }
}
