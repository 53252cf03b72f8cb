/// Builds a small XML document as text: request bodies for Route53.
///
/// Elements are written in the order of the calls, which is what Route53's XSD checks, so the
/// caller controls the schema order. Text and attribute values are escaped here; names are the
/// caller's constants and are not checked.
public struct XMLWriter: Sendable {
    public private(set) var text: String
    private var open: [String] = []

    /// Starts a document, with the `<?xml ...?>` declaration unless told otherwise.
    public init(declaration: Bool = true) {
        text = declaration ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" : ""
    }

    /// The document as UTF-8 bytes. Every opened element must be closed.
    public var bytes: [UInt8] {
        precondition(open.isEmpty, "XMLWriter: unclosed elements \(open)")
        return Array(text.utf8)
    }

    /// Opens `<name>`, with an `xmlns` when given.
    public mutating func start(_ name: String, namespace: String? = nil) {
        text += "<" + name
        if let namespace { text += " xmlns=\"" + XMLWriter.escape(namespace) + "\"" }
        text += ">"
        open.append(name)
    }

    /// Closes the innermost open element.
    public mutating func end() {
        guard let name = open.popLast() else { preconditionFailure("XMLWriter.end without an open element") }
        text += "</" + name + ">"
    }

    /// Writes `<name>` with `body` inside, then closes it.
    public mutating func element(_ name: String, namespace: String? = nil, _ body: (inout XMLWriter) -> Void) {
        start(name, namespace: namespace)
        body(&self)
        end()
    }

    /// Writes `<name>escaped value</name>`.
    public mutating func element(_ name: String, _ value: String) {
        text += "<" + name + ">" + XMLWriter.escape(value) + "</" + name + ">"
    }

    /// Writes the element only when `value` is not nil.
    public mutating func element(_ name: String, ifPresent value: String?) {
        if let value { element(name, value) }
    }

    /// Escapes text for element content and double-quoted attributes.
    ///
    /// `&`, `<`, `>` and `"` become entities; a carriage return becomes `&#13;` because a parser
    /// would otherwise normalise it to a line feed. Other C0 controls cannot appear in XML 1.0
    /// at all; they are written as character references so the server rejects them visibly
    /// instead of this writer changing the value.
    public static func escape(_ value: String) -> String {
        var needsWork = false
        for byte in value.utf8 where byte == 38 || byte == 60 || byte == 62 || byte == 34 || byte < 32 {
            needsWork = true
            break
        }
        guard needsWork else { return value }
        var out = ""
        out.reserveCapacity(value.utf8.count + 16)
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\n", "\t": out.unicodeScalars.append(scalar)
            case _ where scalar.value < 32: out += "&#\(scalar.value);"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
