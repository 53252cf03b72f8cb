extension RecordSet {
    /// Values as plan output shows them; an alias shows its target instead.
    public var targetsText: String {
        if let alias {
            return "alias \(alias.dnsName.value) (\(alias.hostedZoneID)"
                + (alias.evaluateTargetHealth ? ", evaluate-target-health" : "") + ")"
        }
        return values.joined(separator: ", ")
    }

    /// TTL as plan output shows it (`-` for an alias, which has none).
    public var ttlText: String { ttl.map(String.init) ?? "-" }

    var json: JSONValue {
        var object: [String: JSONValue] = [
            "name": .string(name.value),
            "type": .string(type.rawValue),
            "set_identifier": .optional(setIdentifier),
            "routing": routing.json,
            "ttl": .optional(ttl),
            "values": .array(values.map(JSONValue.string)),
            "health_check_id": .optional(healthCheckID),
        ]
        if let alias {
            object["alias"] = .object([
                "hosted_zone_id": .string(alias.hostedZoneID),
                "dns_name": .string(alias.dnsName.value),
                "evaluate_target_health": .bool(alias.evaluateTargetHealth),
            ])
        } else {
            object["alias"] = .null
        }
        return .object(object)
    }
}
