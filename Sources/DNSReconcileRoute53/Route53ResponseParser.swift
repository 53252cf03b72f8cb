import DNSReconcileCore
import DNSReconcileXML

/// Turns Route53 response bodies into values, streaming (no DOM).
///
/// Elements are matched by local name, so the namespace (present on Route53, absent in some
/// moto and IAM-shaped bodies) does not matter, and unknown elements are skipped: a field AWS
/// adds later cannot break a listing.
enum Route53ResponseParser {
    /// One page of ListHostedZones.
    struct HostedZonesPage: Equatable {
        var zones: [HostedZone] = []
        var isTruncated = false
        var nextMarker: String?
    }

    /// One page of ListResourceRecordSets; the `next*` fields are the cursor, verbatim.
    struct RecordSetsPage: Equatable {
        var recordSets: [RecordSet] = []
        var isTruncated = false
        var nextName: String?
        var nextType: String?
        var nextIdentifier: String?
    }

    static func hostedZonesPage(_ body: [UInt8]) throws(DNSReconcileError) -> HostedZonesPage {
        try XMLReader.parse(body, documentName: "ListHostedZones response") { reader, root throws(DNSReconcileError) in
            try expectRoot(root, "ListHostedZonesResponse", reader)
            var page = HostedZonesPage()
            try reader.children { name throws(DNSReconcileError) in
                switch name {
                case "HostedZones":
                    try reader.children { child throws(DNSReconcileError) in
                        if child == "HostedZone" { page.zones.append(try hostedZone(reader)) }
                    }
                case "IsTruncated": page.isTruncated = try boolean(reader, name)
                case "NextMarker": page.nextMarker = try reader.text()
                default: break
                }
            }
            return page
        }
    }

    static func recordSetsPage(_ body: [UInt8]) throws(DNSReconcileError) -> RecordSetsPage {
        try XMLReader.parse(body, documentName: "ListResourceRecordSets response") { reader, root throws(DNSReconcileError) in
            try expectRoot(root, "ListResourceRecordSetsResponse", reader)
            var page = RecordSetsPage()
            try reader.children { name throws(DNSReconcileError) in
                switch name {
                case "ResourceRecordSets":
                    try reader.children { child throws(DNSReconcileError) in
                        if child == "ResourceRecordSet" { page.recordSets.append(try recordSet(reader)) }
                    }
                case "IsTruncated": page.isTruncated = try boolean(reader, name)
                case "NextRecordName": page.nextName = try reader.text()
                case "NextRecordType": page.nextType = try reader.text()
                case "NextRecordIdentifier": page.nextIdentifier = try reader.text()
                default: break
                }
            }
            return page
        }
    }

    /// The `ChangeInfo` of a ChangeResourceRecordSets or GetChange response, id without `/change/`.
    static func changeInfo(_ body: [UInt8], operation: String) throws(DNSReconcileError) -> ChangeInfo {
        try XMLReader.parse(body, documentName: "\(operation) response") { reader, _ throws(DNSReconcileError) in
            var id: String?, status: String?
            try reader.children { name throws(DNSReconcileError) in
                guard name == "ChangeInfo" else { return }
                try reader.children { child throws(DNSReconcileError) in
                    switch child {
                    case "Id": id = bareID(try reader.text())
                    case "Status": status = try reader.text()
                    default: break
                    }
                }
            }
            guard let id, let status else {
                throw DNSReconcileError(.xml, "\(operation) response has no ChangeInfo Id and Status")
            }
            return ChangeInfo(id: id, status: status)
        }
    }

