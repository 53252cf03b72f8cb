/// Turns one validated `[endpoint "id"]` section into an `Endpoint`, checking what the key types
/// alone cannot: target syntax per record type, one routing policy with its set identifier,
/// the geolocation and geoproximity combinations Route53 accepts, alias and health-check options.
struct EndpointSectionReader {
    let values: SectionValues
    let cluster: String
    /// `"<header> <key>"` of entries that validation refused.
    let rejected: Set<String>
    private(set) var errors: [DNSReconcileError] = []

    /// The routing keys, grouped by the policy they select.
    static let geolocationKeys = ["aws-geolocation-continent-code", "aws-geolocation-country-code",
                                  "aws-geolocation-subdivision-code"]
    static let geoproximityKeys = ["aws-geoproximity-region", "aws-geoproximity-local-zone-group",
                                   "aws-geoproximity-coordinates", "aws-geoproximity-bias"]
    /// The keys that `readOptions` does not read.
    static let nonOptionKeys = ["name", "type", "targets", "alias"]
    static let aliasOnlyKeys = ["aws-target-hosted-zone", "aws-evaluate-target-health"]
    static let healthCheckDetailKeys = ["health-check-port", "health-check-path", "health-check-host",
                                        "health-check-search", "health-check-interval",
                                        "health-check-failure-threshold"]

    init(section: ConfigSection, schema: ConfigSectionSchema, cluster: String, file: String,
         rejected: Set<String> = []) {
        self.values = SectionValues(section, schema: schema, file: file)
        self.cluster = cluster
        self.rejected = rejected
    }

    private var section: ConfigSection { values.section }
    private var header: String { section.header }

    /// How messages name the section; nil: its header. `EndpointOptionsReader` names the
    /// object the annotations belong to instead (or nothing).
    var subject: String?
    /// How messages name a key; absent keys are named as written. Annotations show their full
    /// name (`external-dns.kubernetes.io/ttl`).
    var keyLabels: [String: String] = [:]

    private mutating func fail(_ code: DNSReconcileError.Code, _ key: String?, _ message: String) {
        let location = key.map { values.location($0) } ?? section.location
        let named = [subject ?? header, key.map { keyLabels[$0] ?? $0 } ?? ""].filter { !$0.isEmpty }
        errors.append(DNSReconcileError(code, named.joined(separator: " ") + ": " + message, location: location))
    }

    /// The endpoint, or nil when `errors` says why not.
    mutating func read() -> Endpoint? {
        let id = section.name ?? ""
        let rawName = values.string("name") ?? id
        if let ascii = Punycode.asciiName(rawName) {
            fail(.configBadValue, values.isSet("name") ? "name" : nil,
                 "'\(rawName)' is an internationalized name, and Route53 takes names in ASCII only; write it in "
                    + "Punycode, probably \(ascii) (check it with an IDNA converter: it is not converted for you)")
        } else if !AddressSyntax.isHostName(rawName, wildcard: true) {
            fail(.configBadValue, values.isSet("name") ? "name" : nil,
                 "'\(rawName)' is not a DNS name; write a name such as app.example.com"
                    + (values.isSet("name") ? "" : " in name = ... (the section id is only the default)"))
        }
        let alias = values.bool("alias") ?? false
        let targets = values.list("targets")
        // A missing `targets` is reported by the schema's required-key check.
        guard !targets.isEmpty else { return nil }
        let type = recordType(targets: targets, alias: alias)
        let options = readOptions(alias: alias)

        guard errors.isEmpty, let type else { return nil }
        let normalizedTargets = type == .cname || alias ? targets.map { DNSName($0).value } : targets
        return Endpoint(
            name: DNSName(rawName), type: type, targets: normalizedTargets, ttl: options.ttl,
            setIdentifier: options.setIdentifier, routing: options.routing, healthCheckID: options.healthCheckID,
            alias: options.alias, healthCheck: options.healthCheck, resource: "endpoint/\(cluster)/\(id)",
            origin: section.location, hostedZoneID: options.hostedZoneID)
    }

