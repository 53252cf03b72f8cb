extension RecordKey {
    /// `keys` sorted by `<` (Route53's listing order), for the large sorts of a plan.
    ///
    /// Each name's labels-reversed form (`com.example.www`) is written once into one buffer and
    /// the sort compares those bytes; `<` finds each label again on every comparison, which made
    /// sorting 50,000 keys a sixth of a no-op plan. Names equal, the type and the set identifier
    /// decide exactly as in `<`.
    public static func sortedInListingOrder<Keys: Collection<RecordKey>>(_ keys: Keys) -> [RecordKey] {
        let keys = Array(keys)
        return listingOrder(of: keys).map { keys[$0] }
    }

    /// The positions of `keys` in the order `sortedInListingOrder` sorts them, so a caller that
    /// has the array need not hold a sorted copy as well.
    public static func listingOrder(of keys: [RecordKey]) -> [Int] {
        listingOrder(count: keys.count, name: { keys[$0].name }, key: { keys[$0] })
    }

    /// `listingOrder(of:)` for `count` keys that are made only when needed: `name(i)` once
    /// each, `key(i)` only for two keys of one name.
    ///
    /// The names of a plan share their zone, so their reversed forms share a beginning: it is
    /// found in a first pass and left out of the buffer, which then holds what tells the names
    /// apart (a fifth of the bytes for names like `web42.g7.example.com`).
    static func listingOrder(count: Int, name: (Int) -> DNSName, key: (Int) -> RecordKey) -> [Int] {
        guard count > 1 else { return Array(0..<count) }
        var first: [UInt8] = []
        appendReversedLabels(of: name(0), to: &first)
        var shared = first.count
        var total = 0
        var scratch: [UInt8] = []
        for index in 0..<count {
            scratch.removeAll(keepingCapacity: true)
            appendReversedLabels(of: name(index), to: &scratch)
            total += scratch.count
            var match = 0
            let limit = min(shared, scratch.count)
            while match < limit && scratch[match] == first[match] { match += 1 }
            shared = match
        }
        // All start with the same `shared` bytes: comparing the rest compares the whole.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(total - shared * count)
        var spans: [(start: Int32, count: Int32)] = []
        spans.reserveCapacity(count)
        for index in 0..<count {
            scratch.removeAll(keepingCapacity: true)
            appendReversedLabels(of: name(index), to: &scratch)
            let start = bytes.count
            bytes += scratch[shared...]
            spans.append((Int32(start), Int32(bytes.count - start)))
        }
        return bytes.withUnsafeBufferPointer { buffer in
            (0..<count).sorted { lhs, rhs in
                let left = spans[lhs], right = spans[rhs]
                let common = Int(min(left.count, right.count))
                if common > 0, let base = buffer.baseAddress {
                    let difference = compareBytes(base + Int(left.start), base + Int(right.start), common)
                    if difference != 0 { return difference < 0 }
                }
                if left.count != right.count { return left.count < right.count }
                let (a, b) = (key(lhs), key(rhs))
                if a.type != b.type { return a.type < b.type }
                return (a.setIdentifier ?? "") < (b.setIdentifier ?? "")
            }
        }
    }

    /// Appends the labels of `name` last to first, joined by dots: the form `DNSName.order`
    /// compares.
    private static func appendReversedLabels(of name: DNSName, to bytes: inout [UInt8]) {
        var value = name.value
        value.withUTF8 { utf8 in
            var end = utf8.count
            var first = true
            while true {
                var start = end
                while start > 0 && utf8[start - 1] != UInt8(ascii: ".") { start -= 1 }
                if !first { bytes.append(UInt8(ascii: ".")) }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<end]))
                first = false
                guard start > 0 else { return }
                end = start - 1
            }
        }
    }
}

/// Byte comparison without Foundation.
private func compareBytes(_ lhs: UnsafePointer<UInt8>, _ rhs: UnsafePointer<UInt8>, _ count: Int) -> Int {
    var index = 0
    while index < count {
        let (a, b) = (lhs[index], rhs[index])
        if a != b { return a < b ? -1 : 1 }
        index += 1
    }
    return 0
}
