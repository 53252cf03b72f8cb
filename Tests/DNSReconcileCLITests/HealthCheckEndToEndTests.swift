import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing

/// Managed health checks with the built binary against the Route53 emulator: the seed's two
/// clusters behind one latency name, each with its own check.
@Suite("managed health checks against moto")
struct HealthCheckEndToEndTests {
    /// A health check as the emulator lists it.
    struct ListedCheck {
        var id: String
        var callerReference: String
        var xml: String

        func element(_ name: String) -> String? { Workspace.element(name, in: xml) }
    }

    static func latency(_ target: String, _ set: String, _ region: String) -> String {
        "targets = \(target)\nttl = 60\nset-identifier = \(set)\naws-region = \(region)\n"
            + "health-check = http\nhealth-check-path = /healthz"
    }

    static func writeClusters(_ workspace: Workspace, hk: Bool = true) throws {
        var hkEndpoints = [("hk", "hk", "targets = 203.0.113.10")]
        if hk { hkEndpoints.insert(("app-hk", "app", latency("203.0.113.10", "hk", "ap-east-1")), at: 0) }
        try workspace.writeCluster("rke2-hk", endpoints: hkEndpoints)
        try workspace.writeCluster("k3s-sg", endpoints: [("app-sg", "app", latency("198.51.100.20", "sg", "ap-southeast-1"))])
    }

