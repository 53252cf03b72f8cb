/// A set of HTTP status codes written as `--up-code`/`--down-code` values: `200`, `2xx`,
/// `500-504`, or comma-separated lists of those.
public struct StatusCodeSet: Hashable, Sendable, CustomStringConvertible {
    public private(set) var ranges: [ClosedRange<Int>]

    public init(ranges: [ClosedRange<Int>]) { self.ranges = ranges }

    /// 200-399: the answer a healthy web front end gives (a redirect included).
    public static let success = StatusCodeSet(ranges: [200...399])

    public func contains(_ status: Int) -> Bool { ranges.contains { $0.contains(status) } }

    /// The values again, a whole class as `5xx`.
    public var description: String {
        ranges.map { range in
            if range.count == 1 { return "\(range.lowerBound)" }
            if range.lowerBound % 100 == 0, range.upperBound == range.lowerBound + 99 { return "\(range.lowerBound / 100)xx" }
            return "\(range.lowerBound)-\(range.upperBound)"
        }.joined(separator: ",")
    }

    /// Parses every value (each may be a comma-separated list); `option` names the flag in errors.
    public static func parse(_ values: [String], option: String) throws(DNSReconcileError) -> StatusCodeSet {
        var ranges: [ClosedRange<Int>] = []
        for value in values {
            for item in value.split(separator: ",", omittingEmptySubsequences: false) {
                let text = item.trimmingSpaces
                guard let range = range(of: text) else {
                    throw DNSReconcileError(.usage, "\(option) \(value): \"\(text)\" is not a status code "
                                                + "(100-599), a class (5xx) or a range (500-504)")
                }
                ranges.append(range)
            }
        }
        return StatusCodeSet(ranges: ranges)
    }

    private static func range(of text: Substring) -> ClosedRange<Int>? {
        let valid = 100...599
        if text.count == 3, let first = text.first?.wholeNumberValue, text.dropFirst().lowercased() == "xx",
           valid.contains(first * 100) {
            return (first * 100)...(first * 100 + 99)
        }
        if let dash = text.firstIndex(of: "-") {
            guard let low = Int(text[..<dash]), let high = Int(text[text.index(after: dash)...]),
                  valid.contains(low), valid.contains(high), low <= high else { return nil }
            return low...high
        }
        guard let code = Int(text), valid.contains(code) else { return nil }
        return code...code
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        var text = self
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return text
    }
}
