import WatchroomCore

/// Placeholder; replaced by the map format parser.
enum MapFormatPlaceholder {}
