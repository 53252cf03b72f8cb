import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing

/// The binary against the Route53 emulator makes the fewest calls Route53's limits allow, as
/// the metrics file counts them: a no-op pass lists each zone in ⌈record sets / 300⌉ pages and
/// sends no batch; a change pass sends ⌈its cost / the limits⌉ batches; a cluster whose domain
/// filter covers a subtree reads that subtree (plus the companions of its own name), not the zone.
@Suite("API calls at the floor, against moto")
struct CallFloorTests {
    static func requests(_ workspace: Workspace, _ operation: String) -> Int {
        Int(workspace.metric("dnsreconcile_api_requests{operation=\"\(operation)\",code=\"200\"}") ?? 0)
    }

    /// `count` single-value A record sets nobody owns, sent as UPSERT batches of 500.
    static func seedForeign(_ workspace: Workspace, count: Int, label: String = "f") throws {
        var start = 0
        while start < count {
            let xml = (start..<min(start + 500, count)).map { i in
                MotoServer.changeXML(action: "UPSERT", name: "\(label)\(i).\(workspace.zoneName).", type: "A", ttl: 300,
                                     values: ["192.0.2.\(i % 250 + 1)"])
            }.joined()
            try workspace.moto.changeRecordSets(zoneID: workspace.zoneID, changesXML: xml)
            start += 500
        }
    }

    static func clusterFile(_ workspace: Workspace, name: String, filter: String, endpoints: [(id: String, name: String, target: String)]) -> String {
        var text = """
            [cluster]
            name = \(name)
            owner-id = \(name)

            [provider "route53"]
            domain-filter = \(filter)

            [aws]
            requests-per-second = 200

            """
        for endpoint in endpoints {
            text += "\n[endpoint \"\(endpoint.id)\"]\nname = \(endpoint.name)\ntargets = \(endpoint.target)\n"
        }
        return text
    }

    /// Every record set of the workspace's zone in one moto listing (moto does not cap
    /// `maxitems`), by `name type`, apex NS and SOA left out.
    static func zoneRecords(_ workspace: Workspace) throws -> [String: String] {
        let response = try workspace.moto.send(HTTPRequest(
            method: "GET", url: workspace.moto.endpoint + "/2013-04-01/hostedzone/\(workspace.zoneID)/rrset?maxitems=100000"))
        var result: [String: String] = [:]
        for chunk in String(decoding: response.body, as: UTF8.self).components(separatedBy: "<ResourceRecordSet>").dropFirst() {
            let xml = chunk.components(separatedBy: "</ResourceRecordSet>").first ?? ""
            let name = Workspace.element("Name", in: xml) ?? "?", type = Workspace.element("Type", in: xml) ?? "?"
            if (type == "NS" || type == "SOA") && name == workspace.zoneName + "." { continue }
            result["\(name) \(type)"] = xml
        }
        return result
    }

    /// What Route53 counts for creating `endpoints` with their companions: the minimum number of
    /// ChangeResourceRecordSets calls (1,000 records, 32,000 characters, 1,000 changes each).
    static func minimumCreateBatches(cluster: String, endpoints: [(id: String, name: String, target: String)]) -> Int {
        var characters = 0
        for endpoint in endpoints {
            let companion = "\"heritage=external-dns,external-dns/owner=\(cluster),external-dns/resource=endpoint/\(cluster)/\(endpoint.id)\""
            characters += endpoint.target.utf8.count + companion.utf8.count
        }
        let records = endpoints.count * 2
        return max((records + 999) / 1000, (characters + 31_999) / 32_000)
    }

    @Test func createsNoOpAndChangesTakeTheFewestCalls() throws {
        let workspace = try Workspace("floor")
        let zone = workspace.zoneName
        try Self.seedForeign(workspace, count: 650)
        var endpoints = (0..<1200).map { i in (id: "e\(i)", name: "h\(i).\(zone)", target: "10.\(i / 250).\(i % 250).1") }
        try workspace.write("conf.d/floor.ini", Self.clusterFile(workspace, name: "floor", filter: zone, endpoints: endpoints))

        // Creates: 2,400 record sets, packed to the limits (here the 32,000 characters rule).
        let first = try workspace.run(["run"])
        #expect(first.status == 0, "\(first)")
        let minimum = Self.minimumCreateBatches(cluster: "floor", endpoints: endpoints)
        #expect(minimum == 4)
        #expect(Self.requests(workspace, "ChangeResourceRecordSets") == minimum)
        #expect(Self.requests(workspace, "ListHostedZones") == 1)

        // No-op: 650 + 2,400 + NS + SOA = 3,052 record sets, ⌈3,052 / 300⌉ = 11 pages, no batch.
        let second = try workspace.run(["run"])
        #expect(second.status == 0, "\(second)")
        #expect(Self.requests(workspace, "ListHostedZones") == 1)
        #expect(Self.requests(workspace, "ListResourceRecordSets") == 11)
        #expect(Self.requests(workspace, "ChangeResourceRecordSets") == 0)
        #expect(!workspace.metrics().contains("GetChange"))
        #expect(!workspace.metrics().contains("ListTagsForResources"))

        // 60 updates (UPSERT counts twice: 120 records) and 12 deletes (record and companion):
        // one batch, the companions of updated records untouched.
        for i in 0..<60 { endpoints[i * 20].target = "10.200.\(i).2" }
        let removed = Set((0..<12).map { $0 * 97 + 5 })
        endpoints = endpoints.enumerated().filter { !removed.contains($0.offset) }.map(\.element)
        try workspace.write("conf.d/floor.ini", Self.clusterFile(workspace, name: "floor", filter: zone, endpoints: endpoints))
        let third = try workspace.run(["run"])
        #expect(third.status == 0, "\(third)")
        #expect(Self.requests(workspace, "ChangeResourceRecordSets") == 1)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"floor\",action=\"update\"}") == 60)
        #expect(workspace.metric("dnsreconcile_applied_changes{cluster=\"floor\",action=\"delete\"}") == 12)
        let records = try Self.zoneRecords(workspace)
        #expect(records.count == 650 + 2 * (1200 - 12))
        #expect(records["h5.\(zone). A"] == nil && records["a-h5.\(zone). TXT"] == nil)
        #expect(records["h0.\(zone). A"]?.contains("10.200.0.2") == true)
    }

