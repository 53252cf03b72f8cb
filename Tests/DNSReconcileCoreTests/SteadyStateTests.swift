@testable import DNSReconcileCore
import DNSReconcileTestSupport
import Testing

/// The seeded generator of the scenarios, so a failing one is rebuilt from its seed alone.
private typealias SteadyRandom = SplitMix64

private extension SplitMix64 {
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<Element>(_ items: [Element]) -> Element { items[below(items.count)] }

    mutating func shuffle<Element>(_ items: inout [Element]) {
        guard items.count > 1 else { return }
        for index in stride(from: items.count - 1, to: 0, by: -1) { items.swapAt(index, below(index + 1)) }
    }

    mutating func ipv4() -> String { "192.0.2.\(below(254) + 1)" }
    mutating func ipv6() -> String { "2001:db8::" + String(below(0xFFF) + 1, radix: 16) }
    mutating func host() -> String { "t\(below(12)).example.net" }

    mutating func targets(_ type: RecordType) -> [String] {
        switch type {
        case .cname: return [host()]
        case .aaaa: return (0...below(3)).map { _ in ipv6() }
        default: return (0...below(3)).map { _ in ipv4() }
        }
    }
}

private let zone = HostedZone(id: "ZSTEADY0000001", name: "example.com")

/// A zone, what one owner wants in it and how it plans, built from a seed.
private struct SteadyScenario {
    var planner: Planner
    var registry: TXTRegistry
    var desired: [Endpoint]
    var held: Set<DNSName>
    /// In Route53's order: by name and type, and (in half the scenarios) the set identifiers of
    /// one name and type in no particular order, as Route53 may list them.
    var listing: [RecordSet]
    var summary: String

    static let affixes: [(prefix: String, suffix: String)] = [
        ("", ""), ("", ""), ("pre-", ""), ("%{record_type}-pre-", ""), ("txt-%{record_type}.", ""), ("", "-own"),
        ("", "-%{record_type}"), ("", ".own"),
    ]

    static func value(owner: String, resource: String? = nil) -> String {
        var labels = ["owner": owner]
        if let resource { labels["resource"] = resource }
        return TXTLabels.serialize(labels, quoted: true)
    }

