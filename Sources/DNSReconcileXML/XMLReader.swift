import CLibXML2
import DNSReconcileCore

/// A pull reader over libxml2's `xmlTextReader`: walks elements by local name without building a
/// tree, so a 300-record page costs one pass over the bytes.
///
/// Namespaces are ignored (Route53 puts its namespace on every root, IAM-shaped errors have
/// none). The network is off and external entities are never loaded. libxml2's own error
/// printing is replaced by a handler, so a malformed document becomes one `.xml` error with the
/// line number and nothing reaches stderr.
///
/// Use it recursive-descent style:
///
///     let reader = try XMLReader(bytes, documentName: "ListHostedZones response")
///     let root = try reader.root()
///     try reader.children { name throws(DNSReconcileError) in
///         if name == "IsTruncated" { truncated = try reader.text() == "true" }
///     }   // children not consumed by the body are skipped
///
/// After a body returns, the reader is at the end of that child whether or not the body read it.
public final class XMLReader {
    private let reader: xmlTextReaderPtr
    private let buffer: UnsafeMutableBufferPointer<CChar>
    private let errors: ErrorSink
    /// What the document is, for messages (`ListResourceRecordSets response`).
    public let documentName: String
    /// Counts successful reads, so `children` can tell whether a body consumed its element.
    @exclusivity(unchecked) private var position = 0
    @exclusivity(unchecked) private var finished = false

    /// Collects libxml2's diagnostics instead of letting it print them.
    private final class ErrorSink {
        var first: (message: String, line: Int)?
    }