    /// Every check of the emulator's account (shared by the tests running in parallel).
    static func listChecks(_ moto: MotoServer) throws -> [ListedCheck] {
        let response = try moto.send(HTTPRequest(method: "GET", url: moto.endpoint + "/2013-04-01/healthcheck?maxitems=1000"))
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 200, "\(body)")
        return body.components(separatedBy: "<HealthCheck>").dropFirst().map { chunk in
            let xml = chunk.components(separatedBy: "</HealthCheck>").first ?? ""
            return ListedCheck(id: Workspace.element("Id", in: xml) ?? "?",
                               callerReference: Workspace.element("CallerReference", in: xml) ?? "", xml: xml)
        }
    }

    /// The checks whose reference names this workspace's zone (this test's own).
    static func checks(of workspace: Workspace) throws -> [ListedCheck] {
        let zone = HealthCheckReference.zoneDigest(workspace.zoneID)
        return try listChecks(workspace.moto).filter { HealthCheckReference(parsing: $0.callerReference)?.zone == zone }
    }

    /// Creates a check directly in the emulator, as a person or another tool would.
    static func createCheck(_ moto: MotoServer, reference: String, address: String) throws -> String {
        let body = "<CreateHealthCheckRequest xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\">"
            + "<CallerReference>\(reference)</CallerReference><HealthCheckConfig><IPAddress>\(address)</IPAddress>"
            + "<Port>80</Port><Type>HTTP</Type><ResourcePath>/</ResourcePath></HealthCheckConfig></CreateHealthCheckRequest>"
        let response = try moto.send(HTTPRequest(method: "POST", url: moto.endpoint + "/2013-04-01/healthcheck",
                                                 headers: [HTTPHeader("Content-Type", "application/xml")],
                                                 body: Array(body.utf8)))
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 201, "\(text)")
        return try #require(Workspace.element("Id", in: text))
    }

    @Test func theSeedsTwoClustersGetOneCheckEachThatLivesAndDiesWithTheirRecord() throws {
        let workspace = try Workspace("hc")
        let zone = workspace.zoneName
        try Self.writeClusters(workspace)
        // A check made by hand and one of another owner in this zone: never touched.
        let manual = try Self.createCheck(workspace.moto, reference: "manual-\(UUID().uuidString)", address: "192.0.2.80")
        let foreignReference = HealthCheckReference(
            ownerID: "someone-else", zoneID: workspace.zoneID,
            recordKey: RecordKey(name: DNSName("app.\(zone)"), type: .a, setIdentifier: "hk"),
            canonicalConfig: "HTTP", createdAt: Date().timeIntervalSince1970)
        let foreign = try Self.createCheck(workspace.moto, reference: foreignReference.text, address: "192.0.2.81")

        // plan: the checks are listed, nothing is created.
        let plan = try workspace.run(["plan"])
        #expect(plan.status == 0, "\(plan)")
        #expect(plan.stdout.contains("+ health check app.\(zone) A hk: HTTP 203.0.113.10:80 /healthz Host app.\(zone)"),
                "\(plan)")
        #expect(plan.stdout.contains("+ health check app.\(zone) A sg: HTTP 198.51.100.20:80 /healthz Host app.\(zone)"),
                "\(plan)")
        #expect(try Self.checks(of: workspace).map(\.id) == [foreign], "plan creates nothing")

        // First pass: one check per cluster, probing its target with the name as Host header.
        let first = try workspace.run(["run"])
        #expect(first.status == 0, "\(first)")
        let ours = try Self.checks(of: workspace).filter { $0.id != foreign }
        #expect(ours.count == 2, "\(ours.map(\.xml))")
        let records = try workspace.recordSets()
        for (set, address) in [("hk", "203.0.113.10"), ("sg", "198.51.100.20")] {
            let check = try #require(ours.first { $0.element("IPAddress") == address }, "no check for \(address)")
            #expect(check.element("Type") == "HTTP")
            #expect(check.element("Port") == "80")
            #expect(check.element("ResourcePath") == "/healthz")
            #expect(check.element("FullyQualifiedDomainName") == "app.\(zone)")
            let record = try #require(records["app.\(zone). A [\(set)]"])
            let companion = try #require(records["a-app.\(zone). TXT [\(set)]"])
            #expect(Workspace.element("HealthCheckId", in: record) == check.id, "\(record)")
            #expect(Workspace.element("HealthCheckId", in: companion) == check.id, "the companion carries it: \(companion)")
        }
        let owners = Set(ours.compactMap { HealthCheckReference(parsing: $0.callerReference)?.owner })
        #expect(owners == [HealthCheckReference.ownerDigest("rke2-hk"), HealthCheckReference.ownerDigest("k3s-sg")])
        #expect(workspace.metric("dnsreconcile_api_requests{operation=\"ListHealthChecks\",code=\"200\"}") == 1)

        // Second pass: nothing to do; one listing of the checks for both clusters.
        let second = try workspace.run(["run"])
        #expect(second.status == 0, "\(second)")
        let metrics = workspace.metrics()
        #expect(workspace.metric("dnsreconcile_api_requests{operation=\"ListHealthChecks\",code=\"200\"}") == 1, "\(metrics)")
        for operation in ["ChangeResourceRecordSets", "CreateHealthCheck", "UpdateHealthCheck", "DeleteHealthCheck",
                          "ChangeTagsForResource"] {
            #expect(!metrics.contains("operation=\"\(operation)\""), "\(operation) in the no-op pass: \(metrics)")
        }
        #expect(try workspace.recordSets() == records)

        // rke2-hk stops publishing app: the record set and its companion go, then its check.
        try Self.writeClusters(workspace, hk: false)
        let third = try workspace.run(["run"])
        #expect(third.status == 0, "\(third)")
        let after = try workspace.recordSets()
        #expect(after["app.\(zone). A [hk]"] == nil && after["a-app.\(zone). TXT [hk]"] == nil)
        #expect(after["app.\(zone). A [sg]"] != nil)
        let left = try Self.checks(of: workspace)
        #expect(Set(left.map(\.id)) == [foreign, ours.first { $0.element("IPAddress") == "198.51.100.20" }!.id])
        let recordDeleted = try #require(third.stderr.range(of: "delete A app.\(zone) [hk]"), "\(third)")
        let checkDeleted = try #require(third.stderr.range(of: "delete health check app.\(zone) A hk"), "\(third)")
        #expect(recordDeleted.lowerBound < checkDeleted.lowerBound, "the check goes after its record set")
        #expect(try Self.listChecks(workspace.moto).contains { $0.id == manual }, "the hand-made check stays")
    }

    @Test func aChangedPathUpdatesTheCheckWithoutTouchingTheRecord() throws {
        let workspace = try Workspace("hcupd")
        let zone = workspace.zoneName
        try workspace.writeCluster("rke2-hk", endpoints: [("app-hk", "app", Self.latency("203.0.113.10", "hk", "ap-east-1"))])
        #expect(try workspace.run(["run"]).status == 0)
        let before = try #require(try Self.checks(of: workspace).first)
        let records = try workspace.recordSets()

        try workspace.writeCluster("rke2-hk", endpoints: [("app-hk", "app", Self.latency("203.0.113.10", "hk", "ap-east-1")
                                                            .replacingOccurrences(of: "/healthz", with: "/ready"))])
        let result = try workspace.run(["run"])
        #expect(result.status == 0, "\(result)")
        let after = try Self.checks(of: workspace)
        #expect(after.map(\.id) == [before.id], "updated in place")
        #expect(after.first?.element("ResourcePath") == "/ready")
        #expect(try workspace.recordSets() == records)
        #expect(result.stderr.contains("update health check app.\(zone) A hk"), "\(result)")
        #expect(workspace.metric("dnsreconcile_api_requests{operation=\"UpdateHealthCheck\",code=\"200\"}") == 1)
    }

    @Test func aPrivateTargetIsRefusedWithAClearMessageAndNothingIsCreated() throws {
        let workspace = try Workspace("hcpriv")
        let zone = workspace.zoneName
        try workspace.writeCluster("k3s-sg", endpoints: [("app-sg", "app", Self.latency("10.42.0.7", "sg", "ap-southeast-1"))])
        let result = try workspace.run(["run"])
        #expect(result.stderr.contains("10.42.0.7 is a private address"), "\(result)")
        #expect(result.stderr.contains("publish the public address"), "\(result)")
        #expect(try Self.checks(of: workspace).isEmpty)
        #expect(try workspace.recordSets()["app.\(zone). A [sg]"] == nil)
    }
}
