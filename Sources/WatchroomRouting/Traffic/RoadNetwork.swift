import WatchroomCore

/// Everything routing needs for one map: the car and foot graphs, built once, the live
/// traffic and each profile's live weights, kept in step.
public struct RoadNetwork: Sendable {
    public let car: RoadGraph
    public let foot: RoadGraph
    public private(set) var traffic: Traffic
    public private(set) var carWeights: LiveWeights
    public private(set) var footWeights: LiveWeights

    /// Builds both graphs.
    ///
    /// - Complexity: O(nodes + segments).
    public init(map: PrecinctMap) {
        self.init(car: RoadGraph(map: map, profile: .car), foot: RoadGraph(map: map, profile: .foot))
    }

    /// Live weights over the graphs of a shared index (nothing rebuilt).
    ///
    /// - Complexity: O(arcs) for the weights.
    public init(index: RoutingIndex) {
        self.init(car: index.car, foot: index.foot)
    }

    private init(car: RoadGraph, foot: RoadGraph) {
        self.car = car
        self.foot = foot
        traffic = Traffic(map: car.map)
        carWeights = LiveWeights(graph: car)
        footWeights = LiveWeights(graph: foot)
    }

    public var map: PrecinctMap { car.map }

    public func graph(for profile: RoutingProfile) -> RoadGraph {
        profile == .car ? car : foot
    }

    public func weights(for profile: RoutingProfile) -> LiveWeights {
        profile == .car ? carWeights : footWeights
    }

    /// Sets a segment's congestion factor (cars only feel it).
    ///
    /// - Complexity: O(1).
    public mutating func setCongestion(_ factor: Double, onSegment segment: Int) {
        traffic.setFactor(factor, forSegment: segment)
        refresh(segment: segment)
    }

    /// Closes or reopens a segment for every profile.
    ///
    /// - Complexity: O(1).
    public mutating func setClosed(_ isClosed: Bool, segment: Int) {
        traffic.setClosed(isClosed, segment: segment)
        refresh(segment: segment)
    }

    private mutating func refresh(segment: Int) {
        carWeights.update(segment: segment, from: traffic)
        footWeights.update(segment: segment, from: traffic)
    }
}
