extension Endpoint {
    /// The record sets an alias CNAME stands for, as ExternalDNS makes them: `alias = true` on a
    /// CNAME becomes an A and an AAAA alias to the same target (a Route53 alias answers with
    /// the target's addresses, so the name gets both families). Any other endpoint is itself.
    public var aliasExpanded: [Endpoint] {
        guard alias != nil, type == .cname else { return [self] }
        var a = self, aaaa = self
        a.type = .a
        aaaa.type = .aaaa
        return [a, aaaa]
    }

    /// `endpoints` with every alias CNAME replaced by its A and AAAA aliases, in order; the
    /// array itself when there is none (no copy).
    public static func expandingAliases(_ endpoints: [Endpoint]) -> [Endpoint] {
        guard endpoints.contains(where: { $0.alias != nil && $0.type == .cname }) else { return endpoints }
        return endpoints.flatMap(\.aliasExpanded)
    }
}
