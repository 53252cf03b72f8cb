import DNSReconcileCore

/// The Route53 REST/XML API over an `HTTPTransport`: the `DNSProvider` of a pass.
///
/// Every attempt takes a token from the shared limiter, is signed at the current time, sent,
/// and reported to the observer. Throttling, 5xx and transport failures are retried with
/// backoff (`Route53RetryPolicy`); client errors never are. A ChangeResourceRecordSets that
/// fails in transit (timeout, connection lost) is not retried: it may have been applied, and
/// resending a non-idempotent batch could fail confusingly (CREATE "already exists", DELETE
/// "not found"). The error is surfaced and the next pass re-reads the zone and re-plans.
public final class Route53Client: DNSProvider {
    /// Route53 returns at most 300 record sets per page.
    static let recordSetPageSize = 300
    /// ListHostedZones returns at most 100 zones per page; kept constant because moto's
    /// marker embeds a checksum of the parameters.
    static let hostedZonePageSize = 100
    /// ListTagsForResources takes at most 10 ids.
    static let tagBatchSize = 10

    private let endpoint: String
    private let transport: HTTPTransport
    private let signer: SigV4Signer
    private let limiter: TokenBucket
    private let time: TimeSource
    private let policy: Route53RetryPolicy
    private let observer: Route53Observer?
    private let jitter: () -> Double

    /// - Parameters:
    ///   - endpoint: `https://route53.amazonaws.com` or an emulator URL; a trailing `/` is ignored.
    ///   - maxRetries: retries per request after the first attempt.
    ///   - jitter: a number in [0, 1) per retry, for the backoff's full jitter; tests pass a
    ///     fixed sequence.
    public init(endpoint: String, transport: HTTPTransport, signer: SigV4Signer, limiter: TokenBucket,
                time: TimeSource, maxRetries: Int = 8, observer: Route53Observer? = nil,
                jitter: @escaping () -> Double = { Double.random(in: 0..<1) }) {
        var endpoint = endpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.transport = transport
        self.signer = signer
        self.limiter = limiter
        self.time = time
        self.policy = Route53RetryPolicy(maxRetries: max(0, maxRetries))
        self.observer = observer
        self.jitter = jitter
    }

    // MARK: - DNSProvider

    public func listZones() throws(DNSReconcileError) -> [HostedZone] {
        var zones: [HostedZone] = []
        var marker: String?
        var seenMarkers: Set<String> = []
        while true {
            var query = [("maxitems", String(Self.hostedZonePageSize))]
            if let marker { query.append(("marker", marker)) }
            let response = try send("ListHostedZones", method: "GET", path: "/2013-04-01/hostedzone", query: query,
                                    what: "ListHostedZones")
            let page = try Route53ResponseParser.hostedZonesPage(response.body)
            zones += page.zones
            guard page.isTruncated else { return zones }
            guard let next = page.nextMarker, !next.isEmpty else {
                throw DNSReconcileError(.route53, "Route53 ListHostedZones says the listing is truncated but gives no NextMarker",
                                        cause: "ListHostedZones")
            }
            guard seenMarkers.insert(next).inserted else {
                throw DNSReconcileError(.route53, "Route53 ListHostedZones returned the marker \(next) twice; "
                                        + "the listing makes no progress", cause: "ListHostedZones")
            }
            marker = next
        }
    }

