/// Why an object could not be read: the field path and what is wrong with it.
struct KubeDecodingError: Error, Hashable, Sendable {
    var path: String
    var problem: String

    var description: String { "\(path) \(problem)" }
}

/// Typed access to the fields of one object (or nested object), naming the field path in every
/// error so a bad manifest says where it is bad.
struct FieldReader {
    let value: YAMLValue
    /// The path of `value` in its object (`spec.rules[0]`); empty for the object itself.
    let path: String

    init(_ value: YAMLValue, path: String = "") {
        self.value = value
        self.path = path
    }

    private func at(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private func member(_ key: String) -> YAMLValue? {
        guard let member = value[key], !member.isNull else { return nil }
        return member
    }

    /// The nested object `key`; an empty one when it is absent.
    func object(_ key: String) throws(KubeDecodingError) -> FieldReader {
        guard let member = member(key) else { return FieldReader(.mapping([:]), path: at(key)) }
        guard case .mapping = member else { throw mismatch(at(key), expected: "a mapping", found: member) }
        return FieldReader(member, path: at(key))
    }

    func string(_ key: String) throws(KubeDecodingError) -> String? {
        guard let member = member(key) else { return nil }
        guard case .string(let text) = member else { throw mismatch(at(key), expected: "a string", found: member) }
        return text
    }

    func bool(_ key: String) throws(KubeDecodingError) -> Bool? {
        guard let member = member(key) else { return nil }
        guard case .bool(let flag) = member else { throw mismatch(at(key), expected: "true or false", found: member) }
        return flag
    }

    func integer(_ key: String) throws(KubeDecodingError) -> Int? {
        guard let member = member(key) else { return nil }
        guard case .int(let number) = member else { throw mismatch(at(key), expected: "a whole number", found: member) }
        return number
    }

    /// A list of nested objects; empty when absent.
    func objects(_ key: String) throws(KubeDecodingError) -> [FieldReader] {
        guard let member = member(key) else { return [] }
        guard case .sequence(let items) = member else { throw mismatch(at(key), expected: "a list", found: member) }
        var readers: [FieldReader] = []
        for (index, item) in items.enumerated() {
            let itemPath = "\(at(key))[\(index)]"
            guard case .mapping = item else { throw mismatch(itemPath, expected: "a mapping", found: item) }
            readers.append(FieldReader(item, path: itemPath))
        }
        return readers
    }

    /// A list of strings; empty when absent.
    func strings(_ key: String) throws(KubeDecodingError) -> [String] {
        guard let member = member(key) else { return [] }
        guard case .sequence(let items) = member else { throw mismatch(at(key), expected: "a list", found: member) }
        var result: [String] = []
        for (index, item) in items.enumerated() {
            guard case .string(let text) = item else {
                throw mismatch("\(at(key))[\(index)]", expected: "a string", found: item)
            }
            result.append(text)
        }
        return result
    }

    /// A string-to-string map (labels, annotations, selectors); empty when absent. Kubernetes
    /// refuses `ttl: 60` in annotations, so a number there is an error that says to quote it.
    func stringMap(_ key: String) throws(KubeDecodingError) -> [String: String] {
        guard let member = member(key) else { return [:] }
        guard case .mapping(let entries) = member else { throw mismatch(at(key), expected: "a mapping", found: member) }
        var result: [String: String] = [:]
        for (name, entry) in entries {
            switch entry {
            case .string(let text): result[name] = text
            case .null: result[name] = ""
            default:
                throw KubeDecodingError(path: "\(at(key)).\(name)",
                                        problem: "must be a string, not \(entry.kindName); quote the value")
            }
        }
        return result
    }

    private func mismatch(_ path: String, expected: String, found: YAMLValue) -> KubeDecodingError {
        KubeDecodingError(path: path, problem: "must be \(expected), not \(found.kindName)")
    }
}