    /// Every call of a pass, the change batches included, goes over one kept-alive connection
    /// (counted at a proxy that keeps client connections alive, as Route53 does).
    @Test func aPassOfSeveralBatchesUsesOneConnection() throws {
        let workspace = try Workspace("onecon")
        let zone = workspace.zoneName
        let proxy = try FaultProxy(upstream: workspace.moto.endpoint)
        defer { proxy.stop() }
        let throughProxy = ["AWS_ENDPOINT_URL_ROUTE_53": proxy.endpoint]
        let endpoints = (0..<1200).map { i in (id: "e\(i)", name: "h\(i).\(zone)", target: "10.\(i / 250).\(i % 250).1") }
        try workspace.write("conf.d/onecon.ini", Self.clusterFile(workspace, name: "onecon", filter: zone, endpoints: endpoints))

        try proxy.set([])
        let first = try workspace.run(["run"], environment: throughProxy)
        #expect(first.status == 0, "\(first)")
        let calls = try proxy.calls()
        #expect(calls.filter { $0 == "change" }.count == Self.minimumCreateBatches(cluster: "onecon", endpoints: endpoints))
        #expect(calls.count > 4)
        #expect(try proxy.connections() == 1, "\(calls)")

        try proxy.set([])
        let second = try workspace.run(["run"], environment: throughProxy)
        #expect(second.status == 0, "\(second)")
        #expect(try proxy.calls().filter { $0 == "list-records" }.count == 9)
        #expect(try proxy.connections() == 1)
    }

    @Test func aSubtreeFilterReadsTheSubtreeAndTheCompanionsBesideIt() throws {
        let workspace = try Workspace("subtree")
        let zone = workspace.zoneName
        // 400 record sets outside the subtree, some sorting right next to it.
        try Self.seedForeign(workspace, count: 397)
        for name in ["app-x", "app0", "a-apq"] {
            try workspace.moto.upsertRecordSet(zoneID: workspace.zoneID, name: "\(name).\(zone).", type: "A", values: ["192.0.2.9"])
        }
        let endpoints = [(id: "root", name: "app.\(zone)", target: "203.0.113.1"),
                         (id: "a", name: "a.app.\(zone)", target: "203.0.113.2"),
                         (id: "deep", name: "x.b.app.\(zone)", target: "203.0.113.3")]
        try workspace.write("conf.d/edge.ini", Self.clusterFile(workspace, name: "edge", filter: "app.\(zone)", endpoints: endpoints))

        let first = try workspace.run(["run"])
        #expect(first.status == 0, "\(first)")
        var records = try Self.zoneRecords(workspace)
        for key in ["app.\(zone). A", "a-app.\(zone). TXT", "a.app.\(zone). A", "a-a.app.\(zone). TXT",
                    "x.b.app.\(zone). A", "a-x.b.app.\(zone). TXT"] {
            #expect(records[key] != nil, "missing \(key)")
        }

        // No-op: the subtree (6 sets: one page) and the two names beside the root where an A
        // record's companion may be (`a-app`, `cname-app`): 3 listings for a 408-set zone whose
        // full listing takes 2 pages, and nothing to change because the root's companion was found.
        let second = try workspace.run(["run"])
        #expect(second.status == 0, "\(second)")
        #expect(Self.requests(workspace, "ListResourceRecordSets") == 3)
        #expect(Self.requests(workspace, "ChangeResourceRecordSets") == 0)
        #expect(workspace.metric("dnsreconcile_registry_records{cluster=\"edge\",owner=\"self\"}") == 3)
        #expect(workspace.metric("dnsreconcile_registry_records{cluster=\"edge\",owner=\"none\"}") == 0)

        // The root goes, and its companion beside the subtree with it; nothing outside is touched.
        try workspace.write("conf.d/edge.ini", Self.clusterFile(workspace, name: "edge", filter: "app.\(zone)",
                                                                endpoints: Array(endpoints.dropFirst())))
        let third = try workspace.run(["run"])
        #expect(third.status == 0, "\(third)")
        records = try Self.zoneRecords(workspace)
        #expect(records["app.\(zone). A"] == nil)
        #expect(records["a-app.\(zone). TXT"] == nil)
        #expect(records["a.app.\(zone). A"] != nil && records["a-a.app.\(zone). TXT"] != nil)
        #expect(records.count == 400 + 4)
    }
}
