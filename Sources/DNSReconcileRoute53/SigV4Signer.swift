import Crypto
import DNSReconcileCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// AWS Signature Version 4 for Route53 requests sent through libcurl.
///
/// Signs `host`, `content-type` (when the request has one) and every `x-amz-*` header, which
/// covers `x-amz-date` and `x-amz-security-token`. Nothing else is signed: libcurl adds, alters or
/// drops `user-agent`, `expect`, `content-length` and `accept` on its own, and a header that
/// changes after signing breaks the signature. AWS requires every `x-amz-*` header sent to be
/// signed, which is why those are all included. The payload hash goes only into the canonical
/// request (Route53 needs no `x-amz-content-sha256`).
public struct SigV4Signer: Sendable {
    public var credentials: AWSCredentials
    public var region: String
    public var service: String

    static let algorithm = "AWS4-HMAC-SHA256"

    public init(credentials: AWSCredentials, region: String = "us-east-1", service: String = "route53") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// Returns `request` with `X-Amz-Date`, `X-Amz-Security-Token` (session credentials only)
    /// and `Authorization` added.
    ///
    /// Any of those three already present are replaced, so a retried request can be signed
    /// again with a fresh time.
    public func sign(_ request: HTTPRequest, at unixTime: Double) -> HTTPRequest {
        var signed = request
        signed.headers = prepareHeaders(request.headers, at: unixTime)
        let parts = signature(for: signed, at: unixTime)
        signed.headers.append(HTTPHeader("Authorization", parts.authorization))
        return signed
    }

    /// The intermediate values of a signature, kept apart so tests can compare each step.
    struct Parts: Equatable {
        var canonicalRequest: String
        var stringToSign: String
        var signedHeaders: String
        var authorization: String
    }

    /// The request's headers without any earlier signature, plus the date and token headers.
    func prepareHeaders(_ headers: [HTTPHeader], at unixTime: Double) -> [HTTPHeader] {
        let replaced: Set<String> = ["authorization", "x-amz-date", "x-amz-security-token"]
        var result = headers.filter { !replaced.contains($0.name.lowercased()) }
        result.append(HTTPHeader("X-Amz-Date", Self.timestamp(unixTime)))
        if let token = credentials.sessionToken, !token.isEmpty {
            result.append(HTTPHeader("X-Amz-Security-Token", token))
        }
        return result
    }

    /// Computes the signature of `request` as it stands: its headers must already carry
    /// `X-Amz-Date` (and the token), as `prepareHeaders` leaves them.
    func signature(for request: HTTPRequest, at unixTime: Double) -> Parts {
        let stamp = Self.timestamp(unixTime)
        let day = String(stamp.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let (canonical, signedHeaders) = Self.canonicalRequest(request)
        let stringToSign = [Self.algorithm, stamp, scope, Self.hex(SHA256.hash(data: Array(canonical.utf8)))]
            .joined(separator: "\n")

        var key = Self.hmac(key: Array("AWS4\(credentials.secretAccessKey)".utf8), day)
        key = Self.hmac(key: key, region)
        key = Self.hmac(key: key, service)
        key = Self.hmac(key: key, "aws4_request")
        let signature = Self.hex(Self.hmac(key: key, stringToSign))

        let authorization = "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(signedHeaders), Signature=\(signature)"
        return Parts(canonicalRequest: canonical, stringToSign: stringToSign, signedHeaders: signedHeaders,
                     authorization: authorization)
    }

    /// The canonical request and the `SignedHeaders` list of `request`.
    static func canonicalRequest(_ request: HTTPRequest) -> (String, String) {
        let url = SplitURL(request.url)

        // The host that goes on the wire: an explicit Host header wins because libcurl sends it
        // instead of its own; otherwise the URL's authority, port included when not the default.
        var signed: [(String, String)] = []
        let explicitHost = request.headers.first { $0.name.lowercased() == "host" }?.value
        signed.append(("host", canonicalValue(explicitHost ?? url.hostHeader)))
        for header in request.headers {
            let name = header.name.lowercased()
            guard name == "content-type" || name.hasPrefix("x-amz-") else { continue }
            signed.append((name, canonicalValue(header.value)))
        }
        // Repeated headers are sent as separate lines but signed as one comma-joined value.
        var merged: [String: [String]] = [:]
        for (name, value) in signed { merged[name, default: []].append(value) }
        let names = merged.keys.sorted()
        let headerBlock = names.map { "\($0):\(merged[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")

        let canonical = [
            request.method.uppercased(),
            canonicalPath(url.path),
            canonicalQuery(url.query),
            headerBlock,
            signedHeaders,
            hex(SHA256.hash(data: request.body)),
        ].joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    /// The path as sent, each segment encoded once more (`%` becomes `%25`), as AWS expects for
    /// every service but S3. Route53 paths are `[A-Za-z0-9/.-]` only, where this changes nothing.
    static func canonicalPath(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        return path.split(separator: "/", omittingEmptySubsequences: false)
            .map { uriEncode(Array($0.utf8)) }.joined(separator: "/")
    }

    /// The query re-encoded per RFC 3986 and sorted by key, then value.
    ///
    /// The query arrives as it will be sent, so each part is percent-decoded first and then
    /// encoded the one canonical way. A `+` is taken literally (RFC 3986 has no
    /// space-as-plus), which is why callers must encode spaces as `%20`.
    static func canonicalQuery(_ query: String) -> String {
        guard !query.isEmpty else { return "" }
        let pairs: [(String, String)] = query.split(separator: "&", omittingEmptySubsequences: true).map { item in
            let key: Substring, value: Substring
            if let equals = item.firstIndex(of: "=") {
                key = item[..<equals]
                value = item[item.index(after: equals)...]
            } else {
                key = item
                value = ""
            }
            return (uriEncode(percentDecode(key)), uriEncode(percentDecode(value)))
        }
        return pairs.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// RFC 3986 encoding: unreserved bytes stay, every other byte becomes `%XX` (upper-case).
    static func uriEncode(_ bytes: [UInt8]) -> String {
        var out = ""
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"),
                 UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + hexDigit(byte >> 4, upper: true) + hexDigit(byte & 0x0F, upper: true)
            }
        }
        return out
    }

    /// Decodes `%XX` escapes; a malformed escape is kept as literal text.
    static func percentDecode(_ text: Substring) -> [UInt8] {
        let input = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            if input[index] == UInt8(ascii: "%"), index + 2 < input.count,
               let high = hexValue(input[index + 1]), let low = hexValue(input[index + 2]) {
                out.append(high << 4 | low)
                index += 3
            } else {
                out.append(input[index])
                index += 1
            }
        }
        return out
    }

