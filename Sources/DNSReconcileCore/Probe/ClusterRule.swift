/// One `--match LABEL=REGEX`: responses whose body or a header line matches REGEX come from the
/// cluster LABEL.
public struct ClusterRule {
    public let label: String
    public let pattern: String
    let regex: Regex<AnyRegexOutput>

    /// Parses `LABEL=REGEX` (split at the first `=`). The pattern is Swift Regex syntax and
    /// matches case-insensitively, as `grep -i` does in the scripts this replaces; `(?-i)` at its
    /// start makes it case-sensitive.
    public init(parsing text: String) throws(DNSReconcileError) {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else {
            throw DNSReconcileError(.usage, "--match \(text): write LABEL=REGEX, e.g. --match RKE2=rke2")
        }
        let label = String(text[..<equals])
        let pattern = String(text[text.index(after: equals)...])
        guard !pattern.isEmpty else {
            throw DNSReconcileError(.usage, "--match \(text): the regular expression after = is empty")
        }
        do {
            regex = try Regex(pattern).ignoresCase()
        } catch {
            throw DNSReconcileError(.usage, "--match \(text): \(pattern) is not a valid regular expression",
                                    cause: "\(error)")
        }
        self.label = label
        self.pattern = pattern
    }

    /// True when the body or one header line (`Name: value`) contains a match.
    func matches(headers: [HTTPHeader], body: String) -> Bool {
        if body.contains(regex) { return true }
        return headers.contains { "\($0.name): \($0.value)".contains(regex) }
    }
}
