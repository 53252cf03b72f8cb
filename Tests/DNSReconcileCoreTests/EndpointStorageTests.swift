import DNSReconcileTestSupport
import Testing
@testable import DNSReconcileCore

/// The packed endpoint: every field reads back as written, copies are independent, and
/// equality and hashing follow the fields.
@Suite struct EndpointStorageTests {
    /// The fields of an endpoint as plain values, to build it and to compare with.
    struct Fields: Equatable {
        var name: DNSName
        var type: RecordType
        var targets: [String]
        var ttl: Int?
        var setIdentifier: String?
        var routing: RoutingPolicy
        var healthCheckID: String?
        var alias: AliasOptions?
        var healthCheck: HealthCheckSpec?
        var resource: String?
        var origin: DNSReconcileCore.SourceLocation?
        var hostedZoneID: String?

        var endpoint: Endpoint {
            Endpoint(name: name, type: type, targets: targets, ttl: ttl, setIdentifier: setIdentifier, routing: routing,
                     healthCheckID: healthCheckID, alias: alias, healthCheck: healthCheck, resource: resource,
                     origin: origin, hostedZoneID: hostedZoneID)
        }

        init(_ endpoint: Endpoint) {
            self.init(name: endpoint.name, type: endpoint.type, targets: endpoint.targets, ttl: endpoint.ttl,
                      setIdentifier: endpoint.setIdentifier, routing: endpoint.routing,
                      healthCheckID: endpoint.healthCheckID, alias: endpoint.alias, healthCheck: endpoint.healthCheck,
                      resource: endpoint.resource, origin: endpoint.origin, hostedZoneID: endpoint.hostedZoneID)
        }

        init(name: DNSName, type: RecordType, targets: [String], ttl: Int?, setIdentifier: String?,
             routing: RoutingPolicy, healthCheckID: String?, alias: AliasOptions?, healthCheck: HealthCheckSpec?,
             resource: String?, origin: DNSReconcileCore.SourceLocation?, hostedZoneID: String?) {
            self.name = name
            self.type = type
            self.targets = targets
            self.ttl = ttl
            self.setIdentifier = setIdentifier
            self.routing = routing
            self.healthCheckID = healthCheckID
            self.alias = alias
            self.healthCheck = healthCheck
            self.resource = resource
            self.origin = origin
            self.hostedZoneID = hostedZoneID
        }
    }

    static func text(_ random: inout SplitMix64, long: Bool = false) -> String {
        let pieces = ["a", "web", "ü", "東京", "-", ".", "\"", " ", "0", "xn--bcher-kva", "\\", "9", "/"]
        let count = long ? 200 + random.next(70_000) : random.next(24)
        var text = ""
        for _ in 0..<count { text += pieces[random.next(pieces.count)] }
        return text
    }

    static func optional<T>(_ random: inout SplitMix64, _ make: (inout SplitMix64) -> T) -> T? {
        random.next(3) == 0 ? nil : make(&random)
    }

