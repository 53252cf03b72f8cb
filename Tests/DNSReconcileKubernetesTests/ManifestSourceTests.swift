import DNSReconcileCore
@testable import DNSReconcileKubernetes
import Foundation
import Testing

@Suite("Manifest source")
struct ManifestSourceTests {
    static var fixtures: String {
        Bundle.module.url(forResource: "Fixtures", withExtension: nil)!.path
    }

    /// A `[source "manifest"]` section written in `configFile`.
    func source(_ paths: String, configFile: String = fixtures + "/cluster.ini",
                extra: [(String, String)] = []) throws -> ManifestSource {
        let entries = [("paths", paths)] + extra
        return try ManifestSource(section: ConfigSection(
            kind: "source", name: "manifest",
            entries: entries.enumerated().map { ConfigEntry(key: $1.0, value: .text($1.1), location: SourceLocation(file: configFile, line: $0 + 2)) },
            location: SourceLocation(file: configFile, line: 1)))
    }

    func summary(_ result: SourceResult) -> [String] {
        result.endpoints.map { "\($0.type) \($0.name.value) \($0.targets.joined(separator: ",")) \($0.resource ?? "-")" }
    }

    @Test func singleObjectListMultiDocumentAndJSONThroughAGlob() throws {
        let result = try source("manifests/*.yaml, manifests/*.json").endpoints()
        #expect(summary(result) == [
            "A first.example.com 192.0.2.12 ingress/web/first",
            "A json.example.com 203.0.113.20 service/web/json",
            "CNAME lb.example.com lb-1234.elb.amazonaws.com service/web/lb",
            "A list.example.com 192.0.2.11 ingress/web/from-list",
            "A second.example.com 192.0.2.13 ingress/web/second",
            "A single.example.com 192.0.2.10 ingress/default/single",
        ])
        #expect(result.endpoints.last?.ttl == 120)
        #expect(result.endpoints.last?.origin == SourceLocation(file: Self.fixtures + "/manifests/single.yaml", line: 2))
        #expect(result.endpoints[2].origin?.path == "items[0]")
        #expect(result.endpoints[3].origin == SourceLocation(file: Self.fixtures + "/manifests/list.yaml", line: 2, path: "items[2]"))
        #expect(result.invalid.isEmpty && result.warnings.isEmpty)
    }

    @Test func braceGlobsAndAbsolutePaths() throws {
        // In INI a comma separates list items, so a brace pattern is quoted.
        let result = try source("\"" + Self.fixtures + "/manifests/{single,multi}.yaml\"").endpoints()
        #expect(result.endpoints.map(\.name.value) == ["first.example.com", "second.example.com", "single.example.com"])
    }

    @Test func filtersApplyToManifestsToo() throws {
        let result = try source("manifests/*", extra: [("namespace", "web"), ("resources", "ingress")]).endpoints()
        #expect(result.endpoints.map(\.name.value) == ["first.example.com", "list.example.com", "second.example.com"])
    }

    @Test func aPatternThatMatchesNothingIsAWarningButNoFileAtAllFailsTheSource() throws {
        let partly = try source("manifests/single.yaml, manifests/none-*.yaml").endpoints()
        #expect(partly.endpoints.count == 1)
        #expect(partly.warnings == ["no manifest file matches \(Self.fixtures)/manifests/none-*.yaml"])

        let error = #expect(throws: DNSReconcileError.self) { try source("missing/*.yaml").endpoints() }
        #expect(error?.message.contains("no manifest file matches paths = \(Self.fixtures)/missing/*.yaml; refusing") == true,
                "\(String(describing: error))")
    }

    @Test(arguments: [
        ("bad/syntax.yaml", "syntax.yaml", 6, "did not find expected ',' or '}'"),
        ("bad/wrongtype.yaml", "wrongtype.yaml", 8,
         "the Service untyped cannot be read: metadata.annotations.external-dns.kubernetes.io/ttl must be a string, "
            + "not a number; quote the value"),
        ("bad/nokind.yaml", "nokind.yaml", 1, "this document has no kind"),
    ])
    func brokenFilesFailTheSourceWithFileAndLine(_ path: String, _ file: String, _ line: Int, _ fragment: String) throws {
        let error = #expect(throws: DNSReconcileError.self) { try source(path).endpoints() }
        #expect(error?.location?.file.hasSuffix("/bad/" + file) == true, "\(String(describing: error))")
        #expect(error?.location?.line == line, "\(String(describing: error))")
        #expect(error?.message.contains(fragment) == true, "\(String(describing: error))")
    }

    @Test(arguments: [
        ("/etc/dnsreconcile/conf.d", "manifests/a.yaml", "/etc/dnsreconcile/conf.d/manifests/a.yaml"),
        ("/etc/dnsreconcile/conf.d", "../manifests/*.yaml", "/etc/dnsreconcile/manifests/*.yaml"),
        ("/etc/dnsreconcile/conf.d", "./a/./b/../c.yaml", "/etc/dnsreconcile/conf.d/a/c.yaml"),
        ("/etc", "/abs/../x.yaml", "/x.yaml"),
        (".", "a.yaml", "a.yaml"),
        ("conf.d", "../../up.yaml", "../up.yaml"),
        ("/etc/dnsreconcile/conf.d", "~/manifests/*.yaml", "~/manifests/*.yaml"),
    ])
    func relativePathsResolveAgainstTheConfigFileDirectory(_ directory: String, _ path: String, _ expected: String) {
        #expect(LocalFiles.resolve(path, relativeTo: directory) == expected)
    }

    @Test func annotationProblemsInManifestsPointAtTheFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("dnsr-manifest-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try """
            apiVersion: v1
            kind: Service
            metadata:
              name: weighted
              namespace: web
              annotations:
                external-dns.kubernetes.io/hostname: w.example.com
                external-dns.kubernetes.io/aws-weight: "-1"
                external-dns.kubernetes.io/set-identifier: a
            spec: {type: LoadBalancer, externalIPs: [192.0.2.1]}
            """.write(toFile: directory + "/svc.yaml", atomically: true, encoding: .utf8)
        let result = try source("svc.yaml", configFile: directory + "/c.ini").endpoints()
        #expect(result.endpoints.isEmpty)
        let invalid = try #require(result.invalid.first)
        #expect(invalid.location == SourceLocation(file: directory + "/svc.yaml", line: 1))
        #expect(invalid.names == ["w.example.com"])
        #expect(invalid.message == "service/web/weighted: annotation external-dns.kubernetes.io/aws-weight: '-1' is not valid; "
                    + "write a whole number from 0 to 255")
    }
}
