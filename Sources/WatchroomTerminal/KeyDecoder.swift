import WatchroomUI

/// Turns what `wget_wch` returned into a `Key`. Pure: the ncurses key codes are spelled out
/// here (they are fixed numbers in `<curses.h>`), so the table is testable without a terminal.
///
/// KEY_RESIZE and KEY_MOUSE need the terminal (new size, `getmouse`) and are handled by the
/// backend; `decode` returns `nil` for them, as for keys Watchroom does not use.
public enum KeyDecoder {
    /// ncurses function-key codes (octal in `<curses.h>`).
    public enum Code {
        public static let down: UInt32 = 0o402, up: UInt32 = 0o403, left: UInt32 = 0o404, right: UInt32 = 0o405
        public static let home: UInt32 = 0o406, backspace: UInt32 = 0o407
        /// KEY_F0; KEY_F(n) is `f0 + n`.
        public static let f0: UInt32 = 0o410
        public static let delete: UInt32 = 0o512
        public static let pageDown: UInt32 = 0o522, pageUp: UInt32 = 0o523
        public static let enter: UInt32 = 0o527
        public static let backTab: UInt32 = 0o541
        public static let end: UInt32 = 0o550
        public static let mouse: UInt32 = 0o631, resize: UInt32 = 0o632
    }

    /// Decodes one input.
    ///
    /// - Parameters:
    ///   - value: the character or key code `wget_wch` stored.
    ///   - isKeyCode: `wget_wch` returned KEY_CODE_YES (a function key, not a character).
    public static func decode(_ value: UInt32, isKeyCode: Bool) -> Key? {
        if isKeyCode { return keyCode(value) }
        switch value {
        case 13, 10: return .enter
        case 9: return .tab
        case 127, 8: return .backspace
        case 27: return .escape
        case 1...26: return .control(Character(Unicode.Scalar(UInt8(value) + 0x60)))
        case 0, 28...31, 0x80...0x9F: return nil
        default:
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return .character(Character(scalar))
        }
    }

    private static func keyCode(_ code: UInt32) -> Key? {
        switch code {
        case Code.up: return .up
        case Code.down: return .down
        case Code.left: return .left
        case Code.right: return .right
        case Code.pageUp: return .pageUp
        case Code.pageDown: return .pageDown
        case Code.home: return .home
        case Code.end: return .end
        case Code.enter: return .enter
        case Code.backTab: return .backTab
        case Code.backspace: return .backspace
        case Code.delete: return .delete
        case (Code.f0 + 1)...(Code.f0 + 24): return .function(Int(code - Code.f0))
        default: return nil
        }
    }
}