    static func make(seed: UInt64) -> SteadyScenario {
        var random = SteadyRandom(seed: seed)
        let affix = random.pick(affixes)
        let types: Set<RecordType> = random.chance(15) ? [.a, .cname] : [.a, .aaaa, .cname]
        // No owner id: the registry refuses every companion, and reads "owner=" as its own.
        let ownerID = random.chance(4) ? "" : "me"
        let registry = TXTRegistry(ownerID: ownerID, prefix: affix.prefix, suffix: affix.suffix, managedTypes: types)
        let filterChoice = random.below(10)
        let filter = filterChoice < 3 ? DomainFilter([], exclude: ["excluded.example.com"])
            : filterChoice < 4 ? DomainFilter([".example.com"]) : DomainFilter()
        let policy = random.pick(Policy.allCases)
        let shuffledRuns = random.chance(50)

        // What the zone was built from: planned against an empty zone, so every owned set and
        // its companion are exactly what the planner writes.
        var base: [Endpoint] = []
        let nameCount = 3 + random.below(18)
        var names: [DNSName] = []
        for index in 0..<nameCount {
            let name = DNSName(random.chance(20) ? "n\(index).sub.example.com" : "n\(index).example.com")
            names.append(name)
            let ttl = random.pick([nil, nil, nil, 60, 300, 3600] as [Int?])
            let resource = random.chance(30) ? "service/default/n\(index)" : nil
            func simple(_ type: RecordType, healthCheckID: String? = nil) -> Endpoint {
                Endpoint(name: name, type: type, targets: random.targets(type), ttl: ttl, healthCheckID: healthCheckID,
                         resource: resource)
            }
            switch random.below(100) {
            case 0..<35:
                base.append(simple(.a))
            case 35..<45:
                base += [simple(.a), simple(.aaaa)]
            case 45..<57:
                base.append(simple(.cname))
            case 57..<65:
                base.append(simple(.aaaa))
            case 65..<77:
                let type: RecordType = random.chance(70) ? .a : .aaaa
                var identifiers = ["blue", "green", "red"]
                random.shuffle(&identifiers)
                for identifier in identifiers.prefix(2 + random.below(2)) {
                    base.append(Endpoint(name: name, type: type, targets: random.targets(type), ttl: ttl,
                                         setIdentifier: identifier, routing: .weighted(weight: random.below(256)),
                                         healthCheckID: random.chance(10) ? "hc-\(identifier)" : nil, resource: resource))
                }
            case 77..<85:
                for region in ["us-east-1", "eu-west-1", "ap-south-1"].prefix(2 + random.below(2)) {
                    base.append(Endpoint(name: name, type: .a, targets: random.targets(.a), ttl: ttl,
                                         setIdentifier: "r-" + region, routing: .latency(region: region),
                                         resource: resource))
                }
            case 85..<92:
                let inZone = random.chance(60)
                let target = inZone ? "n\(random.below(nameCount)).example.com" : "d111abc.cloudfront.net"
                let options = AliasOptions(targetHostedZoneID: inZone ? nil : CanonicalHostedZones.cloudFront,
                                           evaluateTargetHealth: random.chance(50) ? nil : random.chance(50))
                base.append(Endpoint(name: name, type: .a, targets: [target], alias: options, resource: resource))
                if random.chance(40) {
                    base.append(Endpoint(name: name, type: .aaaa, targets: [target], alias: options, resource: resource))
                }
            case 92..<95:
                base.append(simple(.a, healthCheckID: "hc-n\(index)"))
            case 95..<98:
                // Without a health check the PRIMARY is refused, and only a zone written by
                // someone else holds it (below).
                base.append(Endpoint(name: name, type: .a, targets: random.targets(.a), ttl: ttl, setIdentifier: "primary",
                                     routing: .failover(.primary),
                                     healthCheckID: random.chance(50) ? "hc-p\(index)" : nil, resource: resource))
                base.append(Endpoint(name: name, type: .a, targets: random.targets(.a), ttl: ttl,
                                     setIdentifier: "secondary", routing: .failover(.secondary), resource: resource))
            default:
                for identifier in ["mv1", "mv2"] {
                    base.append(Endpoint(name: name, type: .a, targets: random.targets(.a), ttl: ttl,
                                         setIdentifier: identifier, routing: .multiValue, resource: resource))
                }
            }
        }
        if random.chance(10) {
            base.append(Endpoint(name: zone.name, type: .a, targets: [random.ipv4()]))
        }
        let builder = Planner(policy: .sync, managedTypes: types, registry: registry, domainFilter: filter)
        let built = builder.plan(desired: base, held: [], inventory: registry.inventory(of: [], in: zone))
        var pairs: [(record: RecordSet, companion: RecordSet?)] = []
        for change in built.changes {
            let sets = change.changes.map(\.recordSet)
            pairs.append((sets.first { $0.key == change.key }!, sets.first { $0.key != change.key }))
        }

        // The zone, then perturbed.
        var entries: [RecordSet] = [
            RecordSet(name: zone.name, type: .ns, ttl: 172_800,
                      values: ["ns-1.awsdns-01.com.", "ns-2.awsdns-02.net."]),
            RecordSet(name: zone.name, type: .soa, ttl: 900,
                      values: ["ns-1.awsdns-01.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"]),
        ]
        var notes: [String] = []
        /// A TXT name other than the companion's that reads back as the same record name and
        /// type: under an affix with `%{record_type}`, the `<type>-` marker inside the affix
        /// with the template left empty.
        func alternateName(_ name: String, _ type: RecordType) -> String? {
            guard registry.mapper.recordTypeInAffix else { return nil }
            let dot = name.firstIndex(of: ".")
            let first = dot.map { String(name[..<$0]) } ?? name, rest = dot.map { String(name[$0...]) } ?? ""
            let marker = type.rawValue.lowercased() + "-"
            let prefix = affix.prefix.split(separator: "%{record_type}", omittingEmptySubsequences: false).joined()
            let suffix = affix.suffix.split(separator: "%{record_type}", omittingEmptySubsequences: false).joined()
            return prefix + marker + first + suffix + rest
        }
        for (record, companion) in pairs {
            var record: RecordSet? = record
            var companion = companion
            var extra: RecordSet?
            let mapper = registry.mapper
            let owner = record!.name.value
            func renamed(_ set: RecordSet?, to name: String) -> RecordSet? {
                guard var set else { return nil }
                set.name = DNSName(name)
                return set
            }
            switch random.below(100) {
            case 0..<6:
                if record!.alias != nil {
                    record!.alias!.evaluateTargetHealth.toggle()
                } else {
                    record!.values[0] = record!.type == .cname ? random.host()
                        : record!.type == .aaaa ? random.ipv6() : random.ipv4()
                }
                notes.append("value")
            case 6..<18:
                if record!.alias == nil { record!.ttl = random.pick([60, 120, 86_400, 60, 120, -1, 2_147_483_648]) }
                notes.append("ttl")
            case 18..<22:
                record!.values.reverse()
                notes.append("order")
            case 22..<26:
                companion = nil
                notes.append("no companion")
            case 26..<29:
                companion = renamed(companion, to: mapper.legacyTXTName(for: owner))
                notes.append("legacy companion")
            case 29..<31:
                companion = renamed(companion, to: mapper.txtName(for: owner, type: .cname))
                notes.append("cname- companion")
            case 31..<34:
                companion?.values = [value(owner: "them")]
                notes.append("other owner")
            case 34..<37:
                extra = renamed(companion, to: mapper.legacyTXTName(for: owner))
                notes.append("legacy beside typed")
            case 37..<40:
                record!.healthCheckID = "hc-listed"
                companion?.healthCheckID = "hc-listed"
                notes.append("listed health check")
            case 40..<42:
                companion?.ttl = 60
                notes.append("companion TTL")
            case 42..<44:
                record = nil
                notes.append("companion without record")
            case 44..<46:
                companion?.values = ["\"v=spf1 -all\""]
                notes.append("non-registry TXT at companion name")
            case 46..<48:
                companion?.values = [value(owner: "me", resource: "service/other/x")]
                notes.append("resource changed")
            case 48..<50:
                extra = renamed(companion, to: mapper.txtName(for: owner, type: .cname))
                notes.append("cname- beside typed")
            case 50..<53:
                if let other = alternateName(owner, record!.type) { companion = renamed(companion, to: other) }
                notes.append("companion under another name for the same key")
            case 53..<55:
                if let other = alternateName(owner, record!.type) { extra = renamed(companion, to: other) }
                notes.append("another name for the same key beside typed")
            default:
                break
            }
            entries += [record, companion, extra].compactMap { $0 }
        }

        // Sets nobody here asked for.
        let emptyInventory = registry.inventory(of: [], in: zone)
        func companion(of record: RecordSet, owner: String) -> RecordSet? {
            guard var made = try? registry.companion(for: record, resource: nil, existing: nil, inventory: emptyInventory)
            else { return nil }
            made.values = [value(owner: owner)]
            return made
        }
        /// What the planner would write for `endpoint`, listed even where Route53 (or the planner)
        /// would refuse it: the claim holds for any listing.
        func exact(_ endpoint: Endpoint) -> [RecordSet] {
            let record = builder.recordSet(for: endpoint, existing: nil, zone: zone)
            let made = try? registry.companion(for: record, resource: endpoint.resource, existing: nil,
                                               inventory: emptyInventory)
            return [record] + [made].compactMap { $0 }
        }
        if random.chance(50), let apex = base.first(where: { $0.name == zone.name }) {
            // Its companion where the registry refuses to write it (outside the zone, for most
            // affixes): only a listing Route53 would not give holds it.
            let record = builder.recordSet(for: apex, existing: nil, zone: zone)
            entries += [record, RecordSet(name: registry.companionName(for: record), type: .txt, ttl: 300,
                                          values: [value(owner: ownerID)])]
            notes.append("apex companion outside the zone")
        }
        if ownerID.isEmpty {
            // What an owner without id would have listed: its records with "owner=" companions.
            for endpoint in base where random.chance(70) {
                let record = builder.recordSet(for: endpoint, existing: nil, zone: zone)
                entries += [record, RecordSet(name: registry.companionName(for: record), type: .txt,
                                              setIdentifier: record.setIdentifier, routing: record.routing, ttl: 300,
                                              values: [value(owner: "", resource: endpoint.resource)],
                                              healthCheckID: record.healthCheckID)]
            }
            notes.append("no owner id")
        }
        for endpoint in base where endpoint.routing == .failover(.primary) && endpoint.healthCheckID == nil {
            if random.chance(60) { entries += exact(endpoint) }
        }
        for index in 0..<random.below(5) {
            let name = random.chance(60) ? random.pick(names) : DNSName("f\(index).example.com")
            let type = random.pick([RecordType.a, .aaaa, .mx, .txt, .cname, .a])
            let values = type == .mx ? ["10 mail.example.net"] : type == .txt ? ["\"site-verification=x\""]
                : random.targets(type)
            // Now and then with a health check: a check nothing else references stays in use.
            let foreign = RecordSet(name: name, type: type, ttl: 300, values: values,
                                    healthCheckID: random.chance(15) ? "hc-f\(index)" : nil)
            entries.append(foreign)
            if random.chance(40), let made = companion(of: foreign, owner: random.pick(["them", "me"])) {
                entries.append(made)
            }
            notes.append("foreign \(type)")
        }
        if random.chance(25) {
            // Another owner's weighted group, at a name of ours or a new one.
            let name = random.chance(50) ? random.pick(names) : DNSName("shared.example.com")
            var identifiers = ["x1", "x2", "x3"]
            random.shuffle(&identifiers)
            for identifier in identifiers.prefix(2 + random.below(2)) {
                let set = RecordSet(name: name, type: .a, setIdentifier: identifier,
                                    routing: .weighted(weight: random.below(256)), ttl: 300, values: [random.ipv4()])
                entries.append(set)
                if let made = companion(of: set, owner: "them") { entries.append(made) }
            }
            notes.append("other owner's weighted group")
        }
        for index in 0..<random.below(3) {
            let ghost = RecordSet(name: random.chance(50) ? DNSName("ghost\(index).example.com") : random.pick(names),
                                  type: random.pick([RecordType.a, .aaaa, .cname]), ttl: 300, values: ["192.0.2.1"],
                                  healthCheckID: random.chance(25) ? "hc-g\(index)" : nil)
            if let made = companion(of: ghost, owner: random.pick(["them", "me"])) { entries.append(made) }
            notes.append("registry TXT without record")
        }

        // What is wanted now.
        var desired: [Endpoint] = []
        for var endpoint in base {
            switch random.below(100) {
            case 0..<7:
                if endpoint.alias == nil { endpoint.targets = random.targets(endpoint.type) }
                desired.append(endpoint)
            case 7..<14:
                notes.append("removed")
            case 14..<18:
                endpoint.ttl = endpoint.ttl == nil ? 300 : nil
                desired.append(endpoint)
            case 18..<21:
                endpoint.resource = "service/moved/x"
                desired.append(endpoint)
            case 21..<24:
                var twin = endpoint
                if endpoint.alias == nil { twin.targets = random.targets(endpoint.type) }
                twin.resource = "service/twin/\(random.below(3))"
                desired += random.chance(50) ? [endpoint, twin] : [twin, endpoint]
                notes.append("same key twice")
            case 24..<26:
                endpoint.ttl = -5
                desired.append(endpoint)
                if random.chance(50) { entries += exact(endpoint) }
                notes.append("invalid TTL")
            default:
                desired.append(endpoint)
            }
        }
        for index in 0..<random.below(4) {
            let name = DNSName(random.chance(30) ? "new\(index).sub.example.com" : "new\(index).example.com")
            let type = random.pick([RecordType.a, .aaaa, .cname, .a])
            let endpoint = Endpoint(name: name, type: type, targets: random.targets(type), ttl: random.pick([nil, 60]))
            desired.append(endpoint)
            if random.chance(25) {
                let record = builder.recordSet(for: endpoint, existing: nil, zone: zone)
                entries.append(RecordSet(name: registry.companionName(for: record), type: .txt, ttl: 300,
                                         values: ["\"v=spf1 -all\""]))
                notes.append("non-registry TXT at a new companion name")
            }
        }
        if random.chance(25) {
            // A name turns into a CNAME: every set there must go first.
            let name = random.chance(70) ? random.pick(names) : "shared.example.com"
            desired.removeAll { $0.name == name }
            desired.append(Endpoint(name: name, type: .cname, targets: [random.host()], ttl: random.pick([nil, 60])))
            notes.append("turned into a CNAME")
        }
        if random.chance(15), let weighted = desired.first(where: { $0.routing.kind == "weighted" }) {
            // The group switches its routing policy.
            let name = weighted.name, type = weighted.type
            desired = desired.map { endpoint in
                guard endpoint.name == name, endpoint.type == type, let identifier = endpoint.setIdentifier else {
                    return endpoint
                }
                var switched = endpoint
                switched.routing = .latency(region: identifier == "blue" ? "us-east-1" : "eu-west-1")
                return switched
            }
            notes.append("routing switch")
        }
        if random.chance(20), let name = desired.first(where: { $0.type == .a })?.name {
            let cname = Endpoint(name: name, type: .cname, targets: [random.host()])
            desired.append(cname)
            if random.chance(50) { entries += exact(cname) }
            notes.append("CNAME beside A")
        }
        if random.chance(20), let weighted = desired.first(where: { $0.routing.kind == "weighted" }) {
            let mixed = random.chance(50)
                ? Endpoint(name: weighted.name, type: weighted.type, targets: random.targets(weighted.type))
                : Endpoint(name: weighted.name, type: weighted.type, targets: random.targets(weighted.type),
                           setIdentifier: "lat", routing: .latency(region: "us-west-2"))
            desired.append(mixed)
            if random.chance(50) { entries += exact(mixed) }
            notes.append("mixed routing")
        }
        if random.chance(10) {
            desired.append(Endpoint(name: random.pick(names), type: .a, targets: [random.pick(names).value],
                                    alias: AliasOptions()))
            notes.append("new alias")
        }
        if random.chance(15) {
            desired.append(Endpoint(name: DNSName("x\(random.below(3)).excluded.example.com"), type: .a, targets: [random.ipv4()]))
            notes.append("excluded name")
        }
        if random.chance(15) {
            desired.append(Endpoint(name: random.pick(names), type: random.pick([RecordType.mx, .txt]),
                                    targets: ["10 mail.example.net"]))
            notes.append("unmanaged type")
        }
        if random.chance(15) {
            let bad = Endpoint(name: random.chance(50) ? random.pick(names) : "bad.example.com", type: .a,
                               targets: ["300.1.1.1"])
            desired.append(bad)
            if random.chance(50) { entries += exact(bad) }
            notes.append("bad value")
        }
        if random.chance(10) {
            let name = random.pick(names)
            desired.append(Endpoint(name: name, type: .a, targets: [random.ipv4()], setIdentifier: "w",
                                    routing: .weighted(weight: 300)))
            notes.append("weight out of range")
        }
        if random.chance(10), let first = desired.first(where: { $0.alias == nil && $0.type != .cname }) {
            // A name at the companion name of another record set.
            let record = builder.recordSet(for: first, existing: nil, zone: zone)
            desired.append(Endpoint(name: registry.companionName(for: record), type: random.pick([RecordType.a, .cname]),
                                    targets: [random.host()]))
            notes.append("endpoint at a companion name")
        }
        if random.chance(30) { random.shuffle(&desired) }

        var held: Set<DNSName> = []
        if random.chance(15) {
            for _ in 0...random.below(2) { held.insert(random.pick(names)) }
            notes.append("held")
        }
        var planner = Planner(policy: policy, managedTypes: types, registry: registry,
                              evaluateTargetHealthDefault: random.chance(80), domainFilter: filter)
        if random.chance(10), let weighted = base.first(where: { $0.routing.kind == "weighted" }) {
            planner.yielding = [RecordKey(name: weighted.name, type: weighted.type)]
            notes.append("yielding")
        }

        // One set per key, as Route53 holds them (the one added last), in Route53's order.
        var seen: Set<RecordKey> = []
        var unique = Array(entries.reversed().filter { seen.insert($0.key).inserted }.reversed())
        unique = RecordKey.listingOrder(of: unique.map(\.key)).map { unique[$0] }
        if shuffledRuns {
            var start = 0
            while start < unique.count {
                var end = start + 1
                while end < unique.count, unique[end].name == unique[start].name, unique[end].type == unique[start].type {
                    end += 1
                }
                random.shuffle(&unique[start..<end])
                start = end
            }
        }
        let summary = "registry prefix '\(affix.prefix)' suffix '\(affix.suffix)', policy \(policy.rawValue), "
            + "types \(types.map(\.rawValue).sorted()), \(desired.count) endpoints, \(unique.count) listed sets"
            + (shuffledRuns ? ", set identifiers of a name and type unsorted" : "") + "; " + notes.joined(separator: ", ")
        return SteadyScenario(planner: planner, registry: registry, desired: desired, held: held, listing: unique,
                              summary: summary)
    }
}