    /// Trims the value and collapses inner runs of spaces, as SigV4 canonicalisation requires.
    static func canonicalValue(_ value: String) -> String {
        var out = ""
        var pendingSpace = false
        for character in value.trimmingSpaces {
            if character == " " || character == "\t" {
                pendingSpace = true
                continue
            }
            if pendingSpace { out.append(" ") }
            pendingSpace = false
            out.append(character)
        }
        return out
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC, whole seconds.
    static func timestamp(_ unixTime: Double) -> String {
        var seconds = time_t(unixTime.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(parts.tm_year + 1900, 4) + pad(parts.tm_mon + 1, 2) + pad(parts.tm_mday, 2) + "T"
            + pad(parts.tm_hour, 2) + pad(parts.tm_min, 2) + pad(parts.tm_sec, 2) + "Z"
    }

    static func hmac(key: [UInt8], _ message: String) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: Array(message.utf8), using: SymmetricKey(data: key)))
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var out = ""
        for byte in bytes { out += hexDigit(byte >> 4, upper: false) + hexDigit(byte & 0x0F, upper: false) }
        return out
    }

    private static func hexDigit(_ nibble: UInt8, upper: Bool) -> String {
        let digits = upper ? "0123456789ABCDEF" : "0123456789abcdef"
        return String(digits[digits.index(digits.startIndex, offsetBy: Int(nibble))])
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// The parts of an absolute URL that signing needs, split without Foundation.
private struct SplitURL {
    var scheme: String
    /// Host as written (IPv6 literals keep their brackets).
    var host: String
    var port: Int?
    var path: String
    /// Raw query, without `?`, exactly as it will be sent.
    var query: String

    init(_ url: String) {
        var rest = Substring(url)
        if let fragment = rest.firstIndex(of: "#") { rest = rest[..<fragment] }
        if let schemeEnd = rest.range(of: "://") {
            scheme = rest[..<schemeEnd.lowerBound].lowercased()
            rest = rest[schemeEnd.upperBound...]
        } else {
            scheme = ""
        }
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        rest = rest[authorityEnd...]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }

        // The port is what follows the last colon, unless that colon is inside an IPv6 literal.
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            host = String(authority[..<colon])
            port = Int(authority[authority.index(after: colon)...])
        } else {
            host = String(authority)
            port = nil
        }
        if let questionMark = rest.firstIndex(of: "?") {
            path = String(rest[..<questionMark])
            query = String(rest[rest.index(after: questionMark)...])
        } else {
            path = String(rest)
            query = ""
        }
    }

    /// `host` or `host:port`, the port only when it is not the scheme's default.
    var hostHeader: String {
        let defaultPort = scheme == "https" ? 443 : scheme == "http" ? 80 : nil
        guard let port, port != defaultPort else { return host }
        return "\(host):\(port)"
    }
}

private extension String {
    /// The string without leading and trailing spaces, tabs and line breaks.
    var trimmingSpaces: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return self[first...last]
    }
}
