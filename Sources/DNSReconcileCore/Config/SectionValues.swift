/// Reads a validated section with the schema's types, falling back to the schema's defaults, so
/// that `ConfigSchema` stays the only place where a default is written down.
///
/// Entries have already passed `ConfigValidator`, so decoding does not fail here; a value that
/// still did would fall back to the default rather than crash.
struct SectionValues {
    let section: ConfigSection
    let schema: ConfigSectionSchema
    /// One bit per entry key (`keyBit`): an endpoint asks for some 30 keys and sets a few, so
    /// most asks are answered here without comparing the key with every entry's.
    private let keyBits: UInt64

    init(_ section: ConfigSection?, schema: ConfigSectionSchema, file: String) {
        self.section = section ?? ConfigSection(kind: schema.kind, location: SourceLocation(file: file))
        self.schema = schema
        keyBits = self.section.entries.reduce(0) { $0 | SectionValues.keyBit($1.key) }
    }

    /// A bit chosen by a hash of an ASCII key's bytes (FNV-1a); every bit for any other key.
    /// Keys that are equal have the same bit: an ASCII string equals only the same bytes or a
    /// non-ASCII string, which has every bit.
    private static func keyBit(_ key: String) -> UInt64 {
        // Over the contiguous bytes: iterating `utf8` itself costs more than the comparisons saved.
        key.utf8.withContiguousStorageIfAvailable { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                if byte >= 0x80 { return ~0 }
                hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
            }
            return 1 << (hash >> 58)
        } ?? ~0
    }

    /// The position of the section's entry for `key` (the last, as `ConfigSection.entry`).
    private func entryIndex(_ key: String) -> Int? {
        guard keyBits & SectionValues.keyBit(key) != 0 else { return nil }
        return section.entries.lastIndex { $0.key == key }
    }

    func value(_ key: String) -> TypedConfigValue? {
        assert(schema.key(key) != nil, "key \(key) is not in the schema of \(schema.header)")
        // An endpoint asks for some 30 keys and sets a few: an absent key without a default is
        // answered from the entries alone, without looking up its schema.
        let index = entryIndex(key)
        guard index != nil || schema.hasDefault(key), let position = schema.position(of: key) else { return nil }
        let type = schema.keys[position].type
        if let index, case let written = section.entries[index].value, !written.isEmpty,
           let value = try? written.decode(as: type) {
            return value
        }
        guard let text = schema.keys[position].defaultValue else { return nil }
        return try? ConfigValue.text(text).decode(as: type)
    }

    /// True when the section itself sets `key` to a non-empty value (defaults do not count).
    func isSet(_ key: String) -> Bool {
        guard let index = entryIndex(key) else { return false }
        return !section.entries[index].value.isEmpty
    }

    /// Where `key` was written, else where the section was.
    func location(_ key: String) -> SourceLocation { entryIndex(key).map { section.entries[$0].location } ?? section.location }

    /// True when every entry's key is one of `keys`.
    func setsOnly(_ keys: [String]) -> Bool {
        section.entries.allSatisfy { keys.contains($0.key) }
    }

    func string(_ key: String) -> String? {
        if case .string(let text)? = value(key), !text.isEmpty { return text }
        return nil
    }

    func list(_ key: String) -> [String] {
        if case .list(let items)? = value(key) { return items }
        return []
    }

    func bool(_ key: String) -> Bool? {
        if case .bool(let flag)? = value(key) { return flag }
        return nil
    }

    func integer(_ key: String) -> Int? {
        switch value(key) {
        case .integer(let number)?: number
        case .string(let text)?: Int(text)
        default: nil
        }
    }

    func number(_ key: String) -> Double? {
        switch value(key) {
        case .number(let number)?: number
        case .integer(let number)?: Double(number)
        default: nil
        }
    }
}
