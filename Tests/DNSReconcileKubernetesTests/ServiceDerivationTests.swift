import DNSReconcileCore
@testable import DNSReconcileKubernetes
import Testing

@Suite("Service endpoints as ExternalDNS derives them")
struct ServiceDerivationTests {
    static let prefix = "external-dns.kubernetes.io/"

    static func service(_ name: String, type: String, annotations: [String: String], spec: String = "",
                        status: String = "", namespace: String = "web") -> String {
        """
        apiVersion: v1
        kind: Service
        metadata:
          name: \(name)
          namespace: \(namespace)
        \(Derivation.map("annotations", annotations))spec:
          type: \(type)
          selector: {app: \(name)}
        \(spec)
        status:
          loadBalancer:
        \(status)
        """
    }

    static let nodes = """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Node
          metadata: {name: node-a}
          status: {addresses: [{type: InternalIP, address: 10.0.0.1}, {type: ExternalIP, address: 198.51.100.1}, {type: Hostname, address: node-a}]}
        - apiVersion: v1
          kind: Node
          metadata: {name: node-b}
          status: {addresses: [{type: InternalIP, address: 10.0.0.2}, {type: ExternalIP, address: 198.51.100.2}]}
        - apiVersion: v1
          kind: Node
          metadata: {name: node-c}
          spec: {unschedulable: true}
          status: {addresses: [{type: InternalIP, address: 10.0.0.3}, {type: ExternalIP, address: 198.51.100.3}]}
        """

