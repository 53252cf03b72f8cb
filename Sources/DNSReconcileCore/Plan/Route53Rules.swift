/// Route53's rules for a record set, checked before anything is sent.
///
/// The emulator used in tests (moto) accepts much of what Route53 rejects, and Route53 rejects a
/// whole batch for one bad record set, so the planner refuses an invalid desired record set up
/// front and reports it with Route53's own wording. Limits: route53-api.md §1.4 and §3.
public enum Route53Rules {
    public static let maxLabelBytes = 63
    /// Without the trailing dot (255 on the wire with the length bytes).
    public static let maxNameBytes = 253
    public static let ttlRange = 0...2_147_483_647
    public static let setIdentifierLength = 1...128
    public static let weightRange = 0...255
    public static let biasRange = -99...99
    public static let maxCharacterString = 255
    public static let maxValueLength = 4000
    public static let maxValues = 400
    public static let maxHealthCheckIDLength = 64
    public static let maxHostedZoneIDLength = 32

    /// Every rule `record` breaks in `zone`, each worded like the error Route53 would return;
    /// empty when Route53 would accept it.
    public static func violations(of record: RecordSet, in zone: DNSName) -> [String] {
        var problems = nameViolations(of: record.name)
        // Only built for a message: planning 50,000 valid record sets must not format 50,000.
        func change() -> String {
            "Change with [Name=\(record.name.fqdn), Type=\(record.type), SetIdentifier=\(record.setIdentifier ?? "null")]"
        }
        if !record.name.isWithin(zone) {
            problems.append("RRSet with DNS name \(record.name.fqdn) is not permitted in zone \(zone.fqdn)")
        }
        if !RecordType.route53Types.contains(record.type) {
            problems.append("Value '\(record.type)' at 'resourceRecordSet.type' failed to satisfy constraint: "
                            + "Member must satisfy enum value set: \(RecordType.route53Types.map(\.rawValue).sorted())")
        }
        problems += routingViolations(of: record, change: change)
        if let id = record.healthCheckID, id.isEmpty || id.utf8.count > maxHealthCheckIDLength {
            problems.append(lengthViolation(id, at: "healthCheckId", range: 1...maxHealthCheckIDLength))
        }
        if let alias = record.alias {
            if record.ttl != nil || !record.values.isEmpty {
                problems.append("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], "
                                + "or TrafficPolicyInstanceId], but found more than one in \(change())")
            }
            if alias.hostedZoneID.isEmpty || alias.hostedZoneID.utf8.count > maxHostedZoneIDLength {
                problems.append(lengthViolation(alias.hostedZoneID, at: "aliasTarget.hostedZoneId", range: 1...maxHostedZoneIDLength))
            }
            if alias.dnsName.value.isEmpty {
                problems.append(lengthViolation("", at: "aliasTarget.DNSName", range: 1...1024))
            } else {
                problems += nameViolations(of: alias.dnsName)
            }
        } else {
            if let ttl = record.ttl {
                if !ttlRange.contains(ttl) { problems.append(rangeViolation(ttl, at: "TTL", range: ttlRange)) }
            } else {
                problems.append("Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], "
                                + "or TrafficPolicyInstanceId], but found none in \(change())")
            }
            problems += valueViolations(of: record, in: zone)
        }
        return problems
    }

    /// Label and name lengths of `name` (canonical, decoded form).
    public static func nameViolations(of name: DNSName) -> [String] {
        // The common case, checked without splitting the name: every label 1...63 bytes.
        var label = 0, fine = name.value.utf8.count <= maxNameBytes
        for byte in name.value.utf8 where fine {
            if byte == UInt8(ascii: ".") {
                fine = label > 0
                label = 0
            } else {
                label += 1
                fine = label <= maxLabelBytes
            }
        }
        if fine && (label > 0 || name.value.isEmpty) { return [] }
        var problems: [String] = []
        if name.value.utf8.count > maxNameBytes {
            problems.append("DomainNameTooLong (Domain name is too long) encountered with '\(name.fqdn)'")
        }
        for label in name.labels {
            if label.isEmpty {
                problems.append("DomainLabelEmpty (Domain label is empty) encountered with '\(name.fqdn)'")
                break
            }
            if label.utf8.count > maxLabelBytes {
                problems.append("DomainLabelTooLong (Domain label is too long) encountered with '\(label)'")
            }
        }
        return problems
    }

    /// A TXT or SPF value: one or more double-quoted character strings separated by spaces,
    /// each at most 255 characters once its escapes (`\"`, `\\`, `\DDD`) are decoded.
    public static func characterStringViolations(of value: String) -> [String] {
        var text = value
        return text.withUTF8 { characterStringViolations(of: value, bytes: $0) }
    }

    private static func characterStringViolations(of value: String, bytes: UnsafeBufferPointer<UInt8>) -> [String] {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\"), space = UInt8(ascii: " ")
        var index = 0
        var strings = 0
        while index < bytes.count {
            if bytes[index] == space { index += 1; continue }
            guard bytes[index] == quote else {
                return ["InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '\(value)'"]
            }
            index += 1
            var length = 0
            var closed = false
            while index < bytes.count {
                let byte = bytes[index]
                if byte == quote { closed = true; index += 1; break }
                if byte == backslash {
                    let isOctal = index + 3 < bytes.count
                        && (index + 1...index + 3).allSatisfy { bytes[$0] >= 48 && bytes[$0] <= 57 }
                    index += isOctal ? 4 : 2
                } else {
                    index += 1
                }
                length += 1
            }
            guard closed, index == bytes.count || bytes[index] == space else {
                return ["InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '\(value)'"]
            }
            if length > maxCharacterString {
                return ["CharacterStringTooLong (Value is too long) encountered with '\(value)'"]
            }
            strings += 1
        }
        if strings == 0 {
            return ["InvalidCharacterString (Value should be enclosed in quotation marks) encountered with '\(value)'"]
        }
        return []
    }

