import DNSReconcileCore
import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCLI

/// A zone only one cluster of the pass uses is judged page by page (`SteadyState`): what is
/// exactly as wanted is set aside as it is read. The pass must come out exactly as when the whole
/// listing is planned, which is what happens when another cluster of the account shares the
/// listing: the same batches, the same report, the same metrics.
@Suite struct PassSteadyStateTests {
    static let zone = HostedZone(id: "ZEXAMPLE", name: "example.com")

    static func cluster(_ name: String, provider: InMemoryProvider, endpoints: [Endpoint],
                        filter: [String] = ["example.com"]) -> ClusterSetup {
        let registry = TXTRegistry(ownerID: name, managedTypes: [.a, .aaaa, .cname, .txt])
        return ClusterSetup(name: name, ownerID: name, sources: [FixedSource(endpoints)],
                            planner: Planner(policy: .sync, managedTypes: [.a, .aaaa, .cname, .txt], registry: registry,
                                             domainFilter: DomainFilter(filter)),
                            zoneFilter: ZoneFilter(domainFilter: filter), safety: SafetyLimits(minExistingRecords: 100_000),
                            batcher: Batcher(), provider: provider, account: "acct")
    }

    static func pass(log: LogCapture = LogCapture()) -> Pass {
        let time = ManualTimeSource()
        return Pass(mode: .apply, force: false, deadline: time.now() + 300, time: time, logger: log.logger())
    }

    /// `count` endpoints of several shapes: single and double A, AAAA, CNAME, TXT, a weighted
    /// pair per ten, and some with an unset TTL.
    static func endpoints(_ count: Int, bump: Set<Int> = [], drop: Set<Int> = []) -> [Endpoint] {
        var result: [Endpoint] = []
        for i in 0..<count where !drop.contains(i) {
            let b = bump.contains(i) ? 1 : 0
            let name = DNSName("h\(i).g\(i % 7).example.com")
            switch i % 6 {
            case 0: result.append(Endpoint(name: name, type: .a, targets: ["203.0.113.\(i % 200 + b)"], ttl: 60))
            case 1: result.append(Endpoint(name: name, type: .a, targets: ["203.0.113.\(i % 200)", "198.51.100.\(i % 200 + b)"]))
            case 2: result.append(Endpoint(name: name, type: .aaaa, targets: ["2001:db8::\(i + b)"], ttl: 300))
            case 3: result.append(Endpoint(name: name, type: .cname, targets: ["lb\(i + b).example.net"], ttl: 60))
            case 4: result.append(Endpoint(name: name, type: .txt, targets: ["\"v=\(i + b)\""], ttl: 60))
            default:
                for side in ["blue", "green"] {
                    var endpoint = Endpoint(name: name, type: .a, targets: ["192.0.2.\(i % 200)"], ttl: 60)
                    endpoint.setIdentifier = side
                    endpoint.routing = .weighted(weight: side == "blue" ? 10 + b : 90)
                    result.append(endpoint)
                }
            }
        }
        return result
    }

    /// The zone after a first pass of `endpoints`, plus what others keep there: a record of no
    /// owner, another owner's record with its companion, and a TXT that is nobody's companion.
    static func seededZone(_ endpoints: [Endpoint]) -> [RecordSet] {
        let provider = InMemoryProvider(zones: [Self.zone], records: [Self.zone.id: []])
        _ = Self.pass().run([Self.cluster("edge", provider: provider, endpoints: endpoints)])
        return provider.records[Self.zone.id, default: []] + [
            RecordSet(name: "example.com", type: .ns, ttl: 172800, values: ["ns-1.awsdns-1.com."]),
            RecordSet(name: "foreign.g1.example.com", type: .a, ttl: 60, values: ["192.0.2.99"]),
            RecordSet(name: "theirs.g2.example.com", type: .a, ttl: 60, values: ["192.0.2.98"]),
            RecordSet(name: "a-theirs.g2.example.com", type: .txt, ttl: 300,
                      values: ["\"heritage=external-dns,external-dns/owner=other\""]),
            RecordSet(name: "note.g3.example.com", type: .txt, ttl: 60, values: ["\"hello\""]),
        ]
    }

    /// Runs `desired` against a copy of `zone`, alone (page by page, pages of `pageSize`) or
    /// beside a cluster of the same account that matches no zone (the whole listing is planned).
    static func run(_ desired: [Endpoint], on zone: [RecordSet], alone: Bool,
                    pageSize: Int = 7) -> (report: ClusterReport, provider: InMemoryProvider, setAside: Int) {
        let provider = InMemoryProvider(zones: [Self.zone], records: [Self.zone.id: zone])
        provider.pageSize = pageSize
        var clusters = [Self.cluster("edge", provider: provider, endpoints: desired)]
        if !alone { clusters.append(Self.cluster("idle", provider: provider, endpoints: [], filter: ["nothing.test"])) }
        let log = LogCapture()
        let reports = Self.pass(log: log).run(clusters)
        // The pass says at debug level how many sets it left out of the plan.
        let setAside = log.lines.compactMap { line in
            line.range(of: " record sets are as wanted").flatMap { range in
                Int(line[..<range.lowerBound].split(separator: " ").last ?? "")
            }
        }.reduce(0, +)
        return (reports[0], provider, setAside)
    }

