import DNSReconcileCore
import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCLI

/// Managed health checks through whole passes, against in-memory Route53 record sets and checks.
@Suite struct HealthCheckPassTests {
    static let zone = PassTests.zone
    static let key = RecordKey(name: "app.example.com", type: .a, setIdentifier: "hk")
    static let companionKey = RecordKey(name: "a-app.example.com", type: .txt, setIdentifier: "hk")

    static func app(_ targets: [String] = ["203.0.113.10"], spec: HealthCheckSpec? = HealthCheckSpec(kind: .http, path: "/healthz"))
        -> Endpoint {
        Endpoint(name: "app.example.com", type: .a, targets: targets, ttl: 60, setIdentifier: "hk",
                 routing: .latency(region: "ap-east-1"), healthCheck: spec)
    }

    /// The provider pair and a cluster factory over them.
    final class World {
        let provider = InMemoryProvider(zones: [HealthCheckPassTests.zone])
        let checks: InMemoryHealthChecks
        /// A minute later for each pass, as a timer runs them.
        let clock = ManualTimeSource()

        init(checks seeded: [HealthCheck] = []) {
            checks = InMemoryHealthChecks(records: provider, checks: seeded)
        }

        func cluster(_ endpoints: [Endpoint], name: String = "rke2-hk") -> ClusterSetup {
            var setup = PassTests.cluster(name, provider: provider, sources: [FixedSource(endpoints)])
            setup.healthChecks = checks
            return setup
        }

        func run(_ endpoints: [Endpoint], mode: Pass.Mode = .apply, log: LogCapture = LogCapture()) -> ClusterReport {
            clock.advance(by: 60)
            return PassTests.pass(mode, time: clock, log: log).run([cluster(endpoints)])[0]
        }

        func record(_ key: RecordKey) -> RecordSet? {
            provider.records[HealthCheckPassTests.zone.id, default: []].first { $0.key == key }
        }
    }

    @Test func checkIsCreatedOnceAndAssociatedWithTheRecordAndItsCompanion() throws {
        let world = World()
        let first = world.run([Self.app()])
        #expect(first.status == .ok, "\(first.errors)")
        #expect(world.checks.operations == ["list", "create", "tag"])
        let check = try #require(world.checks.checks.first)
        #expect(world.checks.checks.count == 1)
        #expect(check.config.kind == .http)
        #expect(check.config.ipAddress == "203.0.113.10")
        #expect(check.config.fullyQualifiedDomainName == "app.example.com")
        #expect(check.config.resourcePath == "/healthz")
        #expect(check.config.port == 80 && check.config.requestInterval == 30 && check.config.failureThreshold == 3)
        #expect(HealthCheckReference(parsing: check.callerReference)?.owner == HealthCheckReference.ownerDigest("rke2-hk"))
        #expect(world.checks.tags[check.id]?["dnsreconcile/owner"] == "rke2-hk")
        #expect(world.checks.tags[check.id]?["dnsreconcile/record"] == "app.example.com A hk")
        #expect(world.record(Self.key)?.healthCheckID == check.id)
        #expect(world.record(Self.companionKey)?.healthCheckID == check.id, "the companion carries the same check")
        #expect(world.checks.batchesBefore[1] == 0, "created before the record set is written")
        #expect(first.zones[0].healthChecks.map(\.action) == [.create])

        let calls = world.checks.calls.count, batches = world.provider.changeCalls
        let second = world.run([Self.app()])
        #expect(second.status == .ok)
        #expect(Array(world.checks.operations[calls...]) == ["list"], "the one listing, nothing else")
        #expect(world.provider.changeCalls == batches, "no record writes")
        #expect(second.zones[0].healthChecks.isEmpty)
    }

    @Test func aChangedSettingUpdatesTheCheckInPlace() throws {
        let world = World()
        _ = world.run([Self.app()])
        let id = try #require(world.checks.checks.first?.id)
        let calls = world.checks.calls.count, batches = world.provider.changeCalls
        let report = world.run([Self.app(spec: HealthCheckSpec(kind: .http, port: 8080, path: "/ready"))])
        #expect(report.status == .ok, "\(report.errors)")
        #expect(Array(world.checks.calls[calls...]) == ["list", "update \(id)"])
        #expect(world.checks.checks.count == 1)
        let check = try #require(world.checks.checks.first)
        #expect(check.id == id && check.version == 2)
        #expect(check.config.port == 8080 && check.config.resourcePath == "/ready")
        #expect(world.provider.changeCalls == batches, "the record set keeps its id: nothing to write")
        #expect(report.zones[0].healthChecks.first?.reason == "port 80 → 8080, path /healthz → /ready")
    }

