import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing

/// The built binary reading the seed's two clusters from fake Kubernetes API servers (RKE2 in
/// Hong Kong with nginx Ingresses, K3s in Singapore with traefik and a NodePort Service) and
/// reconciling them into one zone of the Route53 emulator.
@Suite("dnsreconcile binary with Kubernetes sources")
struct KubernetesBinaryTests {
    /// Both clusters, their API servers and the health checks their Ingresses name.
    final class Seed {
        let workspace: Workspace
        let rke2: FakeKubeAPIServer
        let k3s: FakeKubeAPIServer
        let healthCheckHK: String
        let healthCheckSG: String
        var zone: String { workspace.zoneName }

        init(_ label: String) throws {
            workspace = try Workspace(label)
            healthCheckHK = try Self.createHealthCheck(workspace.moto, ip: "203.0.113.10")
            healthCheckSG = try Self.createHealthCheck(workspace.moto, ip: "198.51.100.20")
            rke2 = try FakeKubeAPIServer()
            k3s = try FakeKubeAPIServer()
            try rke2.setObjects(try objects("rke2-hk"))
            try k3s.setObjects(try objects("k3s-sg"))

            // RKE2: bearer token and CA file; K3s: client certificate, key and CA as data.
            try rke2.writeKubeconfig(to: workspace.root + "/rke2-hk.yaml")
            try k3s.writeKubeconfig(
                to: workspace.root + "/k3s-sg.yaml",
                user: ["client-certificate-data: \(try Self.base64(k3s.clientCertificate))",
                       "client-key-data: \(try Self.base64(k3s.clientKey))"],
                cluster: ["server: \(k3s.baseURL)", "certificate-authority-data: \(try Self.base64(k3s.caCertificate))"])
            try writeCluster("rke2-hk", ingressClass: "nginx")
            try writeCluster("k3s-sg", ingressClass: "traefik")
        }

        func writeCluster(_ name: String, ingressClass: String) throws {
            try workspace.write("conf.d/\(name).ini", """
                [cluster]
                name = \(name)
                owner-id = \(name)

                [source "kubernetes"]
                kubeconfig = ../\(name).yaml
                ingress-class = \(ingressClass)

                [provider "route53"]
                domain-filter = \(zone)
                """)
        }

        /// A fixture with the zone and health check filled in.
        func objects(_ name: String) throws -> String {
            let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.appendingPathComponent("kubernetes/\(name).json")
            return try String(contentsOf: url, encoding: .utf8)
                .replacingOccurrences(of: "{{ZONE}}", with: zone)
                .replacingOccurrences(of: "{{HEALTH_CHECK}}", with: name == "rke2-hk" ? healthCheckHK : healthCheckSG)
        }

        /// `objects` with `change` applied to its JSON.
        func objects(_ name: String, _ change: (inout [String: Any]) -> Void) throws -> String {
            var document = try JSONSerialization.jsonObject(with: Data(try objects(name).utf8)) as! [String: Any]
            change(&document)
            return String(decoding: try JSONSerialization.data(withJSONObject: document), as: UTF8.self)
        }

        static func base64(_ path: String) throws -> String {
            try Data(contentsOf: URL(fileURLWithPath: path)).base64EncodedString()
        }

        static func createHealthCheck(_ moto: MotoServer, ip: String) throws -> String {
            let body = """
                <CreateHealthCheckRequest xmlns="https://route53.amazonaws.com/doc/2013-04-01/">
                <CallerReference>\(UUID().uuidString)</CallerReference><HealthCheckConfig><IPAddress>\(ip)</IPAddress>
                <Port>80</Port><Type>HTTP</Type><ResourcePath>/</ResourcePath><RequestInterval>30</RequestInterval>
                <FailureThreshold>3</FailureThreshold></HealthCheckConfig></CreateHealthCheckRequest>
                """
            let response = try moto.send(HTTPRequest(method: "POST", url: moto.endpoint + "/2013-04-01/healthcheck",
                                                     headers: [HTTPHeader("Content-Type", "application/xml")], body: Array(body.utf8)))
            let text = String(decoding: response.body, as: UTF8.self)
            guard response.status == 201, let id = Workspace.element("Id", in: text) else {
                throw DNSReconcileError(.http, "CreateHealthCheck answered \(response.status)", cause: String(text.prefix(300)))
            }
            return id
        }
    }

