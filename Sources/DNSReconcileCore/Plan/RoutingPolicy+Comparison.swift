/// Comparing routing policies the way Route53 stores them, so that reading back what was
/// written plans no change.
extension RoutingPolicy {
    /// True when Route53 holds the same routing for both.
    ///
    /// Coordinates are compared as numbers (`49.2`, `49.20` and `+49.2` are one latitude, and
    /// Route53 does not promise to return the spelling it was sent); region, local zone group
    /// and geolocation codes without regard to case. Everything else must be equal.
    func sameRouting(as other: RoutingPolicy) -> Bool {
        if self == other { return true }
        switch (self, other) {
        case let (.latency(lhs), .latency(rhs)):
            return lhs.lowercased() == rhs.lowercased()
        case let (.geolocation(lhs), .geolocation(rhs)):
            return RoutingPolicy.sameCode(lhs.continentCode, rhs.continentCode)
                && RoutingPolicy.sameCode(lhs.countryCode, rhs.countryCode)
                && RoutingPolicy.sameCode(lhs.subdivisionCode, rhs.subdivisionCode)
        case let (.geoproximity(lhs), .geoproximity(rhs)):
            return lhs.bias == rhs.bias
                && RoutingPolicy.sameCode(lhs.awsRegion, rhs.awsRegion)
                && RoutingPolicy.sameCode(lhs.localZoneGroup, rhs.localZoneGroup)
                && GeoProximity.sameCoordinate(lhs.latitude, rhs.latitude)
                && GeoProximity.sameCoordinate(lhs.longitude, rhs.longitude)
        default:
            return false
        }
    }

    private static func sameCode(_ lhs: String?, _ rhs: String?) -> Bool {
        switch (lhs, rhs) {
        case (nil, nil): true
        case let (lhs?, rhs?): lhs.lowercased() == rhs.lowercased()
        default: false
        }
    }
}

extension GeoProximity {
    /// `text` as a coordinate in its shortest decimal spelling (`+049.20` → `49.2`, `-0.0` → `0`),
    /// or nil when it is not Route53's syntax: an optional sign, digits, and an optional point
    /// followed by at most two digits.
    static func canonicalCoordinate(_ text: String) -> String? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        let parts = rest.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        let fraction = parts.count == 2 ? parts[1] : ""
        let isDigits: (Substring) -> Bool = { $0.allSatisfy { $0 >= "0" && $0 <= "9" } }
        guard !whole.isEmpty, isDigits(whole), fraction.count <= 2, isDigits(fraction) else { return nil }
        var integer = String(whole.drop { $0 == "0" })
        if integer.isEmpty { integer = "0" }
        var decimals = String(fraction)
        while decimals.last == "0" { decimals.removeLast() }
        let isZero = integer == "0" && decimals.isEmpty
        return (negative && !isZero ? "-" : "") + integer + (decimals.isEmpty ? "" : "." + decimals)
    }

    /// Equal as numbers when both are coordinates, else as text.
    static func sameCoordinate(_ lhs: String?, _ rhs: String?) -> Bool {
        guard let lhs, let rhs else { return lhs == nil && rhs == nil }
        if lhs == rhs { return true }
        guard let left = canonicalCoordinate(lhs), let right = canonicalCoordinate(rhs) else { return false }
        return left == right
    }
}
