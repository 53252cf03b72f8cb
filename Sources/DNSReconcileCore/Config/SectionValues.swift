/// Reads a validated section with the schema's types, falling back to the schema's defaults, so
/// that `ConfigSchema` stays the only place where a default is written down.
///
/// Entries have already passed `ConfigValidator`, so decoding does not fail here; a value that
/// still did would fall back to the default rather than crash.
struct SectionValues {
    let section: ConfigSection
    let schema: ConfigSectionSchema

    init(_ section: ConfigSection?, schema: ConfigSectionSchema, file: String) {
        self.section = section ?? ConfigSection(kind: schema.kind, location: SourceLocation(file: file))
        self.schema = schema
    }

    func value(_ key: String) -> TypedConfigValue? {
        guard let keySchema = schema.key(key) else {
            assertionFailure("key \(key) is not in the schema of \(schema.header)")
            return nil
        }
        if let entry = section.entry(key), !entry.value.isEmpty,
           let value = try? entry.value.decode(as: keySchema.type) {
            return value
        }
        guard let text = keySchema.defaultValue else { return nil }
        return try? ConfigValue.text(text).decode(as: keySchema.type)
    }

    /// True when the section itself sets `key` to a non-empty value (defaults do not count).
    func isSet(_ key: String) -> Bool { section.has(key) }

    /// Where `key` was written, else where the section was.
    func location(_ key: String) -> SourceLocation { section.entry(key)?.location ?? section.location }

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
