import DNSReconcileCore
import DNSReconcileXML

/// Builds the request bodies of the Route53 health-check operations.
///
/// Route53 validates them against its XSD, so elements go in the service model's member order
/// (moto checks neither order nor namespace; only the byte-exact unit tests guard this).
/// Settings this tool does not model (MeasureLatency, Inverted, Disabled, Regions, alarms) are
/// never sent, so Route53 keeps its defaults on create and leaves them alone on update.
enum HealthCheckRequestBuilder {
    /// ChangeTagsForResource takes at most 10 tags per call.
    static let maxTagsPerRequest = 10

    /// A CreateHealthCheckRequest body.
    ///
    /// HealthCheckConfig order: IPAddress, Port, Type, ResourcePath, FullyQualifiedDomainName,
    /// SearchString, RequestInterval, FailureThreshold, HealthThreshold, ChildHealthChecks,
    /// EnableSNI. Fields that are nil (or no children) are left out.
    static func createHealthCheck(callerReference: String, config: HealthCheckConfig) throws(DNSReconcileError) -> [UInt8] {
        try checkWritable(config.kind, operation: "CreateHealthCheck")
        var xml = XMLWriter()
        xml.element("CreateHealthCheckRequest", namespace: Route53RequestBuilder.namespace) { xml in
            xml.element("CallerReference", callerReference)
            xml.element("HealthCheckConfig") { xml in
                xml.element("IPAddress", ifPresent: config.ipAddress)
                xml.element("Port", ifPresent: config.port.map(String.init))
                xml.element("Type", config.kind.rawValue)
                xml.element("ResourcePath", ifPresent: config.resourcePath)
                xml.element("FullyQualifiedDomainName", ifPresent: config.fullyQualifiedDomainName)
                xml.element("SearchString", ifPresent: config.searchString)
                xml.element("RequestInterval", ifPresent: config.requestInterval.map(String.init))
                xml.element("FailureThreshold", ifPresent: config.failureThreshold.map(String.init))
                xml.element("HealthThreshold", ifPresent: config.healthThreshold.map(String.init))
                children(config.childHealthChecks, into: &xml)
                xml.element("EnableSNI", ifPresent: config.enableSNI.map { $0 ? "true" : "false" })
            }
        }
        return xml.bytes
    }

    /// An UpdateHealthCheckRequest body with `version` and every updatable field of `config`.
    ///
    /// Order: HealthCheckVersion, IPAddress, Port, ResourcePath, FullyQualifiedDomainName,
    /// SearchString, FailureThreshold, HealthThreshold, ChildHealthChecks, EnableSNI,
    /// ResetElements. Route53 keeps the current value of an element that is left out, so a
    /// resettable field that `config` no longer has (a path, a host name, the children of a
    /// calculated check) is named in ResetElements, or the old value would stay. Only fields that
    /// apply to the check's type are reset. Type and RequestInterval cannot be updated and are
    /// not sent.
    static func updateHealthCheck(version: Int, config: HealthCheckConfig) throws(DNSReconcileError) -> [UInt8] {
        try checkWritable(config.kind, operation: "UpdateHealthCheck")
        var xml = XMLWriter()
        xml.element("UpdateHealthCheckRequest", namespace: Route53RequestBuilder.namespace) { xml in
            xml.element("HealthCheckVersion", String(version))
            xml.element("IPAddress", ifPresent: config.ipAddress)
            xml.element("Port", ifPresent: config.port.map(String.init))
            xml.element("ResourcePath", ifPresent: config.resourcePath)
            xml.element("FullyQualifiedDomainName", ifPresent: config.fullyQualifiedDomainName)
            xml.element("SearchString", ifPresent: config.searchString)
            xml.element("FailureThreshold", ifPresent: config.failureThreshold.map(String.init))
            xml.element("HealthThreshold", ifPresent: config.healthThreshold.map(String.init))
            children(config.childHealthChecks, into: &xml)
            xml.element("EnableSNI", ifPresent: config.enableSNI.map { $0 ? "true" : "false" })
            let resets = resetElements(for: config)
            if !resets.isEmpty {
                xml.element("ResetElements") { xml in
                    for name in resets { xml.element("ResettableElementName", name) }
                }
            }
        }
        return xml.bytes
    }

    /// The ResettableElementName values an update of a check to `config` sends.
    static func resetElements(for config: HealthCheckConfig) -> [String] {
        var names: [String] = []
        let probesHTTP = [.http, .https, .httpStringMatch, .httpsStringMatch].contains(config.kind)
        let probes = probesHTTP || config.kind == .tcp
        if probes && config.fullyQualifiedDomainName == nil { names.append("FullyQualifiedDomainName") }
        if probesHTTP && config.resourcePath == nil { names.append("ResourcePath") }
        if config.kind == .calculated && config.childHealthChecks.isEmpty { names.append("ChildHealthChecks") }
        return names
    }

    /// ChangeTagsForResourceRequest bodies adding `tags`, sorted by key, at most 10 per body.
    static func addTags(_ tags: [String: String]) -> [[UInt8]] {
        let sorted = tags.sorted { $0.key < $1.key }
        var bodies: [[UInt8]] = []
        var start = 0
        while start < sorted.count {
            let chunk = sorted[start..<min(start + maxTagsPerRequest, sorted.count)]
            start += maxTagsPerRequest
            var xml = XMLWriter()
            xml.element("ChangeTagsForResourceRequest", namespace: Route53RequestBuilder.namespace) { xml in
                xml.element("AddTags") { xml in
                    for (key, value) in chunk {
                        xml.element("Tag") { xml in
                            xml.element("Key", key)
                            xml.element("Value", value)
                        }
                    }
                }
            }
            bodies.append(xml.bytes)
        }
        return bodies
    }

    private static func children(_ ids: [String], into xml: inout XMLWriter) {
        guard !ids.isEmpty else { return }
        xml.element("ChildHealthChecks") { xml in
            for id in ids { xml.element("ChildHealthCheck", id) }
        }
    }

    /// `.other` stands for types this tool only reads (CLOUDWATCH_METRIC, RECOVERY_CONTROL); it
    /// has no wire value, so writing one is a bug in the caller.
    private static func checkWritable(_ kind: HealthCheckConfig.Kind, operation: String) throws(DNSReconcileError) {
        guard kind == .other else { return }
        throw DNSReconcileError(.internal, "\(operation) was asked to write a health check of a type this tool does not "
                                    + "manage (CloudWatch metric or recovery control)")
    }
}