    private static func routingViolations(of record: RecordSet, change: () -> String) -> [String] {
        var problems: [String] = []
        if let id = record.setIdentifier, !setIdentifierLength.contains(id.count) {
            problems.append(lengthViolation(id, at: "setIdentifier", range: setIdentifierLength))
        }
        switch record.routing {
        case .simple:
            if record.setIdentifier != nil {
                problems.append("Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, "
                                + "MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found none in \(change())")
            }
            return problems
        case .weighted(let weight):
            if !weightRange.contains(weight) { problems.append(rangeViolation(weight, at: "weight", range: weightRange)) }
        case .latency(let region):
            if region.isEmpty || region.count > 64 { problems.append(lengthViolation(region, at: "region", range: 1...64)) }
        case .failover:
            break
        case .geolocation(let geo):
            let continent = geo.continentCode.map { !$0.isEmpty } ?? false
            let country = geo.countryCode.map { !$0.isEmpty } ?? false
            if continent == country {
                problems.append("Invalid request: Expected exactly one of [ContinentCode, CountryCode] in GeoLocation in \(change())")
            } else if geo.subdivisionCode != nil, !country {
                problems.append("Invalid request: SubdivisionCode needs a CountryCode in GeoLocation in \(change())")
            }
        case .geoproximity(let geo):
            let given = [geo.awsRegion != nil, geo.localZoneGroup != nil, geo.latitude != nil || geo.longitude != nil]
            if given.filter({ $0 }).count != 1 {
                problems.append("Invalid request: Expected exactly one of [AWSRegion, LocalZoneGroup, Coordinates] "
                                + "in GeoProximityLocation in \(change())")
            } else if (geo.latitude == nil) != (geo.longitude == nil) {
                problems.append("Invalid request: Coordinates need both Latitude and Longitude in \(change())")
            }
            for (axis, value, digits, limit) in [("latitude", geo.latitude, 2, 90.0), ("longitude", geo.longitude, 3, 180.0)] {
                guard let value, !EndpointSectionReader.isCoordinate(value, digits: digits, limit: limit) else { continue }
                problems.append("Value '\(value)' at 'resourceRecordSet.geoProximityLocation.coordinates.\(axis)' failed to "
                                + "satisfy constraint: Member must satisfy regular expression pattern: "
                                + "[-+]?[0-9]{1,\(digits)}(\\.[0-9]{0,2})? and lie within ±\(Int(limit))")
            }
            if !biasRange.contains(geo.bias) { problems.append(rangeViolation(geo.bias, at: "bias", range: biasRange)) }
        case .multiValue:
            break
        }
        if record.setIdentifier == nil {
            problems.append("Invalid request: Missing field 'SetIdentifier' in \(change())")
        }
        return problems
    }

    private static func valueViolations(of record: RecordSet, in zone: DNSName) -> [String] {
        var problems: [String] = []
        if record.values.isEmpty {
            problems.append("Value '[]' at 'resourceRecordSet.resourceRecords' failed to satisfy constraint: "
                            + "Member must have length greater than or equal to 1")
        }
        if record.values.count > maxValues {
            problems.append("TooManyResourceRecords (\(record.values.count) values, at most \(maxValues) per record set) "
                            + "encountered with '\(record.name.fqdn)'")
        }
        var seen: Set<String> = []
        for value in record.values {
            if value.utf8.count > maxValueLength && value.count > maxValueLength {
                problems.append("Value at 'resourceRecordSet.resourceRecords.member.value' failed to satisfy constraint: "
                                + "Member must have length less than or equal to \(maxValueLength)")
                continue
            }
            if record.values.count > 1, !seen.insert(value).inserted {
                problems.append("Duplicate Resource Record: '\(value)'")
            }
            switch record.type {
            case .a where IPAddress.ipv4(value) == nil:
                problems.append("ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '\(value)'")
            case .aaaa where IPAddress.ipv6(value) == nil:
                problems.append("AAAARRDATAIllegalIPv6Address (Value is not a valid IPv6 address) encountered with '\(value)'")
            case .txt, .spf:
                problems += characterStringViolations(of: value)
            default:
                break
            }
        }
        if record.type == .cname {
            if record.values.count > 1 {
                problems.append("RRSet of type CNAME with DNS name \(record.name.fqdn) has \(record.values.count) "
                                + "resource records; a CNAME has exactly one")
            }
            if record.name == zone {
                problems.append("RRSet of type CNAME with DNS name \(record.name.fqdn) is not permitted at apex in zone \(zone.fqdn)")
            }
        }
        return problems
    }

    private static func rangeViolation(_ value: Int, at field: String, range: ClosedRange<Int>) -> String {
        let bound = value < range.lowerBound
            ? "greater than or equal to \(range.lowerBound)" : "less than or equal to \(range.upperBound)"
        return "Value '\(value)' at 'resourceRecordSet.\(field)' failed to satisfy constraint: Member must have value \(bound)"
    }

    private static func lengthViolation(_ value: String, at field: String, range: ClosedRange<Int>) -> String {
        "Value '\(value)' at 'resourceRecordSet.\(field)' failed to satisfy constraint: "
            + "Member must have length between \(range.lowerBound) and \(range.upperBound)"
    }
}
