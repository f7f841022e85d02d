// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Watchroom",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "watchroom", targets: ["watchroom"]),
        .executable(name: "watchroom-bench", targets: ["watchroom-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        // Pure core: ids, geometry, map model, time, events, reducer, bus, clock.
        // Imports Foundation only; never ncurses, never SQLite.
        .target(name: "WatchroomCore"),
        // The human-editable precinct map format: parser, checker, writer, exports.
        .target(name: "WatchroomMapFormat", dependencies: ["WatchroomCore"]),
        // Road graph in CSR arrays and reusable route queries. Pure.
        .target(name: "WatchroomRouting", dependencies: ["WatchroomCore", "CPrefetch"]),
        // One static inline C function: a cache-line prefetch for the routing hot loop.
        .target(name: "CPrefetch"),
        // The live shift: event bus wiring and the routing subscriber.
        .target(name: "WatchroomEngine", dependencies: ["WatchroomCore", "WatchroomRouting"]),
        // Views drawing into an in-memory grid of cells, and the key handler, which turns keys
        // into typed commands (WatchroomEngine's `Command`). Pure: never imports curses.
        .target(name: "WatchroomUI", dependencies: ["WatchroomCore", "WatchroomEngine"]),
        // The simulated live shift: patrols, driving, incidents. Pure, seeded.
        .target(name: "WatchroomSimulation", dependencies: ["WatchroomCore", "WatchroomRouting"]),
        // ncurses (wide-character build) as a system library; only WatchroomTerminal links it.
        .systemLibrary(name: "CNCursesW", path: "Sources/CNCursesW"),
        // The one backend that touches a terminal.
        .target(name: "WatchroomTerminal", dependencies: ["CNCursesW", "WatchroomUI",
                                                          .product(name: "Logging", package: "swift-log")]),
        // SQLite as a system library; only WatchroomRecords links it.
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        // Background records (residents, phones, vehicles, earlier incidents, warnings) and the
        // lookup audit trail, in SQLite behind a small protocol.
        .target(name: "WatchroomRecords", dependencies: ["CSQLite", "WatchroomCore"]),
        // OpenStreetMap XML import: a streaming reader and the rules that turn OSM tags into a
        // precinct map. Pure: never touches a terminal.
        .target(name: "WatchroomOSM", dependencies: ["WatchroomCore", "WatchroomMapFormat"]),
        // Live feeds from outside: position reports (OsmAnd, Traccar Client 9, OwnTracks,
        // Watchroom's JSON Lines), the device roster, call records. Pure: bytes in, typed
        // values or a one-line reason out.
        .target(name: "WatchroomFeeds", dependencies: ["WatchroomCore", "WatchroomRouting"]),
        // Training drills on a recorded shift: withheld dispatches, the trainee's units moved
        // by the simulation, and the after-action report. Pure.
        .target(name: "WatchroomDrill",
                dependencies: ["WatchroomCore", "WatchroomRouting", "WatchroomEngine", "WatchroomSimulation"]),
        // The console as a library: the loop (generic over the terminal backend), the live and
        // replay feeds, the dispatch desk, and the wiring of a live shift (simulation, routing,
        // recording, orders). Never links ncurses: the executable hands it a backend.
        .target(name: "WatchroomConsole",
                dependencies: ["WatchroomCore", "WatchroomMapFormat", "WatchroomRouting", "WatchroomEngine", "WatchroomUI",
                               "WatchroomSimulation", "WatchroomRecords",
                               .product(name: "Logging", package: "swift-log")]),
        // The wire between a shift server and its consoles: frames, messages, the viewer's
        // masking (docs/protocol.md). Pure: Foundation and the core only, no sockets.
        .target(name: "WatchroomProtocol", dependencies: ["WatchroomCore", "WatchroomEngine"]),
        // The shift server and its client on swift-nio (Unix socket, TCP with a token): one
        // event loop group that the SSH viewers and HTTP feeds will share.
        .target(name: "WatchroomServer",
                dependencies: ["WatchroomCore", "WatchroomEngine", "WatchroomProtocol", "WatchroomConsole", "WatchroomRecords", "WatchroomUI",
                               .product(name: "NIOCore", package: "swift-nio"),
                               .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "Logging", package: "swift-log")]),
        // Exports of a recorded shift for other systems: NENA EIDO, CSV with the NFPA 1225
        // intervals, GeoJSON. Pure: events in, text out; the recording is read by the caller.
        .target(name: "WatchroomExport", dependencies: ["WatchroomCore", "WatchroomEngine"]),
        // Plain C binary-heap Dijkstra over CSR arrays: the yardstick for `watchroom-bench routing`.
        .target(name: "CDijkstra", path: "Benchmarks/CDijkstra"),
        // The benchmarks (routing, dispatch, console, replay, record) and the durability
        // soak: a binary of their own, never part of the product.
        .executableTarget(
            name: "watchroom-bench",
            dependencies: [
                "WatchroomCore", "WatchroomRouting", "WatchroomEngine", "CDijkstra", "WatchroomUI", "WatchroomSimulation",
                "WatchroomRecords", "WatchroomConsole", "WatchroomProtocol", "WatchroomServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            path: "Benchmarks/watchroom-bench"
        ),
        .executableTarget(
            name: "watchroom",
            dependencies: [
                "WatchroomCore", "WatchroomMapFormat", "WatchroomRouting", "WatchroomEngine",
                "WatchroomUI", "WatchroomTerminal", "WatchroomSimulation", "WatchroomRecords",
                "WatchroomOSM", "WatchroomDrill", "WatchroomConsole", "WatchroomProtocol", "WatchroomServer", "WatchroomExport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "WatchroomTestSupport",
                dependencies: ["WatchroomCore", "WatchroomMapFormat", "WatchroomRouting", "WatchroomUI"]),
        .testTarget(name: "WatchroomCoreTests", dependencies: ["WatchroomCore", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomMapFormatTests",
                    dependencies: ["WatchroomMapFormat", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomRoutingTests",
                    dependencies: ["WatchroomRouting", "WatchroomMapFormat", "WatchroomTestSupport", "CDijkstra"]),
        .testTarget(name: "WatchroomEngineTests",
                    dependencies: ["WatchroomEngine", "WatchroomMapFormat", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomUITests",
                    dependencies: ["WatchroomUI", "WatchroomEngine", "WatchroomMapFormat", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomSimulationTests",
                    dependencies: ["WatchroomSimulation", "WatchroomEngine", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomConsoleTests",
                    dependencies: ["WatchroomConsole", "WatchroomEngine", "WatchroomSimulation", "WatchroomUI", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomTerminalTests", dependencies: ["WatchroomTerminal"]),
        .testTarget(name: "WatchroomRecordsTests", dependencies: ["WatchroomRecords"]),
        .testTarget(name: "WatchroomOSMTests",
                    dependencies: ["WatchroomOSM", "WatchroomMapFormat", "WatchroomRouting", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomDrillTests",
                    dependencies: ["WatchroomDrill", "WatchroomMapFormat", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomFeedsTests",
                    dependencies: ["WatchroomFeeds", "WatchroomMapFormat", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomProtocolTests",
                    dependencies: ["WatchroomProtocol", "WatchroomMapFormat", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomServerTests",
                    dependencies: ["WatchroomServer", "WatchroomProtocol", "WatchroomConsole", "WatchroomMapFormat", "WatchroomRecords",
                                   "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomExportTests",
                    dependencies: ["WatchroomExport", "WatchroomCore", "WatchroomMapFormat", "WatchroomTestSupport"]),
        .testTarget(name: "WatchroomCLITests", dependencies: ["WatchroomTestSupport", "WatchroomRecords"]),
    ]
)
