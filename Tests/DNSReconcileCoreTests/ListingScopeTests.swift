import DNSReconcileCore
import Testing

@Suite struct ListingScopeTests {
    static let zone = HostedZone(id: "Z1", name: "example.com")

    static func planner(_ filter: [String], prefix: String = "", suffix: String = "",
                        types: Set<RecordType> = [.a, .aaaa, .cname]) -> Planner {
        Planner(policy: .sync, managedTypes: types,
                registry: TXTRegistry(ownerID: "me", prefix: prefix, suffix: suffix, managedTypes: types),
                domainFilter: DomainFilter(filter))
    }

    @Test(arguments: [
        (id: "no filter", filter: [String](), expected: "the whole zone"),
        (id: "filter at the apex", filter: ["example.com"], expected: "the whole zone"),
        (id: "filter above the zone", filter: ["com"], expected: "the whole zone"),
        (id: "subdomains of the apex", filter: [".example.com"], expected: "the whole zone"),
        (id: "one subtree", filter: ["app.example.com"], expected: "subtree app.example.com."),
        (id: "subdomains of a subtree", filter: [".app.example.com"], expected: "subtree app.example.com."),
        (id: "nested entries collapse", filter: ["x.app.example.com", "app.example.com"], expected: "subtree app.example.com."),
        (id: "two subtrees in listing order", filter: ["web.example.com", "api.example.com"],
         expected: "subtree api.example.com., subtree web.example.com."),
        (id: "other zones' entries are ignored", filter: ["app.example.com", "example.org"], expected: "subtree app.example.com."),
        (id: "one entry covering the zone wins", filter: ["app.example.com", "example.com"], expected: "the whole zone"),
    ])
    func scopeFollowsTheDomainFilter(_ row: (id: String, filter: [String], expected: String)) {
        #expect(Self.planner(row.filter).listingScope(in: Self.zone).description == row.expected, "\(row.id)")
    }

    @Test func containsCoversUnionAndSubtraction() {
        let app = ListingScope(subtrees: ["app.example.com"])
        let both = app.union(ListingScope(subtrees: ["api.example.com"], names: ["a-app.example.com", "x.app.example.com"]))
        #expect(both.subtrees == ["api.example.com", "app.example.com"])
        // A name inside a subtree is read with it, not on its own.
        #expect(both.names == ["a-app.example.com"])
        #expect(both.contains("deep.app.example.com"))
        #expect(both.contains("app.example.com"))
        #expect(!both.contains("a-b.example.com"))
        #expect(!both.contains("example.com"))
        #expect(both.covers(app))
        #expect(!app.covers(both))
        #expect(ListingScope.wholeZone.covers(both))
        #expect(!both.covers(.wholeZone))

        #expect(both.subtracting(app) == ListingScope(subtrees: ["api.example.com"], names: ["a-app.example.com"]))
        #expect(both.subtracting(.wholeZone).isEmpty)
        #expect(ListingScope.wholeZone.subtracting(both) == .wholeZone)
        // A subtree only partly read before is read again whole.
        #expect(app.subtracting(ListingScope(subtrees: ["x.app.example.com"])) == app)
        #expect(app.union(.wholeZone) == .wholeZone)
    }

    /// The companion of `x.app.example.com` is `a-x.app.example.com`, inside the subtree; the
    /// companion of `app.example.com` itself is `a-app.example.com`, beside it: that one must be
    /// read on its own.
    @Test func companionsOfTheSubtreeRootLieOutsideIt() {
        let planner = Self.planner(["app.example.com"])
        let scope = planner.listingScope(in: Self.zone)
        #expect(planner.companionNames(of: "app.example.com", types: [.a], outside: scope, in: Self.zone)
                == ["a-app.example.com", "cname-app.example.com"])
        #expect(planner.companionNames(of: "app.example.com", types: [.aaaa, .mx], outside: scope, in: Self.zone)
                == ["aaaa-app.example.com"])
        // A subdomains-only filter does not manage the root, so it needs none.
        let below = Self.planner([".app.example.com"])
        #expect(below.companionNames(of: "app.example.com", types: [.a], outside: below.listingScope(in: Self.zone),
                                     in: Self.zone).isEmpty)
        // Nothing to add when the whole zone is read.
        let whole = Self.planner([])
        #expect(whole.companionNames(of: "example.com", types: [.a], outside: .wholeZone, in: Self.zone).isEmpty)
    }

    @Test(arguments: [
        // The legacy `txt.app.example.com` lies below the root, inside the subtree: read with it.
        (prefix: "txt.", suffix: "", expected: ["txt.a-app.example.com", "txt.cname-app.example.com"]),
        // The legacy name drops the template and keeps the rest of the prefix.
        (prefix: "%{record_type}-own-", suffix: "", expected: ["a-own-app.example.com", "cname-own-app.example.com",
                                                                  "-own-app.example.com"]),
        (prefix: "", suffix: "-own", expected: ["a-app-own.example.com", "app-own.example.com", "cname-app-own.example.com"]),
    ])
    func companionNamesFollowTheAffixes(_ row: (prefix: String, suffix: String, expected: [DNSName])) {
        let planner = Self.planner(["app.example.com"], prefix: row.prefix, suffix: row.suffix)
        #expect(planner.companionNames(of: "app.example.com", types: [.a], outside: planner.listingScope(in: Self.zone),
                                       in: Self.zone) == row.expected.sorted())
    }

    @Test func noopRegistryHasNoCompanionNames() {
        let planner = Planner(policy: .sync, registry: NoopRegistry(), domainFilter: DomainFilter(["app.example.com"]))
        #expect(planner.companionNames(of: "app.example.com", types: [.a], outside: planner.listingScope(in: Self.zone),
                                       in: Self.zone).isEmpty)
    }
}
