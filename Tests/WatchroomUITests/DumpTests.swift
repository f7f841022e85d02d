import Foundation
import WatchroomCore
import WatchroomTestSupport
import WatchroomUI
import XCTest

final class DumpTests: XCTestCase {
    func testDump() throws {
        guard FileManager.default.fileExists(atPath: "/tmp/watchroom-ui-dump") else { return }
        let map = try TestMaps.jiangbei()
        let state = ConsoleBench.sampleState(map: map, units: 20, incidents: 4)
        for (w, h) in [(80, 24), (160, 48)] {
            var g = Grid(width: w, height: h)
            let input = ConsoleFrameInput(map: map, state: state, ui: ConsoleUIState(), now: Fixture.t0 + 300)
            ConsoleRenderer.render(input, into: &g)
            let text = g.lines.joined(separator: "\n") + "\n"
            try text.write(toFile: "/tmp/watchroom-ui-dump-\(w)x\(h).txt", atomically: true, encoding: .utf8)
        }
    }
}
