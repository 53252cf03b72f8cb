import DNSReconcileCore
import DNSReconcileXML

/// Builds Route53 request bodies and query strings.
///
/// Real Route53 validates bodies against its XSD: the namespace is required and child order is
/// enforced (moto checks neither, so only the byte-exact unit tests guard this). Elements are
/// therefore written in the service model's member order.
enum Route53RequestBuilder {
    static let namespace = "https://route53.amazonaws.com/doc/2013-04-01/"
    /// Route53 rejects a longer batch comment.
    static let maxCommentLength = 256

    /// A ChangeResourceRecordSetsRequest body, changes in the order given.
    static func changeBatch(_ changes: [Change], comment: String?) -> [UInt8] {
        var xml = XMLWriter()
        xml.element("ChangeResourceRecordSetsRequest", namespace: namespace) { xml in
            xml.element("ChangeBatch") { xml in
                if let comment, !comment.isEmpty { xml.element("Comment", String(comment.prefix(maxCommentLength))) }
                xml.element("Changes") { xml in
                    for change in changes {
                        xml.element("Change") { xml in
                            xml.element("Action", change.action.rawValue)
                            resourceRecordSet(change.recordSet, into: &xml)
                        }
                    }
                }
            }
        }
        return xml.bytes
    }

    /// A ListTagsForResourcesRequest body (Route53 takes 1–10 ids per call).
    static func listTags(_ zoneIDs: [String]) -> [UInt8] {
        var xml = XMLWriter()
        xml.element("ListTagsForResourcesRequest", namespace: namespace) { xml in
            xml.element("ResourceIds") { xml in
                for id in zoneIDs { xml.element("ResourceId", id) }
            }
        }
        return xml.bytes
    }

    /// `k=v&k=v`, each part percent-encoded per RFC 3986 (space as `%20`, `*` as `%2A`), which is
    /// the form the signer canonicalises to, so nothing is re-encoded on the way.
    static func query(_ pairs: [(String, String)]) -> String {
        pairs.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    /// RFC 3986 percent-encoding: unreserved bytes as they are, every other byte as `%XX`.
    static func encode(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var out: [UInt8] = []
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(byte)
            default:
                out += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: - ResourceRecordSet

    /// Name, Type, SetIdentifier, Weight, Region, GeoLocation, Failover, MultiValueAnswer, TTL,
    /// ResourceRecords, AliasTarget, HealthCheckId, GeoProximityLocation: the XSD's order.
    ///
    /// An alias set never gets TTL or ResourceRecords (Route53 rejects the batch otherwise).
    private static func resourceRecordSet(_ set: RecordSet, into xml: inout XMLWriter) {
        xml.element("ResourceRecordSet") { xml in
            xml.element("Name", set.name.route53Wire)
            xml.element("Type", set.type.rawValue)
            xml.element("SetIdentifier", ifPresent: set.setIdentifier)
            if case .weighted(let weight) = set.routing { xml.element("Weight", String(weight)) }
            if case .latency(let region) = set.routing { xml.element("Region", region) }
            if case .geolocation(let location) = set.routing {
                xml.element("GeoLocation") { xml in
                    xml.element("ContinentCode", ifPresent: location.continentCode)
                    xml.element("CountryCode", ifPresent: location.countryCode)
                    xml.element("SubdivisionCode", ifPresent: location.subdivisionCode)
                }
            }
            if case .failover(let role) = set.routing { xml.element("Failover", role.rawValue) }
            if case .multiValue = set.routing { xml.element("MultiValueAnswer", "true") }
            if let alias = set.alias {
                xml.element("AliasTarget") { xml in
                    xml.element("HostedZoneId", alias.hostedZoneID)
                    xml.element("DNSName", alias.dnsName.route53Wire)
                    xml.element("EvaluateTargetHealth", alias.evaluateTargetHealth ? "true" : "false")
                }
            } else {
                if let ttl = set.ttl { xml.element("TTL", String(ttl)) }
                if !set.values.isEmpty {
                    xml.element("ResourceRecords") { xml in
                        for value in set.values {
                            xml.element("ResourceRecord") { xml in xml.element("Value", value) }
                        }
                    }
                }
            }
            xml.element("HealthCheckId", ifPresent: set.healthCheckID)
            if case .geoproximity(let location) = set.routing {
                xml.element("GeoProximityLocation") { xml in
                    xml.element("AWSRegion", ifPresent: location.awsRegion)
                    xml.element("LocalZoneGroup", ifPresent: location.localZoneGroup)
                    if location.latitude != nil || location.longitude != nil {
                        xml.element("Coordinates") { xml in
                            xml.element("Latitude", ifPresent: location.latitude)
                            xml.element("Longitude", ifPresent: location.longitude)
                        }
                    }
                    xml.element("Bias", String(location.bias))
                }
            }
        }
    }
}