private extension SteadyRandom {
    mutating func shuffle<Element>(_ items: inout ArraySlice<Element>) {
        var copy = Array(items)
        shuffle(&copy)
        items.replaceSubrange(items.indices, with: copy)
    }
}

/// One line per thing a plan says, so a difference reads as a list.
private func lines(_ plan: ZonePlan) -> [String] {
    plan.allChanges.map { change in
        "\(change.action.rawValue) \(change.key) [" + change.changes.map { "\($0.action.rawValue) \(describe($0.recordSet))" }
            .joined(separator: "; ") + "]" + (change.reason.map { " (\($0))" } ?? "")
    } + plan.notices.map { "\($0.kind.rawValue) \($0.key): \($0.message)" }
}

private func describe(_ set: RecordSet) -> String {
    var text = "\(set.key) \(set.routing)"
    if let alias = set.alias { text += " alias \(alias.dnsName.value) \(alias.hostedZoneID) \(alias.evaluateTargetHealth)" }
    if let ttl = set.ttl { text += " ttl \(ttl)" }
    if let id = set.healthCheckID { text += " hc \(id)" }
    return text + " " + set.values.joined(separator: ",")
}

private func difference(_ lhs: [String], _ rhs: [String]) -> String {
    let onlyLeft = lhs.filter { !rhs.contains($0) }, onlyRight = rhs.filter { !lhs.contains($0) }
    if onlyLeft.isEmpty && onlyRight.isEmpty { return "same lines, other order:\n  " + lhs.joined(separator: "\n  ") }
    return "only in the reduced plan:\n  " + onlyLeft.joined(separator: "\n  ")
        + "\nonly in the full plan:\n  " + onlyRight.joined(separator: "\n  ")
}

