/// A health-check action of a pass, as the plan output and the logs show it.
public struct HealthCheckChange: Hashable, Sendable {
    public enum Action: String, Hashable, Sendable {
        case create, update, delete
    }

    public var action: Action
    /// The record set it serves (for a child: the record set of its parent); nil when unknown.
    public var key: RecordKey?
    /// The check's id; nil for a check not created yet.
    public var id: String?
    /// The settings it gets (create, update) or has (delete).
    public var config: HealthCheckConfig
    /// What changes, what it replaces, or why it goes.
    public var reason: String?

    public init(action: Action, key: RecordKey?, id: String? = nil, config: HealthCheckConfig, reason: String? = nil) {
        self.action = action
        self.key = key
        self.id = id
        self.config = config
        self.reason = reason
    }

    /// `app.example.com A hk` (the set identifier bare, as in the plan table's SET-ID column).
    public var subject: String {
        guard let key else { return id.map { "id \($0)" } ?? "?" }
        return "\(key.name.value) \(key.type)" + (key.setIdentifier.map { " \($0)" } ?? "")
    }

    /// `+ health check app.example.com A hk: HTTP 203.0.113.10:80 /healthz Host app.example.com`.
    public var line: String {
        let symbol: String
        switch action {
        case .create: symbol = "+"
        case .update: symbol = "~"
        case .delete: symbol = "-"
        }
        var text = "\(symbol) health check \(subject): \(config.summary)"
        var notes: [String] = []
        if let id, key != nil { notes.append("id \(id)") }
        if let reason { notes.append(reason) }
        if !notes.isEmpty { text += " (" + notes.joined(separator: "; ") + ")" }
        return text
    }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "action": .string(action.rawValue),
            "id": .optional(id),
            "summary": .string(config.summary),
            "reason": .optional(reason),
            "check_type": .string(config.kind.rawValue),
            "ip_address": .optional(config.ipAddress),
            "port": .optional(config.port),
            "resource_path": .optional(config.resourcePath),
            "fully_qualified_domain_name": .optional(config.fullyQualifiedDomainName),
            "search_string": .optional(config.searchString),
            "request_interval": .optional(config.requestInterval),
            "failure_threshold": .optional(config.failureThreshold),
            "child_health_checks": .array(config.childHealthChecks.map(JSONValue.string)),
        ]
        object["name"] = .optional(key?.name.value)
        object["type"] = .optional(key?.type.rawValue)
        object["set_identifier"] = .optional(key?.setIdentifier)
        return .object(object)
    }
}