    /// Everything but the name, type and targets: TTL, set identifier and routing policy,
    /// health checks, alias options and zone pinning. Shared with the Kubernetes sources, which
    /// read the same keys from annotations (`EndpointOptionsReader`); problems go to `errors`.
    mutating func readOptions(alias: Bool) -> EndpointOptions {
        // Most endpoints set no option (and none was refused): every option has its default,
        // and there is nothing to check.
        if rejected.isEmpty, values.setsOnly(Self.nonOptionKeys) {
            return EndpointOptions(alias: alias ? AliasOptions() : nil)
        }
        var ttl: Int?
        if let seconds = values.number("ttl") {
            if seconds != seconds.rounded(.down) {
                fail(.configBadValue, "ttl", "a TTL is a whole number of seconds, not \(seconds)")
            } else if alias {
                fail(.configConflict, "ttl", "alias records have no TTL (Route53 uses the target's); remove ttl")
            } else {
                ttl = Int(seconds)
            }
        }

        let setIdentifier = values.string("set-identifier")
        let routing = routingPolicy(setIdentifier: setIdentifier)
        let aliasOptions = aliasOptions(alias: alias)
        let healthCheck = healthCheckSpec()
        if healthCheck != nil && values.isSet("aws-health-check-id") {
            fail(.configConflict, "health-check",
                 "use either a managed health-check or an existing aws-health-check-id, not both")
        }
        let hostedZoneID = values.string("aws-hosted-zone-id").flatMap { zoneID("aws-hosted-zone-id", $0) }
        return EndpointOptions(ttl: ttl, setIdentifier: setIdentifier, routing: routing,
                               healthCheckID: values.string("aws-health-check-id"), alias: aliasOptions,
                               healthCheck: healthCheck, hostedZoneID: hostedZoneID)
    }

    /// The declared type with its targets checked, or the type the targets imply.
    private mutating func recordType(targets: [String], alias: Bool) -> RecordType? {
        // Each target is classified once (an address is never both IPv4 and IPv6: only IPv6
        // has colons).
        var ipv4Count = 0, ipv6Count = 0
        var names: [String] = []
        var firstNotIPv4: String?, firstNotIPv6: String?
        for target in targets {
            let isIPv4 = AddressSyntax.isIPv4(target)
            let isIPv6 = !isIPv4 && AddressSyntax.isIPv6(target)
            if isIPv4 { ipv4Count += 1 } else if firstNotIPv4 == nil { firstNotIPv4 = target }
            if isIPv6 { ipv6Count += 1 } else if firstNotIPv6 == nil { firstNotIPv6 = target }
            if !isIPv4 && !isIPv6 { names.append(target) }
        }
        let declaredType = values.string("type").map { RecordType(rawValue: $0) }

        if alias {
            guard targets.count == 1, names.count == 1, AddressSyntax.isHostName(names[0]) else {
                fail(.configBadValue, "targets",
                     "an alias has exactly one target, the host name it points to (e.g. my-lb.elb.amazonaws.com)")
                return nil
            }
            guard let declared = declaredType else { return .cname }
            guard [RecordType.a, .aaaa, .cname].contains(declared) else {
                fail(.configConflict, "type", "an alias endpoint has type A, AAAA or CNAME (A and AAAA), not \(declared)")
                return nil
            }
            return declared
        }

        guard let declared = declaredType else {
            if names.isEmpty && ipv6Count == 0 { return .a }
            if names.isEmpty && ipv4Count == 0 { return .aaaa }
            if ipv4Count == 0 && ipv6Count == 0 {
                if names.count == 1, AddressSyntax.isHostName(names[0]) { return .cname }
                fail(.configBadValue, "targets",
                     names.count == 1
                        ? "'\(names[0])' is neither an IP address nor a host name; fix it or set type = ..."
                        : "a CNAME has exactly one target; give one host name, or set type = ... for another record type")
                return nil
            }
            fail(.configConflict, "targets",
                 "mixes " + [ipv4Count == 0 ? nil : "IPv4", ipv6Count == 0 ? nil : "IPv6", names.isEmpty ? nil : "host name"]
                    .compactMap { $0 }.joined(separator: " and ")
                    + " targets; split them into one [endpoint] per record type (A: IPv4, AAAA: IPv6, CNAME: one host name)")
            return nil
        }
        switch declared {
        case .a:
            if let bad = firstNotIPv4 {
                fail(.configBadValue, "targets", "'\(bad)' is not an IPv4 address (type A), e.g. 203.0.113.10")
                return nil
            }
        case .aaaa:
            if let bad = firstNotIPv6 {
                fail(.configBadValue, "targets", "'\(bad)' is not an IPv6 address (type AAAA), e.g. 2001:db8::1")
                return nil
            }
        case .cname:
            guard targets.count == 1, names.count == 1, AddressSyntax.isHostName(names[0]) else {
                fail(.configBadValue, "targets", "a CNAME has exactly one target, a host name such as lb.example.net")
                return nil
            }
        default:
            break
        }
        return declared
    }

    /// True when the section writes `key`, even with a value refused by validation: a refused
    /// routing value still says which policy was meant, so it must not also cause a "no policy"
    /// error for the set identifier.
    private func given(_ key: String) -> Bool {
        // Asked for a dozen keys per endpoint: the header is only spelled out when something was refused.
        values.isSet(key) || (!rejected.isEmpty && rejected.contains(header + " " + key))
    }