/// Runs `SteadyState` over `listing` in pages of `pageSize`.
private func steadyOutcome(_ planner: Planner, desired: [Endpoint], held: Set<DNSName>, listing: [RecordSet],
                           pageSize: Int) -> SteadyState.Outcome? {
    guard var steady = SteadyState(planner: planner, zone: zone, desired: desired, held: held) else { return nil }
    var start = 0
    while start < listing.count {
        steady.take(Array(listing[start..<min(start + pageSize, listing.count)]))
        start += pageSize
    }
    return steady.finish()
}

/// How many record sets of the inventory each owner has, by metric label.
/// The plan of what `SteadyState` handed over, with the fresh creates and updates it made.
private func handedOverPlan(of outcome: SteadyState.Outcome, _ planner: Planner, held: Set<DNSName>,
                            inventory: ZoneInventory) -> ZonePlan {
    var plan = planner.plan(desired: outcome.desired, held: held, inventory: inventory)
    plan.fresh = outcome.fresh
    plan.merge(outcome.updates)
    return plan
}

private func ownerLabels(_ inventory: ZoneInventory) -> [String: Int] {
    var labels: [String: Int] = [:]
    for owned in inventory.records { labels[owned.owner.metricLabel, default: 0] += 1 }
    return labels
}

private func ownedByThis(_ inventory: ZoneInventory) -> Int {
    inventory.records.count { $0.owner == .this }
}

@Suite struct SteadyStateTests {
    static let batches = Array(0..<8)
    static let scenariosPerBatch = 50

