import Foundation
import WatchroomConsole

/// Puts a finished output file in place without ever replacing a file it was not asked
/// to replace, even one that appeared while the command ran.
enum OutputFile {
    /// Moves `temporary` (a complete file beside `output`) to `output`. With `force` it
    /// replaces whatever is there (`rename`); without, it refuses an existing file
    /// atomically: `link` fails on an existing name, and where hard links are not
    /// supported the name is first reserved with `O_CREAT | O_EXCL`. `temporary` is gone
    /// afterwards either way.
    static func place(_ temporary: String, at output: String, force: Bool) throws {
        defer { unlink(temporary) }
        if force {
            guard rename(temporary, output) == 0 else { throw failure(output, errno) }
            return
        }
        if link(temporary, output) == 0 { return }
        let linkError = errno
        guard linkError == EPERM || linkError == EOPNOTSUPP || linkError == EXDEV else { throw failure(output, linkError) }
        let fd = open(output, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure(output, errno) }
        close(fd)
        guard rename(temporary, output) == 0 else {
            let e = errno
            unlink(output)
            throw failure(output, e)
        }
    }

    private static func failure(_ output: String, _ code: Int32) -> CLIError {
        if code == EEXIST {
            return CLIError("\(output) exists (it appeared while this command ran); nothing was written: pass --force to overwrite it, or choose another name")
        }
        return CLIError("\(output): cannot write (\(String(cString: strerror(code))))")
    }
}
