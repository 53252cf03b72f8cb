/// The part of a hosted zone a pass must read: the whole zone, or some subtrees plus single
/// names outside them.
///
/// Route53 lists a zone by reversed labels, so the names at or below one name are one run of
/// the listing: a cluster whose domain filter covers only `app.example.com` of the zone
/// `example.com` reads that run instead of the zone (`Planner.listingScope(in:)`). The ownership
/// TXT of a record at the subtree's own name sits beside it, outside the run (`a-app.example.com`
/// for `app.example.com`), so those names are read one by one (`Planner.companionNames`).
/// Several clusters that use one zone in one pass read the union of their scopes once.
public struct ListingScope: Hashable, Sendable, CustomStringConvertible {
    /// Read everything; `subtrees` and `names` are then empty.
    public private(set) var isWholeZone: Bool
    /// Roots of the subtrees to read, in listing order, none at or below another.
    public private(set) var subtrees: [DNSName]
    /// Single names to read, in listing order, none inside a subtree.
    public private(set) var names: [DNSName]

    /// The whole zone.
    public static let wholeZone = ListingScope(isWholeZone: true, subtrees: [], names: [])
    /// Nothing.
    public static let nothing = ListingScope(isWholeZone: false, subtrees: [], names: [])

    private init(isWholeZone: Bool, subtrees: [DNSName], names: [DNSName]) {
        self.isWholeZone = isWholeZone
        self.subtrees = subtrees
        self.names = names
    }

    /// The subtrees under `subtrees` and the single `names`, normalised: a subtree inside another
    /// and a name inside a subtree are dropped, duplicates too.
    public init(subtrees: [DNSName], names: [DNSName] = []) {
        var roots: [DNSName] = []
        // Shorter names first, so an enclosing subtree is kept before what it encloses.
        for root in Set(subtrees).sorted(by: { ($0.value.utf8.count, $0) < ($1.value.utf8.count, $1) })
        where !roots.contains(where: { root.isWithin($0) }) {
            roots.append(root)
        }
        self.isWholeZone = false
        self.subtrees = roots.sorted()
        self.names = Set(names).filter { name in !roots.contains { name.isWithin($0) } }.sorted()
    }

    public var isEmpty: Bool { !isWholeZone && subtrees.isEmpty && names.isEmpty }

    /// True when a listing of this scope includes record sets named `name`.
    public func contains(_ name: DNSName) -> Bool {
        isWholeZone || subtrees.contains { name.isWithin($0) } || names.contains(name)
    }

    /// True when a listing of this scope includes every record set a listing of `other` does.
    public func covers(_ other: ListingScope) -> Bool {
        if isWholeZone { return true }
        if other.isWholeZone { return false }
        return other.subtrees.allSatisfy { root in subtrees.contains { root.isWithin($0) } }
            && other.names.allSatisfy(contains)
    }

    /// Everything either scope includes.
    public func union(_ other: ListingScope) -> ListingScope {
        if isWholeZone || other.isWholeZone { return .wholeZone }
        return ListingScope(subtrees: subtrees + other.subtrees, names: names + other.names)
    }

    /// What must still be read to have `self` when `read` has been read: the subtrees of `self`
    /// that `read` does not cover whole, and its names that `read` does not include.
    public func subtracting(_ read: ListingScope) -> ListingScope {
        if read.isWholeZone { return .nothing }
        if isWholeZone { return .wholeZone }
        return ListingScope(subtrees: subtrees.filter { root in !read.subtrees.contains { root.isWithin($0) } },
                            names: names.filter { !read.contains($0) })
    }

    public var description: String {
        if isWholeZone { return "the whole zone" }
        let parts = subtrees.map { "subtree \($0.fqdn)" } + names.map { "name \($0.fqdn)" }
        return parts.isEmpty ? "nothing" : parts.joined(separator: ", ")
    }
}

extension Planner {
    /// What of `zone` this planner can manage, which is what it must read: the subtrees of its
    /// domain filter's entries below the zone apex; the whole zone when an entry is at or above
    /// the apex, or when nothing narrows it. Exclusions never narrow the listing (reading a
    /// little more is harmless; missing a record set is not).
    public func listingScope(in zone: HostedZone) -> ListingScope {
        let entries = domainFilter.include
        if entries.isEmpty { return .wholeZone }
        var roots: [DNSName] = []
        for entry in entries {
            if zone.name.isWithin(entry.name) {
                // `.example.com` for the zone example.com manages every name but the apex.
                return .wholeZone
            }
            if entry.name.isWithin(zone.name) { roots.append(entry.name) }
        }
        return ListingScope(subtrees: roots)
    }

    /// The single names outside `scope` where ownership TXTs of record sets named `root` (a
    /// subtree root of `scope`) may live: the companion names of its record sets of `types` (in
    /// every naming scheme of the registry, `Registry.companionNames`), inside the zone. Empty
    /// when this planner does not manage `root` itself, or the registry writes no companions.
    ///
    /// A record below the root has its companion below the root too (the registry only changes
    /// the first label), so only the root's own record sets need these.
    public func companionNames(of root: DNSName, types: Set<RecordType>, outside scope: ListingScope,
                               in zone: HostedZone) -> [DNSName] {
        guard !scope.isWholeZone, domainFilter.matches(root) else { return [] }
        var names: Set<DNSName> = []
        for type in types where managedTypes.contains(type) {
            for name in registry.companionNames(for: root, type: type) where name.isWithin(zone.name) && !scope.contains(name) {
                names.insert(name)
            }
        }
        return names.sorted()
    }
}
