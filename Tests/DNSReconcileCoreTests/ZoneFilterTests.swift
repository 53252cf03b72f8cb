import Testing
import DNSReconcileCore

@Suite struct ZoneFilterTests {
    static let publicZone = HostedZone(id: "Z1PUBLIC", name: "example.com")
    static let privateZone = HostedZone(id: "Z2PRIVATE", name: "example.com", isPrivate: true)
    static let subZone = HostedZone(id: "Z3SUB", name: "eu.example.com")
    static let otherZone = HostedZone(id: "Z4OTHER", name: "example.org")

    @Test(arguments: [
        // (id, filter entries, excludes, name, managed)
        ("empty-matches-all", [String](), [String](), "anything.example.org", true),
        ("entry-matches-itself", ["example.com"], [], "example.com", true),
        ("entry-matches-below", ["example.com"], [], "a.b.example.com", true),
        ("entry-not-suffix-of-label", ["example.com"], [], "badexample.com", false),
        ("dot-entry-not-itself", [".example.com"], [], "example.com", false),
        ("dot-entry-below", [".example.com"], [], "www.example.com", true),
        ("case-and-trailing-dot", ["Example.COM."], [], "WWW.example.com", true),
        ("exclude-wins", ["example.com"], ["internal.example.com"], "db.internal.example.com", false),
        ("exclude-only", [], ["internal.example.com"], "www.example.com", true),
        ("exclude-only-excludes", [], ["internal.example.com"], "internal.example.com", false),
        ("empty-entries-ignored", ["", " "], [""], "www.example.org", true),
        ("wildcard-name", ["example.com"], [], "*.example.com", true),
    ])
    func domainFilterNames(id: String, include: [String], exclude: [String], name: String, managed: Bool) {
        #expect(DomainFilter(include, exclude: exclude).matches(DNSName(name)) == managed, "\(id)")
    }

    @Test(arguments: [
        // (id, filter, zone, kept)
        ("zone-name-matches", ZoneFilter(domainFilter: ["example.com"]), publicZone, true),
        ("zone-below-entry", ZoneFilter(domainFilter: ["example.com"]), subZone, true),
        ("entry-below-zone-keeps-zone", ZoneFilter(domainFilter: ["app.example.com"]), publicZone, true),
        ("dot-entry-keeps-its-zone", ZoneFilter(domainFilter: [".example.com"]), publicZone, true),
        ("entry-elsewhere", ZoneFilter(domainFilter: ["example.com"]), otherZone, false),
        ("zone-excluded", ZoneFilter(domainFilter: ["example.com"], excludeDomains: ["eu.example.com"]), subZone, false),
        ("exclude-below-zone-keeps-zone", ZoneFilter(excludeDomains: ["eu.example.com"]), publicZone, true),
        ("zone-id-suffix", ZoneFilter(zoneIDs: ["PUBLIC"]), publicZone, true),
        ("zone-id-full-path", ZoneFilter(zoneIDs: ["/hostedzone/Z1PUBLIC"]), publicZone, true),
        ("zone-id-other", ZoneFilter(zoneIDs: ["Z2PRIVATE"]), publicZone, false),
        ("zone-id-any-of", ZoneFilter(zoneIDs: ["Z9", "Z3SUB"]), subZone, true),
        ("type-public-keeps-public", ZoneFilter(zoneType: .public), publicZone, true),
        ("type-public-drops-private", ZoneFilter(zoneType: .public), privateZone, false),
        ("type-private-keeps-private", ZoneFilter(zoneType: .private), privateZone, true),
        ("type-private-drops-public", ZoneFilter(zoneType: .private), publicZone, false),
        ("type-any", ZoneFilter(), privateZone, true),
    ])
    func zones(id: String, filter: ZoneFilter, zone: HostedZone, kept: Bool) {
        #expect(filter.matches(zone) == kept, "\(id)")
    }

