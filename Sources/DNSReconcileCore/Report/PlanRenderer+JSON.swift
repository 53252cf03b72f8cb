extension PlanRenderer {
    /// The JSON form of `plan --output json`: keys sorted, arrays in plan order, no timestamps, so
    /// the same zones and config give the same bytes. Ends with a newline.
    ///
    /// `{"format": 1, "dry_run": true, "clusters": [{"name", "status", "source_endpoints",
    /// "invalid_endpoints", "unassigned", "errors", "zones": [{"zone", "zone_id", "private",
    /// "owned_records", "summary", "refused", "forced", "changes", "notices", and "health_checks"
    /// when the zone has any}]}]}`
    public func json(_ report: PassReport) -> String {
        let document: JSONValue = .object([
            "format": .int(1),
            "dry_run": .bool(report.dryRun),
            "clusters": .array(report.clusters.map(PlanRenderer.clusterJSON)),
        ])
        return document.rendered() + "\n"
    }

    static func clusterJSON(_ cluster: ClusterReport) -> JSONValue {
        .object([
            "name": .string(cluster.name),
            "status": .string(cluster.status.rawValue),
            "source_endpoints": .int(cluster.sourceEndpoints),
            "invalid_endpoints": .array(cluster.invalidEndpoints.map { invalid in
                .object([
                    "names": .array(invalid.names.map { .string($0.value) }),
                    "error": .string(invalid.error.rawValue),
                    "message": .string(invalid.message),
                    "location": .optional(invalid.location?.description),
                ])
            }),
            "unassigned": .array(cluster.unassigned.map { keyJSON($0.key, extra: ["location": .optional($0.origin?.description)]) }),
            "errors": .array(cluster.errors.map { error in
                .object([
                    "code": .string(error.code.rawValue),
                    "message": .string(error.description),
                    "location": .optional(error.location?.description),
                ])
            }),
            "zones": .array(cluster.zones.map(zoneJSON)),
        ])
    }

    static func zoneJSON(_ zone: ZoneReport) -> JSONValue {
        let plan = zone.plan
        var object: [String: JSONValue] = [
            "zone": .string(plan.zone.name.value),
            "zone_id": .string(plan.zone.id),
            "private": .bool(plan.zone.isPrivate),
            "owned_records": .int(zone.ownedRecords),
            "summary": .object(Dictionary(uniqueKeysWithValues: PlannedChange.Action.allCases.map {
                ($0.rawValue, JSONValue.int(plan.count($0)))
            })),
            "refused": .optional(zone.refusal),
            "forced": .optional(zone.forcedPast),
            "changes": .array(plan.allChanges.map { change in
                keyJSON(change.key, extra: [
                    "action": .string(change.action.rawValue),
                    "old": change.old?.json ?? .null,
                    "new": change.new?.json ?? .null,
                    "reason": .optional(change.reason),
                    "route53": .array(change.changes.map { element in
                        .object(["action": .string(element.action.rawValue), "record_set": element.recordSet.json])
                    }),
                ])
            }),
            "notices": .array(plan.notices.map { notice in
                keyJSON(notice.key, extra: [
                    "kind": .string(notice.kind.rawValue),
                    "message": .string(notice.message),
                    "location": .optional(notice.location?.description),
                ])
            }),
        ]
        // Only zones with managed health checks carry the key, so other plans read as before.
        if !zone.healthChecks.isEmpty { object["health_checks"] = .array(zone.healthChecks.map(\.json)) }
        return .object(object)
    }

    static func keyJSON(_ key: RecordKey, extra: [String: JSONValue]) -> JSONValue {
        var object = extra
        object["name"] = .string(key.name.value)
        object["type"] = .string(key.type.rawValue)
        object["set_identifier"] = .optional(key.setIdentifier)
        return .object(object)
    }
}
