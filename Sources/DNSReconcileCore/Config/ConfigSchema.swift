/// The configuration schema: every section and key of CONTRACT §3 with its type and default.
///
/// The single source of truth for validation, for the defaults the settings are built from, and
/// for generated documentation (the man page iterates `sections`).
public enum ConfigSchema {
    /// Plugin names accepted in `[source "…"]`.
    public static let sourcePlugins = ["kubernetes", "manifest"]
    /// Plugin names accepted in `[provider "…"]`.
    public static let providerPlugins = ["route53"]

    /// AWS regions accepted by `aws-region` (latency) and `aws-geoproximity-region`.
    public static let awsRegions = [
        "us-east-1", "us-east-2", "us-west-1", "us-west-2",
        "af-south-1",
        "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
        "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5",
        "ap-southeast-6", "ap-southeast-7",
        "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
        "ca-central-1", "ca-west-1",
        "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2",
        "eu-north-1",
        "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
        "cn-north-1", "cn-northwest-1", "us-gov-east-1", "us-gov-west-1",
    ]

    /// Route53 GeoLocation continent codes.
    public static let continentCodes = ["AF", "AN", "AS", "EU", "OC", "NA", "SA"]

    /// Record types an `[endpoint]` may declare (SOA is the zone's own).
    public static let endpointRecordTypes = RecordType.route53Types.subtracting([.soa]).map(\.rawValue).sorted()

