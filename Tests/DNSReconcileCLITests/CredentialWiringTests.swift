import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing

/// The whole credential chain wired into a pass: the binary assumes a role or uses a web
/// identity at moto's STS, then reconciles with the temporary credentials.
@Suite("dnsreconcile binary with STS credentials")
struct CredentialWiringTests {
    static let roleARN = "arn:aws:iam::123456789012:role/dnsreconcile"

    /// The workspace environment with no static keys and no instance metadata, STS at moto.
    static func environment(_ workspace: Workspace, _ extra: [String: String] = [:]) -> [String: String] {
        ["AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_EC2_METADATA_DISABLED": "true",
         "AWS_ENDPOINT_URL_STS": workspace.moto.endpoint].merging(extra) { $1 }
    }

    @Test func roleARNFromTheConfigIsAssumedAndUsed() throws {
        let workspace = try Workspace("assume")
        try workspace.writeCluster("rke2-hk", endpoints: [("hk", "hk", "targets = 203.0.113.10")],
                                   extra: "\n[aws]\nrole-arn = \(Self.roleARN)")
        // Base credentials from the environment, the role on top.
        let result = try workspace.run(["run"], environment: ["AWS_ENDPOINT_URL_STS": workspace.moto.endpoint,
                                                              "AWS_EC2_METADATA_DISABLED": "true"])
        #expect(result.status == 0, "\(result)")
        #expect(try workspace.recordSets()["hk.\(workspace.zoneName). A"] != nil)

        // The same configuration with STS unreachable fails that cluster, naming the role.
        let down = try workspace.run(["run"], environment: [
            "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:\(ExternalTools.freePort())", "AWS_EC2_METADATA_DISABLED": "true"])
        #expect(down.status == 1, "\(down)")
        #expect(down.stderr.contains("STS AssumeRole for \(Self.roleARN)"), "\(down)")
        #expect(workspace.metric("dnsreconcile_run_success{cluster=\"rke2-hk\"}") == 0)
    }

    @Test func webIdentityFromTheEnvironmentIsTheOnlyCredential() throws {
        let workspace = try Workspace("irsa")
        try workspace.write("token", "eyJhbGciOiJSUzI1NiJ9.projected.token")
        try workspace.writeCluster("k3s-sg", endpoints: [("sg", "sg", "targets = 198.51.100.20")])
        let result = try workspace.run(["run"], environment: Self.environment(workspace, [
            "AWS_ROLE_ARN": Self.roleARN, "AWS_WEB_IDENTITY_TOKEN_FILE": workspace.root + "/token",
        ]))
        #expect(result.status == 0, "\(result)")
        #expect(try workspace.recordSets()["sg.\(workspace.zoneName). A"] != nil)
        #expect(!result.stderr.contains("eyJhbGciOiJSUzI1NiJ9"), "the token never reaches the log")
    }

    @Test func noCredentialsAtAllFailsTheClusterAndSaysWhatWasTried() throws {
        let workspace = try Workspace("nocreds")
        try workspace.writeCluster("k3s-sg", endpoints: [("sg", "sg", "targets = 198.51.100.20")])
        let result = try workspace.run(["run"], environment: Self.environment(workspace))
        #expect(result.status == 1, "\(result)")
        #expect(result.stderr.contains("no AWS credentials found"), "\(result)")
        #expect(result.stderr.contains("AWS_EC2_METADATA_DISABLED"), "\(result)")
        #expect(workspace.metric("dnsreconcile_run_success{cluster=\"k3s-sg\"}") == 0)
    }
}
