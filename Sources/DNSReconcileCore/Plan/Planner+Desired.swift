/// Turning endpoints into the record sets to write, and choosing among endpoints that compete
/// for one record set.
extension Planner {
    /// A desired endpoint with the record set it asks for.
    struct Candidate {
        var endpoint: Endpoint
        var record: RecordSet

        /// What `resolveDuplicates` compares: fewer targets first, then the smaller sorted targets.
        var sortedTargets: [String] {
            if let alias = record.alias { return [alias.dnsName.value] }
            return record.values.map { RecordSet.comparable($0, type: record.type) }.sorted()
        }

        /// For messages: who asked for it.
        var requester: String {
            endpoint.resource ?? endpoint.origin?.description ?? "an endpoint"
        }
    }

    /// The record set `endpoint` asks for in `zone`.
    ///
    /// TTL: the configured one, else the TTL of the record set this owner already has at that key
    /// (so an unset TTL never rewrites it), else 300. An alias has neither TTL nor values; its
    /// target zone is `aws-target-hosted-zone`, else the canonical zone of the target (a load
    /// balancer, CloudFront, an S3 website: `CanonicalHostedZones`), else the zone that holds
    /// it (an alias to a record of the same zone).
    /// A managed health check (`health-check = ...`) fills in the health check id elsewhere, so
    /// without an explicit id the current one is kept.
    func recordSet(for endpoint: Endpoint, existing: OwnedRecordSet?, zone: HostedZone) -> RecordSet {
        let healthCheckID = endpoint.healthCheckID ?? (endpoint.healthCheck != nil ? existing?.record.healthCheckID : nil)
        if let options = endpoint.alias {
            var record = RecordSet(name: endpoint.name, type: endpoint.type, setIdentifier: endpoint.setIdentifier,
                                   routing: endpoint.routing)
            record.healthCheckID = healthCheckID
            let target = DNSName(endpoint.targets.first ?? "")
            record.alias = AliasTarget(hostedZoneID: Planner.aliasTargetZone(of: target, options: options, zone: zone),
                                       dnsName: target,
                                       evaluateTargetHealth: options.evaluateTargetHealth ?? evaluateTargetHealthDefault)
            return record
        }
        var record = Planner.plainRecordSet(for: endpoint, ttl: endpoint.ttl ?? existing?.record.ttl ?? Endpoint.defaultTTL)
        if let healthCheckID { record.healthCheckID = healthCheckID }
        return record
    }

    /// The record set of an endpoint that is not an alias, with `ttl` and without a health check.
    static func plainRecordSet(for endpoint: Endpoint, ttl: Int) -> RecordSet {
        var record = RecordSet(name: endpoint.name, type: endpoint.type, setIdentifier: endpoint.setIdentifier,
                               routing: endpoint.routing)
        record.ttl = ttl
        if endpoint.targets.count == 1 {
            record.values = [endpoint.type == .cname ? DNSName(endpoint.targets[0]).value : endpoint.targets[0]]
            return record
        }
        var seen: Set<String> = []
        for target in endpoint.targets {
            // Route53 rejects a set that lists one value twice; sources may repeat a load
            // balancer address, so keep the first of each.
            let value = endpoint.type == .cname ? DNSName(target).value : target
            if seen.insert(RecordSet.comparable(value, type: endpoint.type)).inserted { record.values.append(value) }
        }
        return record
    }

    /// The hosted zone id an alias to `target` names: `aws-target-hosted-zone`, else the
    /// target's canonical zone, else `zone` itself.
    static func aliasTargetZone(of target: DNSName, options: AliasOptions, zone: HostedZone) -> String {
        options.targetHostedZoneID ?? CanonicalHostedZones.zoneID(for: target) ?? zone.id
    }

    /// Route53's objections to `candidate`, plus the endpoint-level ones Route53 cannot see.
    func violations(of candidate: Candidate, in zone: HostedZone) -> [String] {
        var problems: [String] = []
        let endpoint = candidate.endpoint
        if let options = endpoint.alias {
            if endpoint.targets.count != 1 {
                problems.append("an alias needs exactly one target, found \(endpoint.targets.count)")
            }
            if ![RecordType.a, .aaaa].contains(endpoint.type) {
                problems.append("an alias to an AWS resource or a record of the zone is an A or AAAA record, not \(endpoint.type)")
            }
            if let target = candidate.record.alias?.dnsName {
                problems += Planner.aliasTargetProblems(target, options: options, zone: zone)
            }
        }
        problems += HealthCheckRules.failoverViolations(of: endpoint)
        return problems + Route53Rules.violations(of: candidate.record, in: zone.name)
    }

    /// Why an alias to `target` cannot be written: without `aws-target-hosted-zone` a target
    /// that is neither in the canonical-zone table nor in `zone` has no zone Route53 would take
    /// (it refuses an alias whose target does not lie within the target zone), so the alias is
    /// held back instead of failing its batch on every pass.
    static func aliasTargetProblems(_ target: DNSName, options: AliasOptions, zone: HostedZone) -> [String] {
        if options.targetHostedZoneID == nil, CanonicalHostedZones.zoneID(for: target) == nil, !target.isWithin(zone.name) {
            if CanonicalHostedZones.isAWSName(target) {
                return ["the alias target \(target.fqdn) is an AWS name whose canonical hosted zone is not known "
                        + "(a new region or service?); set aws-target-hosted-zone to the hosted zone id AWS gives for it"]
            }
            return ["the alias target \(target.fqdn) is neither an AWS endpoint with a known hosted zone nor a name "
                    + "in \(zone.name.fqdn); set aws-target-hosted-zone, or use a CNAME"]
        }
        if zone.isPrivate, aliasTargetZone(of: target, options: options, zone: zone) == CanonicalHostedZones.cloudFront {
            return ["Route53 does not take an alias to CloudFront (\(target.fqdn)) in a private hosted zone; use a CNAME"]
        }
        return []
    }

