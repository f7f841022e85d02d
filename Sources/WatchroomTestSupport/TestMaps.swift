import Foundation
import WatchroomCore
import WatchroomMapFormat

/// Maps shipped with the project, loaded once per test process.
public enum TestMaps {
    /// The default map, `Maps/jiangbei-city.wrmap`.
    public static func jiangbei() throws -> PrecinctMap {
        try MapFormat.load(path: CLIRunner.defaultMapPath)
    }

    /// The index of the intersection with `key`, failing loudly in tests.
    public static func node(_ key: String, in map: PrecinctMap) -> Int {
        guard let i = map.intersections.firstIndex(where: { $0.key == key }) else {
            preconditionFailure("no node \(key) in \(map.key)")
        }
        return i
    }
}
