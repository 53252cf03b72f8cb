import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing

/// Planted secrets (an AWS secret key and session token, Kubernetes bearer tokens, a client
/// private key, the TXT encryption key, a shared-credentials file) never show up in what the
/// binary writes: log lines at every level in both formats, the printed plan (text and JSON),
/// `check-config`'s output, error messages (Route53 faults, a refused token, a broken key) and
/// the metrics file.
@Suite("secrets never leak", .serialized)
struct SecretLeakTests {
    static let awsSecret = "PLANTEDsecretKEYwJalrXUtnFEMIK7MDENGbPxRfiCY"
    static let sessionToken = "PLANTEDsessionTOKENIQoJb3JpZ2luX2VjEMr"
    static let bearer = "PLANTED-bearer-eyJhbGciOiJSUzI1NiJ9"
    static let wrongBearer = "PLANTED-wrongbearer-eyJ4NTkifQ"
    static let txtKey = "PLANTEDtxtKEY-0123456789abcdefgh"
    static let profileSecret = "PLANTEDprofileSECRETk3Xq9vT2"
    static let profileToken = "PLANTEDprofileTOKENz8Lm4"

    @Test func plantedSecretsAppearInNoOutputAtAnyLevel() throws {
        let workspace = try Workspace("secrets")
        let zone = workspace.zoneName
        let api = try FakeKubeAPIServer(token: Self.bearer)
        defer { api.stop() }
        let proxy = try FaultProxy(upstream: workspace.moto.endpoint, stallSeconds: 3)
        defer { proxy.stop() }

        // Key material: the client key of the fake API server, whole and line by line.
        let clientKeyPEM = try String(contentsOfFile: api.clientKey, encoding: .utf8)
        let clientKeyData = Data(clientKeyPEM.utf8).base64EncodedString()
        let keyLines = clientKeyPEM.split(separator: "\n").filter { !$0.hasPrefix("-----") && $0.count >= 16 }.map(String.init)
        var secrets = [Self.awsSecret, Self.sessionToken, Self.bearer, Self.wrongBearer, Self.txtKey,
                       Data(Self.txtKey.utf8).base64EncodedString(), Self.profileSecret, Self.profileToken,
                       String(clientKeyData.prefix(40))] + keyLines
        secrets.append(Self.awsSecret.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? Self.awsSecret)
        #expect(keyLines.count >= 2)

        try Self.txtKey.write(toFile: workspace.root + "/txt.key", atomically: true, encoding: .utf8)
        chmod(workspace.root + "/txt.key", 0o644)  // world-readable: the warning must not print it either
        try "[planted]\naws_access_key_id = AKIDPLANTEDPROFILE\naws_secret_access_key = \(Self.profileSecret)\naws_session_token = \(Self.profileToken)\n"
            .write(toFile: workspace.root + "/credentials", atomically: true, encoding: .utf8)
        _ = try api.writeKubeconfig(to: workspace.root + "/token.yaml")
        _ = try api.writeKubeconfig(to: workspace.root + "/wrong.yaml", user: ["token: \(Self.wrongBearer)"])
        _ = try api.writeKubeconfig(
            to: workspace.root + "/cert.yaml",
            user: ["client-certificate-data: \(Data(try String(contentsOfFile: api.clientCertificate, encoding: .utf8).utf8).base64EncodedString())",
                   "client-key-data: \(clientKeyData)"],
            cluster: ["server: \(api.baseURL)",
                      "certificate-authority-data: \(Data(try String(contentsOfFile: api.caCertificate, encoding: .utf8).utf8).base64EncodedString())"])

        try workspace.writeCluster("encrypted", endpoints: [("web", "web", "targets = 192.0.2.1"), ("api", "api", "targets = 192.0.2.2")],
                                   extra: "\n[registry]\ntxt-encrypt-key-file = \(workspace.root)/txt.key")
        for (name, kubeconfig) in [("k8s-token", "token.yaml"), ("k8s-wrong", "wrong.yaml"), ("k8s-cert", "cert.yaml")] {
            try workspace.write("conf.d/\(name).ini", """
                [cluster]
                name = \(name)
                owner-id = \(name)

                [source "kubernetes"]
                kubeconfig = \(workspace.root)/\(kubeconfig)

                [provider "route53"]
                domain-filter = \(zone)
                """)
        }
        try workspace.write("conf.d/profile.ini", """
            [cluster]
            name = profile
            owner-id = profile

            [aws]
            profile = planted
            credentials-file = \(workspace.root)/credentials

            [provider "route53"]
            domain-filter = \(zone)
            """)
        chmod(workspace.root + "/credentials", 0o644)

        // Few, quick retries: the faults below fail every attempt.
        try workspace.write("dnsreconcile.ini", """
            [metrics]
            textfile-dir = \(workspace.metricsDir)

            [run]
            lock-file = \(workspace.lockFile)
            request-timeout = 2s

            [aws]
            max-retries = 1
            """)
        let environment = ["AWS_SECRET_ACCESS_KEY": Self.awsSecret, "AWS_SESSION_TOKEN": Self.sessionToken]
        var outputs: [(String, String)] = []
        func record(_ label: String, _ result: RunResult) {
            outputs.append(("\(label) stdout", result.stdout))
            outputs.append(("\(label) stderr", result.stderr))
            outputs.append(("\(label) metrics", workspace.metrics()))
        }
        for format in ["text", "json"] {
            let logging = ["--log-level", "trace", "--log-format", format]
            record("\(format) run", try workspace.run(["run"] + logging, environment: environment))
            record("\(format) dry-run", try workspace.run(["run", "--dry-run", "--output", "json"] + logging, environment: environment))
            record("\(format) plan", try workspace.run(["plan", "--output", "text"] + logging, environment: environment))
            record("\(format) check-config", try workspace.run(["check-config"] + logging, environment: environment))
            // Route53 failing in every way the proxy can: the error paths carry requests and answers.
            for fault in ["http-500", "throttling", "invalid-change-batch"] {
                try workspace.writeCluster("encrypted", endpoints: [("web", "web", "targets = 192.0.2.9"),
                                                                    ("api", "api", "targets = 192.0.2.2")],
                                           extra: "\n[registry]\ntxt-encrypt-key-file = \(workspace.root)/txt.key")
                try proxy.set([FaultProxy.Rule(phase: fault == "invalid-change-batch" ? "change" : "any", fault: fault, times: -1,
                                               record: "web.\(zone)")])
                var faulty = environment
                faulty["AWS_ENDPOINT_URL_ROUTE_53"] = proxy.endpoint
                record("\(format) \(fault)", try workspace.run(["run"] + logging, environment: faulty))
            }
        }

        // The secrets were in use: the pass ran, the companions are encrypted with the planted
        // key, the token reached the API server.
        let records = try workspace.recordSets()
        let companion = try #require(records["a-api.\(zone). TXT"], "\(records.keys.sorted())")
        #expect(!companion.contains("heritage="), "encrypted with the planted key: \(companion)")
        #expect(api.requests().contains { $0.hasSuffix(" bearer") }, "\(api.requests())")
        #expect(outputs.contains { $0.1.contains("trace") || $0.1.contains("\"level\":\"trace\"") || $0.1.contains("debug") },
                "trace/debug lines were written")

        for (label, text) in outputs {
            for secret in secrets where text.contains(secret) {
                Issue.record("\(label) contains a planted secret (\(secret.prefix(12))…):\n\(text)")
            }
        }
        #expect(outputs.count == 2 * (4 + 3) * 3)
    }
}