    /// The safety claim: planning what `SteadyState` hands over gives the plan of the whole
    /// listing, whatever the zone, the wishes, the registry naming, the policy and the pages.
    @Test(arguments: batches)
    func reducedInputsPlanExactlyAsTheWholeListing(batch: Int) {
        var settledTotal = 0, scenariosWithChanges = 0, scenariosPartlySettled = 0, scenariosWithFresh = 0
        var scenariosWithUpdates = 0, scenariosWithForeignLeftOut = 0
        for offset in 0..<Self.scenariosPerBatch {
            let seed = UInt64(batch * Self.scenariosPerBatch + offset) &* 0x2545_F491_4F6C_DD1D &+ 17
            let scenario = SteadyScenario.make(seed: seed)
            let context = "seed \(seed) (\(scenario.summary))"
            let full = scenario.registry.inventory(of: scenario.listing, in: zone)
            let fullPlan = scenario.planner.plan(desired: scenario.desired, held: scenario.held, inventory: full)

            var outcomes: [(Int, SteadyState.Outcome)] = []
            for pageSize in [1, 7, 300, scenario.listing.count] {
                guard let outcome = steadyOutcome(scenario.planner, desired: scenario.desired, held: scenario.held,
                                                  listing: scenario.listing, pageSize: pageSize) else {
                    // Without an owner id the registry writes no companion, so none could be rebuilt.
                    #expect(scenario.registry.ownerID.isEmpty, "\(context): SteadyState refused a plain TXT registry")
                    break
                }
                outcomes.append((pageSize, outcome))
            }
            guard let outcome = outcomes.first?.1 else { continue }
            for (pageSize, other) in outcomes.dropFirst() {
                #expect(other.desired == outcome.desired && other.recordSets == outcome.recordSets
                            && other.settledRecords == outcome.settledRecords
                            && other.fresh?.endpoints == outcome.fresh?.endpoints && other.updates == outcome.updates,
                        "\(context): pages of \(pageSize) give another outcome than pages of 1")
            }

            let reduced = scenario.registry.inventory(of: outcome.recordSets, in: zone)
            let reducedPlan = handedOverPlan(of: outcome, scenario.planner, held: scenario.held, inventory: reduced)
            #expect(reducedPlan.allChanges == fullPlan.changes,
                    "\(context): changes differ\n\(difference(lines(reducedPlan), lines(fullPlan)))")
            #expect(reducedPlan.notices == fullPlan.notices,
                    "\(context): notices differ\n\(difference(lines(reducedPlan), lines(fullPlan)))")
            #expect(reducedPlan.count(.create) == fullPlan.count(.create), "\(context): creates counted differently")
            // The fresh creates go out in the batches the whole plan would take, to the byte.
            let batcher = Batcher(maxRecords: 12, maxValueCharacters: 400, maxChanges: 9)
            #expect((try? batcher.batches(for: reducedPlan)) == (try? batcher.batches(for: fullPlan)),
                    "\(context): the batches differ")
            #expect(outcome.settledRecords + outcome.updates.count + ownedByThis(reduced) == ownedByThis(full),
                    "\(context): \(outcome.settledRecords) settled + \(outcome.updates.count) updated + \(ownedByThis(reduced)) owned in the reduced inventory, \(ownedByThis(full)) owned in the whole one")
            // The registry metrics count every listed set by owner, left out or not.
            var counted = ownerLabels(reduced)
            counted[Owner.this.metricLabel, default: 0] += outcome.settledRecords + outcome.updates.count
            for (label, count) in outcome.foreignRecords { counted[label, default: 0] += count }
            #expect(counted.filter { $0.value > 0 } == ownerLabels(full),
                    "\(context): sets counted by owner \(counted), the whole listing's \(ownerLabels(full))")
            // Whatever was rebuilt is the listed set itself, and the endpoints keep their order.
            let listed = Set(scenario.listing)
            #expect(outcome.recordSets.allSatisfy(listed.contains), "\(context): a handed-over set was never listed")
            #expect(outcome.updates.allSatisfy { $0.old.map(listed.contains) == true }, "\(context): an updated set was never listed")
            var remaining = outcome.desired[...]
            for endpoint in scenario.desired where remaining.first == endpoint { remaining = remaining.dropFirst() }
            #expect(remaining.isEmpty, "\(context): the endpoints handed over are not in the order given")

            settledTotal += outcome.settledRecords
            if !fullPlan.changes.isEmpty { scenariosWithChanges += 1 }
            if outcome.settledRecords > 0 && !outcome.desired.isEmpty { scenariosPartlySettled += 1 }
            if let fresh = outcome.fresh, fresh.count > 0, !outcome.desired.isEmpty { scenariosWithFresh += 1 }
            if !outcome.updates.isEmpty && !outcome.desired.isEmpty { scenariosWithUpdates += 1 }
            if !outcome.foreignRecords.isEmpty { scenariosWithForeignLeftOut += 1 }
        }
        // The property says something only if scenarios settle names and change others.
        #expect(settledTotal > Self.scenariosPerBatch)
        #expect(scenariosWithChanges > Self.scenariosPerBatch / 4)
        #expect(scenariosPartlySettled > Self.scenariosPerBatch / 4)
        #expect(scenariosWithFresh > Self.scenariosPerBatch / 4, "\(scenariosWithFresh) scenarios with fresh names")
        #expect(scenariosWithUpdates > Self.scenariosPerBatch / 4, "\(scenariosWithUpdates) scenarios with updates made aside")
        #expect(scenariosWithForeignLeftOut > Self.scenariosPerBatch / 4,
                "\(scenariosWithForeignLeftOut) scenarios with other owners' sets left out")
    }

    /// `Planner.narrowed`: planning the narrowed inventory gives the plan of the whole one, every
    /// name a change writes keeps every set listed there (a batch is judged on them), and every
    /// health check reference stays. What goes is another owner's, at a name no endpoint uses.
    @Test(arguments: batches)
    func narrowedInventoriesPlanExactlyAsTheWholeOne(batch: Int) {
        var scenariosNarrowed = 0, setsLeftOut = 0
        for offset in 0..<Self.scenariosPerBatch {
            let seed = UInt64(batch * Self.scenariosPerBatch + offset) &* 0x9E37_79B9_7F4A_7C15 &+ 29
            let scenario = SteadyScenario.make(seed: seed)
            let context = "seed \(seed) (\(scenario.summary))"
            let planner = scenario.planner, held = scenario.held
            let full = scenario.registry.inventory(of: scenario.listing, in: zone)
            let fullPlan = planner.plan(desired: scenario.desired, held: held, inventory: full)

            let inPlay = planner.namesInPlay(desired: scenario.desired, held: held, records: full.records)
            let owners = scenario.registry.owners(of: scenario.listing, in: zone)
            #expect(owners.records == full.records && owners.registryTXTs == full.registryTXTs)
            let narrowed = ZoneInventory(zone: zone, records: owners.records, registryTXTs: owners.registryTXTs,
                                         keeping: inPlay)
            let listed = scenario.listing.filter(inPlay.covers)
            let plan = planner.plan(desired: scenario.desired, held: held, inventory: narrowed)
            #expect(plan.changes == fullPlan.changes, "\(context): changes differ\n\(difference(lines(plan), lines(fullPlan)))")
            #expect(plan.notices == fullPlan.notices, "\(context): notices differ\n\(difference(lines(plan), lines(fullPlan)))")

            func sets(at name: DNSName, in inventory: ZoneInventory) -> Set<RecordSet> {
                Set(inventory.records(named: name).map(\.record) + inventory.registryTXTs(named: name))
            }
            for name in Set(fullPlan.changes.flatMap(\.changes).map(\.recordSet.name)) {
                #expect(sets(at: name, in: narrowed) == sets(at: name, in: full),
                        "\(context): the sets at \(name.fqdn), where the plan writes, are not all kept")
                #expect(listed.filter { $0.name == name } == scenario.listing.filter { $0.name == name },
                        "\(context): the sets listed at \(name.fqdn), where the plan writes, are not all kept")
            }
            func healthChecks(_ inventory: ZoneInventory) -> Set<String> {
                Set(inventory.records.compactMap(\.record.healthCheckID) + inventory.registryTXTs.compactMap(\.healthCheckID))
            }
            #expect(healthChecks(narrowed) == healthChecks(full), "\(context): a health check reference was left out")

            // What is kept is kept as the registry found it, in order; what goes is nobody's here.
            let wanted = Set(scenario.desired.map(\.name)).union(held)
            var remaining = narrowed.records[...]
            for owned in full.records {
                if remaining.first == owned {
                    remaining = remaining.dropFirst()
                    continue
                }
                #expect(owned.owner != .this && !wanted.contains(owned.record.name),
                        "\(context): \(owned.record.key) of \(owned.owner) was left out")
            }
            #expect(remaining.isEmpty, "\(context): the kept sets are not the whole inventory's, in its order")
            #expect(Set(narrowed.registryTXTs).isSubset(of: full.registryTXTs))
            let leftOut = full.records.count - narrowed.records.count + full.registryTXTs.count - narrowed.registryTXTs.count
            if leftOut > 0 { scenariosNarrowed += 1 }
            setsLeftOut += leftOut

            // The same after `SteadyState`: what it hands over, narrowed, still plans as the whole zone.
            guard let outcome = steadyOutcome(planner, desired: scenario.desired, held: held, listing: scenario.listing,
                                              pageSize: 7) else { continue }
            let handedOver = scenario.registry.inventory(of: outcome.recordSets, in: zone)
            let reduced = ZoneInventory(zone: zone, records: handedOver.records, registryTXTs: handedOver.registryTXTs,
                                        keeping: planner.namesInPlay(desired: outcome.desired, held: held,
                                                                     records: handedOver.records))
            let reducedPlan = handedOverPlan(of: outcome, planner, held: held, inventory: reduced)
            #expect(reducedPlan.allChanges == fullPlan.changes,
                    "\(context): changes differ after SteadyState\n\(difference(lines(reducedPlan), lines(fullPlan)))")
            #expect(reducedPlan.notices == fullPlan.notices,
                    "\(context): notices differ after SteadyState\n\(difference(lines(reducedPlan), lines(fullPlan)))")
        }
        // The property says something only if scenarios leave sets out.
        #expect(scenariosNarrowed > Self.scenariosPerBatch / 4, "\(scenariosNarrowed) scenarios narrowed, \(setsLeftOut) sets left out")
    }

    @Test func registriesWhoseCompanionsCannotBeRebuiltPlanTheWholeListing() {
        let types: Set<RecordType> = [.a, .aaaa, .cname]
        func steady(_ registry: Registry) -> SteadyState? {
            SteadyState(planner: Planner(policy: .sync, registry: registry), zone: zone, desired: [], held: [])
        }
        #expect(steady(TXTRegistry(ownerID: "me", managedTypes: types)) != nil)
        #expect(steady(TXTRegistry(ownerID: "me", prefix: "txt-%{record_type}.", managedTypes: types)) != nil)
        #expect(steady(TXTRegistry(ownerID: "me", encryptionKey: Array(repeating: 7, count: 32),
                                   managedTypes: types)) == nil)
        #expect(steady(TXTRegistry(ownerID: "me", encryptionKey: Array(repeating: 7, count: 16),
                                   managedTypes: types)) == nil)
        #expect(steady(TXTRegistry(ownerID: "me", wildcardReplacement: "any", managedTypes: types)) == nil)
        #expect(steady(TXTRegistry(ownerID: "", managedTypes: types)) == nil)
        #expect(steady(NoopRegistry()) == nil)
    }
}

