import WatchroomCore
import WatchroomRouting
enum SimulationPlaceholder {}
