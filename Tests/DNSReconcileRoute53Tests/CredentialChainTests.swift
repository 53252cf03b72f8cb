import DNSReconcileCore
import Foundation
import Testing
@testable import DNSReconcileRoute53

/// A fresh directory for one test, removed when the value goes away.
private final class TemporaryHome {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("dnsr-cred-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path + "/.aws", withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    @discardableResult
    func write(_ text: String, to relative: String = ".aws/credentials") throws -> String {
        let file = path + "/" + relative
        try text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }
}

private let sampleFile = """
    # shared credentials
    [default]
    aws_access_key_id = AKIDDEFAULT0001
    aws_secret_access_key = default-secret/+=

    ; a comment
      [prod]
    AWS_ACCESS_KEY_ID=AKIDPROD00000002   
    aws_secret_access_key=prod-secret ; trailing comment
    aws_session_token = prod-token==

    [broken]
    aws_access_key_id = AKIDBROKEN000003

    [rolebased]
    role_arn = arn:aws:iam::123456789012:role/dns
    source_profile = default
    """

private let environmentKeys = ["AWS_ACCESS_KEY_ID": "AKIDENVIRON00004", "AWS_SECRET_ACCESS_KEY": "env-secret"]

/// One resolution scenario: inputs, then either the access key id expected or an error whose
/// message must contain every one of `messageParts`.
struct CredentialCase: CustomTestStringConvertible, Sendable {
    var id: String
    var profile: String? = nil
    /// `true`: pass the temp file's path as the configured credentials file.
    var configuredFile = false
    var environment: [String: String] = [:]
    /// `$FILE` in a value is replaced by the temp file's path.
    var fileContents: String? = sampleFile
    var expectedKeyID: String? = nil
    var expectedToken: String? = nil
    var messageParts: [String] = []

    var testDescription: String { id }
}

@Suite struct CredentialChainTests {
    static let cases: [CredentialCase] = [
        CredentialCase(id: "environment keys", environment: environmentKeys, expectedKeyID: "AKIDENVIRON00004"),
        CredentialCase(id: "environment with session token",
                       environment: environmentKeys.merging(["AWS_SESSION_TOKEN": "env-token"]) { $1 },
                       expectedKeyID: "AKIDENVIRON00004", expectedToken: "env-token"),
        CredentialCase(id: "empty session token is none",
                       environment: environmentKeys.merging(["AWS_SESSION_TOKEN": ""]) { $1 },
                       expectedKeyID: "AKIDENVIRON00004"),
        CredentialCase(id: "environment wins over AWS_PROFILE",
                       environment: environmentKeys.merging(["AWS_PROFILE": "prod"]) { $1 },
                       expectedKeyID: "AKIDENVIRON00004"),
        CredentialCase(id: "configured profile wins over environment", profile: "prod", environment: environmentKeys,
                       expectedKeyID: "AKIDPROD00000002", expectedToken: "prod-token=="),
        CredentialCase(id: "configured profile missing is an error even with environment keys",
                       profile: "staging", environment: environmentKeys,
                       messageParts: ["[staging]", "not found", ".aws/credentials", "[default], [prod], [broken], [rolebased]",
                                      "[aws] profile"]),
        CredentialCase(id: "default profile from home", expectedKeyID: "AKIDDEFAULT0001"),
        CredentialCase(id: "AWS_PROFILE selects", environment: ["AWS_PROFILE": "prod"],
                       expectedKeyID: "AKIDPROD00000002", expectedToken: "prod-token=="),
        CredentialCase(id: "empty environment values are skipped",
                       environment: ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_PROFILE": ""],
                       expectedKeyID: "AKIDDEFAULT0001"),
        CredentialCase(id: "configured file", configuredFile: true, expectedKeyID: "AKIDDEFAULT0001"),
        CredentialCase(id: "AWS_SHARED_CREDENTIALS_FILE", environment: ["AWS_SHARED_CREDENTIALS_FILE": "$FILE"],
                       expectedKeyID: "AKIDDEFAULT0001"),
        CredentialCase(id: "nothing anywhere", fileContents: nil,
                       messageParts: ["no AWS credentials", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY",
                                      "does not exist", "[default]", ".aws/credentials"]),
        CredentialCase(id: "AWS_PROFILE names a missing profile", environment: ["AWS_PROFILE": "qa"],
                       messageParts: ["[qa]", "AWS_PROFILE", "not found", "[default], [prod]"]),
        CredentialCase(id: "default missing from file", fileContents: "[prod]\naws_access_key_id=A\naws_secret_access_key=B\n",
                       messageParts: ["[default]", "not found", "has [prod]", "AWS_ACCESS_KEY_ID"]),
        CredentialCase(id: "incomplete profile names the missing key", profile: "broken",
                       messageParts: ["[broken]", "aws_secret_access_key"]),
        CredentialCase(id: "role profile without keys", profile: "rolebased",
                       messageParts: ["[rolebased]", "aws_access_key_id", "role_arn"]),
        CredentialCase(id: "access key without secret in environment",
                       environment: ["AWS_ACCESS_KEY_ID": "AKIDENVIRON00004"],
                       messageParts: ["AWS_SECRET_ACCESS_KEY is not"]),
        CredentialCase(id: "secret without access key in environment",
                       environment: ["AWS_SECRET_ACCESS_KEY": "env-secret"],
                       messageParts: ["AWS_ACCESS_KEY_ID is not"]),
        CredentialCase(id: "CRLF and blank profile file", fileContents: "\r\n[default]\r\naws_access_key_id = K1234567890\r\naws_secret_access_key = S\r\n",
                       expectedKeyID: "K1234567890"),
    ]

