import DNSReconcileCore
@testable import DNSReconcileKubernetes
import Testing

@Suite("Label selectors and fqdn-template")
struct SelectorAndTemplateTests {
    static let labels = ["app": "web", "tier": "front", "version": "3"]

    @Test(arguments: [
        ("", true),
        ("app=web", true),
        ("app==web", true),
        ("app=api", false),
        ("app!=api", true),
        ("missing!=x", true),
        ("app", true),
        ("!app", false),
        ("!missing", true),
        ("tier in (front, back)", true),
        ("tier notin (front)", false),
        ("missing notin (a)", true),
        ("missing in (a)", false),
        ("app=web, tier=back", false),
        ("app=web,tier in (front),!canary", true),
        ("version > 2", true),
        ("version < 2", false),
        ("example.com/team", false),
    ])
    func selectorsMatchAsTheAPIServerDoes(_ text: String, _ expected: Bool) throws {
        #expect(try LabelSelector(parsing: text).matches(Self.labels) == expected)
    }

    @Test(arguments: [
        ("app=we$b", "is not a valid value"),
        ("=web", "expected a key"),
        ("app in ()", "may not be empty"),
        ("app in (a", "expected ',' or ')'"),
        ("app ~ web", "expected =, ==, !=, in, notin"),
        ("app=web tier=x", "expected ','"),
        ("bad key!x=1", "after 'bad'"),
        ("version > two", "must be a whole number"),
    ])
    func badSelectorsSayWhatIsWrong(_ text: String, _ fragment: String) {
        let error = #expect(throws: LabelSelectorError.self) { try LabelSelector(parsing: text) }
        #expect(error?.description.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test func aBadSelectorInTheConfigIsALocatedConfigError() {
        let error = #expect(throws: DNSReconcileError.self) { try Derivation.settings([("label-selector", "app in (a")]) }
        #expect(error?.code == .configBadValue)
        #expect(error?.location?.line == 2)
        #expect(error?.message.hasPrefix("[source \"kubernetes\"] label-selector: 'app in (a' is not a label selector") == true)
    }

    static let service: YAMLValue = .mapping([
        "kind": .string("Service"),
        "metadata": .mapping(["name": .string("web-Frontend"), "namespace": .string("shop"),
                              "labels": .mapping(["app.kubernetes.io/name": .string("web")]),
                              "annotations": .mapping(["zone": .string("example.com.")])]),
        "spec": .mapping(["clusterIP": .string("10.43.0.7"), "ports": .sequence([.mapping(["port": .int(80)])])]),
    ])

    @Test(arguments: [
        ("{{.Name}}.{{.Namespace}}.example.com", ["web-Frontend.shop.example.com"]),
        ("{{ toLower .Name }}.example.com", ["web-frontend.example.com"]),
        ("{{ .Name | toLower }}.example.com", ["web-frontend.example.com"]),
        // Go semantics: the piped value is the last argument, so this is TrimPrefix("x-", .Name).
        ("{{ .Name | trimPrefix \"x-\" }}.example.com", ["x-.example.com"]),
        ("{{ trimPrefix .Name \"web-\" }}.example.com", ["Frontend.example.com"]),
        ("{{ trimSuffix .Name \"-Frontend\" }}.example.com", ["web.example.com"]),
        ("{{ replace \"-\" \".\" .Name }}.example.com", ["web.Frontend.example.com"]),
        ("{{ index .Labels \"app.kubernetes.io/name\" }}.{{ .Annotations.zone }}", ["web.example.com"]),
        ("{{ .Kind }}.example.com", ["Service.example.com"]),
        ("{{ .Spec.ClusterIP }}", ["10.43.0.7"]),
        ("{{printf \"%s-%s\" .Name .Namespace}}.example.com", ["web-Frontend-shop.example.com"]),
        ("b.example.com, a.example.com., b.example.com,", ["a.example.com", "b.example.com"]),
        ("{{ .Labels.missing }}x.example.com", ["x.example.com"]),
        ("{{- .Name -}} .example.com", ["web-Frontend.example.com"]),
    ])
    func templatesRenderLikeGoTemplates(_ text: String, _ expected: [String]) throws {
        #expect(try FQDNTemplate(parsing: text).hostnames(for: Self.service, kind: "Service") == expected)
    }

    @Test(arguments: [
        ("{{ if .Name }}x{{ end }}", "{{if}} is not supported"),
        ("{{ nosuch .Name }}", "unknown function nosuch"),
        ("{{ .Name", "without a closing"),
        ("{{ $x := .Name }}", "variables"),
        ("{{ (toLower .Name) }}", "parentheses are not supported"),
    ])
    func unsupportedTemplatesAreRefusedWhenTheConfigIsRead(_ text: String, _ fragment: String) {
        let error = #expect(throws: TemplateError.self) { try FQDNTemplate(parsing: text) }
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ([("annotation-prefix", "external-dns.kubernetes.io")], "must end with '/'"),
        ([("ignore-hostname-annotation", "true")], "without fqdn-template nothing would name the Services"),
        ([("ingress-class", "nginx"), ("annotation-filter", "kubernetes.io/ingress.class=nginx")], "not both"),
        ([("default-targets", "203.0.113.1, bad target!")], "'bad target!' is neither an IP address nor a host name"),
        ([("fqdn-template", "{{ .Name ")], "fqdn-template: '{{' without a closing '}}'"),
        ([("service-types", "Headless")], "service-types: 'Headless' is not valid"),
    ])
    func sourceSettingsAreCheckedWhenTheConfigIsRead(_ entries: [(String, String)], _ fragment: String) {
        let error = #expect(throws: DNSReconcileError.self) { try Derivation.settings(entries) }
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
        #expect(error?.location?.file == "/etc/dnsreconcile/conf.d/c.ini")
    }

    @Test func defaultsComeFromTheSchema() throws {
        let settings = try Derivation.settings([])
        #expect(settings.resources == ["service", "ingress"])
        #expect(settings.annotationPrefixes == ["external-dns.kubernetes.io/", "external-dns.alpha.kubernetes.io/"])
        #expect(settings.ignoreHostnameAnnotation == false)
        #expect(settings.serviceTypes.isEmpty)
    }
}
