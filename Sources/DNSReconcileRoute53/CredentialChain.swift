import DNSReconcileCore

/// Finds the AWS credentials to sign with.
///
/// `resolve` is the static part of the chain (no network): the environment, then the shared
/// credentials file. `provider(for:context:)` (CredentialChain+Providers.swift) is the whole
/// chain the pass uses: web identity, assumed roles, the config file's role profiles and EC2
/// instance metadata on top of it.
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
        switch LocalFile.contents(of: path) {
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
    static func fromEnvironment(_ environment: [String: String]) throws(DNSReconcileError) -> AWSCredentials? {
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

    static func credentialsPath(configured: String?, environment: [String: String], home: String?) -> String? {
        if let path = nonEmpty(configured) ?? nonEmpty(environment["AWS_SHARED_CREDENTIALS_FILE"]) {
            guard path == "~" || path.hasPrefix("~/") else { return path }
            guard let home else { return path }
            return home + path.dropFirst()
        }
        guard let home else { return nil }
        return (home.hasSuffix("/") ? String(home.dropLast()) : home) + "/.aws/credentials"
    }

    static func nonEmpty(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.strippingWhitespace
        return trimmed.isEmpty ? nil : trimmed
    }
}
