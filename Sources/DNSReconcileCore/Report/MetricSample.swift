/// One sample line of the Prometheus text format: `name{label="value",...} 12`.
public struct MetricSample: Hashable, Sendable {
    public var name: String
    /// Label pairs in the order they are printed.
    public var labels: [Label]
    public var value: Double

    public struct Label: Hashable, Sendable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(name: String, labels: [Label] = [], value: Double) {
        self.name = name
        self.labels = labels
        self.value = value
    }

    public func label(_ name: String) -> String? { labels.first { $0.name == name }?.value }

    /// The sample as one line of the text format, without a timestamp: node_exporter's textfile
    /// collector rejects a whole file whose samples carry client-side timestamps.
    public var line: String {
        var text = name
        if !labels.isEmpty {
            text += "{"
            text += labels.map { "\($0.name)=\"\(MetricSample.escape($0.value))\"" }.joined(separator: ",")
            text += "}"
        }
        return text + " " + MetricSample.format(value)
    }

    /// Escapes a label value as the text format requires: backslash, double quote, newline.
    public static func escape(_ value: String) -> String {
        var out = ""
        for character in value {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }

    /// Integers without a fraction, everything else in Swift's shortest round-trip form (which
    /// the text format parses, exponent included).
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// Parses one sample line; nil for comments, blank lines and anything malformed (a damaged
    /// previous file must not stop a pass from writing a fresh one).
    public init?(parsing line: Substring) {
        var rest = line.drop { $0 == " " || $0 == "\t" }
        guard let first = rest.first, first != "#" else { return nil }
        let nameEnd = rest.firstIndex { $0 == "{" || $0 == " " || $0 == "\t" } ?? rest.endIndex
        let name = String(rest[..<nameEnd])
        guard !name.isEmpty else { return nil }
        rest = rest[nameEnd...]
        var labels: [Label] = []
        if rest.first == "{" {
            rest = rest.dropFirst()
            while true {
                rest = rest.drop { $0 == " " || $0 == "," }
                if rest.first == "}" { rest = rest.dropFirst(); break }
                guard let equals = rest.firstIndex(of: "=") else { return nil }
                let labelName = String(rest[..<equals]).trimmingSpaces
                rest = rest[rest.index(after: equals)...]
                guard rest.first == "\"" else { return nil }
                rest = rest.dropFirst()
                var value = ""
                var closed = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if character == "\"" { closed = true; break }
                    if character == "\\", let next = rest.first {
                        rest = rest.dropFirst()
                        value.append(next == "n" ? "\n" : next)
                    } else {
                        value.append(character)
                    }
                }
                guard closed else { return nil }
                labels.append(Label(labelName, value))
            }
        }
        let fields = rest.split(whereSeparator: { $0 == " " || $0 == "\t" })
        guard let valueText = fields.first else { return nil }
        let parsed: Double?
        switch valueText {
        case "+Inf": parsed = .infinity
        case "-Inf": parsed = -.infinity
        case "NaN": parsed = .nan
        default: parsed = Double(valueText)
        }
        guard let parsed else { return nil }
        self.init(name: name, labels: labels, value: parsed)
    }
}

extension String {
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}
