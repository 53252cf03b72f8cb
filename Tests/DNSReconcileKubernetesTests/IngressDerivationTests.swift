import DNSReconcileCore
@testable import DNSReconcileKubernetes
import Testing

@Suite("Ingress endpoints as ExternalDNS derives them")
struct IngressDerivationTests {
    let prefix = "external-dns.kubernetes.io/"

    @Test func rulesTLSHostsAndHostnameAnnotationAreUnionedWithTheLoadBalancerTargets() throws {
        let yaml = Derivation.ingress("app", hosts: ["a.example.com", "b.example.com"], lbIP: "192.0.2.1",
                                      lbHostname: "lb.example.net", tlsHosts: ["a.example.com", "*.w.example.com"],
                                      annotations: [prefix + "hostname": "c.example.com, d.example.com."])
        let result = try Derivation.run(yaml)
        #expect(Derivation.summary(result) == [
            "A *.w.example.com 192.0.2.1", "CNAME *.w.example.com lb.example.net",
            "A a.example.com 192.0.2.1", "CNAME a.example.com lb.example.net",
            "A b.example.com 192.0.2.1", "CNAME b.example.com lb.example.net",
            "A c.example.com 192.0.2.1", "CNAME c.example.com lb.example.net",
            "A d.example.com 192.0.2.1", "CNAME d.example.com lb.example.net",
        ])
        #expect(result.endpoints.allSatisfy { $0.resource == "ingress/web/app" })
        #expect(result.invalid.isEmpty && result.warnings.isEmpty)
    }

    @Test func targetAnnotationOverridesTheStatusAndIPv6GivesAAAA() throws {
        let yaml = Derivation.ingress("app", hosts: ["a.example.com"],
                                      annotations: [prefix + "target": "203.0.113.10, 2001:db8::1,203.0.113.11."])
        #expect(Derivation.summary(try Derivation.run(yaml)) == [
            "A a.example.com 203.0.113.10,203.0.113.11", "AAAA a.example.com 2001:db8::1",
        ])
    }

    @Test func noLoadBalancerStatusMeansNoRecords() throws {
        let yaml = Derivation.ingress("app", hosts: ["a.example.com"], lbIP: nil)
        let result = try Derivation.run(yaml)
        #expect(result.endpoints.isEmpty && result.invalid.isEmpty)
    }

    @Test func defaultTargetsReplaceDerivedTargetsButNotTheTargetAnnotation() throws {
        let settings = try Derivation.settings([("default-targets", "198.51.100.7")])
        let yaml = Derivation.ingress("derived", hosts: ["a.example.com"], lbIP: "10.0.0.5") + "---\n"
            + Derivation.ingress("explicit", hosts: ["b.example.com"], annotations: [prefix + "target": "203.0.113.1"]) + "---\n"
            + Derivation.ingress("pending", hosts: ["c.example.com"], lbIP: nil)
        #expect(Derivation.summary(try Derivation.run(yaml, settings: settings)) == [
            "A a.example.com 198.51.100.7", "A b.example.com 203.0.113.1",
        ])
    }

    @Test(arguments: [
        ("defined-hosts-only", ["A rule.example.com 10.0.0.5"]),
        ("Annotation-Only", ["A note.example.com 10.0.0.5"]),
    ])
    func ingressHostnameSourceRestrictsTheNames(_ value: String, _ expected: [String]) throws {
        let yaml = Derivation.ingress("app", hosts: ["rule.example.com"],
                                      annotations: [prefix + "hostname": "note.example.com",
                                                    prefix + "ingress-hostname-source": value])
        #expect(Derivation.summary(try Derivation.run(yaml)) == expected)
    }

    @Test func anUnknownIngressHostnameSourceHoldsEveryName() throws {
        let yaml = Derivation.ingress("app", hosts: ["rule.example.com"],
                                      annotations: [prefix + "hostname": "note.example.com",
                                                    prefix + "ingress-hostname-source": "both"])
        let result = try Derivation.run(yaml)
        #expect(result.endpoints.isEmpty)
        #expect(result.invalid.count == 1)
        #expect(result.invalid.first?.names == ["rule.example.com", "note.example.com"])
        #expect(result.invalid.first?.message.contains("ingress/web/app: annotation \(prefix)ingress-hostname-source: 'both'") == true)
    }

    @Test func ignoreHostnameAnnotationKeepsTheRules() throws {
        let settings = try Derivation.settings([("ignore-hostname-annotation", "true"), ("fqdn-template", "{{.Name}}.t.example.com")])
        let yaml = Derivation.ingress("app", hosts: ["rule.example.com"], annotations: [prefix + "hostname": "note.example.com"])
        #expect(Derivation.summary(try Derivation.run(yaml, settings: settings)) == ["A rule.example.com 10.0.0.5"])
    }

    @Test func fqdnTemplateNamesIngressesWithoutHosts() throws {
        let settings = try Derivation.settings([("fqdn-template", "{{.Name}}.{{.Namespace}}.example.com, {{ .Labels.team }}.example.com.")])
        let yaml = Derivation.ingress("app", hosts: [], labels: ["team": "blue"]) + "---\n"
            + Derivation.ingress("named", hosts: ["named.example.com"])
        #expect(Derivation.summary(try Derivation.run(yaml, settings: settings)) == [
            "A app.web.example.com 10.0.0.5", "A blue.example.com 10.0.0.5", "A named.example.com 10.0.0.5",
        ])
    }

    @Test func ingressClassFilterUsesTheSpecFieldThenTheAnnotation() throws {
        let settings = try Derivation.settings([("ingress-class", "nginx")])
        let yaml = Derivation.ingress("by-spec", hosts: ["spec.example.com"], className: "nginx") + "---\n"
            + Derivation.ingress("other", hosts: ["other.example.com"], className: "traefik",
                                 annotations: ["kubernetes.io/ingress.class": "nginx"]) + "---\n"
            + Derivation.ingress("by-annotation", hosts: ["annotated.example.com"],
                                 annotations: ["kubernetes.io/ingress.class": "nginx"]) + "---\n"
            + Derivation.ingress("none", hosts: ["none.example.com"])
        #expect(Derivation.summary(try Derivation.run(yaml, settings: settings)) == [
            "A annotated.example.com 10.0.0.5", "A spec.example.com 10.0.0.5",
        ])
    }

    @Test func controllerAnnotationNamingAnotherControllerSkipsTheObject() throws {
        let yaml = Derivation.ingress("mine", hosts: ["mine.example.com"], annotations: [prefix + "controller": "dns-controller"])
            + "---\n" + Derivation.ingress("theirs", hosts: ["theirs.example.com"], annotations: [prefix + "controller": "other"])
        #expect(Derivation.summary(try Derivation.run(yaml)) == ["A mine.example.com 10.0.0.5"])
    }

    @Test func namespaceLabelSelectorAndAnnotationFilter() throws {
        let yaml = Derivation.ingress("a", namespace: "web", hosts: ["a.example.com"], annotations: ["team": "blue"],
                                      labels: ["expose": "public"]) + "---\n"
            + Derivation.ingress("b", namespace: "web", hosts: ["b.example.com"], annotations: ["team": "red"],
                                 labels: ["expose": "public"]) + "---\n"
            + Derivation.ingress("c", namespace: "other", hosts: ["c.example.com"], annotations: ["team": "blue"],
                                 labels: ["expose": "public"]) + "---\n"
            + Derivation.ingress("d", namespace: "web", hosts: ["d.example.com"], annotations: ["team": "blue"])
        let settings = try Derivation.settings([("namespace", "web"), ("label-selector", "expose=public"),
                                                ("annotation-filter", "team in (blue, green)")])
        #expect(Derivation.summary(try Derivation.run(yaml, settings: settings)) == ["A a.example.com 10.0.0.5"])
    }

    @Test func resourcesKeyLimitsTheKinds() throws {
        let service = """
            apiVersion: v1
            kind: Service
            metadata: {name: lb, namespace: web, annotations: {"\(prefix)hostname": "svc.example.com"}}
            spec: {type: LoadBalancer}
            status: {loadBalancer: {ingress: [{ip: 192.0.2.9}]}}
            """
        let yaml = Derivation.ingress("app", hosts: ["ing.example.com"]) + "---\n" + service
        #expect(Derivation.summary(try Derivation.run(yaml, settings: try Derivation.settings([("resources", "service")])))
                    == ["A svc.example.com 192.0.2.9"])
        #expect(Derivation.summary(try Derivation.run(yaml, settings: try Derivation.settings([("resources", "ingress")])))
                    == ["A ing.example.com 10.0.0.5"])
    }

    @Test func identicalEndpointsOfTwoIngressesFoldIntoTheSmallestResource() throws {
        let yaml = Derivation.ingress("z-api", hosts: ["app.example.com"]) + "---\n"
            + Derivation.ingress("a-web", hosts: ["app.example.com"])
        let result = try Derivation.run(yaml)
        #expect(Derivation.summary(result) == ["A app.example.com 10.0.0.5"])
        #expect(result.endpoints.first?.resource == "ingress/web/a-web")
    }

    @Test func differingClaimsOnOneNameAreLeftForThePlannerToResolve() throws {
        let yaml = Derivation.ingress("one", hosts: ["app.example.com"], lbIP: "192.0.2.1") + "---\n"
            + Derivation.ingress("two", hosts: ["app.example.com"], lbIP: "192.0.2.2")
        let result = try Derivation.run(yaml)
        #expect(result.endpoints.map(\.resource) == ["ingress/web/one", "ingress/web/two"])
        #expect(Set(result.endpoints.map(\.key)).count == 1)
    }

    @Test func manifestObjectsRememberWhereTheyWereWritten() throws {
        let yaml = "# leading comment\n" + Derivation.ingress("app", hosts: ["a.example.com"],
                                                             annotations: [prefix + "ttl": "soon"])
        let result = try Derivation.run(yaml)
        #expect(result.invalid.first?.location == SourceLocation(file: "objects.yaml", line: 2))
    }
}
