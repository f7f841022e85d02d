/// One terminal cell.
///
/// A wide character (CJK, most emoji) occupies two cells: the first holds the character
/// with `width == 2`, the second is a continuation with `width == 0` and an empty text.
/// Writing into either half of a wide character clears the other half to a space, so a
/// wide character is never cut in half.
public struct Cell: Sendable, Hashable {
    /// One grapheme cluster (or empty for a continuation cell).
    public var text: String
    /// 1 for a normal cell, 2 for the head of a wide character, 0 for its continuation.
    public var width: UInt8
    public var style: Style

    public init(_ text: String, width: UInt8 = 1, style: Style = .normal) {
        self.text = text
        self.width = width
        self.style = style
    }

    public static let blank = Cell(" ")
    static let continuation = Cell("", width: 0)

    public var isContinuation: Bool { width == 0 }
}