    /// Every section, in the order of CONTRACT §3.
    public static let sections: [ConfigSectionSchema] = [
        ConfigSectionSchema(kind: "cluster", scope: .clusterOnly, summary: "The cluster's identity.", keys: [
            .init("name", .string,
                  "Cluster name used in logs, metrics and the static endpoints' resource label; default: the file name without extension."),
            .init("owner-id", .string,
                  "TXT owner id written into ownership records; required with the txt registry."),
        ]),
        ConfigSectionSchema(kind: "source", naming: .plugin("kubernetes"),
                            summary: "Services and Ingresses read from a live API server.",
                            keys: [
                                .init("kubeconfig", .string,
                                      "Kubeconfig file (relative: to this file's directory); default: the first file of "
                                        + "$KUBECONFIG, else the in-cluster service account."),
                                .init("context", .string, "Kubeconfig context; default: its current-context."),
                            ] + sourceFilterKeys),
        ConfigSectionSchema(kind: "source", naming: .plugin("manifest"),
                            summary: "Kubernetes objects read from files (YAML or JSON, List or multi-document).",
                            keys: [
                                .init("paths", .list, required: true,
                                      "Files or glob patterns of manifests (relative: to this file's directory; quote a "
                                        + "{a,b} pattern in INI); no match at all fails the source."),
                            ] + sourceFilterKeys),
        ConfigSectionSchema(kind: "endpoint", naming: .id, scope: .clusterOnly,
                            summary: "A static endpoint; the section name is only an id.",
                            keys: endpointKeys),
        ConfigSectionSchema(kind: "registry", summary: "How ownership of record sets is recorded.", keys: [
            .init("type", .choice(RegistrySettings.RegistryType.allCases.map(\.rawValue)), default: "txt",
                  "txt: ExternalDNS-compatible TXT companions; noop: no ownership records."),
            .init("txt-prefix", .string, "Prefix of companion names (may contain %{record_type})."),
            .init("txt-suffix", .string, "Suffix of companion names' first label; mutually exclusive with txt-prefix."),
            .init("txt-wildcard-replacement", .string, "Replaces * in companion names of wildcard records."),
            .init("txt-encrypt-key-file", .string,
                  "Key file for AES-256-GCM companion encryption: 32 raw bytes or standard base64."),
            .init("managed-record-types", .choiceList(RecordType.route53Types.map(\.rawValue).sorted()),
                  default: "A, AAAA, CNAME", "Record types this tool creates, updates and deletes."),
        ]),
        ConfigSectionSchema(kind: "provider", naming: .plugin("route53"),
                            summary: "The Route53 hosted zones to manage and how changes are sent.", keys: [
            .init("zone-ids", .list, "Only these hosted zone ids; default: every zone."),
            .init("domain-filter", .list, "Only zones (and names) at or below these domains."),
            .init("exclude-domains", .list, "Never touch names at or below these domains."),
            .init("zone-type", .choice(Route53Settings.ZoneType.allCases.map(\.rawValue)),
                  "public or private; empty: both."),
            .init("zone-tags", .list, "Only zones with these tags: key=value (or key for any value), comma-separated."),
            .init("policy", .choice(Route53Settings.policies), default: "sync",
                  "sync: create, update, delete; upsert-only: never delete; create-only: only create."),
            .init("batch-change-size", .integer(1...1000), default: "1000",
                  "Most record sets per ChangeResourceRecordSets call."),
            .init("evaluate-target-health", .bool, default: "true",
                  "Default of aws-evaluate-target-health for alias endpoints."),
        ]),
        ConfigSectionSchema(kind: "safety", summary: "Limits on what one pass may change without --force.", keys: [
            .init("max-delete-percent", .number(0...100), default: "30",
                  "Most deletions, in percent of the records this owner has in the zone."),
            .init("max-update-percent", .number(0...100), default: "30",
                  "Most updates, in percent of the records this owner has in the zone."),
            .init("min-existing-records", .integer(0...Int(Int32.max)), default: "10",
                  "Below this many owned records the percentages do not apply."),
        ]),
        ConfigSectionSchema(kind: "aws", summary: "AWS account access.", keys: [
            .init("region", .string,
                  "Region of the STS endpoint; default: $AWS_REGION, $AWS_DEFAULT_REGION, the profile's region, else the global endpoint."),
            .init("profile", .string, "Profile of the shared credentials and config files; default: $AWS_PROFILE, else default."),
            .init("credentials-file", .string,
                  "Shared credentials file; default: $AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials."),
            .init("config-file", .string, "Shared config file; default: $AWS_CONFIG_FILE, else ~/.aws/config."),
            .init("role-arn", .string, "Role to assume (STS AssumeRole) with the credentials found otherwise."),
            .init("web-identity-token-file", .string,
                  "Web identity token for role-arn; default: $AWS_WEB_IDENTITY_TOKEN_FILE with $AWS_ROLE_ARN (IRSA)."),
            .init("endpoint-url", .string,
                  "Route53 endpoint; default: $AWS_ENDPOINT_URL_ROUTE_53, then $AWS_ENDPOINT_URL, else https://route53.amazonaws.com."),
            .init("requests-per-second", .number(0.01...1000), default: "5",
                  "Route53 request rate, shared by every cluster of the pass that uses this account."),
            .init("max-retries", .integer(0...100), default: "8", "Retries of a throttled or failed request."),
        ]),
        ConfigSectionSchema(kind: "metrics", scope: .mainOnly, summary: "The textfile-collector metrics file.", keys: [
            .init("textfile-dir", .string, "Directory of the node-exporter textfile collector; empty: no metrics file."),
            .init("file-name", .string, default: "dnsreconcile.prom", "Name of the metrics file in textfile-dir."),
        ]),
        ConfigSectionSchema(kind: "run", scope: .mainOnly, summary: "How one pass runs.", keys: [
            .init("config-dir", .list,
                  "Directories of cluster files; default: $DNSRECONCILE_CONFIG_DIR, else /etc/dnsreconcile/conf.d."),
            .init("lock-file", .string,
                  "Lock file; default: $RUNTIME_DIRECTORY, else $XDG_RUNTIME_DIR, else /run/dnsreconcile, + /dnsreconcile.lock."),
            .init("deadline", .duration(1...86_400), default: "5m", "Time budget of the whole pass."),
            .init("request-timeout", .duration(1...600), default: "30s",
                  "Time allowed for one Route53 request, connect included; a stalled request fails and is retried."),
        ]),
    ]