    @Test func loadBalancerPublishesItsStatusOrItsExternalIPs() throws {
        let yaml = Self.service("lb", type: "LoadBalancer", annotations: [Self.prefix + "hostname": "lb.example.com"],
                                status: "    ingress: [{ip: 192.0.2.10}, {hostname: elb.example.net}]") + "\n---\n"
            + Self.service("fixed", type: "LoadBalancer", annotations: [Self.prefix + "hostname": "fixed.example.com"],
                           spec: "  externalIPs: [203.0.113.5]", status: "    ingress: [{ip: 192.0.2.11}]")
        let result = try Derivation.run(yaml)
        #expect(Derivation.summary(result) == ["A fixed.example.com 203.0.113.5", "A lb.example.com 192.0.2.10",
                                               "CNAME lb.example.com elb.example.net"])
        #expect(result.endpoints.first?.resource == "service/web/fixed")
    }

    @Test func internalHostnamePointsAtTheClusterIP() throws {
        let yaml = Self.service("lb", type: "LoadBalancer",
                                annotations: [Self.prefix + "hostname": "lb.example.com",
                                              Self.prefix + "internal-hostname": "lb.internal.example.com"],
                                spec: "  clusterIP: 10.43.0.10", status: "    ingress: [{ip: 192.0.2.10}]") + "\n---\n"
            + Self.service("plain", type: "ClusterIP", annotations: [Self.prefix + "internal-hostname": "plain.internal.example.com",
                                                                     Self.prefix + "hostname": "plain.example.com"],
                           spec: "  clusterIP: 10.43.0.11")
        #expect(Derivation.summary(try Derivation.run(yaml)) == [
            "A lb.example.com 192.0.2.10", "A lb.internal.example.com 10.43.0.10", "A plain.internal.example.com 10.43.0.11",
        ])
    }

    @Test(arguments: [
        (nil, ["A np.example.com 198.51.100.1,198.51.100.2"]),
        ("public", ["A np.example.com 198.51.100.1,198.51.100.2"]),
        ("private", ["A np.example.com 10.0.0.1,10.0.0.2"]),
    ] as [(String?, [String])])
    func nodePortPublishesSchedulableNodesByAccess(_ access: String?, _ expected: [String]) throws {
        var annotations = [Self.prefix + "hostname": "np.example.com"]
        if let access { annotations[Self.prefix + "access"] = access }
        let yaml = Self.service("np", type: "NodePort", annotations: annotations,
                                spec: "  ports: [{port: 80, nodePort: 30080, protocol: TCP}, {port: 53, nodePort: 30053, protocol: UDP}]")
            + "\n---\n" + Self.nodes
        let result = try Derivation.run(yaml)
        // SRV names (`_np._tcp.…`) sort before the host name.
        #expect(Derivation.summary(result) == [
            "SRV _np._tcp.np.example.com 0 50 30080 np.example.com.", "SRV _np._udp.np.example.com 0 50 30053 np.example.com.",
        ] + expected)
    }

    @Test func nodePortWithoutExternalIPsFallsBackToInternalIPs() throws {
        let nodes = """
            apiVersion: v1
            kind: Node
            metadata: {name: only-internal}
            status: {addresses: [{type: InternalIP, address: 10.0.0.9}]}
            """
        let yaml = Self.service("np", type: "NodePort", annotations: [Self.prefix + "hostname": "np.example.com"]) + "\n---\n" + nodes
        #expect(Derivation.summary(try Derivation.run(yaml)) == ["A np.example.com 10.0.0.9"])
    }

    @Test func localTrafficPolicyPublishesOnlyNodesWithTheBestReadyPods() throws {
        let pods = """
            apiVersion: v1
            kind: PodList
            items:
            - metadata: {name: p1, namespace: web, labels: {app: np}}
              spec: {nodeName: node-a}
              status: {phase: Running, conditions: [{type: Ready, status: "True"}]}
            - metadata: {name: p2, namespace: web, labels: {app: np}}
              spec: {nodeName: node-b}
              status: {phase: Running, conditions: [{type: Ready, status: "False"}]}
            - metadata: {name: p3, namespace: web, labels: {app: other}}
              spec: {nodeName: node-c}
              status: {phase: Running, conditions: [{type: Ready, status: "True"}]}
            """
        let yaml = Self.service("np", type: "NodePort", annotations: [Self.prefix + "hostname": "np.example.com"],
                                spec: "  externalTrafficPolicy: Local") + "\n---\n" + Self.nodes + "\n---\n" + pods
        #expect(Derivation.summary(try Derivation.run(yaml)) == ["A np.example.com 198.51.100.1"])
    }

    @Test func externalNameBecomesACNAMEUnlessItHasExternalIPs() throws {
        let yaml = Self.service("ext", type: "ExternalName", annotations: [Self.prefix + "hostname": "ext.example.com"],
                                spec: "  externalName: backend.example.net") + "\n---\n"
            + Self.service("ips", type: "ExternalName", annotations: [Self.prefix + "hostname": "ips.example.com"],
                           spec: "  externalName: backend.example.net\n  externalIPs: [192.0.2.77]")
        #expect(Derivation.summary(try Derivation.run(yaml)) == ["CNAME ext.example.com backend.example.net",
                                                                  "A ips.example.com 192.0.2.77"])
    }

    @Test func clusterIPWithoutInternalHostnameIsNotPublished() throws {
        let yaml = Self.service("plain", type: "ClusterIP", annotations: [Self.prefix + "hostname": "plain.example.com"],
                                spec: "  clusterIP: 10.43.0.11")
        let result = try Derivation.run(yaml)
        #expect(result.endpoints.isEmpty && result.invalid.isEmpty)
    }

    @Test func aServiceThatAsksForNoNameIsNotJudged() throws {
        let yaml = Self.service("quiet", type: "LoadBalancer", annotations: [Self.prefix + "ttl": "soon"],
                                status: "    ingress: [{ip: 192.0.2.10}]")
        let result = try Derivation.run(yaml)
        #expect(result.endpoints.isEmpty && result.invalid.isEmpty)
    }

    @Test func headlessServicesAreHeldNotDeleted() throws {
        let yaml = Self.service("db", type: "ClusterIP", annotations: [Self.prefix + "hostname": "db.example.com"],
                                spec: "  clusterIP: None")
        let result = try Derivation.run(yaml)
        #expect(result.endpoints.isEmpty)
        #expect(result.invalid.first?.names == ["db.example.com"])
        #expect(result.invalid.first?.message.contains("headless") == true)
    }

    @Test func serviceTypesFilter() throws {
        let yaml = Self.service("lb", type: "LoadBalancer", annotations: [Self.prefix + "hostname": "lb.example.com"],
                                status: "    ingress: [{ip: 192.0.2.10}]") + "\n---\n"
            + Self.service("ext", type: "ExternalName", annotations: [Self.prefix + "hostname": "ext.example.com"],
                           spec: "  externalName: backend.example.net")
        let settings = try Derivation.settings([("service-types", "externalname")])
        #expect(Derivation.summary(try Derivation.run(yaml, settings: settings)) == ["CNAME ext.example.com backend.example.net"])
    }

    @Test func fqdnTemplateOnlyWithoutHostnameAnnotations() throws {
        let settings = try Derivation.settings([("fqdn-template", "{{ .Name }}.{{ .Namespace }}.svc.example.com")])
        let yaml = Self.service("lb", type: "LoadBalancer", annotations: [:], status: "    ingress: [{ip: 192.0.2.10}]")
            + "\n---\n" + Self.service("named", type: "LoadBalancer", annotations: [Self.prefix + "hostname": "named.example.com"],
                                       status: "    ingress: [{ip: 192.0.2.11}]")
        #expect(Derivation.summary(try Derivation.run(yaml, settings: settings)) == [
            "A lb.web.svc.example.com 192.0.2.10", "A named.example.com 192.0.2.11",
        ])
    }

    @Test func badAccessValueHoldsTheNames() throws {
        let yaml = Self.service("np", type: "NodePort", annotations: [Self.prefix + "hostname": "np.example.com",
                                                                      Self.prefix + "access": "internet"]) + "\n---\n" + Self.nodes
        let result = try Derivation.run(yaml)
        #expect(result.endpoints.isEmpty)
        #expect(result.invalid.first?.message == "service/web/np: annotation \(Self.prefix)access: 'internet' is not valid; "
                    + "write public or private")
    }
}
