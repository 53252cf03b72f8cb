import CYAML
import DNSReconcileCore

/// One document of a YAML stream, with the line its content starts on (1-based) for messages.
public struct YAMLDocument: Hashable, Sendable {
    public var value: YAMLValue
    public var line: Int
}

/// Reads YAML (and JSON, which is YAML) into `YAMLValue`s with libyaml's event parser.
///
/// Scalars are typed as Kubernetes' YAML reader types them: quoted scalars are strings; plain
/// scalars are null (`~`, `null`, empty), booleans (YAML 1.1 words: `true/false/yes/no/on/off`
/// in their three spellings, so an unquoted `yes` is not a string, as `kubectl` sees it),
/// integers (decimal, `0x`, `0o`), floats (`1.5`, `1e3`, `.inf`, `.nan`) or else strings.
/// Anchors and aliases are resolved, `<<` merge keys applied, and an alias expansion that would
/// grow past a million nodes is refused (the "billion laughs" document). Duplicate keys, complex
/// keys and tags other than the standard ones are errors.
public enum YAMLLoader {
    /// Most nodes one stream may expand to, aliases counted at their full size.
    static let nodeLimit = 1_000_000
    /// Deepest nesting accepted: deeper input is never a Kubernetes object.
    static let depthLimit = 256

    /// Every document of `text`, in order. `file` names the input in errors.
    public static func load(_ text: String, file: String) throws(DNSReconcileError) -> [YAMLDocument] {
        try load(Array(text.utf8), file: file)
    }

    public static func load(_ bytes: [UInt8], file: String) throws(DNSReconcileError) -> [YAMLDocument] {
        let parser = EventParser(bytes: bytes, file: file)
        do {
            return try parser.documents()
        } catch {
            throw DNSReconcileError(.source, "\(error.message)",
                                    location: SourceLocation(file: file, line: error.line > 0 ? error.line : nil),
                                    cause: error.column > 0 ? "column \(error.column)" : nil)
        }
    }
}

/// A syntax or structure problem at a line and column (1-based; 0 when unknown).
struct YAMLProblem: Error {
    var message: String
    var line: Int
    var column: Int
}

/// One libyaml event, copied out of the C struct so the C event can be freed at once.
private struct YAMLEvent {
    enum Kind { case streamStart, streamEnd, documentStart, documentEnd, alias, scalar, sequenceStart, sequenceEnd,
                     mappingStart, mappingEnd, none }
    var kind: Kind
    var anchor: String?
    var tag: String?
    var value: String = ""
    var plain = false
    var line: Int
    var column: Int
}

/// Walks libyaml's events and builds the values, one document at a time.
private final class EventParser {
    private let parser: UnsafeMutablePointer<yaml_parser_t>
    private let input: UnsafeMutablePointer<UInt8>
    private let inputCount: Int
    private var anchors: [String: (value: YAMLValue, size: Int)] = [:]
    private var nodes = 0

