import Testing
@testable import DNSReconcileCore

/// Cluster files of many endpoints: sections are turned into endpoints one at a time while the
/// file is read, and repeated names are found by hash; the result must be what the file says,
/// endpoint by endpoint, with every location.
@Suite struct ConfigLargeFileTests {
    static let count = 600

    /// The endpoint `i` of the generated cluster: a mix of types and routing policies.
    static func expected(_ i: Int, cluster: String, file: String, line: Int?, path: String? = nil) -> Endpoint {
        let origin = SourceLocation(file: file, line: line, path: path)
        let resource = "endpoint/\(cluster)/e\(i)"
        switch i % 5 {
        case 0:
            return Endpoint(name: DNSName("a\(i).example.com"), type: .a, targets: ["10.0.\(i / 256).\(i % 256)"],
                            resource: resource, origin: origin)
        case 1:
            return Endpoint(name: DNSName("v6-\(i).example.com"), type: .aaaa, targets: ["2001:db8::\(String(i, radix: 16))"],
                            ttl: 60, resource: resource, origin: origin)
        case 2:
            return Endpoint(name: DNSName("c\(i).example.com"), type: .cname, targets: ["lb\(i).example.net"],
                            resource: resource, origin: origin)
        case 3:
            return Endpoint(name: DNSName("t\(i).example.com"), type: .txt, targets: ["\"text \(i), quoted\""],
                            resource: resource, origin: origin)
        default:
            return Endpoint(name: DNSName("w.example.com"), type: .a, targets: ["192.0.2.\(i % 250 + 1)"],
                            setIdentifier: "w\(i)", routing: .weighted(weight: i % 256), resource: resource, origin: origin)
        }
    }

    /// The keys of endpoint `i` as INI lines.
    static func iniLines(_ i: Int) -> [String] {
        switch i % 5 {
        case 0: ["name = a\(i).example.com", "targets = 10.0.\(i / 256).\(i % 256)"]
        case 1: ["name = V6-\(i).Example.com.", "targets = 2001:db8::\(String(i, radix: 16))", "ttl = 1m"]
        case 2: ["name = c\(i).example.com", "type = cname", "targets = LB\(i).example.net."]
        case 3: ["name = t\(i).example.com", "type = TXT", "targets = \"\\\"text \(i), quoted\\\"\"  # one item"]
        default: ["name = w.example.com", "targets = 192.0.2.\(i % 250 + 1)", "set-identifier = w\(i)", "aws-weight = \(i % 256)"]
        }
    }

    /// The INI file with `[cluster]` after the endpoints (the cluster name is known only at the
    /// end), and the header line of each endpoint.
    static func iniFile() -> (text: String, headerLines: [Int]) {
        var lines = ["# generated", "[registry]", "managed-record-types = A, AAAA, CNAME, TXT", ""]
        var headerLines: [Int] = []
        for i in 0..<count {
            headerLines.append(lines.count + 1)
            lines.append("[endpoint \"e\(i)\"]")
            lines += iniLines(i)
            lines.append("")
        }
        lines += ["[cluster]", "name = big", "owner-id = big-owner"]
        return (lines.joined(separator: "\n") + "\n", headerLines)
    }

    @Test func aLargeINIFileLoadsEveryEndpointWithItsLocation() throws {
        let (text, headerLines) = Self.iniFile()
        let cluster = try ConfigFixtures.cluster(text, file: "big.ini")
        #expect(cluster.name == "big")
        #expect(cluster.endpoints.count == Self.count)
        for (i, endpoint) in cluster.endpoints.enumerated() {
            let expected = Self.expected(i, cluster: "big", file: "big.ini", line: headerLines[i])
            #expect(endpoint == expected, "endpoint \(i)")
        }
    }