    @Test(arguments: [
        // (id, tag entries, zone tags, kept)
        ("no-entries", [String](), [String: String](), true),
        ("key-value", ["env=prod"], ["env": "prod"], true),
        ("key-value-differs", ["env=prod"], ["env": "dev"], false),
        ("bare-key-any-value", ["team"], ["team": "dns"], true),
        ("bare-key-missing", ["team"], ["env": "prod"], false),
        ("all-must-match", ["env=prod", "team"], ["env": "prod"], false),
        ("all-match", [" env = prod ", "team"], ["env": "prod", "team": ""], true),
        ("empty-value", ["env="], ["env": ""], true),
    ])
    func tags(id: String, entries: [String], tags: [String: String], kept: Bool) {
        let filter = ZoneFilter(zoneTags: entries)
        #expect(filter.matches(Self.publicZone, tags: tags) == kept, "\(id)")
        #expect(filter.needsTags == !entries.isEmpty)
    }

    @Test func assignsToEveryPrivateZoneAndTheLongestPublicOne() {
        let zones = [Self.publicZone, Self.privateZone, Self.subZone, Self.otherZone,
                     HostedZone(id: "Z5PRIVSUB", name: "eu.example.com", isPrivate: true)]
        let api = Endpoint(name: "api.eu.example.com", type: .a, targets: ["192.0.2.1"])
        let www = Endpoint(name: "www.example.com", type: .a, targets: ["192.0.2.2"])
        let apex = Endpoint(name: "example.org", type: .a, targets: ["192.0.2.3"])
        let stray = Endpoint(name: "www.example.net", type: .a, targets: ["192.0.2.4"])
        let result = ZoneFilter.assign([api, www, apex, stray], to: zones)
        #expect(result.byZone["Z3SUB"] == [api])
        #expect(result.byZone["Z1PUBLIC"] == [www])
        #expect(result.byZone["Z2PRIVATE"] == [api, www])
        #expect(result.byZone["Z5PRIVSUB"] == [api])
        #expect(result.byZone["Z4OTHER"] == [apex])
        #expect(result.unassigned == [stray])
    }

    /// One zone for every endpoint gives that zone all of them, in order; an endpoint for
    /// another zone, for two zones or for none, first or last, splits them.
    @Test func oneZoneForAllAndTheEndpointsThatSplitThem() {
        let zones = [Self.publicZone, Self.otherZone, Self.privateZone]
        let inPublic = (0..<5).map { Endpoint(name: DNSName("n\($0).example.org"), type: .a, targets: ["192.0.2.\($0)"]) }
        #expect(ZoneFilter.assign(inPublic, to: zones).byZone == ["Z4OTHER": inPublic])
        #expect(ZoneFilter.assign(inPublic, to: zones).unassigned.isEmpty)
        let stray = Endpoint(name: "www.example.net", type: .a, targets: ["192.0.2.9"])
        let both = Endpoint(name: "www.example.com", type: .a, targets: ["192.0.2.8"])
        for (odd, expected) in [(stray, [String: [Endpoint]]()), (both, ["Z1PUBLIC": [both], "Z2PRIVATE": [both]])] {
            for list in [[odd] + inPublic, inPublic + [odd]] {
                let result = ZoneFilter.assign(list, to: zones)
                #expect(result.byZone == expected.merging(["Z4OTHER": inPublic]) { $1 })
                #expect(result.unassigned == (odd == stray ? [stray] : []))
            }
        }
        #expect(ZoneFilter.assign([stray], to: zones).byZone.isEmpty)
        #expect(ZoneFilter.assign([], to: zones).byZone.isEmpty)
    }

    @Test func publicZonesOfOneNameTieOnTheSmallerID() {
        let endpoint = Endpoint(name: "www.example.com", type: .a, targets: ["192.0.2.1"])
        let zones = [HostedZone(id: "ZB", name: "example.com"), HostedZone(id: "ZA", name: "example.com")]
        #expect(ZoneFilter.assign([endpoint], to: zones).byZone == ["ZA": [endpoint]])
        #expect(ZoneFilter.assign([endpoint], to: zones.reversed()).byZone == ["ZA": [endpoint]])
    }

    @Test func filterEntryBelowZoneNarrowsItsNames() {
        let filter = ZoneFilter(domainFilter: ["app.example.com"])
        #expect(filter.matches(Self.publicZone))
        #expect(filter.domains.matches("x.app.example.com"))
        #expect(!filter.domains.matches("www.example.com"))
    }
}
