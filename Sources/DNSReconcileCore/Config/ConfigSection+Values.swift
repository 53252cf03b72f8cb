/// Typed reading of a section's values. Each accessor returns nil when the key is absent or its
/// value is empty, and throws a located `.configBadValue` error that names the accepted form.
extension ConfigSection {
    public func string(_ key: String) throws(DNSReconcileError) -> String? {
        guard case .string(let value)? = try typed(key, .string) else { return nil }
        return value.isEmpty ? nil : value
    }

    public func list(_ key: String) throws(DNSReconcileError) -> [String]? {
        guard case .list(let items)? = try typed(key, .list) else { return nil }
        return items
    }

    public func bool(_ key: String) throws(DNSReconcileError) -> Bool? {
        guard case .bool(let value)? = try typed(key, .bool) else { return nil }
        return value
    }

    public func integer(_ key: String, in range: ClosedRange<Int>) throws(DNSReconcileError) -> Int? {
        guard case .integer(let value)? = try typed(key, .integer(range)) else { return nil }
        return value
    }

    public func number(_ key: String, in range: ClosedRange<Double>) throws(DNSReconcileError) -> Double? {
        guard case .number(let value)? = try typed(key, .number(range)) else { return nil }
        return value
    }

    /// Seconds, from `90`, `90s`, `5m`, `1h`, `1m30s`.
    public func duration(_ key: String, in range: ClosedRange<Double>) throws(DNSReconcileError) -> Double? {
        guard case .number(let value)? = try typed(key, .duration(range)) else { return nil }
        return value
    }

    /// One of `words`, matched case-insensitively and returned as spelled in `words`.
    public func choice(_ key: String, from words: [String]) throws(DNSReconcileError) -> String? {
        guard case .string(let value)? = try typed(key, .choice(words)) else { return nil }
        return value
    }

    public func choiceList(_ key: String, from words: [String]) throws(DNSReconcileError) -> [String]? {
        guard case .list(let items)? = try typed(key, .choiceList(words)) else { return nil }
        return items
    }

    /// The value of `key` read as `type`; nil when absent or empty.
    func typed(_ key: String, _ type: ConfigValueType) throws(DNSReconcileError) -> TypedConfigValue? {
        guard let entry = entry(key), !entry.value.isEmpty else { return nil }
        return try ConfigSection.decode(entry, as: type, in: header)
    }

    /// Reads `entry` as `type`, or explains in a located error which form is accepted.
    static func decode(_ entry: ConfigEntry, as type: ConfigValueType, in header: @autoclosure () -> String)
        throws(DNSReconcileError) -> TypedConfigValue {
        do {
            return try entry.value.decode(as: type)
        } catch {
            throw DNSReconcileError(
                .configBadValue,
                "\(header()) \(entry.key): '\(error.text)' is not valid; write \(type.acceptedForm)",
                location: entry.location)
        }
    }
}
