import WatchroomCore
enum RoutingPlaceholder {}
