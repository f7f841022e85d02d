// libFuzzer harness: the console's `:` line parser (docs/commands.md). Any line must
// give a command or a CommandError, never a trap. (Only the parse is timed: a command
// is hashed, not printed through reflection, which took a third of each execution.)
import WatchroomCore
import WatchroomEngine

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCommandParser(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { UnsafeBufferPointer(start: $0, count: size) } ?? UnsafeBufferPointer(start: nil, count: 0)
    let line = String(decoding: bytes, as: UTF8.self)
    switch CommandParser.parse(line) {
    case .success(let command): _ = command.hashValue
    case .failure(let error): _ = error.description.utf8.count
    }
    return 0
}