    static func fields(_ random: inout SplitMix64) -> Fields {
        // Types the header codes, and others it keeps aside.
        let types: [RecordType] = [.a, .aaaa, .cname, .txt, .mx, "SRV", "NAPTR", "HTTPS", "SSHFP", "TYPE65534"]
        // Every routing a body holds, and the geo ones a pack keeps in its table.
        let routings: [RoutingPolicy] = [
            .simple, .weighted(weight: random.next(256)), .weighted(weight: -1 - random.next(3)), .latency(region: text(&random)),
            .failover(.primary), .failover(.secondary), .multiValue, .geolocation(GeoLocation(countryCode: "HK")),
            .geoproximity(GeoProximity(awsRegion: "ap-southeast-1")),
        ]
        let targetCount = random.next(4)
        let targets = (0..<targetCount).map { _ in text(&random, long: random.next(40) == 0) }
        return Fields(
            name: DNSName(text(&random)), type: types[random.next(types.count)], targets: targets,
            // TTLs and lines of 32 bits are kept in the header, wider ones aside.
            ttl: optional(&random) { random in
                [Int.max - random.next(9), Int(Int32.max) + random.next(3) - 1, -random.next(9), Int(Int32.min) - random.next(2),
                 random.next(100_000)][random.next(5)]
            },
            setIdentifier: optional(&random) { text(&$0) }, routing: routings[random.next(routings.count)],
            healthCheckID: random.next(5) == 0 ? text(&random) : nil,
            alias: random.next(5) == 0 ? AliasOptions(targetHostedZoneID: "Z1", evaluateTargetHealth: true) : nil,
            healthCheck: random.next(6) == 0 ? HealthCheckSpec(kind: .https, path: "/" + text(&random)) : nil,
            resource: optional(&random) { "endpoint/" + text(&$0) },
            origin: optional(&random) {
                DNSReconcileCore.SourceLocation(file: "/etc/dnsreconcile/conf.d/" + text(&$0),
                               line: $0.next(2) == 0 ? nil : $0.next(4) == 0 ? Int(UInt32.max) + $0.next(3) - 1
                                   : $0.next(1_000_000),
                               path: $0.next(2) == 0 ? nil : "endpoint." + text(&$0))
            },
            hostedZoneID: random.next(4) == 0 ? "Z" + text(&random) : nil)
    }

    @Test func everyFieldReadsBackAsWritten() {
        var random = SplitMix64(seed: 0xE1D9)
        for _ in 0..<500 {
            let fields = Self.fields(&random)
            #expect(Fields(fields.endpoint) == fields)
        }
    }

    /// Each field set on a copy changes that copy alone, reads back, and makes it unequal to the
    /// original; setting it back makes the two equal again, with equal hashes.
    @Test func writesChangeOneCopyAndEqualityFollowsTheFields() {
        var random = SplitMix64(seed: 0x5EED)
        for _ in 0..<300 {
            let fields = Self.fields(&random)
            let original = fields.endpoint
            let other = Self.fields(&random)
            var changes: [(inout Endpoint, inout Fields) -> Void] = [
                { $0.name = other.name; $1.name = other.name },
                { $0.type = other.type; $1.type = other.type },
                { $0.targets = other.targets; $1.targets = other.targets },
                { $0.ttl = other.ttl; $1.ttl = other.ttl },
                { $0.setIdentifier = other.setIdentifier; $1.setIdentifier = other.setIdentifier },
                { $0.routing = other.routing; $1.routing = other.routing },
                { $0.healthCheckID = other.healthCheckID; $1.healthCheckID = other.healthCheckID },
                { $0.alias = other.alias; $1.alias = other.alias },
                { $0.healthCheck = other.healthCheck; $1.healthCheck = other.healthCheck },
                { $0.resource = other.resource; $1.resource = other.resource },
                { $0.origin = other.origin; $1.origin = other.origin },
                { $0.hostedZoneID = other.hostedZoneID; $1.hostedZoneID = other.hostedZoneID },
            ]
            changes.append { $0.targets.append("added"); $1.targets.append("added") }
            for change in changes {
                var copy = original
                var expected = fields
                change(&copy, &expected)
                #expect(Fields(copy) == expected)
                #expect(Fields(original) == fields, "a write to a copy reached the original")
                #expect((copy == original) == (expected == fields))
                let rebuilt = expected.endpoint
                #expect(rebuilt == copy)
                #expect(rebuilt.hashValue == copy.hashValue)
            }
        }
    }

    /// Options set and then cleared leave an endpoint equal to one that never had them.
    @Test func clearedOptionsEqualNeverSet() {
        let plain = Endpoint(name: "www.example.com", type: .a, targets: ["192.0.2.1"])
        var endpoint = plain
        endpoint.setIdentifier = "hk"
        endpoint.routing = .weighted(weight: 5)
        endpoint.hostedZoneID = "Z1"
        #expect(endpoint != plain)
        endpoint.setIdentifier = nil
        endpoint.routing = .simple
        endpoint.hostedZoneID = nil
        #expect(endpoint == plain)
        #expect(endpoint.hashValue == plain.hashValue)
        #expect(Set([endpoint, plain]).count == 1)
    }