    @Test func aTypeChangeReplacesTheCheckAndDeletesTheOldOneAfterTheRecordMoved() throws {
        let world = World()
        _ = world.run([Self.app()])
        let old = try #require(world.checks.checks.first?.id)
        let calls = world.checks.calls.count
        let report = world.run([Self.app(spec: HealthCheckSpec(kind: .https, path: "/healthz"))])
        #expect(report.status == .ok, "\(report.errors)")
        let new = try #require(world.checks.checks.first { $0.id != old })
        #expect(new.config.kind == .https && new.config.enableSNI == true && new.config.port == 443)
        #expect(Array(world.checks.operations[calls...]) == ["list", "create", "tag", "delete"])
        #expect(world.checks.calls.last == "delete \(old)")
        #expect(!world.checks.checks.contains { $0.id == old })
        #expect(world.record(Self.key)?.healthCheckID == new.id)
        #expect(world.record(Self.companionKey)?.healthCheckID == new.id)
        let createAt = try #require(world.checks.calls.lastIndex { $0.hasPrefix("create") })
        #expect(world.checks.batchesBefore.last! > world.checks.batchesBefore[createAt], "deleted after the record moved")
        #expect(report.zones[0].healthChecks.map(\.action) == [.create, .delete])
    }

    @Test func removingTheEndpointDeletesTheRecordThenTheCheck() throws {
        let world = World()
        let keep = PassTests.endpoint("keep.example.com", ["203.0.113.5"])
        _ = world.run([Self.app(), keep])
        let id = try #require(world.checks.checks.first?.id)
        let batches = world.provider.changeCalls
        let report = world.run([keep])
        #expect(report.status == .ok, "\(report.errors)")
        #expect(report.applied[.delete] == 1)
        #expect(world.record(Self.key) == nil && world.record(Self.companionKey) == nil)
        #expect(world.checks.calls.last == "delete \(id)")
        #expect(world.checks.batchesBefore.last == batches + 1, "after the batch that deleted the record set")
        #expect(world.checks.checks.isEmpty)
        #expect(report.zones[0].healthChecks.map(\.action) == [.delete])
        #expect(report.zones[0].healthChecks.first?.key == Self.key)

        let calls = world.checks.calls.count
        _ = world.run([keep])
        #expect(world.checks.calls.count == calls, "no endpoint asks for a check and nothing was taken off: no call")
    }

    @Test func otherOwnersChecksAndUnparseableOnesAreNeverTouched() throws {
        let config = HealthCheckConfig(kind: .http, ipAddress: "203.0.113.10", port: 80, resourcePath: "/healthz",
                                       fullyQualifiedDomainName: "app.example.com", requestInterval: 30, failureThreshold: 3)
        let theirs = HealthCheck(id: "theirs", callerReference: HealthCheckReference(
            ownerID: "k3s-sg", zoneID: Self.zone.id, recordKey: Self.key, canonicalConfig: config.canonical,
            createdAt: 1).text, config: config)
        let manual = HealthCheck(id: "manual", callerReference: "console-2024-06-01", config: config)
        let world = World(checks: [theirs, manual])
        _ = world.run([Self.app()])
        _ = world.run([Self.app(spec: HealthCheckSpec(kind: .https))])
        _ = world.run([])
        let touched = world.checks.calls.filter { $0.hasPrefix("update") || $0.hasPrefix("delete") || $0.hasPrefix("tag") }
        #expect(!touched.contains { $0.hasSuffix(" theirs") || $0.hasSuffix(" manual") }, "\(touched)")
        #expect(Set(world.checks.checks.map(\.id)) == ["theirs", "manual"], "ours are all gone, theirs stay")
    }

    /// A check of rke2-hk's for another record set of the zone that no record set references.
    static func leftover() -> HealthCheck {
        let config = HealthCheckConfig(kind: .tcp, ipAddress: "203.0.113.50", port: 443, requestInterval: 30,
                                       failureThreshold: 3)
        let reference = HealthCheckReference(ownerID: "rke2-hk", zoneID: zone.id,
                                             recordKey: RecordKey(name: "old.example.com", type: .a),
                                             canonicalConfig: config.canonical, createdAt: 1)
        return HealthCheck(id: "leftover", callerReference: reference.text, config: config)
    }