    @Test func aLargeJSONFileLoadsTheSameEndpoints() throws {
        var members: [String] = []
        for i in 0..<Self.count {
            let keys = Self.iniLines(i).map { line -> String in
                let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingBlanks() }
                var value = String(parts[1])
                if let comment = value.firstRange(of: "  # ") { value = String(value[..<comment.lowerBound]) }
                // INI quotes and escapes; JSON has only its own. Targets as an array: a JSON
                // string would be split at every comma.
                if value.hasPrefix("\"") { value = String(value.dropFirst().dropLast()).replacingBackslashQuotes() }
                let json = "\"\(value.replacingQuotesWithJSONEscapes())\""
                return "\"\(parts[0])\": " + (parts[0] == "targets" ? "[\(json)]" : json)
            }
            members.append("\"e\(i)\": {" + keys.joined(separator: ", ") + "}")
        }
        let text = "{\"registry\": {\"managed-record-types\": [\"A\", \"AAAA\", \"CNAME\", \"TXT\"]},\n\"endpoint\": {\n"
            + members.joined(separator: ",\n") + "\n},\n\"cluster\": {\"name\": \"big\", \"owner-id\": \"big-owner\"}}\n"
        let cluster = try ConfigFixtures.cluster(text, file: "big.json")
        #expect(cluster.endpoints.count == Self.count)
        for (i, endpoint) in cluster.endpoints.enumerated() {
            let expected = Self.expected(i, cluster: "big", file: "big.json", line: i + 3, path: "endpoint.e\(i)")
            #expect(endpoint == expected, "endpoint \(i)")
        }
    }

    @Test func repeatedSectionsAndKeysOfALargeFileAreReportedWithTheirFirstLine() {
        let (text, headerLines) = Self.iniFile()
        // Repeat an early, a middle and the last endpoint, and a key of one of them.
        let repeats = [3, Self.count / 2, Self.count - 1]
        var extra = repeats.map { "[endpoint \"e\($0)\"]\ntargets = 192.0.2.1\n" }.joined()
        extra += "[endpoint \"late\"]\ntargets = 192.0.2.1\ntargets = 192.0.2.2\n"
        let lineCount = text.split(separator: "\n", omittingEmptySubsequences: false).count - 1
        let errors = ConfigFixtures.errors(text + extra, file: "big.ini")
        #expect(errors.map(\.code) == [.configDuplicateKey, .configDuplicateKey, .configDuplicateKey, .configDuplicateKey])
        for (n, i) in repeats.enumerated() {
            #expect(errors[n].location == SourceLocation(file: "big.ini", line: lineCount + 1 + 2 * n))
            #expect(errors[n].message
                == "section [endpoint \"e\(i)\"] is already defined at line \(headerLines[i]); merge the two into one section")
        }
        #expect(errors[3].location == SourceLocation(file: "big.ini", line: lineCount + 9))
        #expect(errors[3].message == "[endpoint \"late\"] targets is already set at line \(lineCount + 8); keep only one")
    }

    @Test func repeatedMembersOfALargeJSONObjectAreReported() {
        var members = (0..<40).map { "\"e\($0)\": {\"targets\": \"192.0.2.1\"}" }
        members.append("\"e7\": {\"targets\": \"192.0.2.2\"}")
        let text = "{\"cluster\": {\"owner-id\": \"o\"},\n\"endpoint\": {\n" + members.joined(separator: ",\n") + "\n}}"
        let errors = ConfigFixtures.errors(text, file: "big.json")
        #expect(errors.map(\.code) == [.configDuplicateKey])
        #expect(errors.first?.location == SourceLocation(file: "big.json", line: 43, path: "endpoint.e7"))
        #expect(errors.first?.message == "\"e7\" is already set at line 10; keep only one")
    }

    @Test(arguments: [("ini", "[endpoint \"%@\"]\ntargets = 192.0.2.1\n"), ("json", "\"%@\": {\"targets\": \"192.0.2.1\"}")])
    func namesThatAreTheSameTextInAnotherEncodingAreRepeats(format: String, template: String) {
        // "é" precomposed and as "e" + combining acute are the same name.
        var parts = (0..<20).map { template.replacingPlaceholder(with: "n\($0)") }
        parts.insert(template.replacingPlaceholder(with: "\u{E9}"), at: 2)
        parts.append(template.replacingPlaceholder(with: "e\u{301}"))
        let text = format == "ini"
            ? ConfigFixtures.owner + parts.joined()
            : "{\"cluster\": {\"owner-id\": \"o\"}, \"endpoint\": {" + parts.joined(separator: ", ") + "}}"
        let errors = ConfigFixtures.errors(text, file: "names.\(format)")
        #expect(errors.contains { $0.code == .configDuplicateKey }, "\(errors)")
    }

    @Test func aSyntaxErrorAtTheEndOfALargeJSONFileIsTheOnlyFinding() {
        let members = (0..<50).map { "\"e\($0)\": {\"targets\": \"not an address\"}" }
        let text = "{\"endpoint\": {" + members.joined(separator: ", ") + "}, \"cluster\": {\"owner-id\": \"o\"} oops"
        let errors = ConfigFixtures.errors(text, file: "broken.json")
        // Nothing of the endpoints read before the error: the document is void, so only the
        // syntax error and what an empty cluster lacks.
        #expect(errors.map(\.code) == [.configMissingKey, .configSyntax])
        #expect(errors.last?.message.hasPrefix("invalid JSON at column") == true)
    }

    @Test func endpointsReadBeforeTheClusterNameAreLabelledWithIt() throws {
        let text = "[endpoint \"a\"]\ntargets = 192.0.2.1\n[cluster]\nname = named\nowner-id = o\n[endpoint \"b\"]\ntargets = 192.0.2.2\n"
        let cluster = try ConfigFixtures.cluster(text, file: "file-name.ini")
        #expect(cluster.endpoints.map(\.resource) == ["endpoint/named/a", "endpoint/named/b"])
        let unnamed = try ConfigFixtures.cluster("[endpoint \"a\"]\ntargets = 192.0.2.1\n[cluster]\nowner-id = o\n",
                                                 file: "file-name.ini")
        #expect(unnamed.endpoints.map(\.resource) == ["endpoint/file-name/a"])
    }

    @Test func checksBetweenManyEndpointsFindTheFirstDeclaration() {
        var text = ConfigFixtures.owner
        for i in 0..<30 { text += "[endpoint \"a\(i)\"]\nname = n\(i).example.com\ntargets = 192.0.2.1\n" }
        text += "[endpoint \"again\"]\nname = n17.example.com\ntargets = 192.0.2.9\n"
        text += "[endpoint \"cname\"]\nname = n23.example.com\ntargets = lb.example.net\n"
        let errors = ConfigFixtures.errors(text)
        #expect(errors.map(\.code) == [.configConflict, .configConflict])
        #expect(errors[0].message.hasPrefix("[endpoint \"again\"] declares n17.example.com"))
        #expect(errors[0].message.contains("(first at c.ini:\(3 + 17 * 3))"))
        #expect(errors[1].message.hasPrefix("[endpoint \"cname\"]: a CNAME cannot share its name n23.example.com."))
        #expect(errors[1].message.contains("(A at c.ini:\(3 + 23 * 3))"))
    }
}

private extension StringProtocol {
    func trimmingBlanks() -> String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

private extension String {
    func replacingBackslashQuotes() -> String {
        var out = ""
        var escaped = false
        for character in self {
            if character == "\\" && !escaped {
                escaped = true
                continue
            }
            escaped = false
            out.append(character)
        }
        return out
    }

    func replacingQuotesWithJSONEscapes() -> String {
        var out = ""
        for character in self {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    func replacingPlaceholder(with name: String) -> String {
        guard let range = firstRange(of: "%@") else { return self }
        var text = self
        text.replaceSubrange(range, with: name)
        return text
    }
}