    /// Fields that pack to the same bytes in another arrangement stay apart: a target split in
    /// two, text moved between resource and location.
    @Test func arrangementsOfTheSameBytesDiffer() {
        let one = Endpoint(name: "a.example.com", type: .txt, targets: ["ab"])
        let two = Endpoint(name: "a.example.com", type: .txt, targets: ["a", "b"])
        #expect(one != two)
        let resource = Endpoint(name: "a.example.com", type: .a, targets: ["192.0.2.1"], resource: "xy",
                                origin: DNSReconcileCore.SourceLocation(file: "f", path: nil))
        let path = Endpoint(name: "a.example.com", type: .a, targets: ["192.0.2.1"], resource: nil,
                            origin: DNSReconcileCore.SourceLocation(file: "f", path: "xy"))
        #expect(resource != path)
        #expect(Endpoint(name: "a.b", type: .a, targets: []) != Endpoint(name: "a", type: .a, targets: ["b"]))
        // What a pack keeps in its tables, not in the body: the file, the rest of the name,
        // the resource prefix and the options a body cannot hold.
        let names = ["a.example.com", "a.example.org", "a.example.com.", "a", "a.", ".", "", "a..b", "\\.a.b", "ü.東京.jp"]
        let resources = ["endpoint/hk/e1", "endpoint/sg/e1", "e1", "endpoint/hk/", "/e1", "/", "service/ns/e1", nil]
        let variants = names.flatMap { name in
            resources.map { Endpoint(name: DNSName(verbatim: name), type: .a, targets: ["192.0.2.1"], resource: $0) }
        }
        let packedVariants = Endpoint.packed(variants)
        for (index, endpoint) in packedVariants.enumerated() {
            #expect(endpoint.name.value == names[index / resources.count])
            #expect(endpoint.resource == resources[index % resources.count])
            #expect(endpoint == variants[index])
            #expect(endpoint.hashValue == variants[index].hashValue)
            for (otherIndex, other) in packedVariants.enumerated() where otherIndex != index {
                #expect(endpoint != other, "\(endpoint) and \(other)")
                #expect(endpoint.hasKey(other.key) == (endpoint.name == other.name), "\(endpoint) and \(other)")
            }
            for type in [RecordType.aaaa, "TYPE65534"] {
                #expect(!endpoint.hasKey(RecordKey(name: endpoint.name, type: type)))
            }
            #expect(!endpoint.hasKey(RecordKey(name: endpoint.name, type: .a, setIdentifier: "hk")))
        }
        let inHK = Endpoint(name: "a.example.com", type: .a, targets: ["192.0.2.1"],
                            origin: DNSReconcileCore.SourceLocation(file: "hk.ini", line: 3))
        let inSG = Endpoint(name: "a.example.com", type: .a, targets: ["192.0.2.1"],
                            origin: DNSReconcileCore.SourceLocation(file: "sg.ini", line: 3))
        #expect(inHK != inSG)
        #expect(Endpoint.packed([inHK, inSG]) == [inHK, inSG])
        #expect(Endpoint.packed([inHK])[0] != Endpoint.packed([inSG])[0])
        let geo = { (country: String) in
            Endpoint(name: "a.example.com", type: .a, targets: ["192.0.2.1"], setIdentifier: "x",
                     routing: .geolocation(GeoLocation(countryCode: country)))
        }
        #expect(geo("HK") != geo("SG"))
        #expect(Endpoint.packed([geo("HK")])[0] != Endpoint.packed([geo("SG")])[0])
        #expect(Endpoint.packed([geo("HK")])[0] == geo("HK"))
    }