    /// All record sets of `zone`, or with `subtree` only those at or below that name.
    ///
    /// Follows the (name, type, identifier) cursor; the identifier only when Route53 sends one.
    /// A cursor seen before fails the listing with `.route53` rather than returning a partial
    /// zone (a planner fed a partial zone would plan wrong creates): real Route53 never
    /// repeats a cursor, an emulator that ignores `identifier` does.
    ///
    /// A record set listed twice (a zone changing during the walk, or an emulator restarting a
    /// routing group) is kept once, at its first position, with the values seen last.
    ///
    /// With `subtree` the listing starts at that name and stops at the first name that sorts
    /// after every name of the subtree. Route53 lists by reversed labels, so the subtree is one
    /// run, but a sibling such as `a-b.example.com` (`-` sorts before `.`) can sit between
    /// `example.com`'s own sets and its descendants; those are skipped, not taken as the end.
    public func listRecordSets(in zone: HostedZone, subtree: DNSName?) throws(DNSReconcileError) -> [RecordSet] {
        let zoneID = Route53ResponseParser.bareID(zone.id)
        let path = "/2013-04-01/hostedzone/\(Route53RequestBuilder.encode(zoneID))/rrset"
        let what = "ListResourceRecordSets for zone \(zone)"
        var cursor: (name: String, type: String?, identifier: String?)? = subtree.map { ($0.route53Wire, nil, nil) }
        var seen: Set<[String]> = []
        if let cursor { seen.insert([cursor.name, "", ""]) }
        var result: [RecordSet] = []
        var positions: [RecordKey: Int] = [:]
        func keep(_ recordSet: RecordSet) {
            if let position = positions[recordSet.key] {
                result[position] = recordSet
            } else {
                positions[recordSet.key] = result.count
                result.append(recordSet)
            }
        }
        while true {
            var query = [("maxitems", String(Self.recordSetPageSize))]
            if let cursor {
                query.append(("name", cursor.name))
                if let type = cursor.type { query.append(("type", type)) }
                if let identifier = cursor.identifier { query.append(("identifier", identifier)) }
            }
            let response = try send("ListResourceRecordSets", method: "GET", path: path, query: query, what: what)
            let page = try Route53ResponseParser.recordSetsPage(response.body)
            for recordSet in page.recordSets {
                guard let subtree else {
                    keep(recordSet)
                    continue
                }
                switch SubtreePosition(of: recordSet.name, in: subtree) {
                case .inside: keep(recordSet)
                case .before: continue
                case .after: return result
                }
            }
            guard page.isTruncated else { return result }
            guard let name = page.nextName, !name.isEmpty else {
                throw DNSReconcileError(.route53, "Route53 \(what) says the listing is truncated but gives no NextRecordName",
                                        cause: "ListResourceRecordSets")
            }
            let next = (name: name, type: page.nextType, identifier: page.nextIdentifier)
            guard seen.insert([next.name, next.type ?? "", next.identifier ?? ""]).inserted else {
                throw DNSReconcileError(
                    .route53,
                    "Route53 \(what) returned the same cursor twice (name \(next.name), type \(next.type ?? "-"), "
                        + "identifier \(next.identifier ?? "-")); the listing makes no progress, the zone is not reconciled",
                    cause: "ListResourceRecordSets")
            }
            cursor = next
        }
    }