    @Test func seedClustersReconcileFromTheirObjectsSecondPassIsANoOpDeletingAnIngressDeletesOnlyItsRecords() throws {
        let seed = try Seed("k8s")
        let zone = seed.zone
        let first = try seed.workspace.run(["run"])
        #expect(first.status == 0, "\(first)")
        let records = try seed.workspace.recordSets()
        #expect(records.keys.sorted() == [
            "a-app.\(zone). TXT [hk]", "a-app.\(zone). TXT [sg]", "a-hk.\(zone). TXT", "a-sg.\(zone). TXT",
            "app.\(zone). A [hk]", "app.\(zone). A [sg]", "hk.\(zone). A", "sg.\(zone). A",
        ], "the traefik dashboard of RKE2 is filtered out by ingress-class; the NodePort SRV is not a managed type")

        let appHK = records["app.\(zone). A [hk]"] ?? ""
        #expect(appHK.contains("<Region>ap-east-1</Region>") && appHK.contains("<TTL>60</TTL>"), "\(appHK)")
        #expect(appHK.contains("<Value>203.0.113.10</Value>") && appHK.contains("<Value>203.0.113.11</Value>"), "\(appHK)")
        #expect(appHK.contains("<HealthCheckId>\(seed.healthCheckHK)</HealthCheckId>"), "\(appHK)")
        #expect(!appHK.contains("10.42.0.15"), "the target annotation replaces the private load balancer IP")
        let appSG = records["app.\(zone). A [sg]"] ?? ""
        #expect(appSG.contains("<Region>ap-southeast-1</Region>") && appSG.contains("<Value>198.51.100.20</Value>"), "\(appSG)")
        #expect(appSG.contains("<HealthCheckId>\(seed.healthCheckSG)</HealthCheckId>"), "\(appSG)")
        #expect(records["sg.\(zone). A"]?.contains("<Value>198.51.100.20</Value>") == true, "access: public takes the node's ExternalIP")
        #expect(records["hk.\(zone). A"]?.contains("<Value>203.0.113.10</Value>") == true, "the alpha prefix is read too")

        #expect(records["a-app.\(zone). TXT [hk]"]?.contains(
            "heritage=external-dns,external-dns/owner=rke2-hk,external-dns/resource=ingress/web/app") == true)
        #expect(records["a-app.\(zone). TXT [sg]"]?.contains("external-dns/owner=k3s-sg,external-dns/resource=ingress/web/app") == true)
        #expect(records["a-sg.\(zone). TXT"]?.contains("external-dns/owner=k3s-sg,external-dns/resource=service/web/sg") == true)
        #expect(records["a-hk.\(zone). TXT"]?.contains("external-dns/resource=ingress/web/hk") == true)
        #expect(seed.workspace.metric("dnsreconcile_source_endpoints{cluster=\"rke2-hk\"}") == 2)
        #expect(seed.workspace.metric("dnsreconcile_source_endpoints{cluster=\"k3s-sg\"}") == 3, "app, sg and the SRV record")
        #expect(seed.rke2.requests().allSatisfy { $0.hasSuffix(" bearer") })
        #expect(seed.k3s.requests().allSatisfy { $0.hasSuffix(" cert:tester") })

        let second = try seed.workspace.run(["run"])
        #expect(second.status == 0, "\(second)")
        #expect(!seed.workspace.metrics().contains("operation=\"ChangeResourceRecordSets\""), "\(seed.workspace.metrics())")
        #expect(try seed.workspace.recordSets() == records)

        try seed.rke2.setObjects(try seed.objects("rke2-hk") { document in
            document["ingresses"] = (document["ingresses"] as! [[String: Any]]).filter {
                ($0["metadata"] as! [String: Any])["name"] as? String != "hk"
            }
        })
        let third = try seed.workspace.run(["run"])
        #expect(third.status == 0, "\(third)")
        var expected = records
        expected["hk.\(zone). A"] = nil
        expected["a-hk.\(zone). TXT"] = nil
        #expect(try seed.workspace.recordSets() == expected)
        #expect(third.stderr.contains("delete A hk.\(zone)"), "\(third)")
        #expect(seed.workspace.metric("dnsreconcile_applied_changes{cluster=\"rke2-hk\",action=\"delete\"}") == 1)
        #expect(seed.workspace.metric("dnsreconcile_applied_changes{cluster=\"k3s-sg\",action=\"delete\"}") == 0)
    }

    @Test func aMalformedAnnotationHoldsTheRecordsWithOneWarningAndIsCounted() throws {
        let seed = try Seed("k8sbad")
        let zone = seed.zone
        #expect(try seed.workspace.run(["run"]).status == 0)
        let before = try seed.workspace.recordSets()

        try seed.rke2.setObjects(try seed.objects("rke2-hk") { document in
            var ingresses = document["ingresses"] as! [[String: Any]]
            var metadata = ingresses[0]["metadata"] as! [String: Any]
            var annotations = metadata["annotations"] as! [String: String]
            annotations["external-dns.kubernetes.io/ttl"] = "sixty"
            annotations["external-dns.kubernetes.io/target"] = "203.0.113.99"
            metadata["annotations"] = annotations
            ingresses[0]["metadata"] = metadata
            // Both prefixes on the other Ingress: the first listed wins, and the pass says so.
            var hk = ingresses[1]["metadata"] as! [String: Any]
            hk["annotations"] = ["external-dns.kubernetes.io/target": "203.0.113.10",
                                 "external-dns.alpha.kubernetes.io/target": "203.0.113.77"]
            ingresses[1]["metadata"] = hk
            document["ingresses"] = ingresses
        })
        let result = try seed.workspace.run(["run"])
        #expect(result.status == 0, "\(result)")
        #expect(try seed.workspace.recordSets() == before, "neither updated nor deleted")
        #expect(result.stderr.contains("warning source kubernetes: ingress/web/hk: both external-dns.kubernetes.io/target and "
                                           + "external-dns.alpha.kubernetes.io/target are set; using external-dns.kubernetes.io/target"),
                "\(result)")
        let warnings = result.stderr.split(separator: "\n").filter { $0.contains("skipped invalid endpoint") }
        #expect(warnings.count == 1, "\(result)")
        #expect(warnings.first?.contains("ingress/web/app: annotation external-dns.kubernetes.io/ttl: 'sixty' is not valid") == true,
                "\(result)")
        #expect(warnings.first?.contains("holding app.\(zone)") == true, "\(result)")
        #expect(seed.workspace.metric("dnsreconcile_source_invalid_endpoints{cluster=\"rke2-hk\"}") == 1)
        #expect(seed.workspace.metric("dnsreconcile_source_invalid_endpoints{cluster=\"k3s-sg\"}") == 0)
    }

    @Test func anUnreachableAPIServerFailsOnlyItsCluster() throws {
        let seed = try Seed("k8sdown")
        let closed = "https://127.0.0.1:\(ExternalTools.freePort())"
        try seed.rke2.writeKubeconfig(to: seed.workspace.root + "/rke2-hk.yaml",
                                      cluster: ["server: \(closed)", "certificate-authority: \(seed.rke2.caCertificate)"])
        let result = try seed.workspace.run(["run"])
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("cannot reach the Kubernetes API server \(closed)"), "\(result)")
        #expect(result.stderr.contains("could not connect"), "\(result)")
        #expect(seed.workspace.metric("dnsreconcile_run_success{cluster=\"rke2-hk\"}") == 0)
        #expect(seed.workspace.metric("dnsreconcile_run_success{cluster=\"k3s-sg\"}") == 1)
        let records = try seed.workspace.recordSets()
        #expect(records["app.\(seed.zone). A [sg]"] != nil && records["app.\(seed.zone). A [hk]"] == nil)
    }

    @Test func twoIngressesClaimingOneRecordSetTheCurrentOwnerKeepsItAndTheOtherIsReported() throws {
        let seed = try Seed("k8sclash")
        let zone = seed.zone
        #expect(try seed.workspace.run(["run"]).status == 0)
        // A canary Ingress with a smaller target would win on targets alone; the record's
        // companion names ingress/web/app, so that one keeps it.
        try seed.k3s.setObjects(try seed.objects("k3s-sg") { document in
            var ingresses = document["ingresses"] as! [[String: Any]]
            var canary = ingresses[0]
            var metadata = canary["metadata"] as! [String: Any]
            metadata["name"] = "app-canary"
            var annotations = metadata["annotations"] as! [String: String]
            annotations["external-dns.kubernetes.io/target"] = "198.51.100.1"
            metadata["annotations"] = annotations
            canary["metadata"] = metadata
            ingresses.append(canary)
            document["ingresses"] = ingresses
        })
        let result = try seed.workspace.run(["run"])
        #expect(result.status == 0, "\(result)")
        let records = try seed.workspace.recordSets()
        #expect(records["app.\(zone). A [sg]"]?.contains("<Value>198.51.100.20</Value>") == true, "\(records)")
        #expect(result.stderr.contains("is also desired by ingress/web/app-canary with targets [198.51.100.1]; ingress/web/app keeps it"),
                "\(result)")
        #expect(seed.workspace.metric("dnsreconcile_conflicts{cluster=\"k3s-sg\"}") == 1)
    }

    @Test func checkConfigValidatesTheSourceSectionsWithoutContactingTheServer() throws {
        let workspace = try Workspace("k8scheck")
        try workspace.write("conf.d/k8s.ini", """
            [cluster]
            owner-id = k8s

            [source "kubernetes"]
            kubeconfig = /nonexistent/kubeconfig
            label-selector = app in (web
            """)
        let result = try workspace.run(["check-config"])
        #expect(result.status == 64, "\(result)")
        #expect(result.stderr.contains("k8s.ini:6"), "\(result)")
        #expect(result.stderr.contains("label-selector: 'app in (web' is not a label selector"), "\(result)")

        try workspace.write("conf.d/k8s.ini", "[cluster]\nowner-id = k8s\n\n[source \"manifest\"]\npaths = manifests/*.yaml\n")
        let good = try workspace.run(["check-config"])
        #expect(good.status == 0, "the manifests are read by the pass, not by check-config: \(good)")
    }
}