    /// Endpoints put into packs read back field for field, equal and hash as the ones given,
    /// share packs of about `packSize` bytes, and a write to one leaves its pack-mates alone.
    @Test func packedEndpointsKeepEveryField() {
        var random = SplitMix64(seed: 0xFACC)
        let fields = (0..<2_000).map { _ in Self.fields(&random) }
        let originals = fields.map(\.endpoint)
        var packer = Endpoint.Packer()
        for (index, endpoint) in originals.enumerated() {
            packer.append(endpoint)
            #expect(packer.count == index + 1)
        }
        var packed = packer.finish()
        #expect(packed.count == originals.count)
        #expect(packed.capacity == packed.count)
        for (index, endpoint) in packed.enumerated() {
            #expect(Fields(endpoint) == fields[index])
            #expect(endpoint == originals[index])
            #expect(endpoint.hashValue == originals[index].hashValue)
        }
        // Unequal neighbours stay unequal once packed; a key is matched in place as it is made.
        for index in 1..<packed.count where fields[index] != fields[index - 1] {
            #expect(packed[index] != packed[index - 1])
        }
        for (index, endpoint) in packed.enumerated() {
            #expect(endpoint.hasKey(originals[index].key))
            #expect(originals[index].hasKey(endpoint.key))
            let other = originals[(index + 1) % originals.count].key
            #expect(endpoint.hasKey(other) == (endpoint.key == other))
        }
        var packs = 1
        for index in 1..<packed.count where !packed[index].sharesPack(with: packed[index - 1]) { packs += 1 }
        #expect(packs > 1, "2,000 endpoints with long targets fill more than one pack")
        #expect(packs < packed.count / 10, "endpoints share packs")

        let first = (0..<packed.count - 1).first { packed[$0].sharesPack(with: packed[$0 + 1]) } ?? 0
        let neighbour = packed[first + 1]
        #expect(packed[first].sharesPack(with: neighbour))
        packed[first].targets = ["192.0.2.99"]
        packed[first].setIdentifier = "moved"
        #expect(packed[first].targets == ["192.0.2.99"])
        #expect(packed[first].setIdentifier == "moved")
        #expect(Fields(packed[first + 1]) == fields[first + 1])
        #expect(packed[first + 1] == neighbour)
        // Packing what is packed gives equal endpoints again.
        #expect(Endpoint.packed(packed) == packed)
    }

    /// Origins from several files, interleaved, keep their own file in a shared pack.
    @Test func packedOriginsKeepTheirFile() {
        let files = ["/etc/dnsreconcile/conf.d/hk.ini", "/etc/dnsreconcile/conf.d/sg.json", "/srv/manifests/web.yaml"]
        let endpoints = (0..<300).map { index in
            Endpoint(name: DNSName("n\(index).example.com"), type: .a, targets: ["192.0.2.\(index % 250)"],
                     resource: index % 2 == 0 ? "endpoint/hk/e\(index)" : nil,
                     origin: DNSReconcileCore.SourceLocation(file: files[index % 3], line: index * 7,
                                                             path: index % 5 == 0 ? "endpoint.e\(index)" : nil))
        }
        let packed = Endpoint.packed(endpoints)
        #expect(packed.allSatisfy { $0.sharesPack(with: packed[0]) })
        for (index, endpoint) in packed.enumerated() {
            #expect(endpoint.origin?.file == files[index % 3])
            #expect(endpoint.origin == endpoints[index].origin)
            #expect(endpoint.resource == endpoints[index].resource)
        }
        #expect(packed[0] != packed[3], "same name pattern, other file and line")
    }

    @Test func draftTableKeepsEachDraftAtItsKey() {
        var table = PlanWork.DraftTable()
        let keys = (0..<50).map { RecordKey(name: DNSName("n\($0).example.com"), type: .a, setIdentifier: nil) }
        var random = SplitMix64(seed: 7)
        let order = keys.shuffled(using: &random)
        for key in order { table[key] = PlanWork.Draft(kind: .create, key: key, reason: nil) }
        table[keys[3]] = PlanWork.Draft(kind: .delete, key: keys[3], reason: "again")
        table[keys[9]]?.active = false
        #expect(table.values.map(\.key) == order, "drafts are kept in the order first set")
        #expect(Set(table.keys) == Set(keys))
        for key in keys {
            #expect(table[key]?.key == key)
            #expect(table[key]?.reason == (key == keys[3] ? "again" : nil))
            #expect(table[key]?.active == (key != keys[9]))
        }
        #expect(table[RecordKey(name: "other.example.com", type: .a)] == nil)
    }
}