    private mutating func routingPolicy(setIdentifier: String?) -> RoutingPolicy {
        // Each policy meant by the section, with its value when that value is valid.
        var meant: [(key: String, policy: RoutingPolicy?)] = []
        if given("aws-weight") {
            meant.append(("aws-weight", values.integer("aws-weight").map { .weighted(weight: $0) }))
        }
        if given("aws-region") {
            meant.append(("aws-region", values.string("aws-region").map { .latency(region: $0) }))
        }
        if given("aws-failover") {
            meant.append(("aws-failover", values.string("aws-failover").map { .failover($0 == "PRIMARY" ? .primary : .secondary) }))
        }
        // Closures rather than the method itself, which would copy the reader for each call.
        if let key = Self.geolocationKeys.first(where: { given($0) }) {
            meant.append((key, geolocation().map { .geolocation($0) }))
        }
        if let key = Self.geoproximityKeys.first(where: { given($0) }) {
            meant.append((key, geoproximity().map { .geoproximity($0) }))
        }
        if given("aws-multi-value-answer"), values.bool("aws-multi-value-answer") != false {
            meant.append(("aws-multi-value-answer", values.bool("aws-multi-value-answer") == true ? .multiValue : nil))
        }

        if meant.count > 1 {
            fail(.configConflict, meant[1].key,
                 "one record set has one routing policy, but \(meant.map(\.key).joined(separator: " and ")) are set; keep one")
            return .simple
        }
        guard let (key, policy) = meant.first else {
            if setIdentifier != nil {
                fail(.configMissingKey, "set-identifier",
                     "a set identifier needs a routing policy; add aws-weight, aws-region, aws-failover, aws-geolocation-*, "
                        + "aws-geoproximity-* or aws-multi-value-answer = true, or remove set-identifier")
            }
            return .simple
        }
        if setIdentifier == nil {
            let kind = policy?.kind ?? (key == "aws-multi-value-answer" ? "multivalue" : "this")
            fail(.configMissingKey, key,
                 "\(kind) routing needs a set identifier; add set-identifier = ... (unique among the record sets of this name and type)")
        }
        return policy ?? .simple
    }