/// Hand-written zones: what settles, and what comes back when something does not.
@Suite struct SteadyStateCaseTests {
    static let registry = TXTRegistry(ownerID: "me", managedTypes: [.a, .aaaa, .cname])
    static var planner: Planner { Planner(policy: .sync, registry: registry) }
    static let ns = RecordSet(name: "example.com", type: .ns, ttl: 172_800, values: ["ns-1.awsdns-01.com."])
    static let soa = RecordSet(name: "example.com", type: .soa, ttl: 900,
                               values: ["ns-1.awsdns-01.com. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400"])
    static let mine = "\"heritage=external-dns,external-dns/owner=me\""
    static let theirs = "\"heritage=external-dns,external-dns/owner=them\""

    static func a(_ name: String, _ value: String, ttl: Int = 300, set: String? = nil,
                  routing: RoutingPolicy = .simple) -> RecordSet {
        RecordSet(name: DNSName(name), type: .a, setIdentifier: set, routing: routing, ttl: ttl, values: [value])
    }

    static func txt(_ name: String, _ value: String = mine, set: String? = nil,
                    routing: RoutingPolicy = .simple) -> RecordSet {
        RecordSet(name: DNSName(name), type: .txt, setIdentifier: set, routing: routing, ttl: 300, values: [value])
    }

    /// Twelve `wwwN` A records with their companions, NS/SOA and two sets nobody asked for.
    static func zoneOfTwelve() -> (desired: [Endpoint], listing: [RecordSet], foreign: [RecordSet]) {
        var desired: [Endpoint] = []
        var listing = [ns, soa]
        for index in 0..<12 {
            desired.append(Endpoint(name: DNSName("www\(index).example.com"), type: .a, targets: ["192.0.2.\(index + 1)"]))
            listing += [a("www\(index).example.com", "192.0.2.\(index + 1)"), txt("a-www\(index).example.com")]
        }
        let foreign = [a("legacy.example.com", "198.51.100.7"),
                       RecordSet(name: "mail.example.com", type: .mx, ttl: 300, values: ["10 mx.example.net"])]
        return (desired, inRoute53Order(listing + foreign), foreign)
    }

    static func inRoute53Order(_ sets: [RecordSet]) -> [RecordSet] {
        RecordKey.listingOrder(of: sets.map(\.key)).map { sets[$0] }
    }

    static func outcome(_ desired: [Endpoint], _ listing: [RecordSet], held: Set<DNSName> = [],
                        planner: Planner = planner) -> SteadyState.Outcome {
        steadyOutcome(planner, desired: desired, held: held, listing: listing, pageSize: 5)!
    }

    /// The plans of the reduced and of the whole listing, for tests that check both.
    static func plans(_ desired: [Endpoint], _ listing: [RecordSet], _ outcome: SteadyState.Outcome,
                      planner: Planner = planner) -> (reduced: ZonePlan, full: ZonePlan) {
        let reduced = handedOverPlan(of: outcome, planner, held: [], inventory: registry.inventory(of: outcome.recordSets, in: zone))
        // The fresh creates made, for comparing with a plan of everything.
        return (ZonePlan(zone: reduced.zone, changes: reduced.allChanges, notices: reduced.notices),
                planner.plan(desired: desired, held: [], inventory: registry.inventory(of: listing, in: zone)))
    }

    @Test func anUnchangedZoneSettlesEveryEndpoint() {
        let (desired, listing, foreign) = Self.zoneOfTwelve()
        let outcome = Self.outcome(desired, listing)
        #expect(outcome.settledRecords == 12)
        #expect(outcome.desired.isEmpty)
        // NS, SOA and the two sets nobody asked for are at names no endpoint uses: counted, not kept.
        #expect(outcome.recordSets.isEmpty)
        #expect(outcome.foreignRecords == ["none": 2 + foreign.count])
        let (reduced, full) = Self.plans(desired, listing, outcome)
        #expect(reduced == full && full.changes.isEmpty && full.notices.isEmpty)
    }

    /// A changed value (or TTL) of a record of this owner is the plan's update, made aside: the
    /// planner sees nothing of the zone. Under create-only, which refuses updates, the name is
    /// planned as before, its sets handed over as listed.
    @Test(arguments: ["desired", "listed"], [Policy.sync, .upsertOnly, .createOnly])
    func oneChangedValueIsUpdatedAsideUnlessThePolicyRefuses(side: String, policy: Policy) {
        var (desired, listing, _) = Self.zoneOfTwelve()
        if side == "desired" {
            desired[3].targets = ["192.0.2.99"]
        } else {
            listing[listing.firstIndex { $0.name == "www3.example.com" }!].values = ["192.0.2.99"]
        }
        let planner = Planner(policy: policy, registry: Self.registry)
        let outcome = Self.outcome(desired, listing, planner: planner)
        let back = outcome.recordSets.filter { $0.name == "www3.example.com" || $0.name == "a-www3.example.com" }
        #expect(outcome.settledRecords == 11)
        if policy == .createOnly {
            #expect(outcome.desired == [desired[3]])
            #expect(outcome.updates.isEmpty)
            #expect(back == listing.filter { $0.name == "www3.example.com" || $0.name == "a-www3.example.com" })
            #expect(back.count == 2)
        } else {
            #expect(outcome.desired.isEmpty)
            #expect(back.isEmpty)
            #expect(outcome.updates.map(\.old) == [listing.first { $0.name == "www3.example.com" }])
        }
        #expect(outcome.recordSets.allSatisfy { !$0.name.value.hasPrefix("www") || $0.name == "www3.example.com" })
        let (reduced, full) = Self.plans(desired, listing, outcome, planner: planner)
        #expect(reduced == full)
        let www3 = RecordKey(name: "www3.example.com", type: .a)
        if policy == .createOnly {
            #expect(full.changes.isEmpty && full.notices.map(\.key) == [www3])
        } else {
            #expect(full.changes.map(\.key) == [www3] && full.changes.map(\.action) == [.update])
            #expect(outcome.updates == full.changes)
        }
    }

