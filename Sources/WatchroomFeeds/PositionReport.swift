import Foundation
import WatchroomCore

/// One position from a phone or a tracker, read from outside bytes and bounded: every
/// number in it is finite and in range (``PositionReport/Limits``).
public struct PositionReport: Hashable, Sendable {
    /// The protocol it came in.
    public enum Source: String, Sendable, CaseIterable {
        /// OsmAnd's query or form (Traccar Client before 9, OsmAnd's online tracking).
        case osmand
        /// Traccar Client 9's JSON body.
        case traccarJSON = "traccar-json"
        /// OwnTracks' HTTP JSON.
        case ownTracks = "owntracks"
        /// Watchroom's own JSON Lines (docs/feeds.md).
        case watchroom
    }

    /// The device's id as it sent it (the roster maps it to a unit); sanitised, at most
    /// ``Limits/deviceLength`` characters.
    public var device: String
    /// When the device took the fix.
    public var time: Date
    public var latLon: LatLon
    /// Metres per second.
    public var speed: Double?
    /// Degrees clockwise from north, 0 up to 360.
    public var bearing: Double?
    /// The fix's horizontal accuracy in metres (radius).
    public var accuracy: Double?
    /// Metres above sea level.
    public var altitude: Double?
    /// Battery level in percent.
    public var battery: Double?
    public var source: Source

    public init(device: String, time: Date, latLon: LatLon, speed: Double? = nil, bearing: Double? = nil,
                accuracy: Double? = nil, altitude: Double? = nil, battery: Double? = nil, source: Source) {
        self.device = device
        self.time = time
        self.latLon = latLon
        self.speed = speed
        self.bearing = bearing
        self.accuracy = accuracy
        self.altitude = altitude
        self.battery = battery
        self.source = source
    }

    /// The ranges a report's numbers must lie in.
    public enum Limits {
        /// The longest device id: 64 characters.
        public static let deviceLength = 64
        /// The largest body or line read: 64 KiB.
        public static let bodyBytes = 65_536
        /// The fastest speed believed: 100 m/s (360 km/h). A phone reporting more is wrong.
        public static let speed: ClosedRange<Double> = 0...100
        /// An accuracy radius up to 100 km (a cell-tower fix is a few km).
        public static let accuracy: ClosedRange<Double> = 0...100_000
        /// From the Dead Sea shore's depth and then some, to an airliner's ceiling.
        public static let altitude: ClosedRange<Double> = -1_000...20_000
        /// The earliest fix believed: 2000-01-01T00:00:00Z (a tracker with no clock says 1970).
        public static let earliest = Date(timeIntervalSince1970: 946_684_800)
        /// The latest: 2100-01-01T00:00:00Z (whether it is in the future is the matcher's question).
        public static let latest = Date(timeIntervalSince1970: 4_102_444_800)
    }
}

/// Why a feed's input was refused: one line saying what is wrong and what would work.
public struct FeedError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The input is wrong: answer 400 with the reason.
        case invalid
        /// Well-formed but not a position (an OwnTracks `_type: transition`, a ping): acknowledge and drop.
        case notAPosition
    }

    public let kind: Kind
    public let description: String

    public init(_ description: String, kind: Kind = .invalid) {
        self.kind = kind
        self.description = description
    }
}
