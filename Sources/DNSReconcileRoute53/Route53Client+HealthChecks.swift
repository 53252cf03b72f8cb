import DNSReconcileCore

/// The Route53 health-check operations, through the same limiter, signing, retry, deadline and
/// observer as every other call.
///
/// Every operation here may be retried after a lost answer: listing, tagging and deleting are
/// idempotent, and CreateHealthCheck is too because Route53 answers a repeated CallerReference
/// with the same settings with the existing check. UpdateHealthCheck carries the version it was
/// planned against, so its retry after an applied first attempt meets
/// `HealthCheckVersionMismatch`; the check is then read again and the update counts as done when
/// the check already has the requested settings.
extension Route53Client: HealthCheckProvider {
    /// Route53 caps `maxitems` of ListHealthChecks at 1000; kept constant across pages.
    static let healthCheckPageSize = 1000

    /// Every health check of the account, following `NextMarker` until `IsTruncated` is false
    /// (or absent, as in moto's answers).
    ///
    /// A marker seen before fails the listing with `.route53` rather than returning a partial
    /// list: a pass that misses a check of its own would create a second one.
    public func listHealthChecks() throws(DNSReconcileError) -> [HealthCheck] {
        var checks: [HealthCheck] = []
        var positions: [String: Int] = [:]
        var marker: String?
        var seenMarkers: Set<String> = []
        while true {
            var query = [("maxitems", String(Self.healthCheckPageSize))]
            if let marker { query.append(("marker", marker)) }
            let response = try send("ListHealthChecks", method: "GET", path: "/2013-04-01/healthcheck", query: query,
                                    what: "ListHealthChecks")
            let page = try HealthCheckResponseParser.healthChecksPage(response.body)
            // A check listed twice (one created or deleted during the walk shifts the pages) is
            // kept once, with what was read last.
            for check in page.healthChecks {
                if let position = positions[check.id] {
                    checks[position] = check
                } else {
                    positions[check.id] = checks.count
                    checks.append(check)
                }
            }
            guard page.isTruncated else { return checks }
            guard let next = page.nextMarker, !next.isEmpty else {
                throw DNSReconcileError(.route53, "Route53 ListHealthChecks says the listing is truncated but gives no "
                                            + "NextMarker", cause: "ListHealthChecks")
            }
            guard seenMarkers.insert(next).inserted else {
                throw DNSReconcileError(.route53, "Route53 ListHealthChecks returned the marker \(next) twice; the listing "
                                            + "makes no progress, so no health check is created, updated or deleted",
                                        cause: "ListHealthChecks")
            }
            marker = next
        }
    }

    public func createHealthCheck(callerReference: String, config: HealthCheckConfig) throws(DNSReconcileError) -> HealthCheck {
        let body = try HealthCheckRequestBuilder.createHealthCheck(callerReference: callerReference, config: config)
        let response: HTTPResponse
        do throws(DNSReconcileError) {
            response = try send("CreateHealthCheck", method: "POST", path: "/2013-04-01/healthcheck", body: body,
                                what: "CreateHealthCheck with CallerReference \(callerReference)")
        } catch {
            var error = error
            if error.cause == "HealthCheckAlreadyExists" {
                error.message += " (Route53 remembers a CallerReference with the settings it was first used with, and "
                    + "for some days after its check is deleted; a new reference is needed)"
            }
            throw error
        }
        return try HealthCheckResponseParser.healthCheck(response.body, operation: "CreateHealthCheck")
    }

