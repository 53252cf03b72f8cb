import DNSReconcileCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Finds the static AWS credentials to sign with: the environment, then the shared credentials file.
///
/// Precedence follows the AWS SDKs (botocore's resolver in particular):
/// 1. `AWS_ACCESS_KEY_ID` + `AWS_SECRET_ACCESS_KEY` (+ `AWS_SESSION_TOKEN`) from `environment`;
/// 2. a profile of the shared credentials file.
///
/// The exception is a profile named explicitly in the config (`[aws] profile`, the `profile`
/// argument): then only the file is consulted, and a missing profile is an error even when
/// environment keys exist. Someone who wrote a profile into the config means that account, and
/// silently signing with whatever keys the service's environment happens to carry would touch
/// another account's zones. `AWS_PROFILE` does not count as explicit: as in the SDKs, environment
/// keys still win over it.
///
/// The file is `credentialsFile` (config), else `AWS_SHARED_CREDENTIALS_FILE`, else
/// `<home>/.aws/credentials`; a leading `~/` is expanded. The profile is `profile`, else
/// `AWS_PROFILE`, else `default`.
public enum CredentialChain {
    public static func resolve(profile: String?, credentialsFile: String?, environment: [String: String],
                               homeDirectory: String?) throws(DNSReconcileError) -> AWSCredentials {
        let home = nonEmpty(homeDirectory) ?? nonEmpty(environment["HOME"])
        let explicitProfile = nonEmpty(profile)

        if explicitProfile == nil, let credentials = try fromEnvironment(environment) {
            return credentials
        }

        let profileName = explicitProfile ?? nonEmpty(environment["AWS_PROFILE"]) ?? "default"
        let profileSource = explicitProfile != nil ? "profile from the config" : nonEmpty(environment["AWS_PROFILE"]) != nil
            ? "AWS_PROFILE" : "default profile"
        guard let path = credentialsPath(configured: credentialsFile, environment: environment, home: home) else {
            throw DNSReconcileError(
                .credentials,
                "no AWS credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set and there is no home "
                    + "directory to find ~/.aws/credentials in; set the variables, or set [aws] credentials-file "
                    + "(or AWS_SHARED_CREDENTIALS_FILE)")
        }

        let text: String
        switch readFile(path) {
        case .success(let content):
            text = content
        case .failure(.missing):
            throw DNSReconcileError(
                .credentials,
                explicitProfile == nil
                    ? "no AWS credentials: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY are not set and \(path) does "
                        + "not exist; set the variables, or add profile [\(profileName)] to \(path)"
                    : "AWS credentials file \(path) does not exist, so profile [\(profileName)] (\(profileSource)) "
                        + "cannot be read; create it or point [aws] credentials-file at the right file")
        case .failure(.unreadable(let reason)):
            throw DNSReconcileError(.credentials,
                                    "cannot read AWS credentials file \(path); check its permissions",
                                    cause: reason)
        }

        let profiles = SharedCredentialsFile(text)
        guard let section = profiles.sections.first(where: { $0.name == profileName }) else {
            let known = profiles.sections.map(\.name)
            let listing = known.isEmpty ? "it has no profiles" : "it has " + known.map { "[\($0)]" }.joined(separator: ", ")
            var message = "AWS profile [\(profileName)] (\(profileSource)) not found in \(path); \(listing)"
            message += explicitProfile == nil
                ? ". Set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, set AWS_PROFILE to one of its profiles, or add [\(profileName)]"
                : ". Fix [aws] profile or add [\(profileName)] to the file"
            throw DNSReconcileError(.credentials, message)
        }
        let location = SourceLocation(file: path, line: section.line)
        guard let accessKeyID = nonEmpty(section.values["aws_access_key_id"]) else {
            throw DNSReconcileError(.credentials,
                                    "AWS profile [\(profileName)] has no aws_access_key_id; add it (profiles that use "
                                        + "role_arn, sso_* or credential_process are not supported here)",
                                    location: location)
        }
        guard let secret = nonEmpty(section.values["aws_secret_access_key"]) else {
            throw DNSReconcileError(.credentials,
                                    "AWS profile [\(profileName)] has aws_access_key_id but no aws_secret_access_key; add it",
                                    location: location)
        }
        return AWSCredentials(accessKeyID: accessKeyID, secretAccessKey: secret,
                              sessionToken: nonEmpty(section.values["aws_session_token"]))
    }

