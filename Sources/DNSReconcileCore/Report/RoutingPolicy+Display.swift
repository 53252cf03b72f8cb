extension RoutingPolicy {
    /// The policy and its parameter as plan output shows it: `weighted 10`, `latency ap-east-1`.
    public var displayText: String {
        switch self {
        case .simple: return "simple"
        case .weighted(let weight): return "weighted \(weight)"
        case .latency(let region): return "latency \(region)"
        case .failover(let role): return "failover \(role.rawValue)"
        case .geolocation(let location):
            var parts: [String] = []
            if let continent = location.continentCode { parts.append("continent=\(continent)") }
            if let country = location.countryCode { parts.append("country=\(country)") }
            if let subdivision = location.subdivisionCode { parts.append("subdivision=\(subdivision)") }
            return (["geolocation"] + parts).joined(separator: " ")
        case .geoproximity(let proximity):
            var parts: [String] = []
            if let region = proximity.awsRegion { parts.append("region=\(region)") }
            if let group = proximity.localZoneGroup { parts.append("local-zone-group=\(group)") }
            if let latitude = proximity.latitude, let longitude = proximity.longitude {
                parts.append("coordinates=\(latitude),\(longitude)")
            }
            if proximity.bias != 0 { parts.append("bias=\(proximity.bias)") }
            return (["geoproximity"] + parts).joined(separator: " ")
        case .multiValue: return "multivalue"
        }
    }

    /// The policy as a JSON object: `{"policy": "weighted", "weight": 10}`.
    var json: JSONValue {
        var object: [String: JSONValue] = ["policy": .string(kind)]
        switch self {
        case .simple, .multiValue: break
        case .weighted(let weight): object["weight"] = .int(weight)
        case .latency(let region): object["region"] = .string(region)
        case .failover(let role): object["failover"] = .string(role.rawValue)
        case .geolocation(let location):
            object["continent_code"] = .optional(location.continentCode)
            object["country_code"] = .optional(location.countryCode)
            object["subdivision_code"] = .optional(location.subdivisionCode)
        case .geoproximity(let proximity):
            object["aws_region"] = .optional(proximity.awsRegion)
            object["local_zone_group"] = .optional(proximity.localZoneGroup)
            object["latitude"] = .optional(proximity.latitude)
            object["longitude"] = .optional(proximity.longitude)
            object["bias"] = .int(proximity.bias)
        }
        return .object(object)
    }
}
