import Testing
@testable import DNSReconcileCore

@Suite struct ConfigInheritanceTests {
    func main() throws -> MainConfig {
        let (main, errors) = MainConfig.load(file: "main.ini", text: try ConfigFixtures.text("main.ini"))
        #expect(errors.isEmpty, "\(errors)")
        return main
    }

    @Test func mainFileSettings() throws {
        let main = try main()
        #expect(main.file == "main.ini")
        #expect(main.metrics == MetricsSettings(textfileDir: "/var/lib/prometheus/node-exporter", fileName: "dnsreconcile.prom"))
        #expect(main.run == RunSettings(configDirs: ["/etc/dnsreconcile/conf.d", "/srv/dnsreconcile"], lockFile: nil, deadline: 90))
        #expect(main.defaults.map(\.header) == ["[registry]", "[provider \"route53\"]", "[source \"kubernetes\"]", "[safety]", "[aws]"])
    }

    @Test func clusterInheritsKeyByKey() throws {
        let cluster = try ConfigFixtures.cluster(try ConfigFixtures.text("rke2-hk.ini"), file: "rke2-hk.ini", main: try main())
        // Cluster keys win ...
        #expect(cluster.route53.policy == "sync")
        #expect(cluster.registry.managedRecordTypes == [.a, .aaaa, .cname, .txt])
        // ... and the main file's other keys of the same section are kept.
        #expect(cluster.route53.domainFilter == ["example.com", "example.org"])
        #expect(cluster.route53.batchChangeSize == 500)
        #expect(cluster.registry.txtPrefix == "_owner.")
        // Sections the cluster does not have come whole from the main file.
        #expect(cluster.safety.maxDeletePercent == 20)
        #expect(cluster.safety.maxUpdatePercent == 30)
        #expect(cluster.aws.requestsPerSecond == 2.5)
        #expect(cluster.aws.endpointURL == "http://127.0.0.1:5000")
        // The source section is merged too.
        let source = try #require(cluster.sources.first)
        #expect(source.header == "[source \"kubernetes\"]")
        #expect(try source.list("annotation-prefix") == ["external-dns.kubernetes.io/"])
        #expect(try source.string("kubeconfig") == "/etc/rancher/rke2/rke2.yaml")
        #expect(source.entry("annotation-prefix")?.location.file == "main.ini")
    }

    @Test func emptyValueResetsAnInheritedKey() throws {
        let cluster = try ConfigFixtures.cluster(ConfigFixtures.owner + "[registry]\ntxt-prefix =\ntxt-suffix = -own\n",
                                                 main: try main())
        #expect(cluster.registry.txtPrefix == "")
        #expect(cluster.registry.txtSuffix == "-own")
    }

    @Test func conflictBetweenMainAndClusterIsReportedAtTheClusterLine() throws {
        let errors = ConfigFixtures.errors(ConfigFixtures.owner + "[registry]\ntxt-suffix = -own\n", main: try main())
        #expect(errors.map(\.code) == [.configConflict])
        #expect(errors.first?.location == SourceLocation(file: "c.ini", line: 4))
        #expect(errors.first?.message.contains("txt-prefix is set at main.ini:4") == true)
    }

    @Test func mainSourcesDoNotAddSourcesToClusters() throws {
        let cluster = try ConfigFixtures.cluster(ConfigFixtures.owner, main: try main())
        #expect(cluster.sources.isEmpty)
    }

    @Test func builtInDefaultsWithoutAnyFile() throws {
        let cluster = try ConfigFixtures.cluster(ConfigFixtures.owner, file: "/etc/dnsreconcile/conf.d/k3s-edge.conf")
        #expect(cluster == ClusterConfig(name: "k3s-edge", file: "/etc/dnsreconcile/conf.d/k3s-edge.conf", ownerID: "test"))
    }

    @Test func explicitClusterName() throws {
        let cluster = try ConfigFixtures.cluster("[cluster]\nname = rke2-hk\nowner-id = o\n", file: "a.json.ini")
        #expect(cluster.name == "rke2-hk")
        #expect(ClusterConfig.defaultName(forFile: "/x/a.b.ini") == "a.b")
        #expect(ClusterConfig.defaultName(forFile: "/x/.ini") == ".ini")
    }

    @Test func mainFileErrorsStillGiveTheValidDefaults() {
        let (main, errors) = MainConfig.load(file: "main.ini", text: "[safety]\nmax-delete-percent = x\nmax-update-percent = 5\n")
        #expect(errors.map(\.code) == [.configBadValue])
        #expect(main.defaults.first?.entries.map(\.key) == ["max-update-percent"])
    }
}