    /// Opens `bytes` for reading; `documentName` appears in error messages.
    public init(_ bytes: [UInt8], documentName: String = "XML document") throws(DNSReconcileError) {
        self.documentName = documentName
        guard !bytes.isEmpty else {
            throw DNSReconcileError(.xml, "\(documentName) is empty, expected XML")
        }
        // libxml2 keeps this per thread; setting it for each document is cheap and covers them all.
        dnsr_xml_silence_generic_errors()
        // xmlReaderForMemory reads the caller's memory in place, so it must outlive the reader.
        let buffer = UnsafeMutableBufferPointer<CChar>.allocate(capacity: bytes.count)
        _ = buffer.initialize(from: bytes.lazy.map { CChar(bitPattern: $0) })
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOBLANKS.rawValue)
        guard let reader = xmlReaderForMemory(buffer.baseAddress, Int32(bytes.count), nil, nil, options) else {
            buffer.deallocate()
            throw DNSReconcileError(.xml, "cannot create an XML reader for \(documentName)")
        }
        self.reader = reader
        self.buffer = buffer
        self.errors = ErrorSink()
        xmlTextReaderSetStructuredErrorHandler(reader, { context, error in
            guard let context, let error else { return }
            let sink = Unmanaged<ErrorSink>.fromOpaque(context).takeUnretainedValue()
            guard sink.first == nil, error.pointee.level.rawValue >= XML_ERR_ERROR.rawValue else { return }
            let message = error.pointee.message.map { String(cString: $0) } ?? "parser error"
            sink.first = (message.trimmingTrailingWhitespace(), Int(error.pointee.line))
        }, Unmanaged.passUnretained(errors).toOpaque())
    }

    deinit {
        xmlFreeTextReader(reader)
        buffer.deallocate()
    }

    /// The line of the document the reader is at, for messages about a value.
    public var line: Int {
        // The node's own line; the parser's line runs ahead of it by what it has buffered.
        if let node = xmlTextReaderCurrentNode(reader) {
            let line = Int(xmlGetLineNo(node))
            if line > 0 { return line }
        }
        return Int(xmlTextReaderGetParserLineNumber(reader))
    }

    /// The local name of the current node.
    public var name: String {
        guard let pointer = xmlTextReaderConstLocalName(reader) else { return "" }
        // libxml2 interns names in the reader's dictionary, so one pointer is one name: each
        // distinct name becomes a String once, not once per element (a 300-record page has 2,000
        // elements and a dozen names). The bytes are still compared, which costs no allocation.
        if let known = names.first(where: { $0.pointer == pointer })?.name,
           known.utf8.elementsEqual(UnsafeBufferPointer(start: pointer, count: Int(xmlStrlen(pointer)))) {
            return known
        }
        let text = String(cString: pointer)
        // A document has a few dozen names; a linear search of them beats hashing a pointer.
        if names.count < 64 { names.append((pointer, text)) }
        return text
    }

    /// Element names seen so far, with libxml2's interned pointer.
    @exclusivity(unchecked) private var names: [(pointer: UnsafePointer<xmlChar>, name: String)] = []

    /// Advances to the root element and returns its local name.
    public func root() throws(DNSReconcileError) -> String {
        while try read() {
            if nodeType == XML_READER_TYPE_ELEMENT { return name }
        }
        throw DNSReconcileError(.xml, "\(documentName) has no root element")
    }

    /// Calls `body` with the local name of each child element of the current element.
    ///
    /// Children the body does not read (with `text()` or a nested `children`) are skipped.
    /// Returns with the reader at the end of the current element.
    public func children(_ body: (String) throws(DNSReconcileError) -> Void) throws(DNSReconcileError) {
        guard nodeType == XML_READER_TYPE_ELEMENT else {
            throw DNSReconcileError(.internal, "XMLReader.children called off an element in \(documentName)")
        }
        if isEmptyElement { return }
        let parentDepth = depth
        while try read() {
            let type = nodeType
            if type == XML_READER_TYPE_END_ELEMENT && depth == parentDepth { return }
            guard type == XML_READER_TYPE_ELEMENT && depth == parentDepth + 1 else { continue }
            let before = position
            let childIsEmpty = isEmptyElement
            try body(name)
            if position == before && !childIsEmpty { try skipToEnd(ofDepth: parentDepth + 1) }
        }
        try failTruncated()
    }

    /// The text content of the current element (text and CDATA of all descendants, joined).
    ///
    /// Returns with the reader at the end of the element.
    public func text() throws(DNSReconcileError) -> String {
        guard nodeType == XML_READER_TYPE_ELEMENT else {
            throw DNSReconcileError(.internal, "XMLReader.text called off an element in \(documentName)")
        }
        if isEmptyElement { return "" }
        let elementDepth = depth
        var text = ""
        while try read() {
            switch nodeType {
            case XML_READER_TYPE_END_ELEMENT where depth == elementDepth:
                return text
            case XML_READER_TYPE_TEXT, XML_READER_TYPE_CDATA, XML_READER_TYPE_WHITESPACE,
                 XML_READER_TYPE_SIGNIFICANT_WHITESPACE:
                if let value = xmlTextReaderConstValue(reader) { text += String(cString: value) }
            default:
                break
            }
        }
        try failTruncated()
        return text
    }

    /// Reads the rest of the document, so trailing garbage or truncation is reported.
    public func finish() throws(DNSReconcileError) {
        while try read() {}
    }

    /// Parses `bytes`, hands the root's local name to `body` (positioned on the root, ready for
    /// `children`), then checks the rest of the document.
    public static func parse<Result>(_ bytes: [UInt8], documentName: String = "XML document",
                                     _ body: (XMLReader, String) throws(DNSReconcileError) -> Result)
        throws(DNSReconcileError) -> Result {
        let reader = try XMLReader(bytes, documentName: documentName)
        let root = try reader.root()
        let result = try body(reader, root)
        try reader.finish()
        return result
    }

    // MARK: - Cursor

    private var nodeType: xmlReaderTypes { xmlReaderTypes(rawValue: UInt32(xmlTextReaderNodeType(reader))) }
    private var depth: Int32 { xmlTextReaderDepth(reader) }
    private var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

    /// One step; false at the end of the document.
    private func read() throws(DNSReconcileError) -> Bool {
        if finished { return false }
        let result = xmlTextReaderRead(reader)
        if result == 1 {
            position += 1
            return true
        }
        finished = true
        if result == 0, errors.first == nil { return false }
        let line = errors.first?.line ?? Int(xmlTextReaderGetParserLineNumber(reader))
        let message = errors.first?.message ?? "malformed XML"
        throw DNSReconcileError(.xml, "\(documentName) is not well-formed XML at line \(line): \(message)",
                                cause: "line \(line)")
    }

    private func skipToEnd(ofDepth target: Int32) throws(DNSReconcileError) {
        while try read() {
            if nodeType == XML_READER_TYPE_END_ELEMENT && depth == target { return }
        }
        try failTruncated()
    }

    /// The document ended cleanly but inside an element: libxml2 reports that as an error
    /// already, so this only guards against a reader that stops silently.
    private func failTruncated() throws(DNSReconcileError) {
        throw DNSReconcileError(.xml, "\(documentName) ends inside an element (truncated XML)")
    }
}

extension String {
    fileprivate func trimmingTrailingWhitespace() -> String {
        var text = Substring(self)
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