    @Test(arguments: cases)
    func resolves(_ scenario: CredentialCase) throws {
        let home = try TemporaryHome()
        let file = home.path + "/.aws/credentials"
        if let contents = scenario.fileContents { try home.write(contents) }
        let environment = scenario.environment.mapValues { $0.replacingOccurrences(of: "$FILE", with: file) }
        // Files named explicitly are checked with a home that has no credentials file.
        let homeDirectory = scenario.configuredFile || environment["AWS_SHARED_CREDENTIALS_FILE"] != nil
            ? home.path + "/elsewhere" : home.path

        let result = Result { () throws(DNSReconcileError) in
            try CredentialChain.resolve(profile: scenario.profile, credentialsFile: scenario.configuredFile ? file : nil,
                                        environment: environment, homeDirectory: homeDirectory)
        }
        switch result {
        case .success(let credentials):
            #expect(scenario.expectedKeyID != nil, "expected an error, got \(credentials)")
            #expect(credentials.accessKeyID == scenario.expectedKeyID)
            #expect(credentials.sessionToken == scenario.expectedToken)
            #expect(!credentials.secretAccessKey.isEmpty)
        case .failure(let error):
            #expect(scenario.expectedKeyID == nil, "unexpected error: \(error)")
            #expect(error.code == .credentials)
            for part in scenario.messageParts {
                #expect(error.description.contains(part), "\(part) missing from: \(error)")
            }
            for secret in ["default-secret", "prod-secret", "env-secret", "prod-token"] {
                #expect(!error.description.contains(secret))
            }
        }
    }

    @Test func inlineCommentsAndCaseAreHandled() throws {
        let home = try TemporaryHome()
        try home.write(sampleFile)
        let credentials = try CredentialChain.resolve(profile: "prod", credentialsFile: nil, environment: [:],
                                                      homeDirectory: home.path)
        #expect(credentials == AWSCredentials(accessKeyID: "AKIDPROD00000002", secretAccessKey: "prod-secret",
                                              sessionToken: "prod-token=="))
    }

    @Test func tildeInConfiguredPathIsExpanded() throws {
        let home = try TemporaryHome()
        try home.write("[x]\naws_access_key_id = AKIDTILDE0000005\naws_secret_access_key = s\n", to: "creds")
        let credentials = try CredentialChain.resolve(profile: "x", credentialsFile: "~/creds", environment: [:],
                                                      homeDirectory: home.path)
        #expect(credentials.accessKeyID == "AKIDTILDE0000005")
    }

    @Test func homeFallsBackToHOMEVariable() throws {
        let home = try TemporaryHome()
        try home.write(sampleFile)
        let credentials = try CredentialChain.resolve(profile: nil, credentialsFile: nil, environment: ["HOME": home.path],
                                                      homeDirectory: nil)
        #expect(credentials.accessKeyID == "AKIDDEFAULT0001")
    }

    @Test func unreadableFileIsReportedWithoutContents() throws {
        let home = try TemporaryHome()
        // A directory where the file should be: open succeeds on Linux but read fails (EISDIR).
        try FileManager.default.createDirectory(atPath: home.path + "/.aws/credentials", withIntermediateDirectories: true)
        #expect(throws: DNSReconcileError(.credentials, "")) {
            try CredentialChain.resolve(profile: nil, credentialsFile: nil, environment: [:], homeDirectory: home.path)
        }
    }

    @Test func descriptionRedactsSecretAndToken() {
        let credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                         secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                                         sessionToken: "FwoGZXIvYXdzEXAMPLETOKEN")
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, "\(credentials)", String(reflecting: credentials), dumped] {
            #expect(!text.contains("wJalrXUtnFEMI"), "\(text)")
            #expect(!text.contains("FwoGZXIvYXdz"), "\(text)")
            #expect(!text.contains("AKIAIOSFODNN7"), "\(text)")
        }
        #expect(credentials.description.contains("MPLE"))
        #expect(credentials.description.contains("<redacted>"))
    }
}