    /// Drops what Route53 could not hold side by side among the desired record sets, and picks
    /// one endpoint per key. The dropped ones come back as `.conflict` notices.
    ///
    /// - a CNAME shares its name with nothing: when other types are desired at a name, its CNAME
    ///   candidates go (across set identifiers, as Route53 judges by name);
    /// - the sets of one name and type share one routing policy: the policy of the smallest key
    ///   stays (a simple set sorts first);
    /// - several endpoints for one key: see `preferred`.
    func resolve(_ candidates: [Candidate], current: [RecordKey: OwnedRecordSet])
        -> (chosen: [RecordKey: Candidate], notices: [PlanNotice]) {
        var notices: [PlanNotice] = []
        // Works on positions: the rules only ever look at the candidates of one name, and most
        // names have one, so a plan of 50,000 endpoints never groups or copies them wholesale.
        let names = candidates.map(\.record.name)
        let byName = NameIndex(names)
        var dropped = [Bool](repeating: false, count: candidates.count)
        var shared = [Bool](repeating: false, count: candidates.count)
        for index in candidates.indices {
            var positions = byName.positions(of: names[index])
            _ = positions.next()
            shared[index] = positions.next() != nil
        }

        for index in candidates.indices where shared[index] && candidates[index].record.type == .cname {
            let others = Set(byName.positions(of: names[index]).map { candidates[$0].record.type }).subtracting([.cname])
            guard !others.isEmpty else { continue }
            dropped[index] = true
            let candidate = candidates[index]
            notices.append(PlanNotice(
                kind: .conflict, key: candidate.record.key,
                message: "\(candidate.record.key) from \(candidate.requester) is dropped: a CNAME cannot share "
                    + "\(candidate.record.name.fqdn) with the \(others.sorted().map(\.rawValue).joined(separator: ", ")) "
                    + "also desired there",
                location: candidate.endpoint.origin))
        }

        var routingDropped: [Int] = []
        for index in candidates.indices where shared[index] && !dropped[index] {
            let type = candidates[index].record.type
            let group = byName.positions(of: names[index]).filter { !dropped[$0] && candidates[$0].record.type == type }
            guard group.count > 1,
                  let first = group.min(by: { candidates[$0].record.key < candidates[$1].record.key }).map({ candidates[$0] }),
                  first.record.routing.kind != candidates[index].record.routing.kind else { continue }
            routingDropped.append(index)
            let candidate = candidates[index]
            notices.append(PlanNotice(
                kind: .conflict, key: candidate.record.key,
                message: "\(candidate.record.key) from \(candidate.requester) is dropped: its "
                    + "\(candidate.record.routing.kind) routing conflicts with the \(first.record.routing.kind) routing "
                    + "of \(first.record.key); Route53 needs one routing policy per name and type",
                location: candidate.endpoint.origin))
        }
        for index in routingDropped { dropped[index] = true }

        var chosen: [RecordKey: Candidate] = [:]
        chosen.reserveCapacity(candidates.count)
        // Two candidates of one key share a name: only shared names need the bookkeeping.
        var contested: [RecordKey: [Int]] = [:]
        var firstOfKey: [RecordKey: Int] = [:]
        for index in candidates.indices where !dropped[index] {
            let key = candidates[index].record.key
            guard shared[index] else {
                chosen[key] = candidates[index]
                continue
            }
            if let first = firstOfKey.updateValue(index, forKey: key) {
                firstOfKey[key] = first
                contested[key, default: [first]].append(index)
            } else {
                chosen[key] = candidates[index]
            }
        }
        for (key, positions) in contested {
            let group = positions.map { candidates[$0] }
            let owned = current[key].flatMap { $0.owner == .this ? $0 : nil }
            let winner = preferred(group, stickyResource: owned?.labels["resource"])
            chosen[key] = winner
            for loser in group.sorted(by: Planner.precedes) where loser.endpoint != winner.endpoint {
                notices.append(PlanNotice(
                    kind: .conflict, key: key,
                    message: "\(key) is also desired by \(loser.requester) with targets "
                        + "[\(loser.sortedTargets.joined(separator: ", "))]; \(winner.requester) keeps it",
                    location: loser.endpoint.origin))
            }
        }
        return (chosen, notices)
    }

    /// The endpoint that gets a contested key, as ExternalDNS's `PerResource` resolver: the one
    /// whose `resource` already owns it (the first to take a name keeps it), else the one with
    /// the fewest targets, then the lexicographically smallest sorted targets.
    func preferred(_ group: [Candidate], stickyResource: String?) -> Candidate {
        let ordered = group.sorted(by: Planner.precedes)
        if let stickyResource, let sticky = ordered.first(where: { $0.endpoint.resource == stickyResource }) {
            return sticky
        }
        return ordered[0]
    }

    /// A total order on candidates so the choice never depends on the order sources listed them.
    static func precedes(_ lhs: Candidate, _ rhs: Candidate) -> Bool {
        let left = lhs.sortedTargets, right = rhs.sortedTargets
        if left.count != right.count { return left.count < right.count }
        if left != right { return left.lexicographicallyPrecedes(right) }
        if lhs.endpoint.resource != rhs.endpoint.resource { return (lhs.endpoint.resource ?? "") < (rhs.endpoint.resource ?? "") }
        return String(describing: lhs.endpoint) < String(describing: rhs.endpoint)
    }

    struct NameAndType: Hashable {
        var name: DNSName
        var type: RecordType
    }
}
