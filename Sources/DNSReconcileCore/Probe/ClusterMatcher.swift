/// Names the cluster that served a response, from `--match` rules in command-line order.
public struct ClusterMatcher {
    public var rules: [ClusterRule]

    public init(rules: [ClusterRule]) { self.rules = rules }

    /// The label of the first rule that matches, else `address`: without rules (or when none
    /// matches) the answered address is what tells clusters apart.
    public func label(for response: HTTPResponse, address: String) -> String {
        guard !rules.isEmpty else { return address }
        // Bytes that are not UTF-8 become U+FFFD; a page's marker text still matches.
        let body = String(decoding: response.body, as: UTF8.self)
        return rules.first { $0.matches(headers: response.headers, body: body) }?.label ?? address
    }
}
