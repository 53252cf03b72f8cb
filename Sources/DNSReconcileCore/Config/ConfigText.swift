/// Text helpers of the configuration parsers (kept in a namespace so they cannot clash with
/// helpers of other modules' files).
enum ConfigText {
    /// `text` without leading and trailing spaces, tabs and line breaks.
    static func trim<S: StringProtocol>(_ text: S) -> String {
        var view = Substring(text)
        // Nothing to trim (the usual case) is seen from the end bytes, without walking characters.
        let blank: (UInt8) -> Bool = { $0 == 32 || $0 == 9 || $0 == 13 || $0 == 10 }
        if let first = view.utf8.first, let last = view.utf8.last, !blank(first), !blank(last) { return String(view) }
        while let first = view.first, first == " " || first == "\t" || first == "\r" || first == "\n" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\r" || last == "\n" { view.removeLast() }
        return String(view)
    }

    /// True when `text` has the byte `byte` (an ASCII character) in its UTF-8.
    static func contains(_ byte: UInt8, in text: String) -> Bool {
        // The contiguous bytes when there are (always, for native strings): iterating the
        // `utf8` view byte by byte is several times slower.
        text.utf8.withContiguousStorageIfAvailable { $0.contains(byte) } ?? text.utf8.contains(byte)
    }

    /// True when every byte of `text` satisfies `predicate`.
    static func allBytes(of text: String, _ predicate: (UInt8) -> Bool) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.allSatisfy(predicate) } ?? text.utf8.allSatisfy(predicate)
    }
}
