/// Maps a record's name and type to the name of its ownership TXT and back, as ExternalDNS's
/// `AffixNameMapper` (v0.22) does, including every historical naming scheme on the way back.
///
/// Writing always uses the typed ("new") format: `<prefix><type>-<first label><suffix>.<rest>`,
/// or, when an affix contains `%{record_type}`, the affix carries the type instead of the
/// `<type>-` marker. Reading also understands the untyped legacy names ExternalDNS ≤ v0.17 wrote.
/// Names are handled as canonical text (lower case, no trailing dot).
struct TXTNameMapper: Hashable, Sendable {
    static let recordTypeTemplate = "%{record_type}"

    /// The types ExternalDNS recognises in a TXT name, in the order it tries them.
    static let supportedTypes: [RecordType] = ["A", "AAAA", "CNAME", "NS", "MX", "PTR", "SRV", "NAPTR", "TXT", "DNAME"]

    let prefix: String
    let suffix: String
    let wildcardReplacement: String

    init(prefix: String = "", suffix: String = "", wildcardReplacement: String = "") {
        self.prefix = prefix.lowercased()
        self.suffix = suffix.lowercased()
        self.wildcardReplacement = wildcardReplacement.lowercased()
        recordTypeInAffix = self.prefix.contains(Self.recordTypeTemplate) || self.suffix.contains(Self.recordTypeTemplate)
    }

    /// True when an affix carries `%{record_type}` (worked out once: every companion name asks).
    let recordTypeInAffix: Bool

    /// Suffix only in effect when there is no prefix; both set is refused by config validation
    /// (ExternalDNS refuses it at start-up), and then reading maps nothing, as ExternalDNS does.
    var isPrefixMode: Bool { suffix.isEmpty }
    private var isSuffixMode: Bool { prefix.isEmpty && !suffix.isEmpty }

    /// The current-format TXT name for a record.
    func txtName(for name: String, type: RecordType) -> String {
        let (first, rest) = Self.splitFirstLabel(name)
        let typeText = Self.lowercased(type)
        let prefix = recordTypeInAffix ? self.prefix.replacingTemplate(with: typeText) : self.prefix
        let suffix = recordTypeInAffix ? self.suffix.replacingTemplate(with: typeText) : self.suffix
        let label = !wildcardReplacement.isEmpty && first == "*" ? Substring(wildcardReplacement) : first
        // One string, sized once: every record set of a plan asks for its companion's name.
        var result = ""
        result.reserveCapacity(name.utf8.count + prefix.utf8.count + suffix.utf8.count + typeText.utf8.count + 16)
        result += prefix
        if !recordTypeInAffix {
            result += typeText
            result += "-"
        }
        result += label
        result += suffix
        if let rest {
            result += "."
            result += rest
        }
        return result
    }

    /// `type` lower-cased, without allocating for the common types.
    private static func lowercased(_ type: RecordType) -> String {
        switch type.rawValue {
        case "A": "a"
        case "AAAA": "aaaa"
        case "CNAME": "cname"
        case "TXT": "txt"
        case "MX": "mx"
        default: type.rawValue.lowercased()
        }
    }

    /// The untyped name ExternalDNS ≤ v0.17 also wrote: never written by this tool, only looked
    /// for (where ownership records may be listed, tests and diagnostics).
    func legacyTXTName(for name: String) -> String {
        let (first, rest) = Self.splitFirstLabel(name)
        var label = String(first)
        if !wildcardReplacement.isEmpty, label == "*" { label = wildcardReplacement }
        let head = prefix.replacingTemplate(with: "") + label + suffix.replacingTemplate(with: "")
        return rest.map { head + "." + $0 } ?? head
    }

