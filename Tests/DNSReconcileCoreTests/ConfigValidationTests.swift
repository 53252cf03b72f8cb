import Testing
@testable import DNSReconcileCore

@Suite struct ConfigValidationTests {
    /// Every error of the broken fixture, in file order, with its exact line and message.
    @Test func reportsEveryErrorOfABrokenFile() throws {
        let errors = ConfigFixtures.errors(try ConfigFixtures.text("broken.ini"), file: "conf.d/broken.ini")
        let found = errors.map { "\($0.code) \($0.location?.description ?? "-") \($0.message)" }
        let expected = [
            "config_missing_key conf.d/broken.ini:1 the txt registry needs this cluster's owner id; "
                + "add `owner-id = ...` under [cluster] (a name unique to this cluster, e.g. owner-id = broken), "
                + "or set [registry] type = noop",
            "config_unknown_key conf.d/broken.ini:2 unknown key 'ownr-id' in [cluster]; did you mean 'owner-id'?",
            "config_conflict conf.d/broken.ini:7 [registry] txt-prefix and txt-suffix are mutually exclusive "
                + "(txt-prefix is set at conf.d/broken.ini:6); keep one",
            "config_duplicate_key conf.d/broken.ini:8 [registry] txt-prefix is already set at line 6; keep only one",
            "config_bad_value conf.d/broken.ini:11 [provider \"route53\"] batch-change-size: '5000' is not valid; "
                + "write a whole number from 1 to 1000",
            "config_bad_value conf.d/broken.ini:12 [provider \"route53\"] policy: 'delete-everything' is not valid; "
                + "write one of sync, upsert-only, create-only",
            "config_unknown_section conf.d/broken.ini:14 unknown source plugin \"kubernets\" in [source \"kubernets\"]; "
                + "did you mean \"kubernetes\"? Known source plugins: kubernetes, manifest",
            "config_missing_key conf.d/broken.ini:19 [endpoint \"web\"] aws-weight: weighted routing needs a set identifier; "
                + "add set-identifier = ... (unique among the record sets of this name and type)",
            "config_unknown_section conf.d/broken.ini:21 unknown section [safty]; did you mean [safety]?",
            "config_syntax conf.d/broken.ini:24 'this line is wrong' is neither key = value, a [section] header nor a comment (# or ;)",
        ]
        #expect(found == expected)
    }

    @Test(arguments: [
        ("typo in key", "[registry]\ntxt-prefx = a\n", "unknown key 'txt-prefx' in [registry]; did you mean 'txt-prefix'?"),
        ("underscore", "[aws]\nmax_retries = 1\n", "unknown key 'max_retries' in [aws]; did you mean 'max-retries'?"),
        ("case", "[safety]\nMax-Delete-Percent = 1\n", "unknown key 'Max-Delete-Percent' in [safety]; did you mean 'max-delete-percent'?"),
        ("other section", "[cluster]\nowner-id = a\npolicy = sync\n", "unknown key 'policy' in [cluster]; 'policy' belongs in [provider \"route53\"]"),
        ("nothing near", "[metrics]\nzzzzzzzz = 1\n", "unknown key 'zzzzzzzz' in [metrics]; valid keys: textfile-dir, file-name"),
    ])
    func suggestsTheNearestKey(id: String, text: String, message: String) {
        let role: ConfigValidator.Role = text.hasPrefix("[metrics]") ? .main : .cluster
        var validator = ConfigValidator(role: role)
        _ = validator.validate(INIParser.parse(file: "f.ini", text: text).sections)
        #expect(validator.errors.map(\.message) == [message], "\(id)")
        #expect(validator.errors.first?.code == .configUnknownKey, "\(id)")
    }

