/// Reads `EndpointOptions` from key/value pairs named like the `[endpoint]` keys, with exactly
/// the checks a config file gets: each value against its key's type in `ConfigSchema`, then the
/// combinations (`EndpointSectionReader.readOptions`).
///
/// The Kubernetes sources use it for annotations: they strip the prefix
/// (`external-dns.kubernetes.io/aws-weight` → `aws-weight`) and pass the full annotation name
/// as the label, so every problem names what the user wrote.
public enum EndpointOptionsReader {
    /// One option as written.
    public struct Value: Hashable, Sendable {
        /// The `[endpoint]` key (`ttl`, `aws-region`, `health-check-path`).
        public var key: String
        public var value: String
        /// How messages name it (`annotation external-dns.kubernetes.io/ttl`).
        public var label: String

        public init(key: String, value: String, label: String) {
            self.key = key
            self.value = value
            self.label = label
        }
    }

    /// The keys read here: every `[endpoint]` key except the name, type and targets.
    public static let keys: [String] = endpointSchema.keys.map(\.name).filter { !["name", "type", "targets"].contains($0) }

    private static let endpointSchema: ConfigSectionSchema = ConfigSchema.sections.first { $0.kind == "endpoint" }!

    /// The options, or one message per problem (each naming its label). An empty value is the
    /// same as an absent one.
    public static func read(_ values: [Value], origin: SourceLocation) -> Result<EndpointOptions, OptionProblems> {
        let schema = endpointSchema
        var section = ConfigSection(kind: "endpoint", name: "options", location: origin)
        var problems: [String] = []
        var rejected: Set<String> = []
        var labels: [String: String] = [:]
        for option in values {
            guard keys.contains(option.key), let keySchema = schema.key(option.key) else {
                var message = "\(option.label) is not a known option"
                if let near = ConfigSuggestion.nearest(to: option.key, in: keys) { message += "; did you mean \(near)?" }
                problems.append(message)
                continue
            }
            labels[option.key] = option.label
            let entry = ConfigEntry(key: option.key, value: .string(option.value), location: origin)
            if entry.value.isEmpty { continue }
            do {
                _ = try entry.value.decode(as: keySchema.type)
            } catch {
                problems.append("\(option.label): '\(error.text)' is not valid; write \(keySchema.type.acceptedForm)")
                rejected.insert(section.header + " " + option.key)
                continue
            }
            section.entries.append(entry)
        }
        var reader = EndpointSectionReader(section: section, schema: schema, cluster: "", file: origin.file,
                                           rejected: rejected)
        reader.subject = ""
        reader.keyLabels = labels
        let alias = SectionValues(section, schema: schema, file: origin.file).bool("alias") ?? false
        let options = reader.readOptions(alias: alias)
        problems += reader.errors.map(\.message)
        return problems.isEmpty ? .success(options) : .failure(OptionProblems(messages: problems))
    }

    /// Why options were refused: one message per problem.
    public struct OptionProblems: Error, Hashable, Sendable {
        public var messages: [String]
    }
}