    private mutating func geolocation() -> GeoLocation? {
        let continent = values.string("aws-geolocation-continent-code")
        var country = values.string("aws-geolocation-country-code")
        var subdivision = values.string("aws-geolocation-subdivision-code")
        var valid = true
        if let code = country {
            if code == "*" || (code.count == 2 && code.allSatisfy { $0.isASCII && $0.isLetter }) {
                country = code.uppercased()
            } else {
                fail(.configBadValue, "aws-geolocation-country-code",
                     "'\(code)' is not a country code; write two letters (ISO 3166, e.g. DE) or * for the default location")
                valid = false
            }
        }
        if let code = subdivision {
            if (1...3).contains(code.count), code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
                subdivision = code.uppercased()
            } else {
                fail(.configBadValue, "aws-geolocation-subdivision-code",
                     "'\(code)' is not a subdivision code; write 1 to 3 letters or digits (e.g. CA for California)")
                valid = false
            }
            if country == nil {
                fail(.configMissingKey, "aws-geolocation-subdivision-code",
                     "a subdivision needs its country; add aws-geolocation-country-code = ... (e.g. US)")
                valid = false
            } else if country == "*" {
                fail(.configConflict, "aws-geolocation-subdivision-code",
                     "the default location (*) has no subdivision; remove aws-geolocation-subdivision-code")
                valid = false
            }
        }
        if continent != nil && country != nil {
            fail(.configConflict, "aws-geolocation-country-code",
                 "use either aws-geolocation-continent-code or aws-geolocation-country-code, not both")
            valid = false
        }
        guard valid else { return nil }
        return GeoLocation(continentCode: continent, countryCode: country, subdivisionCode: subdivision)
    }

    private mutating func geoproximity() -> GeoProximity? {
        let region = values.string("aws-geoproximity-region")
        let group = values.string("aws-geoproximity-local-zone-group")
        let coordinates = values.string("aws-geoproximity-coordinates")
        let anchors = [region, group, coordinates].compactMap { $0 }.count
        // A location whose value was refused is reported as such, not as a missing location.
        let refused = ["aws-geoproximity-region", "aws-geoproximity-local-zone-group"].contains {
            given($0) && values.string($0) == nil
        }
        var valid = !refused
        if anchors == 0 && !refused {
            fail(.configMissingKey, "aws-geoproximity-bias",
                 "geoproximity needs a location; add aws-geoproximity-region, aws-geoproximity-local-zone-group or aws-geoproximity-coordinates")
            valid = false
        } else if anchors > 1 {
            let anchorKeys = ["aws-geoproximity-region", "aws-geoproximity-local-zone-group", "aws-geoproximity-coordinates"]
            fail(.configConflict, anchorKeys.filter(values.isSet).dropFirst().first,
                 "give one geoproximity location: aws-geoproximity-region, aws-geoproximity-local-zone-group or aws-geoproximity-coordinates")
            valid = false
        }
        var latitude: String?
        var longitude: String?
        if let coordinates {
            let parts = coordinates.split(separator: ",", omittingEmptySubsequences: false).map { ConfigText.trim($0) }
            if parts.count == 2, Self.isCoordinate(parts[0], digits: 2, limit: 90),
               Self.isCoordinate(parts[1], digits: 3, limit: 180) {
                // Written in the shortest spelling, and compared as numbers when read back.
                latitude = GeoProximity.canonicalCoordinate(parts[0])
                longitude = GeoProximity.canonicalCoordinate(parts[1])
            } else {
                fail(.configBadValue, "aws-geoproximity-coordinates",
                     "'\(coordinates)' is not \"latitude,longitude\"; write e.g. \"49.28,-123.12\" (latitude −90…90, "
                        + "longitude −180…180, at most two decimals)")
                valid = false
            }
        }
        guard valid else { return nil }
        return GeoProximity(awsRegion: region, localZoneGroup: group, latitude: latitude, longitude: longitude,
                            bias: values.integer("aws-geoproximity-bias") ?? 0)
    }

    /// Route53's coordinate syntax (`[-+]?[0-9]{1,2}(\.[0-9]{0,2})?` for a latitude, three
    /// integer digits for a longitude), within ±limit.
    static func isCoordinate(_ text: String, digits: Int, limit: Double) -> Bool {
        guard let canonical = GeoProximity.canonicalCoordinate(text), let value = Double(canonical) else { return false }
        let unsigned = text.first == "-" || text.first == "+" ? text.dropFirst() : Substring(text)
        let whole = unsigned.prefix { $0 != "." }
        return (1...digits).contains(whole.count) && abs(value) <= limit
    }

    private mutating func aliasOptions(alias: Bool) -> AliasOptions? {
        let targetZone = values.string("aws-target-hosted-zone").flatMap { zoneID("aws-target-hosted-zone", $0) }
        let evaluate = values.bool("aws-evaluate-target-health")
        guard alias else {
            for key in Self.aliasOnlyKeys where values.isSet(key) {
                fail(.configConflict, key, "applies only to alias endpoints; add alias = true or remove \(key)")
            }
            return nil
        }
        return AliasOptions(targetHostedZoneID: targetZone, evaluateTargetHealth: evaluate)
    }

    /// A bare hosted zone id (a leading `/hostedzone/` is dropped, as ExternalDNS does).
    private mutating func zoneID(_ key: String, _ raw: String) -> String? {
        let id = raw.hasPrefix("/hostedzone/") ? String(raw.dropFirst("/hostedzone/".count)) : raw
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) else {
            fail(.configBadValue, key, "'\(raw)' is not a hosted zone id; write it as Route53 shows it, e.g. Z1D633PJN98FT9")
            return nil
        }
        return id
    }

    private mutating func healthCheckSpec() -> HealthCheckSpec? {
        guard let kindName = values.string("health-check"), let kind = HealthCheckSpec.Kind(rawValue: kindName) else {
            for key in Self.healthCheckDetailKeys where values.isSet(key) {
                fail(.configConflict, key, "applies only with a managed health check; add health-check = http, https or tcp")
            }
            return nil
        }
        var valid = true
        if kind == .tcp {
            for key in ["health-check-path", "health-check-search", "health-check-host"] where values.isSet(key) {
                fail(.configConflict, key, "a tcp health check only opens a connection; remove \(key) or use http/https")
                valid = false
            }
        }
        let path = values.string("health-check-path") ?? "/"
        if !path.hasPrefix("/") || path.utf8.count > 255 {
            fail(.configBadValue, "health-check-path", "'\(path)' is not a path; start it with / (at most 255 characters)")
            valid = false
        }
        let host = values.string("health-check-host")
        if let host, !AddressSyntax.isHostName(host), !AddressSyntax.isIPv4(host), !AddressSyntax.isIPv6(host) {
            fail(.configBadValue, "health-check-host", "'\(host)' is not a host name such as app.example.com")
            valid = false
        }
        let search = values.string("health-check-search")
        if let search, search.utf8.count > 255 {
            fail(.configBadValue, "health-check-search", "the search string is longer than Route53's 255 characters")
            valid = false
        }
        guard valid else { return nil }
        return HealthCheckSpec(
            kind: kind, port: values.integer("health-check-port"), path: path, host: host, searchString: search,
            interval: values.integer("health-check-interval") ?? 30,
            failureThreshold: values.integer("health-check-failure-threshold") ?? 3)
    }
}
