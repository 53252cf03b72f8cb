extension DNSName {
    /// A DNSName from text that is already canonical (as `value` gives it): a backslash there is
    /// a literal byte, so it is escaped before the escape-decoding initialiser sees it.
    init(canonical value: String) {
        guard value.utf8.contains(UInt8(ascii: "\\")) else {
            self.init(value)
            return
        }
        var escaped = ""
        escaped.reserveCapacity(value.utf8.count)
        for scalar in value.unicodeScalars {
            if scalar == "\\" { escaped += "\\\\" } else { escaped.unicodeScalars.append(scalar) }
        }
        self.init(escaped)
    }
}
