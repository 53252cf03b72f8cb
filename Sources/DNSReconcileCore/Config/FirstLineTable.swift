/// Where each name of a file (a section header, a key of a JSON object) was first written, to
/// report a name written twice with the line of its first use.
///
/// It keeps a name's hash and position in the text rather than the name: a dictionary of the
/// 50,000 section names of a large cluster file took several times the memory of the endpoints
/// read from it. A name is read again from the text (`isSame`) only when its hash matches a
/// new one's, which in practice means the name is repeated.
struct FirstLineTable {
    /// 16 bytes: the low half of the hash is enough to find candidates, which `isSame`
    /// confirms, and no file has four billion lines.
    private struct Entry {
        /// Where the name is written, as the caller counts (a byte offset).
        var position: Int
        var hash: UInt32
        var line: UInt32

        init(hash: Int, position: Int, line: Int) {
            self.position = position
            self.hash = UInt32(truncatingIfNeeded: hash)
            self.line = UInt32(clamping: line)
        }
    }

    private var entries: [Entry] = []
    /// Index + 1 of an entry, by hash (open addressing); empty while there are few entries,
    /// which are searched in order instead.
    private var slots: [Int32] = []
    private static let fewEntries = 8

    mutating func reserveCapacity(_ count: Int) {
        entries.reserveCapacity(count)
        if count > Self.fewEntries { rehash(for: count) }
    }

    /// The line where the name was first written, found among the names with the same hash by
    /// `isSame` (given the position of an earlier name); nil after recording this name, written
    /// at `position` on `line`.
    mutating func firstLine(hash: Int, position: Int, line: Int, isSame: (Int) -> Bool) -> Int? {
        let short = UInt32(truncatingIfNeeded: hash)
        if slots.isEmpty {
            for entry in entries where entry.hash == short && isSame(entry.position) { return Int(entry.line) }
        } else {
            let mask = slots.count - 1
            var slot = Int(short) & mask
            while slots[slot] != 0 {
                let entry = entries[Int(slots[slot]) - 1]
                if entry.hash == short && isSame(entry.position) { return Int(entry.line) }
                slot = (slot + 1) & mask
            }
        }
        entries.append(Entry(hash: hash, position: position, line: line))
        if !slots.isEmpty || entries.count > Self.fewEntries {
            if entries.count * 2 > slots.count {
                rehash(for: entries.count)
            } else {
                insertSlot(of: entries.count - 1)
            }
        }
        return nil
    }

    /// Slots for at least `count` entries at most half full, holding every entry.
    private mutating func rehash(for count: Int) {
        var size = 16
        while size < count * 2 { size *= 2 }
        guard size > slots.count else { return }
        slots = [Int32](repeating: 0, count: size)
        for index in entries.indices { insertSlot(of: index) }
    }

    private mutating func insertSlot(of index: Int) {
        let mask = slots.count - 1
        var slot = Int(entries[index].hash) & mask
        while slots[slot] != 0 { slot = (slot + 1) & mask }
        slots[slot] = Int32(index + 1)
    }
}