    /// Only a change of values or TTL is made aside. A listed record under another routing
    /// policy, with a health check, or an alias (its companion exact all the same) is planned:
    /// the planner replaces it, or takes its health check off and may delete that check.
    @Test(arguments: ["routing", "health check", "alias"])
    func aRecordThatChangedInAnyOtherWayIsPlanned(change: String) {
        let endpoint = Endpoint(name: "api.example.com", type: .a, targets: ["192.0.2.2"], setIdentifier: "blue",
                                routing: .weighted(weight: 1))
        var record = Self.a("api.example.com", "192.0.2.1", set: "blue", routing: .weighted(weight: 1))
        switch change {
        case "routing": record.routing = .latency(region: "eu-west-1")
        case "health check": record.healthCheckID = "hc-old"
        default:
            record.ttl = nil
            record.values = []
            record.alias = AliasTarget(hostedZoneID: "Z2FDTNDATAQYW2", dnsName: "d111abc.cloudfront.net",
                                       evaluateTargetHealth: false)
        }
        let companion = Self.txt("a-api.example.com", set: "blue", routing: .weighted(weight: 1))
        let listing = Self.inRoute53Order([Self.ns, Self.soa, record, companion])
        let outcome = Self.outcome([endpoint], listing)
        #expect(outcome.updates.isEmpty)
        #expect(outcome.desired == [endpoint])
        #expect(outcome.recordSets == listing.filter { $0.name != "example.com" })
        let (reduced, full) = Self.plans([endpoint], listing, outcome)
        #expect(reduced == full)
        #expect(full.changes.map(\.action) == [.update])
        // Made aside, the same endpoint's update would have been a plain UPSERT.
        #expect(full.changes.first?.changes.map(\.action) == (change == "health check" ? [.upsert] : [.delete, .delete, .create, .create]))
    }