    @Test func aWholeZoneListingCleansUpAnUnreferencedCheckOfOurs() {
        let world = World(checks: [Self.leftover()])
        _ = world.run([Self.app()])
        #expect(world.checks.calls.last == "delete leftover")
        #expect(!world.checks.checks.contains { $0.id == "leftover" })
    }

    @Test func aSubtreeListingDeletesOnlyWhatItsChangesTookOff() throws {
        let world = World(checks: [Self.leftover()])
        func run(_ endpoints: [Endpoint]) -> ClusterReport {
            var setup = world.cluster(endpoints)
            setup.planner.domainFilter = DomainFilter(["app.example.com"])
            return PassTests.pass().run([setup])[0]
        }
        #expect(run([Self.app()]).status == .ok)
        #expect(world.provider.listedSubtrees.allSatisfy { $0 != nil }, "only the subtree is read")
        let id = try #require(world.checks.checks.first { $0.id != "leftover" }?.id)
        #expect(world.checks.checks.contains { $0.id == "leftover" }, "outside what this listing can judge")

        #expect(run([]).status == .ok)
        #expect(world.checks.calls.last == "delete \(id)", "the check its change took off goes")
        #expect(world.checks.checks.map(\.id) == ["leftover"])
    }

    @Test func planModeListsTheActionsAndWritesNothing() throws {
        let world = World()
        let log = LogCapture()
        let report = world.run([Self.app()], mode: .plan, log: log)
        #expect(world.checks.operations == ["list"])
        #expect(world.provider.changeCalls == 0)
        #expect(report.zones[0].plan.changes.map(\.action) == [.create])
        #expect(report.zones[0].plan.changes.first?.new?.healthCheckID == nil, "no id before the check exists")
        let text = PlanRenderer().text(PassReport(version: "", startedAt: 0, dryRun: true, clusters: [report]))
        #expect(text.contains("  + health check app.example.com A hk: HTTP 203.0.113.10:80 /healthz Host app.example.com\n"),
                "\(text)")
        #expect(text.contains("health checks: 1 to create, 0 to update, 0 to delete"), "\(text)")
        let json = PlanRenderer().json(PassReport(version: "", startedAt: 0, dryRun: true, clusters: [report]))
        #expect(json.contains("\"health_checks\": ["), "\(json)")
        #expect(json.contains("\"summary\": \"HTTP 203.0.113.10:80 /healthz Host app.example.com\""), "\(json)")
        #expect(log.lines.contains { $0.contains("would create health check app.example.com A hk: HTTP") })
    }

    @Test func dryRunShowsTheUpdateAndTheDeleteItWouldMake() throws {
        let world = World()
        let keep = PassTests.endpoint("keep.example.com", ["203.0.113.5"])
        _ = world.run([Self.app(), keep])
        let calls = world.checks.calls.count, batches = world.provider.changeCalls
        let update = world.run([Self.app(spec: HealthCheckSpec(kind: .http, path: "/ready")), keep], mode: .dryRun)
        #expect(update.zones[0].healthChecks.map(\.action) == [.update])
        let removal = world.run([keep], mode: .dryRun)
        #expect(removal.zones[0].healthChecks.map(\.action) == [.delete])
        #expect(Array(world.checks.operations[calls...]) == ["list", "list"], "one listing per pass, no write")
        #expect(world.provider.changeCalls == batches)
    }

    @Test func aFailedCreateHoldsTheRecordSetAndFailsTheClusterWithoutStoppingIt() throws {
        let world = World()
        world.checks.failCreate = DNSReconcileError(.route53, "Route53 CreateHealthCheck failed with HTTP 400 TooManyHealthChecks",
                                                    cause: "TooManyHealthChecks")
        let log = LogCapture()
        let other = PassTests.endpoint("other.example.com", ["203.0.113.7"])
        let report = world.run([Self.app(), other], log: log)
        #expect(report.status == .failed)
        #expect(report.failedChanges == 1)
        #expect(world.record(Self.key) == nil, "held: not written without its check")
        #expect(world.record(RecordKey(name: "other.example.com", type: .a)) != nil, "the rest of the zone goes on")
        let notice = try #require(report.zones[0].plan.notices.first { $0.key == Self.key })
        #expect(notice.kind == .held)
        #expect(notice.message.contains("creating its health check failed") && notice.message.contains("next pass"))
        #expect(log.lines.contains { $0.contains("TooManyHealthChecks") && $0.contains("not written this pass") })
    }

    @Test func aFailedListingHoldsEveryRecordSetWithACheck() {
        let world = World()
        world.checks.failList = DNSReconcileError(.credentials, "AccessDenied")
        let report = world.run([Self.app()])
        #expect(report.status == .failed)
        #expect(world.provider.changeCalls == 0)
        #expect(world.checks.operations == ["list"], "listed once, not again for the cleanup")
    }

    @Test func severalTargetsMakeChildrenUnderACalculatedParent() throws {
        let world = World()
        let report = world.run([Self.app(["203.0.113.10", "203.0.113.11"])])
        #expect(report.status == .ok, "\(report.errors)")
        #expect(world.checks.checks.count == 3)
        let parent = try #require(world.checks.checks.first { $0.config.kind == .calculated })
        let children = world.checks.checks.filter { $0.config.kind != .calculated }
        #expect(Set(parent.config.childHealthChecks) == Set(children.map(\.id)))
        #expect(parent.config.healthThreshold == 1)
        #expect(Set(children.compactMap(\.config.ipAddress)) == ["203.0.113.10", "203.0.113.11"])
        #expect(world.record(Self.key)?.healthCheckID == parent.id)
        #expect(world.checks.tags[children[0].id]?["Name"]?.hasPrefix("app.example.com A hk 203.0.113.1") == true)

        // Back to one target: a single check replaces them, parent deleted before its children.
        let calls = world.checks.calls.count
        _ = world.run([Self.app(["203.0.113.10"])])
        let deletes = world.checks.calls[calls...].filter { $0.hasPrefix("delete") }
        #expect(deletes.first == "delete \(parent.id)")
        #expect(deletes.count == 3)
        #expect(world.checks.checks.count == 1 && world.checks.checks[0].config.kind == .http)
    }

    @Test func aPrivateTargetIsRefusedAndNothingIsCreated() throws {
        let world = World()
        let report = world.run([Self.app(["10.0.0.5"])])
        #expect(world.checks.operations == ["list"])
        #expect(world.provider.changeCalls == 0)
        let notice = try #require(report.zones[0].plan.notices.first)
        #expect(notice.kind == .invalid)
        #expect(notice.message.contains("10.0.0.5 is a private address"))
    }

    @Test func aPassWithoutManagedChecksMakesNoHealthCheckCall() {
        let world = World()
        let report = world.run([PassTests.endpoint("plain.example.com", ["203.0.113.5"])])
        #expect(report.status == .ok)
        #expect(world.checks.calls.isEmpty)
    }

    @Test func twoClustersOfOneAccountListTheChecksOnce() {
        let world = World()
        let sg = Endpoint(name: "app.example.com", type: .a, targets: ["198.51.100.20"], ttl: 60, setIdentifier: "sg",
                          routing: .latency(region: "ap-southeast-1"), healthCheck: HealthCheckSpec(kind: .http, path: "/healthz"))
        let reports = PassTests.pass().run([world.cluster([Self.app()]), world.cluster([sg], name: "k3s-sg")])
        #expect(reports.map(\.status) == [.ok, .ok])
        #expect(world.checks.operations.filter { $0 == "list" }.count == 1)
        #expect(world.checks.checks.count == 2)
        let owners = Set(world.checks.checks.compactMap { HealthCheckReference(parsing: $0.callerReference)?.owner })
        #expect(owners.count == 2)
    }

    @Test func failoverPrimaryWithoutACheckIsRefusedAndWithOneIsWritten() throws {
        let world = World()
        var primary = Self.app()
        primary.routing = .failover(.primary)
        primary.healthCheck = nil
        let refused = world.run([primary])
        #expect(world.provider.changeCalls == 0)
        #expect(refused.zones[0].plan.notices.first?.message.contains("failover PRIMARY needs a health check") == true)

        primary.healthCheck = HealthCheckSpec(kind: .http, path: "/healthz")
        let written = world.run([primary])
        #expect(written.status == .ok, "\(written.errors)")
        let id = try #require(world.checks.checks.first?.id)
        #expect(world.record(Self.key)?.healthCheckID == id)
        #expect(world.record(Self.companionKey)?.healthCheckID == id, "the PRIMARY's TXT carries the same check")
    }
}