    public func updateHealthCheck(id: String, version: Int, config: HealthCheckConfig) throws(DNSReconcileError) -> HealthCheck {
        let body = try HealthCheckRequestBuilder.updateHealthCheck(version: version, config: config)
        let what = "UpdateHealthCheck \(id)"
        let response: HTTPResponse
        do throws(DNSReconcileError) {
            response = try send("UpdateHealthCheck", method: "POST", path: Self.healthCheckPath(id), body: body, what: what)
        } catch {
            guard error.cause == "HealthCheckVersionMismatch" else { throw error }
            // Either an earlier attempt of this call was applied and its answer lost, or the check
            // changed since it was listed. The first is success; the second is left to the next
            // pass, which lists the check again.
            let current = try healthCheck(id: id)
            guard Self.hasUpdatableSettings(of: config, current.config) else {
                var error = error
                error.message += " (the health check changed since it was listed, at version \(version); "
                    + "the next pass reads it again)"
                throw error
            }
            observer?.notice(operation: "UpdateHealthCheck",
                             message: "\(what): Route53 reports version \(current.version), not \(version), and the check "
                                + "already has the requested settings, so the update counts as applied")
            return current
        }
        return try HealthCheckResponseParser.healthCheck(response.body, operation: "UpdateHealthCheck")
    }

    /// DeleteHealthCheck. A check that is already gone (`NoSuchHealthCheck`, also what the retry
    /// of an applied delete meets) counts as deleted.
    public func deleteHealthCheck(id: String) throws(DNSReconcileError) {
        let what = "DeleteHealthCheck \(id)"
        let response: HTTPResponse
        do throws(DNSReconcileError) {
            response = try send("DeleteHealthCheck", method: "DELETE", path: Self.healthCheckPath(id), what: what)
        } catch {
            var error = error
            switch error.cause {
            case "NoSuchHealthCheck":
                observer?.notice(operation: "DeleteHealthCheck", message: "\(what): the health check is already gone")
                return
            case "HealthCheckInUse":
                error.message += " (a record set or a calculated health check still references it; it can be deleted "
                    + "only after they no longer do)"
            default:
                break
            }
            throw error
        }
        try HealthCheckResponseParser.emptyAnswer(response.body, operation: "DeleteHealthCheck")
    }

    /// ChangeTagsForResource on `healthcheck/<id>`, at most 10 tags per call (keys sorted).
    public func tagHealthCheck(id: String, tags: [String: String]) throws(DNSReconcileError) {
        for body in HealthCheckRequestBuilder.addTags(tags) {
            let response = try send("ChangeTagsForResource", method: "POST",
                                    path: "/2013-04-01/tags/healthcheck/\(Route53RequestBuilder.encode(id))", body: body,
                                    what: "ChangeTagsForResource for health check \(id)")
            try HealthCheckResponseParser.emptyAnswer(response.body, operation: "ChangeTagsForResource")
        }
    }

    /// GetHealthCheck: one check with its current version.
    func healthCheck(id: String) throws(DNSReconcileError) -> HealthCheck {
        let response = try send("GetHealthCheck", method: "GET", path: Self.healthCheckPath(id),
                                what: "GetHealthCheck \(id)")
        return try HealthCheckResponseParser.healthCheck(response.body, operation: "GetHealthCheck")
    }

    static func healthCheckPath(_ id: String) -> String {
        "/2013-04-01/healthcheck/" + Route53RequestBuilder.encode(id)
    }

    /// Whether `current` already has what an update to `desired` sets: every updatable field
    /// `desired` gives, the resettable ones (path, host name) absent where `desired` has none,
    /// and the same children in any order.
    static func hasUpdatableSettings(of desired: HealthCheckConfig, _ current: HealthCheckConfig) -> Bool {
        func matches<Value: Equatable>(_ wanted: Value?, _ actual: Value?) -> Bool { wanted == nil || wanted == actual }
        return desired.kind == current.kind
            && matches(desired.ipAddress, current.ipAddress)
            && matches(desired.port, current.port)
            && desired.resourcePath == current.resourcePath
            && desired.fullyQualifiedDomainName == current.fullyQualifiedDomainName
            && matches(desired.searchString, current.searchString)
            && matches(desired.failureThreshold, current.failureThreshold)
            && matches(desired.healthThreshold, current.healthThreshold)
            && matches(desired.enableSNI, current.enableSNI)
            && Set(desired.childHealthChecks) == Set(current.childHealthChecks)
    }
}
