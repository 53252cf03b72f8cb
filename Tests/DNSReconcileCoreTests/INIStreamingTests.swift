import Foundation
import Testing
@testable import DNSReconcileCore

/// A file's bytes handed out a piece at a time, counting the lines read again.
private struct PieceSource: ConfigByteSource {
    let bytes: [UInt8]
    var position = 0
    /// Fails the read that would pass this offset.
    var failAt: Int?
    private let counter = Counter()

    init(_ bytes: [UInt8], failAt: Int? = nil) {
        self.bytes = bytes
        self.failAt = failAt
    }

    final class Counter: @unchecked Sendable { var count = 0 }

    var linesReadAgain: Int { counter.count }

    mutating func read(into buffer: inout [UInt8], count: Int) throws(DNSReconcileError) -> Int {
        let end = min(position + count, bytes.count)
        if let failAt, end > failAt { throw DNSReconcileError(.configFile, "cannot read the test file") }
        buffer += bytes[position..<end]
        defer { position = end }
        return end - position
    }

    func line(at offset: Int) -> [UInt8]? {
        counter.count += 1
        guard offset < bytes.count else { return nil }
        let end = bytes[offset...].firstIndex { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") } ?? bytes.count
        return Array(bytes[offset..<end])
    }
}

/// What `scan(file:reading:)` gives: the sections handed over and the errors, or the error
/// that voids the file.
private func streamed(_ bytes: [UInt8], pieceSize: Int, failAt: Int? = nil)
    -> (sections: [ConfigSection], result: Result<[DNSReconcileError], DNSReconcileError>, rereads: Int) {
    var source = PieceSource(bytes, failAt: failAt)
    var sections: [ConfigSection] = []
    let result = INIParser.scan(file: "c.ini", reading: &source, pieceSize: pieceSize) { sections.append($0) }
    return (sections, result, source.linesReadAgain)
}

/// The text a whole-file read gives: decoded, then parsed.
private func whole(_ bytes: [UInt8]) -> Result<(sections: [ConfigSection], errors: [DNSReconcileError]), DNSReconcileError> {
    ConfigFileFormat.decode(file: "c.ini", bytes: bytes).map { INIParser.parse(file: "c.ini", text: $0) }
}

@Suite struct INIStreamingTests {
    static let pieceSizes = [1, 2, 3, 5, 17, 64, 1 << 16]

    /// Files that reach every corner of the line splitting and of the checks that look back.
    static let texts: [String] = [
        "",
        "\n",
        "[cluster]\nname = a\nowner-id = a",
        "[cluster]\r\nname = a\r\n\r\n[endpoint \"w\"]\r\nname = w.example.com\r\n",
        "[cluster]\rname = a\r\r[endpoint \"w\"]\rname = w.example.com\r",
        "\u{FEFF}[cluster]\nname = bom\n",
        "[cluster]\nname = a\n; comment\n# comment\n[endpoint \"x\"]\nname = x.example.com # inline\n[endpoint \"x\"]\nname = again\n",
        "key = outside\n[cluster\nname = a\nname = b\n[endpoint \"é\"]\nname = é.example.com\n[endpoint \"é\"]\n",
        "[cluster]\nname = \"unclosed\n[endpoint \"a\\\"b\"]\ntype = A\ntype = AAAA\n",
        "[endpoint \"a\"]\n" + String(repeating: "x", count: 300) + " = 1\n[endpoint \"a\"]\n",
        (0..<200).map { "[endpoint \"e\($0)\"]\nname = e\($0).example.com\ntargets = 192.0.2.\($0 % 250)\n" }.joined()
            + "[endpoint \"e3\"]\nname = again\n[endpoint \"e150\"]\n",
        "[cluster]\r\nname = a\r",
    ]

    @Test(arguments: pieceSizes)
    func piecesParseAsTheWholeText(pieceSize: Int) throws {
        for text in Self.texts {
            let bytes = Array(text.utf8)
            let expected = try whole(bytes).get()
            let got = streamed(bytes, pieceSize: pieceSize)
            #expect(got.sections == expected.sections, "\(text.debugDescription) in pieces of \(pieceSize)")
            #expect(try got.result.get() == expected.errors, "\(text.debugDescription) in pieces of \(pieceSize)")
        }
    }

    @Test(arguments: ["broken.ini", "main.ini", "rke2-hk.ini"])
    func fixturesParseAsTheWholeText(name: String) throws {
        let directory = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let bytes = try Array(Data(contentsOf: directory.appendingPathComponent("config").appendingPathComponent(name)))
        let expected = try whole(bytes).get()
        for pieceSize in Self.pieceSizes {
            let got = streamed(bytes, pieceSize: pieceSize)
            #expect(got.sections == expected.sections, "\(name) in pieces of \(pieceSize)")
            #expect(try got.result.get() == expected.errors, "\(name) in pieces of \(pieceSize)")
        }
    }

    /// A repeated header whose first line went by in an earlier piece is read again from the
    /// file, and named by its line.
    @Test func aHeaderFromAnEarlierPieceIsReadAgain() throws {
        let text = Self.texts[10]
        let got = streamed(Array(text.utf8), pieceSize: 64)
        let errors = try got.result.get()
        #expect(errors.map(\.message) == [
            "section [endpoint \"e3\"] is already defined at line 10; merge the two into one section",
            "section [endpoint \"e150\"] is already defined at line 451; merge the two into one section",
        ])
        #expect(got.rereads >= 2)
        // One piece holds it all: nothing to read again.
        #expect(streamed(Array(text.utf8), pieceSize: 1 << 16).rereads == 0)
    }

    @Test(arguments: pieceSizes)
    func bytesThatAreNotUTF8FailTheFileAtTheirLine(pieceSize: Int) {
        var bytes = Array("[cluster]\nname = a\r\n[endpoint \"x\"]\n".utf8)
        bytes += [0x6E, 0x61, 0x6D, 0x65, 0x20, 0x3D, 0x20, 0xC3, 0x28, 0x0A]
        bytes += Array("type = A\n".utf8)
        guard case .failure(let expected) = whole(bytes) else {
            Issue.record("the whole-file read accepted bytes that are not UTF-8")
            return
        }
        let got = streamed(bytes, pieceSize: pieceSize)
        #expect(got.result.failure == expected)
        #expect(expected.location?.line == 4)
    }

    @Test func aReadErrorFailsTheFile() {
        let bytes = Array(Self.texts[10].utf8)
        let got = streamed(bytes, pieceSize: 100, failAt: 1_000)
        #expect(got.result.failure?.message == "cannot read the test file")
    }

    @Test func completeLinesStopBeforeACarriageReturnThatEndsThePiece() {
        #expect(INIParser.completeLines(in: Array("a\nb".utf8)) == 2)
        #expect(INIParser.completeLines(in: Array("a\r\nb\r".utf8)) == 3)
        #expect(INIParser.completeLines(in: Array("a\rb\r\n".utf8)) == 5)
        #expect(INIParser.completeLines(in: Array("abc".utf8)) == 0)
        #expect(INIParser.completeLines(in: Array("\r".utf8)) == 0)
    }
}

private extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