    /// Credentials from the environment; nil when neither key variable is set. One without the
    /// other is an error rather than a fall-through, because it is almost always a typo in a unit
    /// file and falling back to another account's file would hide it.
    private static func fromEnvironment(_ environment: [String: String]) throws(DNSReconcileError) -> AWSCredentials? {
        let keyID = nonEmpty(environment["AWS_ACCESS_KEY_ID"])
        let secret = nonEmpty(environment["AWS_SECRET_ACCESS_KEY"])
        switch (keyID, secret) {
        case (nil, nil):
            return nil
        case (let keyID?, let secret?):
            return AWSCredentials(accessKeyID: keyID, secretAccessKey: secret,
                                  sessionToken: nonEmpty(environment["AWS_SESSION_TOKEN"]))
        case (nil, _):
            throw DNSReconcileError(.credentials,
                                    "AWS_SECRET_ACCESS_KEY is set but AWS_ACCESS_KEY_ID is not; set both or neither")
        case (_, nil):
            throw DNSReconcileError(.credentials,
                                    "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not; set both or neither")
        }
    }

    private static func credentialsPath(configured: String?, environment: [String: String], home: String?) -> String? {
        if let path = nonEmpty(configured) ?? nonEmpty(environment["AWS_SHARED_CREDENTIALS_FILE"]) {
            guard path == "~" || path.hasPrefix("~/") else { return path }
            guard let home else { return path }
            return home + path.dropFirst()
        }
        guard let home else { return nil }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.aws/credentials"
    }

    private static func nonEmpty(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.trimmingCharacters
        return trimmed.isEmpty ? nil : trimmed
    }

    private enum ReadFailure: Error {
        case missing
        case unreadable(String)
    }

    private static func readFile(_ path: String) -> Result<String, ReadFailure> {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            return .failure(code == ENOENT || code == ENOTDIR ? .missing : .unreadable(String(cString: strerror(code))))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 8192)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failure(.unreadable(String(cString: strerror(errno))))
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }
}

/// The sections of an AWS shared credentials file (INI): `[name]` headers, `key = value` lines,
/// `#` and `;` comment lines. Keys are lower-cased, as botocore's parser does. A later duplicate
/// section or key overrides the earlier one.
struct SharedCredentialsFile {
    struct Section {
        var name: String
        var line: Int
        var values: [String: String]
    }

    var sections: [Section] = []

    init(_ text: String) {
        var current: Int?
        var lineNumber = 0
        // Splitting on Character.isNewline also splits CRLF, which Swift keeps as one Character.
        for rawLine in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
            lineNumber += 1
            let line = String(rawLine).trimmingCharacters
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") {
                guard let close = line.firstIndex(of: "]") else { current = nil; continue }
                let name = String(line[line.index(after: line.startIndex)..<close]).trimmingCharacters
                if let existing = sections.firstIndex(where: { $0.name == name }) {
                    current = existing
                } else {
                    sections.append(Section(name: name, line: lineNumber, values: [:]))
                    current = sections.count - 1
                }
                continue
            }
            guard let current, let equals = line.firstIndex(of: "=") else { continue }
            let key = String(line[..<equals]).trimmingCharacters.lowercased()
            sections[current].values[key] = Self.stripInlineComment(String(line[line.index(after: equals)...]))
        }
    }

    /// Drops a ` #` or ` ;` comment after a value. Only after whitespace, because key material
    /// never contains whitespace while a bare `;` could in principle be part of a value.
    private static func stripInlineComment(_ value: String) -> String {
        var previousWasSpace = false
        var end = value.endIndex
        for index in value.indices {
            let character = value[index]
            if (character == "#" || character == ";") && previousWasSpace {
                end = index
                break
            }
            previousWasSpace = character == " " || character == "\t"
        }
        return String(value[..<end]).trimmingCharacters
    }
}

private extension String {
    /// The string without leading and trailing whitespace (including `\r` from CRLF files).
    var trimmingCharacters: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }) else { return "" }
        let last = lastIndex(where: { !$0.isWhitespace })!
        return String(self[first...last])
    }
}
