import DNSReconcileCore

/// Route53 health checks in memory, for pass tests: Route53's rules where a pass relies on them
/// (a repeated reference returns the check it made, updates bump the version and check it, a
/// check in use by a record set or a parent cannot be deleted), and every call recorded.
final class InMemoryHealthChecks: HealthCheckProvider {
    var checks: [HealthCheck] = []
    private(set) var tags: [String: [String: String]] = [:]
    /// `list`, `create <reference>`, `update <id>`, `delete <id>`, `tag <id>`, in order.
    private(set) var calls: [String] = []
    /// For each call, how many record batches `records` had applied before it: orders health
    /// check calls against record changes.
    private(set) var batchesBefore: [Int] = []
    /// The record sets a check may be in use by.
    let records: InMemoryProvider?
    var failCreate: DNSReconcileError?
    var failList: DNSReconcileError?
    private var next = 1

    init(records: InMemoryProvider? = nil, checks: [HealthCheck] = []) {
        self.records = records
        self.checks = checks
    }

    private func note(_ call: String) {
        calls.append(call)
        batchesBefore.append(records?.changeCalls ?? 0)
    }

    func listHealthChecks() throws(DNSReconcileError) -> [HealthCheck] {
        note("list")
        if let failList { throw failList }
        return checks
    }

    func createHealthCheck(callerReference: String, config: HealthCheckConfig) throws(DNSReconcileError) -> HealthCheck {
        note("create \(callerReference)")
        if let failCreate { throw failCreate }
        if let known = checks.first(where: { $0.callerReference == callerReference }) {
            guard known.config == config else {
                throw DNSReconcileError(.route53, "Route53 CreateHealthCheck failed with HTTP 409 HealthCheckAlreadyExists",
                                        cause: "HealthCheckAlreadyExists")
            }
            return known
        }
        let check = HealthCheck(id: "hc-\(next)", callerReference: callerReference, version: 1, config: config)
        next += 1
        checks.append(check)
        return check
    }

    func updateHealthCheck(id: String, version: Int, config: HealthCheckConfig) throws(DNSReconcileError) -> HealthCheck {
        note("update \(id)")
        guard let index = checks.firstIndex(where: { $0.id == id }) else {
            throw DNSReconcileError(.route53, "Route53 UpdateHealthCheck failed with HTTP 404 NoSuchHealthCheck",
                                    cause: "NoSuchHealthCheck")
        }
        guard checks[index].version == version else {
            throw DNSReconcileError(.route53, "Route53 UpdateHealthCheck failed with HTTP 409 HealthCheckVersionMismatch",
                                    cause: "HealthCheckVersionMismatch")
        }
        var updated = checks[index]
        var settings = config
        settings.kind = updated.config.kind
        settings.requestInterval = updated.config.requestInterval
        updated.config = settings
        updated.version += 1
        checks[index] = updated
        return updated
    }

    func deleteHealthCheck(id: String) throws(DNSReconcileError) {
        note("delete \(id)")
        let inUse = (records?.records.values.joined().contains { $0.healthCheckID == id } ?? false)
            || checks.contains { $0.config.childHealthChecks.contains(id) }
        if inUse {
            throw DNSReconcileError(.route53, "Route53 DeleteHealthCheck failed with HTTP 400 HealthCheckInUse",
                                    cause: "HealthCheckInUse")
        }
        checks.removeAll { $0.id == id }
    }

    func tagHealthCheck(id: String, tags: [String: String]) throws(DNSReconcileError) {
        note("tag \(id)")
        self.tags[id, default: [:]].merge(tags) { _, new in new }
    }

    /// The calls without their arguments: `["list", "create", "tag"]`.
    var operations: [String] { calls.map { String($0.split(separator: " ")[0]) } }
}
