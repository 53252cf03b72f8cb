/// What makes an endpoint's health-check settings unusable, checked before anything is created
/// or written. Each problem is an invalid endpoint: its name is held, nothing is sent for it.
public enum HealthCheckRules {
    /// Route53's limit on `SearchString`.
    public static let maxSearchString = 255
    public static let intervals: Set<Int> = [10, 30]
    public static let failureThresholds = 1...10
    public static let ports = 1...65535

    /// The problems of `endpoint`'s managed health check (none without one).
    public static func violations(of endpoint: Endpoint) -> [String] {
        guard let spec = endpoint.healthCheck else { return [] }
        var problems: [String] = []
        if endpoint.healthCheckID != nil {
            problems.append("it has both a managed health-check and aws-health-check-id; pick one")
        }
        let byName = endpoint.alias != nil || endpoint.type == .cname
        if !byName && endpoint.type != .a && endpoint.type != .aaaa {
            problems.append("a managed health check needs an A, AAAA or CNAME record (or an alias), not \(endpoint.type)")
        }
        if endpoint.targets.isEmpty { problems.append("a managed health check needs a target to probe") }
        if byName, spec.host != nil {
            problems.append("health-check-host applies to A and AAAA records only: a CNAME or alias is probed by its "
                            + "target name, which is also the Host header; remove health-check-host")
        }
        if let search = spec.searchString, search.utf8.count > maxSearchString {
            problems.append("the health-check-search string is longer than Route53's \(maxSearchString) characters")
        }
        if spec.kind == .tcp, spec.searchString != nil {
            problems.append("a tcp health check only opens a connection; remove health-check-search")
        }
        if !intervals.contains(spec.interval) {
            problems.append("health-check-interval is \(spec.interval); Route53 probes every 10 or 30 seconds")
        }
        if !failureThresholds.contains(spec.failureThreshold) {
            problems.append("health-check-failure-threshold is \(spec.failureThreshold); Route53 takes 1 to 10")
        }
        if !ports.contains(spec.port) { problems.append("health-check-port \(spec.port) is not a port (1 to 65535)") }
        if spec.kind != .tcp, !spec.path.hasPrefix("/") || spec.path.utf8.count > 255 {
            problems.append("health-check-path '\(spec.path)' is not a path of at most 255 characters starting with /")
        }
        if !byName && (endpoint.type == .a || endpoint.type == .aaaa) {
            for target in endpoint.targets {
                if let refusal = HealthCheckAddress.refusal(target) { problems.append(refusal) }
            }
        }
        return problems
    }

    /// The failover rule (ExternalDNS #1420): Route53 refuses a non-alias failover PRIMARY
    /// without a health check ("A non-alias primary ResourceRecordSet must have an associated
    /// health check"), and the ownership TXT that travels with every record is never an alias.
    /// So a PRIMARY needs a health check, alias or not; its TXT carries the same one.
    public static func failoverViolations(of endpoint: Endpoint) -> [String] {
        guard endpoint.routing == .failover(.primary), endpoint.healthCheckID == nil, endpoint.healthCheck == nil else {
            return []
        }
        return ["failover PRIMARY needs a health check: set health-check = http (or aws-health-check-id); "
                + "its ownership TXT carries the same check"]
    }
}
