/// The Route53 health check(s) one record set needs, from its endpoint's `HealthCheckSpec`.
///
/// - A or AAAA with one target: one check probing that address, with the host
///   (`health-check-host`, default the record name) as `FullyQualifiedDomainName`, which Route53
///   sends as the Host header and TLS SNI.
/// - A or AAAA with several targets: one child check per address and a CALCULATED parent that is
///   healthy while at least one child is; the record set references the parent.
/// - CNAME or alias: no address; the target name is probed (it is also the Host header).
///
/// http becomes HTTP (HTTP_STR_MATCH with a search string), https HTTPS (HTTPS_STR_MATCH, SNI on),
/// tcp TCP (a connection only). Port, interval and failure threshold are always sent, so
/// Route53's defaults never decide anything.
public enum DesiredHealthCheck: Hashable, Sendable {
    case single(HealthCheckConfig)
    /// The children in address order; the parent is `DesiredHealthCheck.parent`.
    case calculated(children: [HealthCheckConfig])

    /// A parent is healthy while this many children are.
    public static let parentHealthThreshold = 1

    /// The checks for `endpoint` (which has `spec`); nil when the endpoint cannot have one (a
    /// record type other than A, AAAA or CNAME, or no target), which `HealthCheckRules` reports.
    public static func make(for endpoint: Endpoint, spec: HealthCheckSpec) -> DesiredHealthCheck? {
        guard let first = endpoint.targets.first else { return nil }
        if endpoint.alias != nil || endpoint.type == .cname {
            return .single(config(spec, address: nil, name: DNSName(first).value))
        }
        guard endpoint.type == .a || endpoint.type == .aaaa else { return nil }
        let host = spec.host.map { DNSName($0).value } ?? endpoint.name.value
        var seen: Set<String> = []
        var addresses: [String] = []
        for target in endpoint.targets where seen.insert(comparableAddress(target)).inserted {
            addresses.append(target)
        }
        if addresses.count == 1 { return .single(config(spec, address: addresses[0], name: host)) }
        let children = addresses.sorted { comparableAddress($0) < comparableAddress($1) }
            .map { config(spec, address: $0, name: host) }
        return .calculated(children: children)
    }

    /// The parent of `children` (their ids, in any order).
    public static func parent(children: [String]) -> HealthCheckConfig {
        HealthCheckConfig(kind: .calculated, healthThreshold: parentHealthThreshold, childHealthChecks: children.sorted())
    }

    /// The checks that probe something: the single one, or the children.
    public var checks: [HealthCheckConfig] {
        switch self {
        case .single(let config): [config]
        case .calculated(let children): children
        }
    }

    static func config(_ spec: HealthCheckSpec, address: String?, name: String) -> HealthCheckConfig {
        var config = HealthCheckConfig(kind: .tcp, ipAddress: address, port: spec.port,
                                       requestInterval: spec.interval, failureThreshold: spec.failureThreshold)
        switch spec.kind {
        case .tcp:
            // With an address a TCP check only connects: a name would be sent nowhere.
            if address == nil { config.fullyQualifiedDomainName = name }
            return config
        case .http:
            config.kind = spec.searchString == nil ? .http : .httpStringMatch
        case .https:
            config.kind = spec.searchString == nil ? .https : .httpsStringMatch
            config.enableSNI = true
        }
        config.resourcePath = spec.path
        config.fullyQualifiedDomainName = name
        config.searchString = spec.searchString
        return config
    }

    /// One spelling per address, so `2001:DB8::1` and `2001:db8::1` are one target.
    static func comparableAddress(_ text: String) -> String {
        IPAddress.normalisedIPv6(text) ?? text
    }
}
