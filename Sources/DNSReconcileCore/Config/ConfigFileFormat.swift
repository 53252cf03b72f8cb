/// The syntax of a configuration file, chosen by its extension.
public enum ConfigFileFormat: String, Hashable, Sendable {
    case ini
    case json

    /// `.json` is JSON, `.ini` and `.conf` are INI; nil for any other extension.
    public init?(fileName: String) {
        let lowered = fileName.lowercased()
        if lowered.hasSuffix(".json") {
            self = .json
        } else if lowered.hasSuffix(".ini") || lowered.hasSuffix(".conf") {
            self = .ini
        } else {
            return nil
        }
    }

    /// Parses `text` in this format into sections, with every syntax and duplicate error.
    public func parse(file: String, text: String) -> (sections: [ConfigSection], errors: [DNSReconcileError]) {
        switch self {
        case .ini: INIParser.parse(file: file, text: text)
        case .json: JSONConfigParser.parse(file: file, text: text)
        }
    }

    /// `parse`, handing each section to `take` as soon as it is complete, in file order.
    /// `complete` is false when a syntax error voids the whole document (JSON): `errors` is that
    /// error, and the sections already handed over must be dropped.
    func scan(file: String, text: String, _ take: (ConfigSection) -> Void)
        -> (errors: [DNSReconcileError], complete: Bool) {
        switch self {
        case .ini: (INIParser.scan(file: file, text: text, take), true)
        case .json: JSONConfigParser.scan(file: file, text: text, take)
        }
    }

    /// Decodes file bytes as UTF-8 (a byte order mark is dropped), or says where they are not.
    public static func decode(file: String, bytes: [UInt8]) -> Result<String, DNSReconcileError> {
        let body = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        guard let text = String(validating: body, as: UTF8.self) else {
            return .failure(notUTF8(file: file, bytes: body[...], linesBefore: 0))
        }
        return .success(text)
    }

    /// The error for `bytes` that are not UTF-8, at the line of the first bad sequence; the
    /// file has `linesBefore` line feeds before `bytes`.
    static func notUTF8(file: String, bytes: ArraySlice<UInt8>, linesBefore: Int) -> DNSReconcileError {
        var line = linesBefore + 1
        var index = bytes.startIndex
        // Find the first bad sequence's line by decoding the lines one by one.
        for offset in bytes.indices where bytes[offset] == 0x0A {
            if String(validating: bytes[index..<offset], as: UTF8.self) == nil { break }
            line += 1
            index = offset + 1
        }
        return DNSReconcileError(.configSyntax, "the file is not valid UTF-8; save it as UTF-8",
                                 location: SourceLocation(file: file, line: line))
    }
}
