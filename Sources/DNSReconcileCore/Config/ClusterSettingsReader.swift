/// Builds the settings structs of `[registry]`, `[provider "route53"]`, `[safety]` and `[aws]`
/// from validated (and, for a cluster, merged) sections, with the checks that span keys or need
/// more than the key's type.
struct ClusterSettingsReader {
    let file: String
    let sections: [ConfigSection]
    private(set) var errors: [DNSReconcileError] = []

    init(file: String, sections: [ConfigSection]) {
        self.file = file
        self.sections = sections
    }

    struct Settings {
        var registry = RegistrySettings()
        var route53 = Route53Settings()
        var safety = SafetyLimits()
        var aws = AWSSettings()
    }

    func values(_ kind: String, _ name: String? = nil) -> SectionValues? {
        guard let schema = ConfigSchema.section(kind: kind, name: name) else { return nil }
        return SectionValues(sections.first { $0.kind == kind && $0.name == name }, schema: schema, file: file)
    }

    mutating func readSettings() -> Settings {
        var settings = Settings()
        if let values = values("registry") { settings.registry = registry(values) }
        if let values = values("provider", "route53") { settings.route53 = route53(values) }
        if let values = values("safety") {
            settings.safety = SafetyLimits(
                maxDeletePercent: values.number("max-delete-percent") ?? settings.safety.maxDeletePercent,
                maxUpdatePercent: values.number("max-update-percent") ?? settings.safety.maxUpdatePercent,
                minExistingRecords: values.integer("min-existing-records") ?? settings.safety.minExistingRecords)
        }
        if let values = values("aws") { settings.aws = aws(values) }
        return settings
    }

    /// The secret-holding files the sections name, with the lines naming them.
    func secretFiles() -> [ConfigFileReference] {
        var files: [ConfigFileReference] = []
        if let values = values("registry"), let path = values.string("txt-encrypt-key-file") {
            files.append(ConfigFileReference(key: "[registry] txt-encrypt-key-file", path: path,
                                             location: values.location("txt-encrypt-key-file"), holds: "the TXT encryption key"))
        }
        if let values = values("aws"), let path = values.string("credentials-file") {
            files.append(ConfigFileReference(key: "[aws] credentials-file", path: path,
                                             location: values.location("credentials-file"), holds: "AWS credentials"))
        }
        return files
    }

