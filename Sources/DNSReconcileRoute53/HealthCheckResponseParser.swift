import DNSReconcileCore
import DNSReconcileXML

/// Turns the answers of the Route53 health-check operations into values, streaming.
///
/// As for record sets, elements are matched by local name and unknown ones are skipped
/// (LinkedService, CloudWatchAlarmConfiguration, Regions, MeasureLatency, Inverted, Disabled).
/// Values are kept as Route53 reports them, defaults included (moto reports `Port` 80 and
/// `EnableSNI` false where nothing was sent): comparing them with a desired configuration is the
/// caller's business.
enum HealthCheckResponseParser {
    /// One page of ListHealthChecks.
    struct HealthChecksPage: Equatable {
        var healthChecks: [HealthCheck] = []
        /// Absent in moto's answers: read as false.
        var isTruncated = false
        var nextMarker: String?
    }

    static func healthChecksPage(_ body: [UInt8]) throws(DNSReconcileError) -> HealthChecksPage {
        try XMLReader.parse(body, documentName: "ListHealthChecks response") { reader, root throws(DNSReconcileError) in
            try expectRoot(root, "ListHealthChecksResponse", reader)
            var page = HealthChecksPage()
            try reader.children { name throws(DNSReconcileError) in
                switch name {
                case "HealthChecks":
                    try reader.children { child throws(DNSReconcileError) in
                        if child == "HealthCheck" { page.healthChecks.append(try healthCheck(reader)) }
                    }
                case "IsTruncated": page.isTruncated = try boolean(reader, name)
                case "NextMarker": page.nextMarker = try reader.text()
                default: break
                }
            }
            return page
        }
    }

    /// The `HealthCheck` of a CreateHealthCheck, UpdateHealthCheck or GetHealthCheck answer.
    static func healthCheck(_ body: [UInt8], operation: String) throws(DNSReconcileError) -> HealthCheck {
        try XMLReader.parse(body, documentName: "\(operation) response") { reader, root throws(DNSReconcileError) in
            try expectRoot(root, "\(operation)Response", reader)
            var check: HealthCheck?
            try reader.children { name throws(DNSReconcileError) in
                if name == "HealthCheck" { check = try healthCheck(reader) }
            }
            guard let check else {
                throw DNSReconcileError(.xml, "\(operation) response has no HealthCheck element", cause: "no HealthCheck")
            }
            return check
        }
    }

    /// Accepts the answer of an operation without output members (DeleteHealthCheck,
    /// ChangeTagsForResource): an empty body, as moto sends, or an empty `<operation>Response`
    /// element, as Route53 may. Any other document (a proxy's page) is not taken as success.
    static func emptyAnswer(_ body: [UInt8], operation: String) throws(DNSReconcileError) {
        guard body.contains(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else { return }
        try XMLReader.parse(body, documentName: "\(operation) response") { reader, root throws(DNSReconcileError) in
            try expectRoot(root, "\(operation)Response", reader)
        }
    }

    // MARK: - Elements

    private static func healthCheck(_ reader: XMLReader) throws(DNSReconcileError) -> HealthCheck {
        let line = reader.line
        var id: String?, callerReference: String?, version = 1
        var config: HealthCheckConfig?
        try reader.children { field throws(DNSReconcileError) in
            switch field {
            case "Id": id = try reader.text()
            case "CallerReference": callerReference = try reader.text()
            case "HealthCheckVersion": version = try integer(reader, field)
            case "HealthCheckConfig": config = try healthCheckConfig(reader)
            default: break
            }
        }
        guard let id, !id.isEmpty, let callerReference, let config else {
            throw DNSReconcileError(.xml, "\(reader.documentName) has a HealthCheck without Id, CallerReference or "
                                        + "HealthCheckConfig at line \(line)", cause: "line \(line)")
        }
        return HealthCheck(id: id, callerReference: callerReference, version: version, config: config)
    }

    private static func healthCheckConfig(_ reader: XMLReader) throws(DNSReconcileError) -> HealthCheckConfig {
        let line = reader.line
        var config = HealthCheckConfig(kind: .other)
        var sawType = false
        try reader.children { field throws(DNSReconcileError) in
            switch field {
            case "Type":
                // CLOUDWATCH_METRIC, RECOVERY_CONTROL and any type AWS adds later: read, never managed.
                config.kind = HealthCheckConfig.Kind(rawValue: try reader.text().trimmingXMLSpace()) ?? .other
                sawType = true
            case "IPAddress": config.ipAddress = try reader.text()
            case "Port": config.port = try integer(reader, field)
            case "ResourcePath": config.resourcePath = try reader.text()
            case "FullyQualifiedDomainName": config.fullyQualifiedDomainName = try reader.text()
            case "SearchString": config.searchString = try reader.text()
            case "RequestInterval": config.requestInterval = try integer(reader, field)
            case "FailureThreshold": config.failureThreshold = try integer(reader, field)
            case "EnableSNI": config.enableSNI = try boolean(reader, field)
            case "HealthThreshold": config.healthThreshold = try integer(reader, field)
            case "ChildHealthChecks":
                try reader.children { child throws(DNSReconcileError) in
                    if child == "ChildHealthCheck" { config.childHealthChecks.append(try reader.text()) }
                }
            default: break
            }
        }
        guard sawType else {
            throw DNSReconcileError(.xml, "\(reader.documentName) has a HealthCheckConfig without Type at line \(line)",
                                    cause: "line \(line)")
        }
        return config
    }

    /// Fails unless the document is the answer asked for (a proxy's 2xx page is not an answer).
    private static func expectRoot(_ root: String, _ expected: String, _ reader: XMLReader) throws(DNSReconcileError) {
        guard root != expected else { return }
        throw DNSReconcileError(.xml, "\(reader.documentName) is a <\(root)> document at line \(reader.line), not "
                                    + "<\(expected)>: something between here and Route53 (a proxy, a captive portal) "
                                    + "answered instead; check the endpoint URL and proxy settings", cause: "root \(root)")
    }

    private static func integer(_ reader: XMLReader, _ field: String) throws(DNSReconcileError) -> Int {
        let line = reader.line
        let text = try reader.text()
        guard let value = Int(text.trimmingXMLSpace()) else {
            throw DNSReconcileError(.xml, "\(reader.documentName) has \(field) '\(text)' at line \(line), expected an integer",
                                    cause: "line \(line)")
        }
        return value
    }

    private static func boolean(_ reader: XMLReader, _ field: String) throws(DNSReconcileError) -> Bool {
        let line = reader.line
        let text = try reader.text()
        switch text.trimmingXMLSpace() {
        case "true": return true
        case "false": return false
        case let other:
            throw DNSReconcileError(.xml, "\(reader.documentName) has \(field) '\(other)' at line \(line), expected true or false",
                                    cause: "line \(line)")
        }
    }
}

extension String {
    /// Without leading and trailing XML white space.
    fileprivate func trimmingXMLSpace() -> String {
        func isSpace(_ character: Character) -> Bool { " \n\t\r".contains(character) }
        var text = Substring(self)
        while let first = text.first, isSpace(first) { text.removeFirst() }
        while let last = text.last, isSpace(last) { text.removeLast() }
        return String(text)
    }
}
