import DNSReconcileCore
@testable import DNSReconcileKubernetes
import Foundation
import Testing

/// Runs the endpoint derivation on objects written as YAML (one or more documents).
enum Derivation {
    static func run(_ yaml: String, settings: SourceSettings = SourceSettings()) throws -> SourceResult {
        let collected = ManifestSource.Collected()
        for document in try YAMLLoader.load(yaml, file: "objects.yaml") {
            try collected.add(document.value, at: SourceLocation(file: "objects.yaml", line: document.line), path: nil)
        }
        return try EndpointDeriver(settings: settings)
            .derive(services: collected.services, ingresses: collected.ingresses, lookup: collected)
    }

    /// `TYPE name [set id] targets` per endpoint, sorted.
    static func summary(_ result: SourceResult) -> [String] {
        result.endpoints.map { endpoint in
            var line = "\(endpoint.type) \(endpoint.name.value)"
            if let id = endpoint.setIdentifier { line += " [\(id)]" }
            return line + " " + endpoint.targets.joined(separator: ",")
        }
    }

    /// A section like a cluster file's `[source "kubernetes"]`.
    static func section(_ entries: [(String, String)], plugin: String = "kubernetes") -> ConfigSection {
        ConfigSection(kind: "source", name: plugin,
                      entries: entries.enumerated().map { index, entry in
                          ConfigEntry(key: entry.0, value: .text(entry.1),
                                      location: SourceLocation(file: "/etc/dnsreconcile/conf.d/c.ini", line: index + 2))
                      },
                      location: SourceLocation(file: "/etc/dnsreconcile/conf.d/c.ini", line: 1))
    }

    static func settings(_ entries: [(String, String)]) throws -> SourceSettings {
        try SourceSettings(section: section(entries))
    }

    /// An Ingress with `hosts` as rules, a load balancer IP and `annotations`.
    static func ingress(_ name: String, namespace: String = "web", hosts: [String], lbIP: String? = "10.0.0.5",
                        lbHostname: String? = nil, className: String? = nil, tlsHosts: [String] = [],
                        annotations: [String: String] = [:], labels: [String: String] = [:]) -> String {
        var yaml = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: \(name)\n  namespace: \(namespace)\n"
        yaml += map("labels", labels) + map("annotations", annotations)
        yaml += "spec:\n"
        if let className { yaml += "  ingressClassName: \(className)\n" }
        yaml += "  rules:\n" + hosts.map { "  - host: \(quoted($0))\n" }.joined()
        if hosts.isEmpty { yaml += "  - http: {}\n" }
        if !tlsHosts.isEmpty { yaml += "  tls:\n  - hosts: [\(tlsHosts.map(quoted).joined(separator: ", "))]\n" }
        yaml += "status:\n  loadBalancer:\n    ingress:\n"
        if lbIP == nil && lbHostname == nil { yaml += "    - {}\n" }
        if let lbIP { yaml += "    - ip: \(lbIP)\n" + (lbHostname.map { "      hostname: \($0)\n" } ?? "") }
        else if let lbHostname { yaml += "    - hostname: \(lbHostname)\n" }
        return yaml
    }

    static func map(_ key: String, _ entries: [String: String]) -> String {
        guard !entries.isEmpty else { return "" }
        return "  \(key):\n" + entries.sorted { $0.key < $1.key }.map { "    \($0.key): \(quoted($0.value))\n" }.joined()
    }

    static func quoted(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }
}
