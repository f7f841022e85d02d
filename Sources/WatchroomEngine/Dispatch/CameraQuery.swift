import Foundation
import WatchroomCore

/// A camera near an incident.
public struct CameraHit: Hashable, Sendable {
    public var camera: Camera
    /// Whether the point lies inside the camera's field of view and range.
    public var sees: Bool
    /// Straight-line distance from the camera to the point, metres.
    public var distance: Double
    public var online: Bool

    public init(camera: Camera, sees: Bool, distance: Double, online: Bool) {
        self.camera = camera
        self.sees = sees
        self.distance = distance
        self.online = online
    }

    public var id: CameraID { CameraID(camera.key) }
}

/// Cameras at the scene: which see a point, what a camera sees now, its view cone.
public enum CameraQuery {
    /// Cameras that see `point` first (nearest first), then the nearest others, at most `limit`.
    /// Online status comes from `state` (cameras never reported are online).
    public static func forIncident(point: Point, map: PrecinctMap, state: PrecinctState, limit: Int = 5) -> [CameraHit] {
        let hits = map.cameras.map { c in
            CameraHit(camera: c, sees: c.sees(point), distance: c.position.distance(to: point),
                      online: state.isCameraOnline(CameraID(c.key)))
        }
        let sorted = hits.sorted { a, b in
            if a.sees != b.sees { return a.sees }
            if a.distance != b.distance { return a.distance < b.distance }
            return a.camera.key < b.camera.key
        }
        return Array(sorted.prefix(max(0, limit)))
    }

    /// What is inside the camera's field of view and range now: units (by id) and open incidents
    /// (in the order they were reported).
    public static func inView(camera: Camera, state: PrecinctState) -> (units: [UnitID], incidents: [IncidentID]) {
        let units = state.unitsInOrder.filter { camera.sees($0.position) }.map(\.id)
        let incidents = state.openIncidents.filter { camera.sees($0.point) }.map(\.id)
        return (units, incidents)
    }

    /// The view cone as a closed polygon for drawing (last point joins the first): the
    /// camera's position and an arc at its range, points at most `stepDegrees` apart; a
    /// camera that sees all round gives a circle.
    public static func cone(camera: Camera, stepDegrees: Double = 10) -> [Point] {
        let step = max(1, stepDegrees)
        func at(_ bearing: Double) -> Point {
            let b = bearing * .pi / 180
            return Point(x: camera.position.x + camera.range * sin(b), y: camera.position.y + camera.range * cos(b))
        }
        if camera.fieldOfView >= 360 {
            let n = max(8, Int((360 / step).rounded(.up)))
            return (0..<n).map { at(Double($0) * 360 / Double(n)) }
        }
        let fov = max(0, camera.fieldOfView)
        let n = max(1, Int((fov / step).rounded(.up)))
        let start = camera.facing - fov / 2
        return [camera.position] + (0...n).map { at(start + fov * Double($0) / Double(n)) }
    }
}