    /// ListTagsForResources: tags by bare resource id.
    static func resourceTags(_ body: [UInt8]) throws(DNSReconcileError) -> [String: [String: String]] {
        try XMLReader.parse(body, documentName: "ListTagsForResources response") { reader, _ throws(DNSReconcileError) in
            var result: [String: [String: String]] = [:]
            try reader.children { name throws(DNSReconcileError) in
                guard name == "ResourceTagSets" else { return }
                try reader.children { set throws(DNSReconcileError) in
                    guard set == "ResourceTagSet" else { return }
                    var id: String?
                    var tags: [String: String] = [:]
                    try reader.children { field throws(DNSReconcileError) in
                        switch field {
                        case "ResourceId": id = bareID(try reader.text())
                        case "Tags":
                            try reader.children { tag throws(DNSReconcileError) in
                                guard tag == "Tag" else { return }
                                var key: String?, value = ""
                                try reader.children { part throws(DNSReconcileError) in
                                    if part == "Key" { key = try reader.text() }
                                    if part == "Value" { value = try reader.text() }
                                }
                                if let key { tags[key] = value }
                            }
                        default: break
                        }
                    }
                    if let id { result[id, default: [:]].merge(tags) { _, new in new } }
                }
            }
            return result
        }
    }

    /// Fails unless the document is the answer asked for: a 2xx HTML or JSON page from a proxy
    /// (well-formed, but no Route53 answer) must not read as an empty zone list or an empty zone.
    private static func expectRoot(_ root: String, _ expected: String, _ reader: XMLReader) throws(DNSReconcileError) {
        guard root != expected else { return }
        throw DNSReconcileError(.xml, "\(reader.documentName) is a <\(root)> document at line \(reader.line), not "
                                    + "<\(expected)>: something between here and Route53 (a proxy, a captive portal) "
                                    + "answered instead; check the endpoint URL and proxy settings", cause: "root \(root)")
    }

    /// `/hostedzone/Z123` → `Z123`; a bare id stays as it is.
    static func bareID(_ id: String) -> String {
        guard let slash = id.lastIndex(of: "/") else { return id }
        return String(id[id.index(after: slash)...])
    }

    // MARK: - Elements

    private static func hostedZone(_ reader: XMLReader) throws(DNSReconcileError) -> HostedZone {
        let line = reader.line
        var id: String?, name: String?, isPrivate = false
        try reader.children { field throws(DNSReconcileError) in
            switch field {
            case "Id": id = bareID(try reader.text())
            case "Name": name = try reader.text()
            case "Config":
                try reader.children { option throws(DNSReconcileError) in
                    if option == "PrivateZone" { isPrivate = try boolean(reader, option) }
                }
            default: break
            }
        }
        guard let id, !id.isEmpty, let name else {
            throw DNSReconcileError(.xml, "ListHostedZones response has a HostedZone without Id or Name at line \(line)",
                                    cause: "line \(line)")
        }
        return HostedZone(id: id, name: DNSName(name), isPrivate: isPrivate)
    }