    private mutating func registry(_ values: SectionValues) -> RegistrySettings {
        var settings = RegistrySettings()
        if let type = values.string("type").flatMap(RegistrySettings.RegistryType.init(rawValue:)) { settings.type = type }
        settings.txtPrefix = values.string("txt-prefix") ?? ""
        settings.txtSuffix = values.string("txt-suffix") ?? ""
        settings.txtWildcardReplacement = values.string("txt-wildcard-replacement") ?? ""
        settings.txtEncryptKeyFile = values.string("txt-encrypt-key-file")
        settings.managedRecordTypes = values.list("managed-record-types").map { RecordType(rawValue: $0) }
        if !settings.txtPrefix.isEmpty && !settings.txtSuffix.isEmpty {
            let prefix = values.location("txt-prefix"), suffix = values.location("txt-suffix")
            // Report in the file being read, at the later of the two lines: that is usually the
            // one just added.
            let prefixFirst: Bool
            if (prefix.file == file) != (suffix.file == file) {
                prefixFirst = prefix.file == file
            } else {
                prefixFirst = (prefix.line ?? 0) > (suffix.line ?? 0)
            }
            let (here, other, otherKey) = prefixFirst ? (prefix, suffix, "txt-suffix") : (suffix, prefix, "txt-prefix")
            errors.append(DNSReconcileError(
                .configConflict,
                "[registry] txt-prefix and txt-suffix are mutually exclusive (\(otherKey) is set at \(other)); keep one",
                location: here))
        }
        for key in ["txt-prefix", "txt-suffix", "txt-wildcard-replacement"] {
            guard let text = values.string(key) else { continue }
            let allowed = text.replacingRecordTypePlaceholder()
            if !allowed.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) {
                errors.append(DNSReconcileError(
                    .configBadValue,
                    "[registry] \(key): '\(text)' must be made of letters, digits, '-', '_' and '.' (and %{record_type})",
                    location: values.location(key)))
            }
        }
        return settings
    }

    private mutating func route53(_ values: SectionValues) -> Route53Settings {
        var settings = Route53Settings()
        settings.zoneIDs = values.list("zone-ids").map { id in
            id.hasPrefix("/hostedzone/") ? String(id.dropFirst("/hostedzone/".count)) : id
        }
        for id in settings.zoneIDs where id.isEmpty || !id.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) {
            errors.append(DNSReconcileError(
                .configBadValue,
                "[provider \"route53\"] zone-ids: '\(id)' is not a hosted zone id; write ids as Route53 shows them, e.g. Z1D633PJN98FT9",
                location: values.location("zone-ids")))
        }
        for key in ["domain-filter", "exclude-domains"] {
            var domains: [String] = []
            for domain in values.list(key) {
                if AddressSyntax.isHostName(domain) {
                    domains.append(DNSName(domain).value)
                } else {
                    errors.append(DNSReconcileError(
                        .configBadValue,
                        "[provider \"route53\"] \(key): '\(domain)' is not a domain name such as example.com",
                        location: values.location(key)))
                }
            }
            if key == "domain-filter" { settings.domainFilter = domains } else { settings.excludeDomains = domains }
        }
        settings.zoneType = values.string("zone-type").flatMap(Route53Settings.ZoneType.init(rawValue:))
        for tag in values.list("zone-tags") {
            let parts = tag.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = ConfigText.trim(parts[0])
            let value = parts.count == 2 ? ConfigText.trim(parts[1]) : nil
            if key.isEmpty || settings.zoneTags.keys.contains(key) {
                errors.append(DNSReconcileError(
                    .configBadValue,
                    key.isEmpty
                        ? "[provider \"route53\"] zone-tags: '\(tag)' has no tag key; write key=value or key"
                        : "[provider \"route53\"] zone-tags: tag '\(key)' is given twice; keep one",
                    location: values.location("zone-tags")))
                continue
            }
            settings.zoneTags[key] = .some(value)
        }
        settings.policy = values.string("policy") ?? settings.policy
        settings.batchChangeSize = values.integer("batch-change-size") ?? settings.batchChangeSize
        settings.evaluateTargetHealth = values.bool("evaluate-target-health") ?? settings.evaluateTargetHealth
        return settings
    }

    private mutating func aws(_ values: SectionValues) -> AWSSettings {
        var settings = AWSSettings()
        settings.region = values.string("region")
        settings.profile = values.string("profile")
        settings.credentialsFile = values.string("credentials-file")
        settings.configFile = values.string("config-file")
        settings.roleARN = values.string("role-arn")
        settings.webIdentityTokenFile = values.string("web-identity-token-file")
        settings.endpointURL = values.string("endpoint-url")
        settings.requestsPerSecond = values.number("requests-per-second") ?? settings.requestsPerSecond
        settings.maxRetries = values.integer("max-retries") ?? settings.maxRetries
        if let region = settings.region,
           !(region.allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "-") } && region.contains("-")) {
            errors.append(DNSReconcileError(
                .configBadValue, "[aws] region: '\(region)' is not an AWS region such as us-east-1",
                location: values.location("region")))
        }
        if let arn = settings.roleARN, !arn.hasPrefix("arn:") {
            errors.append(DNSReconcileError(
                .configBadValue, "[aws] role-arn: '\(arn)' is not an ARN; write arn:aws:iam::123456789012:role/name",
                location: values.location("role-arn")))
        }
        if let url = settings.endpointURL, !(url.hasPrefix("http://") || url.hasPrefix("https://")) || url.count < 9 {
            errors.append(DNSReconcileError(
                .configBadValue, "[aws] endpoint-url: '\(url)' is not a URL; write https://host[:port]",
                location: values.location("endpoint-url")))
        }
        return settings
    }
}

extension String {
    /// The text with ExternalDNS's `%{record_type}` placeholder removed, for character checks.
    fileprivate func replacingRecordTypePlaceholder() -> String {
        var text = self
        while let range = text.firstRange(of: "%{record_type}") { text.removeSubrange(range) }
        return text
    }
}