    @Test(arguments: [
        ("unknown kind", "[regsitry]\n", "unknown section [regsitry]; did you mean [registry]?"),
        ("far kind", "[database]\n", "unknown section [database]; known sections: cluster, source, endpoint, registry, provider, safety, aws, metrics, run"),
        ("named plain", "[registry \"txt\"]\n", "[registry] takes no name; write [registry] instead of [registry \"txt\"]"),
        ("unnamed source", "[source]\n", "[source] needs a plugin name: write [source \"kubernetes\"] or [source \"manifest\"]"),
        ("unknown provider", "[provider \"cloudflare\"]\n", "unknown provider plugin \"cloudflare\" in [provider \"cloudflare\"] Known provider plugins: route53"),
        ("unnamed endpoint", "[endpoint]\n", "[endpoint] needs an id: write [endpoint \"web\"] (the id is also the default name)"),
        ("main-only in cluster", "[metrics]\n", "[metrics] belongs in the main file (--config), not in a cluster file; move it there"),
    ])
    func refusesSections(id: String, text: String, message: String) {
        var validator = ConfigValidator(role: .cluster)
        _ = validator.validate(INIParser.parse(file: "f.ini", text: text).sections)
        #expect(validator.errors.map(\.message) == [message], "\(id)")
        #expect(validator.errors.first?.location == SourceLocation(file: "f.ini", line: 1), "\(id)")
    }