    init(bytes: [UInt8], file: String) {
        parser = .allocate(capacity: 1)
        inputCount = bytes.count
        // libyaml reads the input in place while parsing, so it needs a stable address.
        input = .allocate(capacity: max(bytes.count, 1))
        input.initialize(repeating: 0, count: max(bytes.count, 1))
        bytes.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { input.update(from: base, count: source.count) }
        }
        yaml_parser_initialize(parser)
        yaml_parser_set_input_string(parser, input, inputCount)
    }

    deinit {
        yaml_parser_delete(parser)
        parser.deallocate()
        input.deallocate()
    }

    func documents() throws(YAMLProblem) -> [YAMLDocument] {
        var documents: [YAMLDocument] = []
        var event = try next()
        guard event.kind == .streamStart else { throw problem("the input does not start a YAML stream", at: event) }
        while true {
            event = try next()
            switch event.kind {
            case .streamEnd:
                return documents
            case .documentStart:
                anchors = [:]
                let first = try next()
                let value = try node(first, depth: 0)
                let end = try next()
                guard end.kind == .documentEnd else { throw problem("expected the end of the document", at: end) }
                // The line of the content, not of a `---` marker above it.
                documents.append(YAMLDocument(value: value, line: first.line))
            default:
                throw problem("expected a document", at: event)
            }
        }
    }

    private func node(_ event: YAMLEvent, depth: Int) throws(YAMLProblem) -> YAMLValue {
        guard depth < YAMLLoader.depthLimit else { throw problem("the document is nested too deeply", at: event) }
        let before = nodes
        try count(1, at: event)
        let value: YAMLValue
        switch event.kind {
        case .alias:
            guard let name = event.anchor, let anchored = anchors[name] else {
                throw problem("the alias *\(event.anchor ?? "") refers to no anchor defined before it", at: event)
            }
            try count(anchored.size, at: event)
            return anchored.value
        case .scalar:
            value = try scalar(event)
        case .sequenceStart:
            try checkCollectionTag(event, expected: "tag:yaml.org,2002:seq")
            var items: [YAMLValue] = []
            while true {
                let item = try next()
                if item.kind == .sequenceEnd { break }
                items.append(try node(item, depth: depth + 1))
            }
            value = .sequence(items)
        case .mappingStart:
            try checkCollectionTag(event, expected: "tag:yaml.org,2002:map")
            value = .mapping(try mapping(depth: depth))
        default:
            throw problem("expected a value", at: event)
        }
        if let anchor = event.anchor { anchors[anchor] = (value, nodes - before) }
        return value
    }

    private func mapping(depth: Int) throws(YAMLProblem) -> [String: YAMLValue] {
        var members: [String: YAMLValue] = [:]
        var merged: [String: YAMLValue] = [:]
        while true {
            let keyEvent = try next()
            if keyEvent.kind == .mappingEnd { break }
            let isMerge = keyEvent.kind == .scalar && keyEvent.plain && keyEvent.value == "<<"
            let key: String
            switch keyEvent.kind {
            case .scalar:
                try count(1, at: keyEvent)
                key = keyEvent.value
            case .alias:
                guard case .some(let anchored) = keyEvent.anchor.flatMap({ anchors[$0] }) else {
                    throw problem("the alias *\(keyEvent.anchor ?? "") refers to no anchor defined before it", at: keyEvent)
                }
                switch anchored.value {
                case .string(let text): key = text
                case .int(let number): key = String(number)
                case .bool(let flag): key = flag ? "true" : "false"
                default: throw problem("a mapping key must be a scalar", at: keyEvent)
                }
            default:
                throw problem("complex mapping keys (a list or mapping as key) are not supported", at: keyEvent)
            }
            let valueEvent = try next()
            let value = try node(valueEvent, depth: depth + 1)
            if isMerge {
                // `<<: *defaults` or `<<: [*a, *b]`: earlier sources win, explicit keys win over all.
                let sources: [YAMLValue] = if case .sequence(let items) = value { items } else { [value] }
                for source in sources {
                    guard case .mapping(let entries) = source else {
                        throw problem("a << merge key takes a mapping or a list of mappings", at: valueEvent)
                    }
                    for (name, entry) in entries where merged[name] == nil { merged[name] = entry }
                }
                continue
            }
            guard members[key] == nil else { throw problem("duplicate key '\(key)'", at: keyEvent) }
            members[key] = value
        }
        for (name, entry) in merged where members[name] == nil { members[name] = entry }
        return members
    }

    private func scalar(_ event: YAMLEvent) throws(YAMLProblem) -> YAMLValue {
        let text = event.value
        switch event.tag {
        case nil:
            return event.plain ? Self.resolvePlain(text) : .string(text)
        case "!", "tag:yaml.org,2002:str":
            return .string(text)
        case "tag:yaml.org,2002:null":
            guard case .null = Self.resolvePlain(text) else { break }
            return .null
        case "tag:yaml.org,2002:bool":
            if case .bool(let flag) = Self.resolvePlain(text) { return .bool(flag) }
        case "tag:yaml.org,2002:int":
            if case .int(let number) = Self.resolvePlain(text) { return .int(number) }
        case "tag:yaml.org,2002:float":
            switch Self.resolvePlain(text) {
            case .int(let number): return .double(Double(number))
            case .double(let number): return .double(number)
            default: break
            }
        case "tag:yaml.org,2002:binary":
            return .string(text)
        default:
            throw problem("the tag \(event.tag ?? "") is not supported", at: event)
        }
        throw problem("'\(Self.excerpt(text))' does not fit its tag \(event.tag ?? "")", at: event)
    }

    private func checkCollectionTag(_ event: YAMLEvent, expected: String) throws(YAMLProblem) {
        guard let tag = event.tag, tag != "!", tag != expected else { return }
        throw problem("the tag \(tag) is not supported", at: event)
    }

    /// The type of a plain (unquoted) scalar.
    static func resolvePlain(_ text: String) -> YAMLValue {
        switch text {
        case "", "~", "null", "Null", "NULL":
            return .null
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON":
            return .bool(true)
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF":
            return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF":
            return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF":
            return .double(-.infinity)
        case ".nan", ".NaN", ".NAN":
            return .double(.nan)
        default:
            break
        }
        guard let first = text.utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+")
                || first == UInt8(ascii: ".") || (first >= 48 && first <= 57) else { return .string(text) }
        if let number = integer(text) { return number }
        if isFloat(text), let number = Double(text) { return .double(number) }
        return .string(text)
    }

    private static func integer(_ text: String) -> YAMLValue? {
        var body = Substring(text)
        var negative = false
        if body.first == "-" || body.first == "+" {
            negative = body.first == "-"
            body = body.dropFirst()
        }
        let radix: Int
        if body.hasPrefix("0x") {
            radix = 16
            body = body.dropFirst(2)
        } else if body.hasPrefix("0o") {
            radix = 8
            body = body.dropFirst(2)
        } else {
            radix = 10
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && $0.isHexDigit }) else { return nil }
        guard let magnitude = Int(body, radix: radix) else {
            // Too large for an Int: a decimal still reads as a number.
            return radix == 10 && body.allSatisfy(\.isNumber) ? Double(text).map { .double($0) } : nil
        }
        return .int(negative ? -magnitude : magnitude)
    }

    /// `[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?`
    private static func isFloat(_ text: String) -> Bool {
        var bytes = Array(text.utf8)[...]
        func digits() -> Int {
            let count = bytes.prefix { $0 >= 48 && $0 <= 57 }.count
            bytes = bytes.dropFirst(count)
            return count
        }
        if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        let whole = digits()
        var fraction = 0
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            fraction = digits()
        }
        guard whole > 0 || fraction > 0 else { return false }
        if bytes.first == UInt8(ascii: "e") || bytes.first == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if bytes.first == UInt8(ascii: "-") || bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
            guard digits() > 0 else { return false }
        }
        return bytes.isEmpty
    }

    private static func excerpt(_ text: String) -> String {
        text.count > 40 ? String(text.prefix(40)) + "…" : text
    }

    private func count(_ added: Int, at event: YAMLEvent) throws(YAMLProblem) {
        nodes += added
        guard nodes <= YAMLLoader.nodeLimit else {
            throw problem("the document expands to more than \(YAMLLoader.nodeLimit) values (aliases counted in full); "
                              + "refusing it", at: event)
        }
    }

    private func problem(_ message: String, at event: YAMLEvent) -> YAMLProblem {
        YAMLProblem(message: message, line: event.line, column: event.column)
    }

    // MARK: libyaml

    private func next() throws(YAMLProblem) -> YAMLEvent {
        var event = yaml_event_t()
        guard yaml_parser_parse(parser, &event) == 1 else {
            let state = parser.pointee
            let mark = state.problem_mark
            var message = state.problem.map { String(cString: $0) } ?? "the input is not valid YAML"
            if let context = state.context.map({ String(cString: $0) }) { message = "\(message) \(context)" }
            if state.error == YAML_READER_ERROR { message = "the input is not valid UTF-8 text (\(message))" }
            // A reader error reports a byte offset, not a line.
            let line = state.error == YAML_READER_ERROR ? 0 : Int(mark.line) + 1
            throw YAMLProblem(message: message, line: line, column: line > 0 ? Int(mark.column) + 1 : 0)
        }
        defer { yaml_event_delete(&event) }
        let line = Int(event.start_mark.line) + 1
        let column = Int(event.start_mark.column) + 1
        func text(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
            pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
        }
        switch event.type {
        case YAML_STREAM_START_EVENT: return YAMLEvent(kind: .streamStart, line: line, column: column)
        case YAML_STREAM_END_EVENT: return YAMLEvent(kind: .streamEnd, line: line, column: column)
        case YAML_DOCUMENT_START_EVENT: return YAMLEvent(kind: .documentStart, line: line, column: column)
        case YAML_DOCUMENT_END_EVENT: return YAMLEvent(kind: .documentEnd, line: line, column: column)
        case YAML_ALIAS_EVENT:
            return YAMLEvent(kind: .alias, anchor: text(event.data.alias.anchor), line: line, column: column)
        case YAML_SCALAR_EVENT:
            let data = event.data.scalar
            // The value may contain NUL bytes (a "\0" escape), so it is read by length.
            let value = data.value.map {
                String(decoding: UnsafeBufferPointer(start: $0, count: data.length), as: UTF8.self)
            } ?? ""
            return YAMLEvent(kind: .scalar, anchor: text(data.anchor), tag: text(data.tag), value: value,
                             plain: data.style == YAML_PLAIN_SCALAR_STYLE, line: line, column: column)
        case YAML_SEQUENCE_START_EVENT:
            return YAMLEvent(kind: .sequenceStart, anchor: text(event.data.sequence_start.anchor),
                             tag: text(event.data.sequence_start.tag), line: line, column: column)
        case YAML_SEQUENCE_END_EVENT: return YAMLEvent(kind: .sequenceEnd, line: line, column: column)
        case YAML_MAPPING_START_EVENT:
            return YAMLEvent(kind: .mappingStart, anchor: text(event.data.mapping_start.anchor),
                             tag: text(event.data.mapping_start.tag), line: line, column: column)
        case YAML_MAPPING_END_EVENT: return YAMLEvent(kind: .mappingEnd, line: line, column: column)
        default: return YAMLEvent(kind: .none, line: line, column: column)
        }
    }
}