    /// One ResourceRecordSet with every field this tool models, so a DELETE can echo it back.
    ///
    /// An alias set gets no TTL even when the body has one: moto sends `<TTL>0</TTL>` on aliases
    /// and real Route53 sends none. Element order is not checked (only the request side is
    /// order-sensitive).
    private static func recordSet(_ reader: XMLReader) throws(DNSReconcileError) -> RecordSet {
        let line = reader.line
        var name: String?, type: String?, setIdentifier: String?, ttl: Int?, healthCheckID: String?
        var weight: Int?, region: String?, failover: FailoverRole?, multiValue = false
        var geoLocation: GeoLocation?, geoProximity: GeoProximity?
        var values: [String] = []
        var alias: AliasTarget?
        try reader.children { field throws(DNSReconcileError) in
            switch field {
            case "Name": name = try reader.text()
            case "Type": type = try reader.text()
            case "SetIdentifier": setIdentifier = try reader.text()
            case "Weight": weight = try integer(reader, field)
            case "Region": region = try reader.text()
            case "Failover":
                let text = try reader.text()
                guard let role = FailoverRole(rawValue: text) else {
                    throw DNSReconcileError(.xml, "ListResourceRecordSets response has Failover '\(text)' in the record set "
                                                + "at line \(line), expected PRIMARY or SECONDARY", cause: "line \(line)")
                }
                failover = role
            case "MultiValueAnswer": multiValue = try boolean(reader, field)
            case "TTL": ttl = try integer(reader, field)
            case "HealthCheckId": healthCheckID = try reader.text()
            case "GeoLocation":
                var location = GeoLocation()
                try reader.children { part throws(DNSReconcileError) in
                    switch part {
                    case "ContinentCode": location.continentCode = try reader.text()
                    case "CountryCode": location.countryCode = try reader.text()
                    case "SubdivisionCode": location.subdivisionCode = try reader.text()
                    default: break
                    }
                }
                geoLocation = location
            case "GeoProximityLocation":
                var location = GeoProximity()
                try reader.children { part throws(DNSReconcileError) in
                    switch part {
                    case "AWSRegion": location.awsRegion = try reader.text()
                    case "LocalZoneGroup": location.localZoneGroup = try reader.text()
                    case "Bias": location.bias = try integer(reader, part)
                    case "Coordinates":
                        try reader.children { axis throws(DNSReconcileError) in
                            if axis == "Latitude" { location.latitude = try reader.text() }
                            if axis == "Longitude" { location.longitude = try reader.text() }
                        }
                    default: break
                    }
                }
                geoProximity = location
            case "ResourceRecords":
                try reader.children { record throws(DNSReconcileError) in
                    guard record == "ResourceRecord" else { return }
                    try reader.children { part throws(DNSReconcileError) in
                        if part == "Value" { values.append(try reader.text()) }
                    }
                }
            case "AliasTarget":
                var zoneID: String?, dnsName: String?, evaluate = false
                try reader.children { part throws(DNSReconcileError) in
                    switch part {
                    case "HostedZoneId": zoneID = try reader.text()
                    case "DNSName": dnsName = try reader.text()
                    case "EvaluateTargetHealth": evaluate = try boolean(reader, part)
                    default: break
                    }
                }
                guard let zoneID, let dnsName else {
                    throw DNSReconcileError(.xml, "ListResourceRecordSets response has an AliasTarget without HostedZoneId or "
                                                + "DNSName in the record set at line \(line)", cause: "line \(line)")
                }
                alias = AliasTarget(hostedZoneID: zoneID, dnsName: DNSName(dnsName), evaluateTargetHealth: evaluate)
            default: break
            }
        }
        guard let name, let type else {
            throw DNSReconcileError(.xml, "ListResourceRecordSets response has a ResourceRecordSet without Name or Type "
                                        + "at line \(line)", cause: "line \(line)")
        }
        let routing: RoutingPolicy
        if let weight {
            routing = .weighted(weight: weight)
        } else if let region {
            routing = .latency(region: region)
        } else if let failover {
            routing = .failover(failover)
        } else if let geoLocation {
            routing = .geolocation(geoLocation)
        } else if let geoProximity {
            routing = .geoproximity(geoProximity)
        } else if multiValue {
            routing = .multiValue
        } else {
            routing = .simple
        }
        return RecordSet(name: DNSName(name), type: RecordType(type), setIdentifier: setIdentifier, routing: routing,
                         ttl: alias == nil ? ttl : nil, values: values, alias: alias, healthCheckID: healthCheckID)
    }

    private static func integer(_ reader: XMLReader, _ field: String) throws(DNSReconcileError) -> Int {
        let line = reader.line
        let text = try reader.text()
        // Plain digits need no trimming (trimming by Character is slow on 100,000 TTLs).
        guard let value = Int(text) ?? Int(text.trimmingXMLSpace()) else {
            throw DNSReconcileError(.xml, "\(reader.documentName) has \(field) '\(text)' at line \(line), expected an integer",
                                    cause: "line \(line)")
        }
        return value
    }

    private static func boolean(_ reader: XMLReader, _ field: String) throws(DNSReconcileError) -> Bool {
        let line = reader.line
        let text = try reader.text()
        switch text == "true" || text == "false" ? text : text.trimmingXMLSpace() {
        case "true": return true
        case "false": return false
        case let other:
            throw DNSReconcileError(.xml, "\(reader.documentName) has \(field) '\(other)' at line \(line), expected true or false",
                                    cause: "line \(line)")
        }
    }
}

extension String {
    /// Without leading and trailing XML white space (no Foundation needed).
    fileprivate func trimmingXMLSpace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
