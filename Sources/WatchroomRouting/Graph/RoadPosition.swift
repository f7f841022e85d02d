/// A position part-way along a segment.
///
/// `fraction` 0 is at the segment's `from` intersection, 1 at its `to` intersection,
/// measured along the segment's length. A position at fraction 0 or 1 is *at* that
/// intersection: a unit there may leave it along any arc, whatever the segment's direction.
public struct RoadPosition: Hashable, Sendable, Codable {
    /// Index into `PrecinctMap.segments`.
    public var segment: Int
    /// 0 = at `from`, 1 = at `to`.
    public var fraction: Double

    public init(segment: Int, fraction: Double) {
        self.segment = segment
        self.fraction = fraction
    }
}
