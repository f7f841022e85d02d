import CNCursesW
import WatchroomUI
enum TerminalPlaceholder {}