    /// Sets at names no endpoint uses are counted by owner and left out, except where an
    /// ownership record of this owner stands for the name or is at it: there this owner may
    /// have a set to delete, with its companion, whatever else the name holds.
    @Test func setsAtNamesNoEndpointUsesAreCountedAndLeftOutUnlessThisOwnerMayHaveOne() {
        let desired = [Endpoint(name: "a-theirs.example.com", type: .a, targets: ["192.0.2.1"])]
        let gone = Self.a("gone.example.com", "192.0.2.9")
        let besideCompanion = Self.a("a-gone.example.com", "192.0.2.10")
        let listing = Self.inRoute53Order([
            Self.ns, Self.soa,
            // Another owner's set; its ownership record is at a name an endpoint uses.
            Self.a("theirs.example.com", "198.51.100.1"), Self.txt("a-theirs.example.com", Self.theirs),
            // Nobody's.
            Self.a("nobody.example.com", "198.51.100.2"),
            // This owner's, no longer wanted, with a set of no owner beside its companion.
            gone, Self.txt("a-gone.example.com"), besideCompanion,
        ])
        let outcome = Self.outcome(desired, listing)
        #expect(outcome.foreignRecords == ["other": 1, "none": 3])
        #expect(Set(outcome.recordSets) == [Self.txt("a-theirs.example.com", Self.theirs), gone,
                                            Self.txt("a-gone.example.com"), besideCompanion])
        let (reduced, full) = Self.plans(desired, listing, outcome)
        #expect(reduced == full)
        #expect(full.changes.map(\.key) == [RecordKey(name: "a-theirs.example.com", type: .a),
                                            RecordKey(name: "gone.example.com", type: .a)])
    }

    @Test func aLegacyCompanionBesideTheTypedOneUnsettlesItsName() {
        let fixture = Self.zoneOfTwelve(), desired = fixture.desired
        var listing = fixture.listing
        // The untyped name ExternalDNS ≤ v0.17 wrote is the record's own name.
        let legacy = Self.txt("www5.example.com")
        listing = Self.inRoute53Order(listing + [legacy])
        let outcome = Self.outcome(desired, listing)
        #expect(outcome.desired == [desired[5]])
        #expect(outcome.settledRecords == 11)
        #expect(outcome.recordSets.contains(legacy))
        #expect(outcome.recordSets.contains(Self.a("www5.example.com", "192.0.2.6")))
        #expect(outcome.recordSets.contains(Self.txt("a-www5.example.com")))
        let (reduced, full) = Self.plans(desired, listing, outcome)
        #expect(reduced == full)
    }

    @Test func anotherOwnersCompanionUnsettlesItsName() {
        let fixture = Self.zoneOfTwelve(), desired = fixture.desired
        var listing = fixture.listing
        let index = listing.firstIndex { $0.name == "a-www7.example.com" }!
        listing[index].values = [Self.theirs]
        let outcome = Self.outcome(desired, listing)
        #expect(outcome.desired == [desired[7]])
        #expect(outcome.settledRecords == 11)
        #expect(outcome.recordSets.contains(listing[index]))
        #expect(outcome.recordSets.contains(Self.a("www7.example.com", "192.0.2.8")))
        let (reduced, full) = Self.plans(desired, listing, outcome)
        #expect(reduced == full)
        #expect(full.notices.map(\.kind) == [.conflict])
    }

    @Test func aWeightedPairSettlesAsAPairAndOneChangedWeightBringsBothBack() {
        func weighted(_ set: String, _ weight: Int) -> Endpoint {
            Endpoint(name: "www.example.com", type: .a, targets: [set == "blue" ? "192.0.2.1" : "192.0.2.2"],
                     setIdentifier: set, routing: .weighted(weight: weight))
        }
        let listing = Self.inRoute53Order([
            Self.ns, Self.soa,
            Self.a("www.example.com", "192.0.2.1", set: "blue", routing: .weighted(weight: 10)),
            Self.a("www.example.com", "192.0.2.2", set: "green", routing: .weighted(weight: 20)),
            Self.txt("a-www.example.com", set: "blue", routing: .weighted(weight: 10)),
            Self.txt("a-www.example.com", set: "green", routing: .weighted(weight: 20)),
        ])
        let steady = Self.outcome([weighted("blue", 10), weighted("green", 20)], listing)
        #expect(steady.settledRecords == 2)
        #expect(steady.desired.isEmpty)
        #expect(steady.recordSets.isEmpty && steady.foreignRecords == ["none": 2])

        let desired = [weighted("blue", 10), weighted("green", 30)]
        let outcome = Self.outcome(desired, listing)
        #expect(outcome.settledRecords == 0)
        #expect(outcome.desired == desired)
        #expect(outcome.recordSets == Array(listing.dropFirst(2)))
        let (reduced, full) = Self.plans(desired, listing, outcome)
        #expect(reduced == full)
        #expect(full.changes.map(\.key) == [RecordKey(name: "www.example.com", type: .a, setIdentifier: "green")])
    }

    /// Route53 lists by name and type; the sets of one name and type come in no fixed order of
    /// set identifier. What is handed over keeps the listing's order, rebuilt sets included, or
    /// the notice naming the sets that block a name would name them in another order.
    @Test func setsComeBackInTheOrderTheyWereListed() {
        let listing = [
            Self.ns, Self.soa,
            Self.txt("a-api.example.com"),
            Self.txt("a-www.example.com", Self.theirs, set: "green", routing: .weighted(weight: 1)),
            Self.txt("a-www.example.com", Self.theirs, set: "blue", routing: .weighted(weight: 1)),
            Self.a("api.example.com", "192.0.2.1"),
            RecordSet(name: "api.example.com", type: .txt, ttl: 300, values: ["\"site-verification=x\""]),
            Self.a("www.example.com", "192.0.2.7", set: "green", routing: .weighted(weight: 1)),
            Self.a("www.example.com", "192.0.2.8", set: "blue", routing: .weighted(weight: 1)),
        ]
        // api changes: its record is set aside to be updated, its companion dropped as exact, and
        // a TXT beside it brings both back to the planner; www cannot become a CNAME.
        let desired = [Endpoint(name: "api.example.com", type: .a, targets: ["192.0.2.2"]),
                       Endpoint(name: "www.example.com", type: .cname, targets: ["lb.example.net"])]
        let outcome = Self.outcome(desired, listing)
        #expect(outcome.settledRecords == 0)
        // All but NS and SOA, at the apex, which no endpoint uses.
        #expect(outcome.recordSets.map(\.key) == listing.dropFirst(2).map(\.key))
        #expect(outcome.recordSets == Array(listing.dropFirst(2)))
        let (reduced, full) = Self.plans(desired, listing, outcome)
        #expect(reduced.notices.map(\.message) == full.notices.map(\.message))
        #expect(reduced == full)
        let blocked = full.notices.first { $0.key.type == .cname }?.message ?? ""
        #expect(blocked.contains("A [green] is owned by them") && blocked.contains("A [blue] is owned by them"))
    }

    /// The apex's companion under the plain naming lies outside the zone, where the registry
    /// writes none: such a TXT is never dropped, as it could not be rebuilt.
    @Test func aCompanionTheRegistryWouldNotWriteIsNeverDropped() {
        let desired = [Endpoint(name: "example.com", type: .a, targets: ["192.0.2.1"])]
        let outside = Self.txt("a-example.com")
        let listing = [Self.ns, Self.soa, Self.a("example.com", "192.0.2.1"), outside]
        let outcome = Self.outcome(desired, listing)
        #expect(outcome.settledRecords == 0)
        #expect(outcome.recordSets == listing)
        let (reduced, full) = Self.plans(desired, listing, outcome)
        #expect(reduced.notices.map(\.message) == full.notices.map(\.message))
        #expect(reduced == full)
    }

    /// A listed TTL Route53 would refuse (only a listing it would not give holds one): an unset
    /// TTL takes it, so the planner holds the name (`.invalid`, then `.held`), and nothing settles.
    @Test(arguments: [-1, 2_147_483_648])
    func anUnsetTTLNeverSettlesOnATTLRoute53Refuses(ttl: Int) {
        let desired = [Endpoint(name: "www.example.com", type: .a, targets: ["192.0.2.1"])]
        let record = Self.a("www.example.com", "192.0.2.1", ttl: ttl)
        let listing = [Self.ns, Self.soa, Self.txt("a-www.example.com"), record]
        let outcome = Self.outcome(desired, listing)
        #expect(outcome.settledRecords == 0)
        #expect(outcome.recordSets == Array(listing.dropFirst(2)))
        let (reduced, full) = Self.plans(desired, listing, outcome)
        #expect(reduced.notices.map(\.message) == full.notices.map(\.message))
        #expect(reduced == full)
        #expect(full.notices.map(\.kind) == [.invalid, .held])
    }

    @Test func anUnsetTTLSettlesOnTheListedOneAndIsRebuiltWithIt() {
        let desired = [Endpoint(name: "www.example.com", type: .a, targets: ["192.0.2.1"])]
        let record = Self.a("www.example.com", "192.0.2.1", ttl: 60)
        let listing = Self.inRoute53Order([Self.ns, Self.soa, record, Self.txt("a-www.example.com")])
        let steady = Self.outcome(desired, listing)
        #expect(steady.settledRecords == 1)
        #expect(steady.desired.isEmpty)

        // Something unowned at the name: the A is rebuilt as listed, TTL 60, and stays as it is.
        let foreign = RecordSet(name: "www.example.com", type: .aaaa, ttl: 300, values: ["2001:db8::1"])
        let crowded = Self.inRoute53Order(listing + [foreign])
        let outcome = Self.outcome(desired, crowded)
        #expect(outcome.settledRecords == 0)
        #expect(outcome.desired == desired)
        let rebuilt = outcome.recordSets.first { $0.key == record.key }
        #expect(rebuilt == record)
        #expect(rebuilt?.ttl == 60)
        let (reduced, full) = Self.plans(desired, crowded, outcome)
        #expect(reduced == full)
        #expect(full.changes.isEmpty)
    }

    // MARK: Fresh names

    @Test func namesWithNothingListedAreCreatedWithoutPlanning() {
        let (all, _, foreign) = Self.zoneOfTwelve()
        // In the order given, not the key order the fresh creates are kept in.
        let desired = Array(all.reversed())
        let outcome = Self.outcome(desired, Self.inRoute53Order([Self.ns, Self.soa] + foreign))
        #expect(outcome.desired.isEmpty)
        #expect(outcome.settledRecords == 0)
        #expect(outcome.fresh?.endpoints == RecordKey.listingOrder(of: desired.map(\.key)).map { desired[$0] })
        let change = outcome.fresh?.change(at: 0)
        #expect(change?.key == RecordKey(name: "www0.example.com", type: .a))
        #expect(change?.changes == [Change(.create, Self.a("www0.example.com", "192.0.2.1")),
                                    Change(.create, Self.txt("a-www0.example.com"))])
    }

    /// A fresh name has nothing listed at it, and nothing else of the plan writes there.
    @Test func aNameWithSomethingListedOrWrittenByAnotherEndpointIsPlanned() {
        let (twelve, listing, _) = Self.zoneOfTwelve()
        let beside = Endpoint(name: "www0.example.com", type: .aaaa, targets: ["2001:db8::1"])
        let atCompanion = Endpoint(name: "a-new.example.com", type: .aaaa, targets: ["2001:db8::2"])
        let withCompanion = Endpoint(name: "new.example.com", type: .a, targets: ["192.0.2.99"])
        let alone = Endpoint(name: "alone.example.com", type: .a, targets: ["192.0.2.98"])
        let desired = twelve + [beside, atCompanion, withCompanion, alone]
        let outcome = Self.outcome(desired, listing)
        // www0 holds a listed A: its AAAA (and the A with it) is planned; `new`'s companion is
        // `a-new`, where another endpoint wants a record: both are planned.
        #expect(outcome.fresh?.endpoints == [alone])
        #expect(outcome.desired == [twelve[0], beside, atCompanion, withCompanion])
        #expect(outcome.settledRecords == 11)
        let (reduced, full) = Self.plans(desired, listing, outcome)
        #expect(reduced == full)
        #expect(full.changes.count == 4)
    }
}
