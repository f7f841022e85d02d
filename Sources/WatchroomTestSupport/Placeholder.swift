import WatchroomCore
enum TestSupportPlaceholder {}