    public func zoneTags(_ zoneIDs: [String]) throws(DNSReconcileError) -> [String: [String: String]] {
        let ids = zoneIDs.map(Route53ResponseParser.bareID)
        var result: [String: [String: String]] = [:]
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + Self.tagBatchSize, ids.count)])
            start += Self.tagBatchSize
            let response = try send("ListTagsForResources", method: "POST", path: "/2013-04-01/tags/hostedzone",
                                    body: Route53RequestBuilder.listTags(chunk), what: "ListTagsForResources")
            let tags = try Route53ResponseParser.resourceTags(response.body)
            for id in chunk { result[id] = tags[id] ?? [:] }
        }
        return result
    }

    public func apply(_ changes: [Change], in zone: HostedZone, comment: String?) throws(DNSReconcileError) -> ChangeInfo {
        guard !changes.isEmpty else {
            throw DNSReconcileError(.internal, "an empty change batch for zone \(zone) was about to be sent")
        }
        let zoneID = Route53ResponseParser.bareID(zone.id)
        let response = try send("ChangeResourceRecordSets", method: "POST",
                                path: "/2013-04-01/hostedzone/\(Route53RequestBuilder.encode(zoneID))/rrset/",
                                body: Route53RequestBuilder.changeBatch(changes, comment: comment),
                                what: "ChangeResourceRecordSets for zone \(zone)", idempotent: false)
        return try Route53ResponseParser.changeInfo(response.body, operation: "ChangeResourceRecordSets")
    }

    /// The status of a submitted change (`PENDING` or `INSYNC`); accepts `C…` or `/change/C…`.
    public func getChange(id: String) throws(DNSReconcileError) -> ChangeInfo {
        let bare = Route53ResponseParser.bareID(id)
        let response = try send("GetChange", method: "GET", path: "/2013-04-01/change/\(Route53RequestBuilder.encode(bare))",
                                what: "GetChange \(bare)")
        return try Route53ResponseParser.changeInfo(response.body, operation: "GetChange")
    }

    // MARK: - Requests

    /// Sends one operation, retrying what may be retried; returns the 2xx response.
    ///
    /// - Parameter idempotent: false for ChangeResourceRecordSets, which is then not retried
    ///   after a transport failure (see the type's comment). Error answers from Route53 are
    ///   retried either way: a throttled or 5xx batch was not applied.
    private func send(_ operation: String, method: String, path: String, query: [(String, String)] = [],
                      body: [UInt8] = [], what: String, idempotent: Bool = true) throws(DNSReconcileError) -> HTTPResponse {
        var url = endpoint + path
        if !query.isEmpty { url += "?" + Route53RequestBuilder.query(query) }
        var headers: [HTTPHeader] = []
        if !body.isEmpty { headers.append(HTTPHeader("Content-Type", "application/xml")) }
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body)

        var retry = 0
        while true {
            limiter.acquire()
            let signed = signer.sign(request, at: time.now())
            let reason: String
            let retryClass: Route53ErrorResponse.RetryClass?
            var failure: DNSReconcileError
            do throws(DNSReconcileError) {
                let response = try transport.send(signed)
                if (200..<300).contains(response.status) {
                    observer?.request(operation: operation, code: String(response.status))
                    return response
                }
                let answer = Route53ErrorResponse(status: response.status, body: response.body)
                observer?.request(operation: operation, code: answer.metricCode)
                reason = answer.metricCode
                retryClass = answer.retryClass
                failure = answer.error(what)
            } catch {
                observer?.request(operation: operation, code: "transport")
                reason = error.code.rawValue
                retryClass = idempotent ? .transient : nil
                failure = error
                failure.message = "\(what): \(error.message)"
                if !idempotent {
                    failure.message += "; the batch may or may not have been applied, so it is not resent "
                        + "(the next pass re-reads the zone)"
                }
            }
            guard let retryClass, retry < policy.maxRetries else {
                if retry > 0 { failure.message += " (gave up after \(retry) \(retry == 1 ? "retry" : "retries"))" }
                throw failure
            }
            observer?.retry(operation: operation, reason: reason)
            time.sleep(seconds: policy.delay(retry: retry, retryClass: retryClass, random: jitter()))
            retry += 1
        }
    }
}

/// Where a listed name lies relative to a subtree in Route53's listing order.
enum SubtreePosition: Equatable {
    /// Sorts before the subtree's last name but is not in it (a sibling such as `a-b.sub`).
    case before
    case inside
    /// Sorts after every name of the subtree: the listing can stop.
    case after

    /// Compares reversed-label keys (`com.example.sub`). Every name of the subtree is the
    /// subtree's key or starts with it plus `.`; anything greater than that key plus `.` without
    /// the prefix sorts after all of them. The same holds for Route53's escaped form, whose escapes
    /// start with `\`, after `.`, and for moto's unescaped form.
    init(of name: DNSName, in subtree: DNSName) {
        if name.isWithin(subtree) {
            self = .inside
            return
        }
        let key = Array(name.labels.reversed().joined(separator: ".").utf8)
        let boundary = Array(subtree.labels.reversed().joined(separator: ".").utf8) + [UInt8(ascii: ".")]
        self = boundary.lexicographicallyPrecedes(key) ? .after : .before
    }
}