    @Test func endpointsAndClusterBelongInClusterFiles() {
        let (_, errors) = MainConfig.load(file: "main.ini", text: "[endpoint \"web\"]\ntargets = 1.2.3.4\n[cluster]\nowner-id = x\n")
        #expect(errors.map(\.code) == [.configUnknownSection, .configUnknownSection])
        #expect(errors.map(\.message) == [
            "endpoints belong in a cluster file of the config dir, not in the main file; move [endpoint \"web\"] there",
            "[cluster] belongs in a cluster file of the config dir, not in the main file; move [cluster] there",
        ])
        #expect(errors.map { $0.location?.line } == [1, 3])
    }

    @Test(arguments: [
        ("bool", "[provider \"route53\"]\nevaluate-target-health = maybe\n", "'maybe' is not valid; write true or false (also yes/no, on/off, 1/0)"),
        ("duration", "[run]\ndeadline = 5 minutes\n", "'5 minutes' is not valid; write seconds (90) or a duration (90s, 5m, 1h, 1m30s) from 1 to 86400 seconds"),
        ("number", "[safety]\nmax-delete-percent = 120\n", "'120' is not valid; write a number from 0 to 100"),
        ("choice list", "[registry]\nmanaged-record-types = A, BOGUS\n", "'BOGUS' is not valid; write a comma-separated list of"),
        ("zone type", "[provider \"route53\"]\nzone-type = secret\n", "'secret' is not valid; write one of public, private"),
    ])
    func badValuesSayTheAcceptedForm(id: String, text: String, message: String) {
        let (_, errors) = MainConfig.load(file: "main.ini", text: text)
        #expect(errors.count == 1, "\(id)")
        #expect(errors.first?.code == .configBadValue, "\(id)")
        #expect(errors.first?.location?.line == 2, "\(id)")
        #expect(errors.first?.message.contains(message) == true, "\(id): \(errors.first?.message ?? "")")
    }

    @Test func jsonErrorsCarryTheKeyPath() {
        let text = """
        {
          "cluster": {"owner-id": "a", "ownerid": "b"},
          "endpoint": {"web": {"targets": ["1.2.3.4"], "ttl": true}},
          "provider": {"route53": {"batch-change-size": "many"}}
        }
        """
        guard case .failure(let failure) = ClusterConfig.load(file: "c.json", text: text) else {
            Issue.record("expected errors")
            return
        }
        #expect(failure.errors.map { $0.location?.description } == [
            "c.json:2 cluster.ownerid", "c.json:3 endpoint.web.ttl", "c.json:4 provider.route53.batch-change-size",
        ])
        #expect(failure.errors.map(\.code) == [.configUnknownKey, .configBadValue, .configBadValue])
        #expect(failure.errors[0].message == "unknown key 'ownerid' in [cluster]; did you mean 'owner-id'?")
    }

    @Test func jsonAcceptsNumbersBooleansAndStringsWhereTheTypeFits() throws {
        let text = """
        {"cluster": {"owner-id": "a"},
         "provider": {"route53": {"batch-change-size": 10, "evaluate-target-health": false, "zone-ids": "Z1, Z2"}},
         "safety": {"max-delete-percent": "12.5", "min-existing-records": 0},
         "aws": {"requests-per-second": 1e1}}
        """
        let cluster = try ConfigFixtures.cluster(text, file: "c.json")
        #expect(cluster.route53.batchChangeSize == 10)
        #expect(cluster.route53.evaluateTargetHealth == false)
        #expect(cluster.route53.zoneIDs == ["Z1", "Z2"])
        #expect(cluster.safety == SafetyLimits(maxDeletePercent: 12.5, maxUpdatePercent: 30, minExistingRecords: 0))
        #expect(cluster.aws.requestsPerSecond == 10)
    }

    @Test func jsonRefusesANumberForAStringKey() {
        let errors = ConfigFixtures.errors("{\"cluster\": {\"owner-id\": 7}}", file: "c.json")
        // The bad owner-id is reported once, not a second time as missing.
        #expect(errors.map(\.code) == [.configBadValue])
        #expect(errors.first?.location?.path == "cluster.owner-id")
    }

    @Test func missingOwnerIDOnlyWithTheTXTRegistry() {
        #expect(ConfigFixtures.errors("[registry]\ntype = noop\n").isEmpty)
        let errors = ConfigFixtures.errors("", file: "/etc/dnsreconcile/conf.d/k3s.ini")
        #expect(errors.map(\.code) == [.configMissingKey])
        #expect(errors.first?.location == SourceLocation(file: "/etc/dnsreconcile/conf.d/k3s.ini"))
        #expect(errors.first?.message.contains("add `owner-id = ...` under [cluster]") == true)
    }

    @Test func requiredKeysOfPluginSections() {
        let errors = ConfigFixtures.errors(ConfigFixtures.owner + "[source \"manifest\"]\nnamespace = web\n")
        #expect(errors.map(\.code) == [.configMissingKey])
        #expect(errors.first?.location?.line == 3)
        #expect(errors.first?.message.hasPrefix("[source \"manifest\"] needs paths: add `paths = ...`") == true)
    }

    @Test(arguments: [
        ("owner id with comma", "[cluster]\nowner-id = a,b\n", DNSReconcileError.Code.configBadValue, 2),
        ("cluster name", "[cluster]\nowner-id = a\nname = a/b\n", .configBadValue, 3),
        ("zone tags", ConfigFixtures.owner + "[provider \"route53\"]\nzone-tags = =x\n", .configBadValue, 4),
        ("zone ids", ConfigFixtures.owner + "[provider \"route53\"]\nzone-ids = /hostedzone/z-1\n", .configBadValue, 4),
        ("domain", ConfigFixtures.owner + "[provider \"route53\"]\ndomain-filter = exa mple.com\n", .configBadValue, 4),
        ("endpoint url", ConfigFixtures.owner + "[aws]\nendpoint-url = localhost:5000\n", .configBadValue, 4),
        ("role arn", ConfigFixtures.owner + "[aws]\nrole-arn = admin\n", .configBadValue, 4),
        ("prefix characters", ConfigFixtures.owner + "[registry]\ntxt-prefix = a b\n", .configBadValue, 4),
    ])
    func checksValuesBeyondTheirType(id: String, text: String, code: DNSReconcileError.Code, line: Int) {
        let errors = ConfigFixtures.errors(text)
        #expect(errors.map(\.code) == [code], "\(id): \(errors)")
        #expect(errors.first?.location?.line == line, "\(id)")
    }

    @Test func fileNameMustMakeAValidClusterName() {
        let errors = ConfigFixtures.errors(ConfigFixtures.owner, file: "conf.d/my cluster.ini")
        #expect(errors.map(\.code) == [.configBadValue])
        #expect(errors.first?.message.contains("rename the file or set name = ... under [cluster]") == true)
    }

    @Test func invalidUTF8IsLocated() {
        let bytes = Array("[cluster]\nowner-id = a\n".utf8) + [0xFF, 0x0A]
        guard case .failure(let error) = ConfigFileFormat.decode(file: "c.ini", bytes: bytes) else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .configSyntax)
        #expect(error.location?.line == 3)
    }
}
