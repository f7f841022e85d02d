import CSQLite
import WatchroomCore
enum RecordsPlaceholder {}