    @Test func aPassWithNothingToChangeSetsEverythingAsideAndReportsItOwned() {
        let desired = Self.endpoints(60)
        let zone = Self.seededZone(desired)
        let (alone, provider, setAside) = Self.run(desired, on: zone, alone: true)
        let (whole, _, wholeSetAside) = Self.run(desired, on: zone, alone: false)
        #expect(setAside == desired.count)
        #expect(wholeSetAside == 0)
        #expect(alone.status == .ok)
        #expect(provider.changeCalls == 0)
        #expect(alone.zones.allSatisfy { $0.plan.changes.isEmpty && $0.plan.notices.isEmpty })
        // Every record set of this owner is counted, set aside or not; and exactly as before.
        #expect(alone.registryRecords["self"] == desired.count)
        #expect(alone.registryRecords == whole.registryRecords)
        #expect(alone.zones.map(\.ownedRecords) == whole.zones.map(\.ownedRecords))
    }

    @Test func aFirstPassCreatesEveryNameUnplannedInTheBatchesOfAWholePlan() {
        let desired = Self.endpoints(60)
        let others = Array(Self.seededZone([]))
        let (alone, aloneProvider, _) = Self.run(desired, on: others, alone: true)
        let (whole, wholeProvider, _) = Self.run(desired, on: others, alone: false)
        #expect(alone.status == .ok && whole.status == .ok)
        // Nothing is at the wanted names: each is fresh.
        #expect(alone.zones.map { $0.plan.fresh?.count ?? 0 } == [desired.count])
        #expect(alone.zones.allSatisfy { $0.plan.changes.isEmpty })
        #expect(whole.zones.allSatisfy { $0.plan.fresh == nil })
        #expect(alone.planned(.create) == desired.count && whole.planned(.create) == desired.count)
        #expect(alone.applied[.create] == desired.count)
        #expect(alone.zones.map(\.plan.allChanges) == whole.zones.map(\.plan.allChanges))
        #expect(aloneProvider.applied.map(\.changes) == wholeProvider.applied.map(\.changes))
        #expect(Set(aloneProvider.records[Self.zone.id, default: []]) == Set(wholeProvider.records[Self.zone.id, default: []]))
        // And the zone it made is the one a second pass finds as wanted.
        let (again, againProvider, setAside) = Self.run(desired, on: aloneProvider.records[Self.zone.id, default: []],
                                                        alone: true)
        #expect(setAside == desired.count && againProvider.changeCalls == 0 && again.status == .ok)
    }

    @Test(arguments: [1, 7, 1000])
    func aPassWithChangesSendsTheSameBatchesAsAPassOverTheWholeListing(pageSize: Int) {
        let zone = Self.seededZone(Self.endpoints(60))
        // Updates, removals, a new name, a claim on another owner's name and on a name nobody owns.
        var desired = Self.endpoints(64, bump: [0, 1, 2, 3, 4, 5, 11, 23], drop: [6, 7, 8, 29, 35])
        desired.append(Endpoint(name: "theirs.g2.example.com", type: .a, targets: ["192.0.2.1"], ttl: 60))
        desired.append(Endpoint(name: "foreign.g1.example.com", type: .a, targets: ["192.0.2.1"], ttl: 60))
        let (alone, aloneProvider, setAside) = Self.run(desired, on: zone, alone: true, pageSize: pageSize)
        let (whole, wholeProvider, _) = Self.run(desired, on: zone, alone: false)
        // Most names were set aside; the changed ones and their neighbours at one name were not.
        #expect(setAside > desired.count / 2 && setAside < desired.count - 8)
        #expect(alone.status == whole.status)
        #expect(aloneProvider.applied.map(\.changes) == wholeProvider.applied.map(\.changes))
        #expect(!aloneProvider.applied.isEmpty)
        #expect(alone.zones.map(\.plan.allChanges) == whole.zones.map(\.plan.allChanges))
        #expect(alone.zones.map(\.plan.notices) == whole.zones.map(\.plan.notices))
        // The four new names were nowhere in the zone: created without being planned.
        #expect(alone.zones.map { $0.plan.fresh?.count ?? 0 } == [4])
        #expect(alone.zones.flatMap(\.plan.notices).count == 2)
        #expect(alone.registryRecords == whole.registryRecords)
        #expect(alone.zones.map(\.ownedRecords) == whole.zones.map(\.ownedRecords))
        #expect(Set(aloneProvider.records[Self.zone.id, default: []]) == Set(wholeProvider.records[Self.zone.id, default: []]))
    }
}