    /// The filter keys shared by `[source "kubernetes"]` and `[source "manifest"]`.
    static let sourceFilterKeys: [ConfigKeySchema] = [
        .init("resources", .choiceList(["service", "ingress"]), default: "service, ingress",
              "Kinds of objects to read."),
        .init("namespace", .string, "Only this namespace; default: all namespaces."),
        .init("label-selector", .string, "Only objects matching this label selector."),
        .init("annotation-filter", .string, "Only objects whose annotations match this label-selector expression."),
        .init("ingress-class", .list, "Only Ingresses of these classes."),
        .init("service-types", .choiceList(["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]),
              "Only Services of these types; default: as ExternalDNS."),
        .init("annotation-prefix", .list, default: "external-dns.kubernetes.io/, external-dns.alpha.kubernetes.io/",
              "Annotation prefixes read, in order of precedence."),
        .init("default-targets", .list, "Targets that replace the derived ones (e.g. the cluster's public IP)."),
        .init("fqdn-template", .string, "Template of host names for objects without a hostname annotation."),
        .init("ignore-hostname-annotation", .bool, default: "false", "Ignore the hostname annotation."),
    ]

    /// The keys of `[endpoint "id"]`; routing keys are named after their annotation suffix.
    static let endpointKeys: [ConfigKeySchema] = [
        .init("name", .string, "Record name; default: the section name."),
        .init("type", .choice(endpointRecordTypes),
              "Record type; default: A for IPv4 targets, AAAA for IPv6 targets, CNAME for one host name."),
        .init("targets", .list, required: true, "IP addresses, a host name, or raw values for other types."),
        .init("ttl", .duration(0...2_147_483_647), "TTL in seconds or as a duration; default: 300 (an existing TTL is kept)."),
        .init("set-identifier", .string, "Route53 set identifier; required by every routing policy."),
        .init("aws-weight", .integer(0...255), "Weighted routing: the weight."),
        .init("aws-region", .choice(awsRegions), "Latency routing: the AWS region."),
        .init("aws-failover", .choice([FailoverRole.primary.rawValue, FailoverRole.secondary.rawValue]), "Failover routing: PRIMARY or SECONDARY."),
        .init("aws-geolocation-continent-code", .choice(continentCodes), "Geolocation routing: the continent."),
        .init("aws-geolocation-country-code", .string, "Geolocation routing: two-letter country code, or * for the default."),
        .init("aws-geolocation-subdivision-code", .string, "Geolocation routing: subdivision of the country."),
        .init("aws-geoproximity-region", .choice(awsRegions), "Geoproximity routing: the AWS region."),
        .init("aws-geoproximity-local-zone-group", .string, "Geoproximity routing: the local zone group."),
        .init("aws-geoproximity-coordinates", .string, "Geoproximity routing: \"latitude,longitude\"."),
        .init("aws-geoproximity-bias", .integer(-99...99), "Geoproximity routing: the bias."),
        .init("aws-multi-value-answer", .bool, "Multivalue answer routing when true."),
        .init("aws-health-check-id", .string, "Id of an existing Route53 health check."),
        .init("aws-evaluate-target-health", .bool,
              "Alias only: evaluate the target's health; default: the provider's evaluate-target-health."),
        .init("alias", .bool, "Make an alias record to the target host name."),
        .init("aws-target-hosted-zone", .string, "Alias only: hosted zone id of the target."),
        .init("aws-hosted-zone-id", .string, "Put the record in this hosted zone (it must be managed)."),
        .init("health-check", .choice(HealthCheckSpec.Kind.allNames), "A managed health check: http, https or tcp; empty: none."),
        .init("health-check-port", .integer(1...65535), "Port probed; default: 80 (http, tcp), 443 (https)."),
        .init("health-check-path", .string, "HTTP(S) path probed; default: /."),
        .init("health-check-host", .string, "Host header and SNI; default: the record name."),
        .init("health-check-search", .string, "A string the response body must contain (at most 255 characters)."),
        .init("health-check-interval", .choice(["10", "30"]), default: "30", "Seconds between probes: 10 or 30."),
        .init("health-check-failure-threshold", .integer(1...10), default: "3",
              "Failed probes before the target is unhealthy."),
    ]

    /// The schema of a section, by kind and (for plugin sections) name.
    public static func section(kind: String, name: String?) -> ConfigSectionSchema? {
        sections.first { schema in
            guard schema.kind == kind else { return false }
            if case .plugin(let plugin) = schema.naming { return plugin == name }
            return true
        }
    }

    /// Every distinct section kind, in schema order.
    public static let kinds: [String] = {
        var seen: [String] = []
        for section in sections where !seen.contains(section.kind) { seen.append(section.kind) }
        return seen
    }()

    /// The schemas of each kind, in schema order (several for plugin kinds): asked once per
    /// section, 50,000 times for a large cluster file.
    static let sectionsByKind: [String: [ConfigSectionSchema]] = Dictionary(grouping: sections, by: \.kind)
}

extension HealthCheckSpec.Kind {
    /// The spellings of `health-check` (the core enum is not CaseIterable).
    static let allNames = [Self.http, .https, .tcp].map(\.rawValue)
}
