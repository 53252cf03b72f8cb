import Foundation
import Logging
import Testing
@testable import DNSReconcileCLI

@Suite struct LineLogHandlerTests {
    @Test func textLineHasTimeLevelMessageAndSortedMetadata() {
        let capture = LogCapture()
        var logger = capture.logger(level: .info)
        logger[metadataKey: "zone"] = "example.com"
        logger[metadataKey: "cluster"] = "rke2-hk"
        logger.info("create A app.example.com [hk]")
        logger.debug("not shown")
        logger.warning("two words", metadata: ["why": "has space"])
        #expect(capture.lines == [
            "2023-11-14T22:13:20.500Z info    create A app.example.com [hk] cluster=rke2-hk zone=example.com",
            "2023-11-14T22:13:20.500Z warning two words cluster=rke2-hk why=\"has space\" zone=example.com",
        ])
    }

    @Test func jsonLineIsOneObjectWithFixedFieldsKept() throws {
        let capture = LogCapture()
        var logger = capture.logger(format: .json)
        logger[metadataKey: "cluster"] = "rke2-hk"
        logger.error("batch failed", metadata: ["message": "sneaky"])
        let line = try #require(capture.lines.first)
        #expect(line == #"{"cluster":"rke2-hk","level":"error","message":"batch failed","meta_message":"sneaky","time":"2023-11-14T22:13:20.500Z"}"#)
        #expect(try JSONSerialization.jsonObject(with: Data(line.utf8)) is [String: Any])
    }

    @Test func multiLineMessagesStayOnOneLine() {
        let capture = LogCapture()
        capture.logger().error("first\nsecond")
        #expect(capture.lines.count == 1)
        #expect(capture.lines[0].hasSuffix("first | second"))
    }

    @Test(arguments: [
        (["NO_COLOR": "1"], false),
        (["NO_COLOR": "yes", "TERM": "xterm"], false),
    ])
    func noColorDisablesColour(environment: [String: String], expected: Bool) {
        #expect(LineLogHandler.wantsColor(environment: environment) == expected)
    }

    @Test func colouredLevelUsesEscapeCodes() {
        let capture = LogCapture()
        let handler = LineLogHandler(format: .text, level: .info, colored: true, clock: { 0 }, sink: { capture.append($0) })
        Logger(label: "t") { _ in handler }.error("boom")
        #expect(capture.lines == ["1970-01-01T00:00:00.000Z \u{1B}[31merror  \u{1B}[0m boom"])
    }
}
