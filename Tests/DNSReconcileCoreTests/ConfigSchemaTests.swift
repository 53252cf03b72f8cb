import Testing
@testable import DNSReconcileCore

@Suite struct ConfigSchemaTests {
    /// The defaults written in the schema (read when a key is absent) and the settings structs'
    /// own initialiser defaults must agree.
    @Test func schemaDefaultsMatchTheSettingsDefaults() throws {
        let cluster = try ConfigFixtures.cluster(ConfigFixtures.owner)
        #expect(cluster.registry == RegistrySettings())
        #expect(cluster.route53 == Route53Settings())
        #expect(cluster.safety == SafetyLimits())
        #expect(cluster.aws == AWSSettings())
        let (main, errors) = MainConfig.load(file: "m.ini", text: "")
        #expect(errors.isEmpty)
        #expect(main.metrics == MetricsSettings())
        #expect(main.run == RunSettings())
    }

    /// CONTRACT §3's defaults, written out once more as the contract states them.
    @Test func defaultsAreTheContractOnes() {
        #expect(RegistrySettings().type == .txt)
        #expect(RegistrySettings().managedRecordTypes == [.a, .aaaa, .cname])
        #expect(Route53Settings().policy == "sync")
        #expect(Route53Settings().batchChangeSize == 1000)
        #expect(Route53Settings().evaluateTargetHealth)
        #expect(SafetyLimits() == SafetyLimits(maxDeletePercent: 30, maxUpdatePercent: 30, minExistingRecords: 10))
        #expect(AWSSettings().requestsPerSecond == 5)
        #expect(AWSSettings().maxRetries == 8)
        #expect(MetricsSettings().fileName == "dnsreconcile.prom")
        #expect(RunSettings().deadline == 300)
    }

    @Test func everyDefaultParsesAsItsType() throws {
        for section in ConfigSchema.sections {
            for key in section.keys {
                guard let text = key.defaultValue else { continue }
                #expect(throws: Never.self, "\(section.header) \(key.name)") {
                    _ = try ConfigValue.text(text).decode(as: key.type)
                }
            }
        }
    }

    @Test func keysAreUniqueKebabCaseWithSummaries() {
        for section in ConfigSchema.sections {
            let names = section.keys.map(\.name)
            #expect(Set(names).count == names.count, "\(section.header)")
            for key in section.keys {
                #expect(key.name.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }, "\(key.name)")
                #expect(!key.summary.isEmpty, "\(key.name)")
            }
        }
    }

    @Test func sectionsOfTheContract() {
        #expect(ConfigSchema.sections.map(\.header) == [
            "[cluster]", "[source \"kubernetes\"]", "[source \"manifest\"]", "[endpoint \"ID\"]", "[registry]",
            "[provider \"route53\"]", "[safety]", "[aws]", "[metrics]", "[run]",
        ])
        #expect(ConfigSchema.section(kind: "source", name: "manifest")?.key("paths")?.required == true)
        #expect(ConfigSchema.section(kind: "source", name: "manifest")?.key("kubeconfig") == nil)
        #expect(ConfigSchema.awsRegions.count == 38)
    }
}
