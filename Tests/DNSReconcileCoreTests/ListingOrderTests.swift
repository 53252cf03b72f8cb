import DNSReconcileCore
import Testing

/// `RecordKey.sortedInListingOrder` sorts exactly as `<` does, only faster.
@Suite struct ListingOrderTests {
    static let labels = ["", "a", "a-b", "b", "www", "*", "xn--bcher-kva", "a0", "z", "-", "_dmarc", "\\", "ä"]
    static let types: [RecordType] = [.a, .aaaa, .cname, .txt, .mx, "SRV"]

    /// Deterministic pseudo-random keys (a linear congruential sequence).
    static func keys(count: Int, seed: UInt64) -> [RecordKey] {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        return (0..<count).map { _ in
            let depth = next(4)
            let name = (0..<depth).map { _ in labels[next(labels.count)] } + ["example", "com"]
            let identifier = next(3) == 0 ? ["blue", "green", "Blue", ""][next(4)] : nil
            return RecordKey(name: DNSName(name.joined(separator: ".")), type: types[next(types.count)],
                             setIdentifier: identifier)
        }
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func sortsAsLessThan(seed: UInt64) {
        let keys = Self.keys(count: 2000, seed: seed)
        #expect(RecordKey.sortedInListingOrder(keys) == keys.sorted())
        #expect(RecordKey.listingOrder(of: keys).map { keys[$0] } == keys.sorted())
    }

    /// Names whose reversed forms share a long beginning that ends inside a label, one of them
    /// the beginning itself: the part left out of the comparison is the same for all.
    @Test func namesSharingMostOfTheirText() {
        let names = ["g5.example.com", "g50.example.com", "a1.g5.example.com", "a10.g5.example.com", "b.g5.example.com",
                     "-.g5.example.com", "g5-x.example.com", "a.g50.example.com", "g5.example.com"]
        var keys = names.flatMap { name in [RecordKey(name: DNSName(name), type: .a), RecordKey(name: DNSName(name), type: .txt)] }
        keys.append(RecordKey(name: "g5.example.com", type: .a, setIdentifier: "hk"))
        for rotation in 0..<keys.count {
            let rotated = Array(keys[rotation...] + keys[..<rotation])
            #expect(RecordKey.sortedInListingOrder(rotated) == rotated.sorted())
        }
        // Equal lengths, told apart at the first byte after what they share.
        let even = ["b1.g5.example.com", "a2.g5.example.com", "a1.g5.example.com", "c0.g5.example.com", "a1.g6.example.com"]
            .map { RecordKey(name: DNSName($0), type: .a) }
        #expect(RecordKey.sortedInListingOrder(even) == even.sorted())
        let same = Array(repeating: RecordKey(name: "www.example.com", type: .a), count: 3)
        #expect(RecordKey.listingOrder(of: same) == [0, 1, 2])
    }

    @Test func theRootAndEmptyInput() {
        let keys = [RecordKey(name: "a.example.com", type: .a), RecordKey(name: "", type: .ns), RecordKey(name: "com", type: .a)]
        #expect(RecordKey.sortedInListingOrder(keys) == keys.sorted())
        #expect(RecordKey.sortedInListingOrder([RecordKey]()).isEmpty)
    }
}