    /// The record name and type a TXT name stands for. The type is nil for a legacy untyped name;
    /// the result is nil when the name does not carry this mapper's affix.
    func endpoint(forTXTName txtName: String) -> (name: String, type: RecordType?)? {
        // Canonical names are lower-case already; only others need the (allocating) lower-casing.
        let name = txtName.utf8.contains { ($0 >= 65 && $0 <= 90) || $0 >= 128 } ? txtName.lowercased() : txtName
        if isPrefixMode { return dropAffixExtractType(name) }
        guard isSuffixMode else { return nil }
        // The suffix may contain dots: the first 1+dc labels hold the record's first label and
        // the suffix, the rest of the name follows unchanged.
        let dotCount = suffix.filter { $0 == "." }.count
        let parts = name.split(separator: ".", maxSplits: dotCount + 1, omittingEmptySubsequences: false)
        guard parts.count > dotCount else { return nil }
        let head = parts.prefix(dotCount + 1).joined(separator: ".")
        guard let (stripped, type) = dropAffixExtractType(head) else { return nil }
        guard parts.count > dotCount + 1 else { return (stripped, type) }
        return (stripped + "." + parts[dotCount + 1], type)
    }

    private func dropAffixExtractType(_ name: String) -> (name: String, type: RecordType?)? {
        var prefix = self.prefix, suffix = self.suffix
        if recordTypeInAffix {
            for type in Self.supportedTypes {
                let typeText = type.rawValue.lowercased()
                let typedPrefix = prefix.replacingTemplate(with: typeText)
                let typedSuffix = suffix.replacingTemplate(with: typeText)
                if isPrefixMode, let rest = name.droppingBytePrefix(typedPrefix) { return (rest, type) }
                if isSuffixMode, let rest = name.droppingByteSuffix(typedSuffix) { return (rest, type) }
            }
            // A legacy name written under the same affix carries no type: drop the template.
            prefix = prefix.replacingTemplate(with: "")
            suffix = suffix.replacingTemplate(with: "")
        }
        if isPrefixMode, let rest = name.droppingBytePrefix(prefix) { return Self.extractTypeMarker(rest) }
        if isSuffixMode, let rest = name.droppingByteSuffix(suffix) { return Self.extractTypeMarker(rest) }
        return nil
    }

    /// `a-foo.example.com` → (`foo.example.com`, A); `foo.example.com` → (same, nil). The text
    /// before the first `-` decides, which makes legacy names like `a-team.example.com`
    /// ambiguous exactly as they are for ExternalDNS.
    private static func extractTypeMarker(_ name: String) -> (name: String, type: RecordType?) {
        let marker = name.utf8.prefix { $0 != UInt8(ascii: "-") }
        for (type, lowered) in zip(supportedTypes, supportedTypeMarkers) where marker.elementsEqual(lowered.utf8) {
            // Go trims "<type>-" only when present: a bare `a` stays `a`, typed A.
            guard marker.count < name.utf8.count else { return (name, type) }
            return (String(decoding: name.utf8.dropFirst(marker.count + 1), as: UTF8.self), type)
        }
        return (name, nil)
    }

    /// `supportedTypes` lower-cased, as they appear in TXT names.
    private static let supportedTypeMarkers = supportedTypes.map { $0.rawValue.lowercased() }

    private static func splitFirstLabel(_ name: String) -> (Substring, Substring?) {
        // By byte for ASCII names (walking characters was slow); by character otherwise, where a
        // combining mark after a dot makes one character of both.
        if name.utf8.contains(where: { $0 >= 128 }) {
            guard let dot = name.firstIndex(of: ".") else { return (Substring(name), nil) }
            return (name[..<dot], name[name.index(after: dot)...])
        }
        guard let dot = name.utf8.firstIndex(of: UInt8(ascii: ".")) else { return (Substring(name), nil) }
        return (name[..<dot], name[name.utf8.index(after: dot)...])
    }
}

/// Byte-wise affix handling, as Go's `strings.HasPrefix`/`TrimPrefix` (Swift's `hasPrefix`
/// compares grapheme clusters).
private extension String {
    func droppingBytePrefix(_ prefix: String) -> String? {
        guard utf8.starts(with: prefix.utf8) else { return nil }
        return String(decoding: utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
    }

    func droppingByteSuffix(_ suffix: String) -> String? {
        guard utf8.reversed().starts(with: suffix.utf8.reversed()) else { return nil }
        return String(decoding: utf8.dropLast(suffix.utf8.count), as: UTF8.self)
    }

    func replacingTemplate(with replacement: String) -> String {
        guard contains(TXTNameMapper.recordTypeTemplate) else { return self }
        return split(separator: TXTNameMapper.recordTypeTemplate, omittingEmptySubsequences: false)
            .joined(separator: replacement)
    }
}
