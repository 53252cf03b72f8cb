import DNSReconcileCore

/// `fqdn-template`: the subset of Go's `text/template` that ExternalDNS users write for host
/// names, evaluated against the object.
///
/// Supported: text, `{{ pipeline }}` actions with `{{-` / `-}}` trimming, field paths on the
/// object (`.Name`, `.Namespace`, `.Kind`, `.Labels.app`, `.Annotations.x`, `.Spec.ClusterIP`,
/// Go names resolved to their JSON fields), string literals, `|` pipes, and ExternalDNS's
/// functions `trimPrefix`, `trimSuffix`, `trim`, `toLower`, `replace`, `contains`, `isIPv4`,
/// `isIPv6`, `hasKey`, plus Go's `index` and `printf` (`%s`, `%v`, `%d`). Control structures
/// (`if`, `range`, `with`, variables) are refused when the configuration is read.
///
/// The output is split at commas; each name is trimmed, loses one trailing dot, and the names
/// are de-duplicated and sorted, as ExternalDNS does. A missing field or map key is empty.
public struct FQDNTemplate: Hashable, Sendable {
    indirect enum Node: Hashable, Sendable {
        case text(String)
        case action([Command])
    }

    /// One command of a pipeline: a single operand, or a function with its arguments.
    struct Command: Hashable, Sendable {
        var function: String?
        var arguments: [Operand]
    }

    enum Operand: Hashable, Sendable {
        case field([String])
        case literal(String)
    }

    static let functions: [String: Int] = [
        "trimPrefix": 2, "trimSuffix": 2, "trim": 1, "toLower": 1, "replace": 3, "contains": 2, "isIPv4": 1,
        "isIPv6": 1, "hasKey": 2, "index": -1, "printf": -1,
    ]

    let nodes: [Node]
    public let text: String

    public init(parsing text: String) throws(TemplateError) {
        self.text = text
        nodes = try Self.parse(text)
    }

    /// The host names for `object`.
    func hostnames(for object: YAMLValue, kind: String) throws(TemplateError) -> [String] {
        var output = ""
        for node in nodes {
            switch node {
            case .text(let literal): output += literal
            case .action(let pipeline): output += Self.render(try evaluate(pipeline, object: object, kind: kind))
            }
        }
        var names: Set<String> = []
        for part in output.split(separator: ",") {
            var name = part.trimmingSpaces
            if name.hasSuffix(".") { name.removeLast() }
            if !name.isEmpty { names.insert(name) }
        }
        return names.sorted()
    }

    // MARK: Evaluation

    private func evaluate(_ pipeline: [Command], object: YAMLValue, kind: String) throws(TemplateError) -> YAMLValue {
        var piped: YAMLValue?
        for command in pipeline {
            var arguments = command.arguments.map { resolve($0, object: object, kind: kind) }
            if let value = piped { arguments.append(value) }
            guard let function = command.function else {
                guard arguments.count == 1 else {
                    throw TemplateError(message: "a value cannot take arguments; call a function instead")
                }
                piped = arguments[0]
                continue
            }
            piped = try call(function, arguments)
        }
        return piped ?? .null
    }

    private func resolve(_ operand: Operand, object: YAMLValue, kind: String) -> YAMLValue {
        switch operand {
        case .literal(let text): return .string(text)
        case .field(let path):
            guard let first = path.first else { return object }
            var current: YAMLValue?
            var rest = path.dropFirst()
            switch first {
            case "Kind": current = object["kind"] ?? .string(kind)
            case "APIVersion": current = object["apiVersion"]
            case "Spec", "Status": current = object[Self.lowerFirst(first)]
            case "ObjectMeta", "Metadata": current = object["metadata"]
            default:
                current = object["metadata"]
                rest = path[...]
            }
            for segment in rest {
                guard let value = current else { break }
                current = value[segment] ?? value[segment == "UID" ? "uid" : Self.lowerFirst(segment)] ?? value[segment.lowercased()]
            }
            return current ?? .null
        }
    }

