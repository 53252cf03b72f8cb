import DNSReconcileCore

/// The profiles of the shared credentials file and the shared config file, merged as botocore
/// merges them: a profile is the config file's `[profile NAME]` (or `[default]`) with the
/// credentials file's `[NAME]` laid over it, key by key.
///
/// Either file may be missing. One named in the config (`[aws] credentials-file`,
/// `[aws] config-file`) must exist; the environment's and the home directory's defaults may not.
struct AWSProfileFiles {
    /// One merged profile.
    struct Profile {
        var name: String
        var values: [String: String] = [:]
        /// `file:line` of the sections it was built from, for messages.
        var origins: [String] = []

        /// The value of `key`, nil when absent or blank.
        func value(_ key: String) -> String? { CredentialChain.nonEmpty(values[key]) }

        var origin: String { origins.joined(separator: " and ") }
    }

    /// A file the chain looked at, for messages: `~/.aws/config (missing)`.
    struct Consulted {
        var path: String
        var missing: Bool
        var description: String { missing ? "\(path) (missing)" : path }
    }

    private(set) var profiles: [String: Profile] = [:]
    private(set) var consulted: [Consulted] = []

    init(settings: AWSSettings, environment: [String: String], home: String?) throws(DNSReconcileError) {
        let configPath = CredentialChain.nonEmpty(settings.configFile) ?? CredentialChain.nonEmpty(environment["AWS_CONFIG_FILE"])
            ?? home.map { ($0.hasSuffix("/") ? String($0.dropLast()) : $0) + "/.aws/config" }
        if let configPath {
            let path = LocalFile.expandingTilde(configPath, home: home)
            if let file = try load(path, required: CredentialChain.nonEmpty(settings.configFile) != nil,
                                        setting: "[aws] config-file") {
                for section in file.sections {
                    guard let name = Self.configProfileName(section.name) else { continue }
                    merge(name: name, values: section.values, origin: "\(path):\(section.line)")
                }
            }
        }
        let credentialsPath = CredentialChain.credentialsPath(configured: settings.credentialsFile, environment: environment,
                                                              home: home)
        if let credentialsPath {
            if let file = try load(credentialsPath, required: CredentialChain.nonEmpty(settings.credentialsFile) != nil,
                                        setting: "[aws] credentials-file") {
                for section in file.sections {
                    merge(name: section.name, values: section.values, origin: "\(credentialsPath):\(section.line)")
                }
            }
        }
    }

    /// The merged profile, nil when neither file has it.
    func profile(_ name: String) -> Profile? { profiles[name] }

    /// Every profile name, sorted, for "it has [a], [b]" messages.
    var names: [String] { profiles.keys.sorted() }

    /// The files read, for "not found in …" messages.
    var searched: String {
        consulted.isEmpty ? "no credentials or config file (no home directory)" : consulted.map(\.description).joined(separator: " and ")
    }

    private mutating func merge(name: String, values: [String: String], origin: String) {
        var profile = profiles[name] ?? Profile(name: name)
        profile.values.merge(values) { _, new in new }
        profile.origins.append(origin)
        profiles[name] = profile
    }

    private mutating func load(_ path: String, required: Bool, setting: String) throws(DNSReconcileError) -> SharedCredentialsFile? {
        switch LocalFile.contents(of: path) {
        case .success(let text):
            consulted.append(Consulted(path: path, missing: false))
            return SharedCredentialsFile(text)
        case .failure(.missing):
            if required {
                throw DNSReconcileError(.credentials, "\(setting) \(path) does not exist; create it or fix the setting")
            }
            consulted.append(Consulted(path: path, missing: true))
            return nil
        case .failure(.unreadable(let reason)):
            throw DNSReconcileError(.credentials, "cannot read AWS file \(path); check its permissions", cause: reason)
        }
    }

    /// `default` and `profile NAME` name profiles in the config file; other sections
    /// (`sso-session …`, `services …`) are not profiles.
    static func configProfileName(_ section: String) -> String? {
        if section == "default" { return "default" }
        let parts = section.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0] == "profile" else { return nil }
        let name = String(parts[1]).strippingWhitespace
        return name.isEmpty ? nil : name
    }
}
