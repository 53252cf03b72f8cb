/// Comparing a desired health check with what Route53 reports, on the fields this tool writes.
///
/// Route53 (and the emulator) fill in fields nobody sent (`EnableSNI` false, `MeasureLatency`,
/// the default interval and threshold), so an unset field counts as its default; addresses,
/// names and child lists compare in one canonical spelling.
extension HealthCheckConfig {
    /// Route53's defaults for omitted fields.
    static let defaultInterval = 30
    static let defaultFailureThreshold = 3

    /// One line that names every field this tool writes; the digest in a `CallerReference`.
    /// Child ids are left out (a parent's are not known before its children exist).
    public var canonical: String {
        [
            kind.rawValue,
            "ip=" + (ipAddress.map(DesiredHealthCheck.comparableAddress) ?? ""),
            "port=" + (port.map(String.init) ?? ""),
            "path=" + (resourcePath ?? ""),
            "fqdn=" + (fullyQualifiedDomainName.map { DNSName($0).value } ?? ""),
            "search=" + (searchString ?? ""),
            "interval=" + (requestInterval.map(String.init) ?? ""),
            "threshold=" + (failureThreshold.map(String.init) ?? ""),
            "sni=" + (enableSNI == true ? "1" : ""),
            "healthy=" + (healthThreshold.map(String.init) ?? ""),
        ].joined(separator: "|")
    }

    /// Why a check with these settings cannot become `desired` by an update, or nil when it can:
    /// Route53 never changes a check's type or interval, and a check probes an address or a
    /// name for life.
    public func replacementReason(toReach desired: HealthCheckConfig) -> String? {
        if kind != desired.kind { return "its type changes from \(kind.rawValue) to \(desired.kind.rawValue)" }
        if kind == .calculated { return nil }
        let interval = requestInterval ?? Self.defaultInterval
        let wanted = desired.requestInterval ?? Self.defaultInterval
        if interval != wanted { return "its interval changes from \(interval) s to \(wanted) s" }
        if (ipAddress == nil) != (desired.ipAddress == nil) {
            return desired.ipAddress == nil ? "it probes a name instead of an address" : "it probes an address instead of a name"
        }
        return nil
    }

    /// The updatable fields in which `desired` differs, by name (empty: nothing to update).
    public func differences(from desired: HealthCheckConfig) -> [String] {
        var changes: [String] = []
        if kind == .calculated {
            if (healthThreshold ?? 0) != (desired.healthThreshold ?? 0) { changes.append("health threshold") }
            if Set(childHealthChecks) != Set(desired.childHealthChecks) { changes.append("children") }
            return changes
        }
        if ipAddress.map(DesiredHealthCheck.comparableAddress) != desired.ipAddress.map(DesiredHealthCheck.comparableAddress) {
            changes.append("address \(ipAddress ?? "none") → \(desired.ipAddress ?? "none")")
        }
        if port != desired.port { changes.append("port \(port.map(String.init) ?? "none") → \(desired.port.map(String.init) ?? "none")") }
        if (resourcePath ?? "") != (desired.resourcePath ?? "") {
            changes.append("path \(resourcePath ?? "none") → \(desired.resourcePath ?? "none")")
        }
        let name = fullyQualifiedDomainName.map { DNSName($0).value } ?? ""
        let wantedName = desired.fullyQualifiedDomainName.map { DNSName($0).value } ?? ""
        if name != wantedName { changes.append("host \(name.isEmpty ? "none" : name) → \(wantedName.isEmpty ? "none" : wantedName)") }
        if (searchString ?? "") != (desired.searchString ?? "") { changes.append("search string") }
        let threshold = failureThreshold ?? Self.defaultFailureThreshold
        let wantedThreshold = desired.failureThreshold ?? Self.defaultFailureThreshold
        if threshold != wantedThreshold { changes.append("failure threshold \(threshold) → \(wantedThreshold)") }
        if (enableSNI ?? false) != (desired.enableSNI ?? false) { changes.append("SNI") }
        return changes
    }

    /// True when a check with these settings is `desired` as it stands.
    public func matches(_ desired: HealthCheckConfig) -> Bool {
        replacementReason(toReach: desired) == nil && differences(from: desired).isEmpty
    }

    /// How the plan and the logs show it: `HTTP 203.0.113.10:80 /healthz Host app.example.com`.
    public var summary: String {
        if kind == .calculated {
            let count = childHealthChecks.count
            return "CALCULATED of \(count == 0 ? "its" : String(count)) children, healthy while "
                + "\(healthThreshold ?? DesiredHealthCheck.parentHealthThreshold) is"
        }
        let name = fullyQualifiedDomainName.map { DNSName($0).value }
        var text = kind.rawValue + " " + (ipAddress.map { $0.contains(":") ? "[\($0)]" : $0 } ?? name ?? "?")
        if let port { text += ":\(port)" }
        if let resourcePath { text += " " + resourcePath }
        if ipAddress != nil, let name { text += " Host " + name }
        if let searchString { text += " search \"\(searchString)\"" }
        let interval = requestInterval ?? Self.defaultInterval
        let threshold = failureThreshold ?? Self.defaultFailureThreshold
        if interval != Self.defaultInterval || threshold != Self.defaultFailureThreshold {
            text += " every \(interval) s, \(threshold) failures"
        }
        return text
    }
}
