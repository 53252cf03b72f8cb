/// Text helpers of the configuration parsers (kept in a namespace so they cannot clash with
/// helpers of other modules' files).
enum ConfigText {
    /// `text` without leading and trailing spaces, tabs and line breaks.
    static func trim<S: StringProtocol>(_ text: S) -> String {
        var view = Substring(text)
        while let first = view.first, first == " " || first == "\t" || first == "\r" || first == "\n" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" || last == "\r" || last == "\n" { view.removeLast() }
        return String(view)
    }
}