    private func call(_ function: String, _ arguments: [YAMLValue]) throws(TemplateError) -> YAMLValue {
        let texts = arguments.map(Self.render)
        func need(_ count: Int) throws(TemplateError) {
            guard arguments.count == count else {
                throw TemplateError(message: "\(function) takes \(count) arguments, got \(arguments.count)")
            }
        }
        switch function {
        case "trimPrefix":
            try need(2)
            return .string(texts[0].hasPrefix(texts[1]) ? String(texts[0].dropFirst(texts[1].count)) : texts[0])
        case "trimSuffix":
            try need(2)
            return .string(texts[0].hasSuffix(texts[1]) ? String(texts[0].dropLast(texts[1].count)) : texts[0])
        case "trim":
            try need(1)
            return .string(texts[0].trimmingSpaces)
        case "toLower":
            try need(1)
            return .string(texts[0].lowercased())
        case "replace":
            try need(3)
            return .string(texts[2].replacingAll(texts[0], with: texts[1]))
        case "contains":
            try need(2)
            return .bool(texts[1].isEmpty || texts[0].contains(texts[1]))
        case "isIPv4":
            try need(1)
            return .bool(AddressSyntax.isIPv4(texts[0]))
        case "isIPv6":
            try need(1)
            return .bool(AddressSyntax.isIPv6(texts[0]))
        case "hasKey":
            try need(2)
            return .bool(arguments[0][texts[1]] != nil)
        case "index":
            guard var current = arguments.first, arguments.count >= 2 else {
                throw TemplateError(message: "index takes a map or list and at least one key")
            }
            for key in arguments.dropFirst() {
                switch (current, key) {
                case (.sequence(let items), .int(let position)):
                    current = items.indices.contains(position) ? items[position] : .null
                case (.sequence(let items), _):
                    let position = Int(Self.render(key)) ?? -1
                    current = items.indices.contains(position) ? items[position] : .null
                default:
                    current = current[Self.render(key)] ?? .null
                }
            }
            return current
        case "printf":
            guard let format = texts.first else { throw TemplateError(message: "printf needs a format") }
            return .string(try Self.printf(format, Array(texts.dropFirst())))
        default:
            throw TemplateError(message: "unknown function \(function)")
        }
    }

    private static func printf(_ format: String, _ arguments: [String]) throws(TemplateError) -> String {
        var output = ""
        var remaining = arguments[...]
        var iterator = format.makeIterator()
        while let character = iterator.next() {
            guard character == "%" else { output.append(character); continue }
            guard let verb = iterator.next() else { throw TemplateError(message: "printf format ends with %") }
            switch verb {
            case "%": output.append("%")
            case "s", "v", "d":
                guard let argument = remaining.popFirst() else {
                    throw TemplateError(message: "printf has more verbs than arguments")
                }
                output += argument
            default:
                throw TemplateError(message: "printf supports only %s, %v and %d, not %\(verb)")
            }
        }
        return output
    }

    static func render(_ value: YAMLValue) -> String {
        switch value {
        case .null: ""
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .double(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .string(let text): text
        case .sequence(let items): "[" + items.map(render).joined(separator: " ") + "]"
        case .mapping(let members): "map[" + members.keys.sorted().map { "\($0):\(render(members[$0]!))" }.joined(separator: " ") + "]"
        }
    }

    private static func lowerFirst(_ text: String) -> String {
        guard let first = text.first else { return text }
        return first.lowercased() + text.dropFirst()
    }

    // MARK: Parsing

    private static func parse(_ text: String) throws(TemplateError) -> [Node] {
        var nodes: [Node] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            var literal = String(rest[..<open.lowerBound])
            var inner = rest[open.upperBound...]
            if inner.hasPrefix("- ") || inner.hasPrefix("-\t") || inner.hasPrefix("-\n") {
                literal = String(literal.reversed().drop { $0.isWhitespace }.reversed())
                inner = inner.dropFirst()
            }
            guard let close = inner.firstRange(of: "}}") else { throw TemplateError(message: "'{{' without a closing '}}'") }
            var body = inner[..<close.lowerBound]
            rest = inner[close.upperBound...]
            if body.hasSuffix(" -") || body.hasSuffix("\t-") || body.hasSuffix("\n-") {
                body = body.dropLast()
                rest = rest.drop { $0.isWhitespace }
            }
            if !literal.isEmpty { nodes.append(.text(literal)) }
            let trimmed = String(body).trimmingSpaces
            if trimmed.hasPrefix("/*") { continue }
            nodes.append(.action(try pipeline(trimmed)))
        }
        if !rest.isEmpty { nodes.append(.text(String(rest))) }
        return nodes
    }

