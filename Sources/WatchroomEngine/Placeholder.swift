import WatchroomCore
import WatchroomRouting
enum EnginePlaceholder {}