    private static func pipeline(_ text: String) throws(TemplateError) -> [Command] {
        let tokens = try tokenize(text)
        guard !tokens.isEmpty else { throw TemplateError(message: "an empty action {{ }}") }
        if case .word(let first) = tokens[0],
           ["if", "else", "end", "range", "with", "define", "template", "block", "break", "continue"].contains(first) {
            throw TemplateError(message: "{{\(first)}} is not supported in fqdn-template; use fields, functions and pipes")
        }
        var commands: [Command] = []
        var current: [Token] = []
        for token in tokens + [.pipe] {
            guard token == .pipe else { current.append(token); continue }
            guard !current.isEmpty else { throw TemplateError(message: "an empty command around '|'") }
            commands.append(try command(current))
            current = []
        }
        return commands
    }

    private static func command(_ tokens: [Token]) throws(TemplateError) -> Command {
        var operands: [Operand] = []
        var function: String?
        for (position, token) in tokens.enumerated() {
            switch token {
            case .word(let name):
                guard position == 0 else {
                    throw TemplateError(message: "\(name) can only be called first in a command")
                }
                guard functions[name] != nil else {
                    if name.hasPrefix("$") {
                        throw TemplateError(message: "variables (\(name)) are not supported in fqdn-template")
                    }
                    let known = functions.keys.sorted().joined(separator: ", ")
                    throw TemplateError(message: "unknown function \(name); the supported ones are \(known)")
                }
                function = name
            case .field(let path): operands.append(.field(path))
            case .string(let literal): operands.append(.literal(literal))
            case .pipe: break
            }
        }
        if function == nil && operands.count > 1 {
            throw TemplateError(message: "a value cannot take arguments; call a function instead")
        }
        return Command(function: function, arguments: operands)
    }

    enum Token: Hashable {
        case word(String)
        case field([String])
        case string(String)
        case pipe
    }

    private static func tokenize(_ text: String) throws(TemplateError) -> [Token] {
        var tokens: [Token] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            if character == "|" { tokens.append(.pipe); index += 1; continue }
            if character == "(" || character == ")" {
                throw TemplateError(message: "parentheses are not supported in fqdn-template; use a pipe instead")
            }
            if character == "\"" || character == "`" {
                var literal = ""
                index += 1
                var closed = false
                while index < characters.count {
                    let next = characters[index]
                    if next == character { closed = true; index += 1; break }
                    if next == "\\" && character == "\"" && index + 1 < characters.count {
                        let escaped = characters[index + 1]
                        literal.append(escaped == "n" ? "\n" : escaped == "t" ? "\t" : escaped)
                        index += 2
                        continue
                    }
                    literal.append(next)
                    index += 1
                }
                guard closed else { throw TemplateError(message: "unterminated string \(character)\(literal)") }
                tokens.append(.string(literal))
                continue
            }
            let start = index
            while index < characters.count, !characters[index].isWhitespace, !"|()\"`".contains(characters[index]) {
                index += 1
            }
            let word = String(characters[start..<index])
            if word.hasPrefix(".") {
                let path = word == "." ? [] : word.dropFirst().split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard !path.contains(where: \.isEmpty) else { throw TemplateError(message: "'\(word)' is not a field path") }
                tokens.append(.field(path))
            } else if let first = word.first, first.isNumber || first == "-" {
                tokens.append(.string(word))
            } else {
                tokens.append(.word(word))
            }
        }
        return tokens
    }
}

/// An `fqdn-template` that does not parse or cannot be evaluated.
public struct TemplateError: Error, Hashable, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
