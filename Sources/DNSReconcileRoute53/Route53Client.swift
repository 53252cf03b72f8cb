import DNSReconcileCore

/// The Route53 REST/XML API over an `HTTPTransport`: the `DNSProvider` of a pass.
///
/// Every attempt takes a token from the shared limiter, is signed at the current time, sent,
/// and reported to the observer. Throttling, 5xx and transport failures are retried with
/// backoff (`Route53RetryPolicy`, `x-amz-retry-after` honoured); client errors never are. No
/// attempt starts and no backoff sleeps past the pass deadline.
///
/// A ChangeResourceRecordSets that fails in transit (timeout, connection lost) may have been
/// applied, and resending an applied batch fails (CREATE "already exists", DELETE "not found").
/// So the names it touches are listed again and `ChangeBatchCheck` decides: applied (done, not
/// resent), not applied (resent as a retry), or neither (not resent; the next pass re-reads the
/// zone and plans again).
///
/// Every request of a pass, batches included, goes over the transport's one kept-alive
/// connection per endpoint. That is safe for a batch because of how it can go out twice: libcurl
/// sends a request again on a new connection, by itself, only when the kept-alive connection
/// closed before the first byte of an answer, and says so (`HTTPResponse.timesSent`). The first
/// copy may then have been applied (Route53 read it and the connection died before the answer)
/// or not (the connection was already dead), and only the second copy's answer arrives:
/// - 2xx: the zone is in the state after the batch either way (a duplicate of an applied batch
///   with a CREATE or DELETE would have been refused; one of UPSERTs only changes nothing);
/// - an error (CREATE "already exists", DELETE "not found", InvalidInput, or a throttle while
///   the first copy is still being applied): treated as a lost answer, so `ChangeBatchCheck`
///   reads the names again and decides applied (done), not applied (the answer stands: retried
///   or reported as it says) or inconclusive (not resent).
/// The same holds for an error answer to our own retry after a transport failure: the earlier
/// attempt may have been applied after the check that let the retry go. So no batch is ever
/// applied twice or reported failed because a copy of it was. (`CURLOPT_MAXAGE_CONN` alone, the
/// other way to keep a reused connection from dying under a batch, cannot rule it out: a server
/// may close any connection at any time.)
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
    /// Asked before each attempt when set: temporary credentials are refreshed before expiry.
    private let credentials: AWSCredentialProvider?
    private let limiter: TokenBucket
    private let time: TimeSource
    private let policy: Route53RetryPolicy
    /// Also reached by the health-check operations (Route53Client+HealthChecks.swift).
    let observer: Route53Observer?
    private let jitter: () -> Double
    /// Absolute time (seconds since the epoch) after which nothing is sent and no backoff sleeps.
    private let deadline: Double

    /// - Parameters:
    ///   - endpoint: `https://route53.amazonaws.com` or an emulator URL; a trailing `/` is ignored.
    ///   - credentials: where fresh credentials come from; nil: always `signer`'s own.
    ///   - maxRetries: retries per request after the first attempt.
    ///   - deadline: the pass deadline (seconds since the epoch); nil: none.
    ///   - jitter: a number in [0, 1) per retry, for the backoff's full jitter; tests pass a
    ///     fixed sequence.
    public init(endpoint: String, transport: HTTPTransport, signer: SigV4Signer,
                credentials: AWSCredentialProvider? = nil, limiter: TokenBucket,
                time: TimeSource, maxRetries: Int = 8, observer: Route53Observer? = nil, deadline: Double? = nil,
                jitter: @escaping () -> Double = { Double.random(in: 0..<1) }) {
        var endpoint = endpoint
        while endpoint.hasSuffix("/") { endpoint.removeLast() }
        self.endpoint = endpoint
        self.transport = transport
        self.signer = signer
        self.credentials = credentials
        self.limiter = limiter
        self.time = time
        self.policy = Route53RetryPolicy(maxRetries: max(0, maxRetries))
        self.observer = observer
        self.jitter = jitter
        self.deadline = deadline ?? .infinity
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

    /// All record sets of `zone`, or with `subtree` only those at or below that name (see
    /// `walkRecordSets` for the cursor and the subtree).
    ///
    /// A record set listed twice (a zone changing during the walk, or an emulator restarting a
    /// routing group) is kept once, at its first position, with the values seen last.
    public func listRecordSets(in zone: HostedZone, subtree: DNSName?) throws(DNSReconcileError) -> [RecordSet] {
        var result: [RecordSet] = []
        // While the listing comes in (name, type) order, as Route53 sends it, a set listed twice
        // can only sit in the current run of its name and type, so only that run is searched;
        // once the order breaks, every key is indexed. (Indexing 100,000 keys as they came was
        // a quarter of the cost of reading a zone.)
        var runStart = 0
        var positions: [RecordKey: Int]?
        func keep(_ recordSet: RecordSet) {
            if positions == nil, let last = result.last {
                let order = Self.listingOrder(of: last, recordSet)
                if order > 0 {
                    positions = Dictionary(result.enumerated().map { ($1.key, $0) }, uniquingKeysWith: { first, _ in first })
                } else {
                    if order < 0 { runStart = result.count }
                    let key = recordSet.key
                    if let position = result[runStart...].firstIndex(where: { $0.key == key }) {
                        result[position] = recordSet
                    } else {
                        result.append(recordSet)
                    }
                    return
                }
            }
            guard positions != nil else {
                result.append(recordSet)
                return
            }
            if let position = positions![recordSet.key] {
                result[position] = recordSet
            } else {
                positions![recordSet.key] = result.count
                result.append(recordSet)
            }
        }
        try walkRecordSets(in: zone, subtree: subtree) { page in page.forEach(keep) }
        return result
    }

    /// The record sets of `zone` (with `subtree`, those at or below it) handed to `take` a page
    /// at a time, in listing order, so a caller that judges each set as it comes never holds the
    /// zone. A set listed twice is handed over once, with the values seen last: the sets of one
    /// name and type are held back until the next name or type starts (or the listing ends).
    ///
    /// Route53 lists in order; a set that sorts before the one listed ahead of it fails the
    /// listing with `.route53` (a caller that has let earlier pages go could no longer replace
    /// their copies). `listRecordSets(in:subtree:)` copes with such a listing.
    public func listRecordSets(in zone: HostedZone, subtree: DNSName?,
                               pages take: ([RecordSet]) throws(DNSReconcileError) -> Void) throws(DNSReconcileError) {
        var run: [RecordSet] = []
        try walkRecordSets(in: zone, subtree: subtree) { page throws(DNSReconcileError) in
            var ready: [RecordSet] = []
            ready.reserveCapacity(page.count)
            for recordSet in page {
                if let last = run.last {
                    let order = Self.listingOrder(of: last, recordSet)
                    if order > 0 {
                        throw DNSReconcileError(
                            .route53, "Route53 listed \(recordSet.key) after \(last.key) in zone \(zone): the listing is "
                                + "out of order, the zone is not reconciled", cause: "ListResourceRecordSets")
                    }
                    if order < 0 {
                        ready += run
                        run.removeAll(keepingCapacity: true)
                    }
                }
                let key = recordSet.key
                if let position = run.firstIndex(where: { $0.key == key }) {
                    run[position] = recordSet
                } else {
                    run.append(recordSet)
                }
            }
            if !ready.isEmpty { try take(ready) }
        }
        if !run.isEmpty { try take(run) }
    }

    /// Reads the pages of a listing and hands each page's sets (within `subtree` when given) to
    /// `page`, following the (name, type, identifier) cursor; the identifier only when Route53
    /// sends one. A cursor seen before fails the listing with `.route53` rather than returning a
    /// partial zone (a planner fed a partial zone would plan wrong creates): real Route53 never
    /// repeats a cursor, an emulator that ignores `identifier` does.
    ///
    /// With `subtree` the listing starts at that name and stops at the first name that sorts
    /// after every name of the subtree. Route53 lists by reversed labels, so the subtree is one
    /// run, but a sibling such as `a-b.example.com` (`-` sorts before `.`) can sit between
    /// `example.com`'s own sets and its descendants; those are skipped, not taken as the end.
    private func walkRecordSets(in zone: HostedZone, subtree: DNSName?,
                                page take: ([RecordSet]) throws(DNSReconcileError) -> Void) throws(DNSReconcileError) {
        let zoneID = Route53ResponseParser.bareID(zone.id)
        let path = "/2013-04-01/hostedzone/\(Route53RequestBuilder.encode(zoneID))/rrset"
        let what = "ListResourceRecordSets for zone \(zone)"
        var cursor: (name: String, type: String?, identifier: String?)? = subtree.map { ($0.route53Wire, nil, nil) }
        var seen: Set<[String]> = []
        if let cursor { seen.insert([cursor.name, "", ""]) }
        while true {
            var query = [("maxitems", String(Self.recordSetPageSize))]
            if let cursor {
                query.append(("name", cursor.name))
                if let type = cursor.type { query.append(("type", type)) }
                if let identifier = cursor.identifier { query.append(("identifier", identifier)) }
            }
            let response = try send("ListResourceRecordSets", method: "GET", path: path, query: query, what: what)
            let page = try Route53ResponseParser.recordSetsPage(response.body)
            if let subtree {
                var inside: [RecordSet] = []
                var ended = false
                for recordSet in page.recordSets {
                    switch SubtreePosition(of: recordSet.name, in: subtree) {
                    case .inside: inside.append(recordSet)
                    case .before: continue
                    case .after: ended = true
                    }
                    if ended { break }
                }
                try take(inside)
                if ended { return }
            } else {
                try take(page.recordSets)
            }
            guard page.isTruncated else { return }
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

    /// -1, 0 or 1 as `lhs` lists before, with (same name and type) or after `rhs`.
    static func listingOrder(of lhs: RecordSet, _ rhs: RecordSet) -> Int {
        let order = lhs.name.order(rhs.name)
        if order != 0 { return order }
        let (left, right) = (lhs.type, rhs.type)
        return left == right ? 0 : left < right ? -1 : 1
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
        let what = "ChangeResourceRecordSets for zone \(zone)"
        let outcome = try send("ChangeResourceRecordSets", method: "POST",
                               path: "/2013-04-01/hostedzone/\(Route53RequestBuilder.encode(zoneID))/rrset/",
                               body: Route53RequestBuilder.changeBatch(changes, comment: comment), what: what,
                               verify: { () throws(DNSReconcileError) -> ChangeBatchCheck.Outcome in
                                   ChangeBatchCheck.outcome(of: changes, current: try self.currentRecordSets(at: changes, in: zone))
                               })
        guard case .answered(let response) = outcome else {
            return ChangeInfo(id: "", status: "PENDING")
        }
        do throws(DNSReconcileError) {
            return try Route53ResponseParser.changeInfo(response.body, operation: "ChangeResourceRecordSets")
        } catch {
            // A 2xx means Route53 accepted the batch; a body cut short or mangled on the way back
            // must not make the pass report (and the next one resend) an applied batch.
            observer?.notice(operation: "ChangeResourceRecordSets",
                             message: "\(what) was accepted (HTTP \(response.status)) but the answer is unreadable: "
                                + "\(error.message); counted as applied")
            return ChangeInfo(id: "", status: "PENDING")
        }
    }

    /// The record sets at the names `changes` touch, listed now: one subtree listing per name
    /// for a small batch, one listing of the zone for a large one.
    private func currentRecordSets(at changes: [Change], in zone: HostedZone) throws(DNSReconcileError) -> [RecordSet] {
        var names: [DNSName] = []
        for change in changes where !names.contains(change.recordSet.name) { names.append(change.recordSet.name) }
        guard names.count <= Self.verifyBySubtreeLimit else { return try listRecordSets(in: zone, subtree: nil) }
        var sets: [RecordSet] = []
        for name in names {
            sets += try listRecordSets(in: zone, subtree: name).filter { $0.name == name }
        }
        return sets
    }

    /// The status of a submitted change (`PENDING` or `INSYNC`); accepts `C…` or `/change/C…`.
    public func getChange(id: String) throws(DNSReconcileError) -> ChangeInfo {
        let bare = Route53ResponseParser.bareID(id)
        let response = try send("GetChange", method: "GET", path: "/2013-04-01/change/\(Route53RequestBuilder.encode(bare))",
                                what: "GetChange \(bare)")
        return try Route53ResponseParser.changeInfo(response.body, operation: "GetChange")
    }

    // MARK: - Requests

    /// How a request ended: Route53's 2xx answer, or (ChangeResourceRecordSets only) no answer
    /// but a listing that shows the batch applied.
    private enum Outcome {
        case answered(HTTPResponse)
        case verifiedApplied
    }

    /// Up to this many names, a batch whose answer was lost is checked with one subtree listing
    /// per name; above it with one listing of the whole zone.
    static let verifyBySubtreeLimit = 8

    /// Sends one idempotent operation, retrying what may be retried; returns the 2xx response.
    /// Internal so the health-check operations (Route53Client+HealthChecks.swift) share it.
    func send(_ operation: String, method: String, path: String, query: [(String, String)] = [],
              body: [UInt8] = [], what: String) throws(DNSReconcileError) -> HTTPResponse {
        guard case .answered(let response) = try send(operation, method: method, path: path, query: query, body: body,
                                                      what: what, verify: nil) else {
            throw DNSReconcileError(.internal, "\(what) ended without an answer")
        }
        return response
    }

    /// Sends one operation, retrying what may be retried.
    ///
    /// - Parameter verify: for a non-idempotent operation (ChangeResourceRecordSets): after a
    ///   transport failure, says from a fresh listing whether the request was applied. Applied
    ///   ends the call; not applied lets the retry go ahead; inconclusive (or a failing listing)
    ///   ends it with the transport error. An error answer needs the check only when an earlier
    ///   copy of the request went out unanswered (sent again by the transport, or an attempt
    ///   that failed in transit): otherwise a throttled, 5xx or refused batch was not applied.
    private func send(_ operation: String, method: String, path: String, query: [(String, String)] = [],
                      body: [UInt8] = [], what: String,
                      verify: (() throws(DNSReconcileError) -> ChangeBatchCheck.Outcome)?) throws(DNSReconcileError) -> Outcome {
        var url = endpoint + path
        if !query.isEmpty { url += "?" + Route53RequestBuilder.query(query) }
        var headers: [HTTPHeader] = []
        if !body.isEmpty { headers.append(HTTPHeader("Content-Type", "application/xml")) }
        // A batch shares the kept-alive connection: a copy sent twice is found out below.
        let request = HTTPRequest(method: method, url: url, headers: headers, body: body)

        var retry = 0
        // A copy of this request went out and its answer was never seen: it may have been applied.
        var unansweredCopy = false
        while true {
            try checkDeadline(before: what, retry: retry)
            limiter.acquire()
            try checkDeadline(before: what, retry: retry)
            var signer = self.signer
            if let credentials { signer.credentials = try credentials.credentials(now: time.now()) }
            let signed = signer.sign(request, at: time.now())
            let reason: String
            let retryClass: Route53ErrorResponse.RetryClass?
            var retryAfter: Double?
            var failure: DNSReconcileError
            var answerNeedsCheck = false
            do throws(DNSReconcileError) {
                let response = try transport.send(signed)
                // Each copy the transport sent without an answer reached Route53 or not: counted
                // as an attempt that failed in transit, as the metrics count what was sent.
                for _ in 1..<max(1, response.timesSent) { observer?.request(operation: operation, code: "transport") }
                if response.timesSent > 1 { unansweredCopy = true }
                if (200..<300).contains(response.status) {
                    observer?.request(operation: operation, code: String(response.status))
                    return .answered(response)
                }
                let answer = Route53ErrorResponse(status: response.status, body: response.body)
                observer?.request(operation: operation, code: answer.metricCode)
                reason = answer.metricCode
                retryClass = answer.retryClass
                retryAfter = Route53RetryPolicy.retryAfter(in: response)
                failure = answer.error(what)
                answerNeedsCheck = unansweredCopy
            } catch {
                observer?.request(operation: operation, code: "transport")
                reason = error.code.rawValue
                failure = error
                failure.message = "\(what): \(error.message)"
                retryClass = .transient
                unansweredCopy = true
                if let verify {
                    switch self.verify(verify, what: what, failure: &failure) {
                    case .applied: return .verifiedApplied
                    case .notApplied: break
                    case .inconclusive: throw failure
                    }
                }
            }
            if let verify, answerNeedsCheck {
                switch self.verify(verify, what: what, failure: &failure, answered: true) {
                case .applied: return .verifiedApplied
                case .notApplied: break
                case .inconclusive: throw failure
                }
            }
            guard let retryClass, retry < policy.maxRetries else {
                if retry > 0 { failure.message += " (gave up after \(retry) \(retry == 1 ? "retry" : "retries"))" }
                throw failure
            }
            let delay = policy.delay(retry: retry, retryClass: retryClass, random: jitter(), retryAfter: retryAfter)
            if time.now() + delay >= deadline {
                failure.message += " (not retried: the pass deadline would pass during the \(Self.seconds(delay)) s backoff"
                    + (retry > 0 ? " after \(retry) \(retry == 1 ? "retry" : "retries"))" : ")")
                throw failure
            }
            observer?.retrying(Route53RetryEvent(operation: operation, reason: reason, retry: retry + 1,
                                                 maxRetries: policy.maxRetries, delay: delay, message: failure.description))
            time.sleep(seconds: delay)
            retry += 1
        }
    }

    /// Runs a post-failure check and notes its result on `failure`.
    ///
    /// - Parameter answered: `failure` is Route53's answer to a copy sent after an earlier one
    ///   went unanswered, so it may be the refusal of a duplicate; else it is a transport failure.
    private func verify(_ check: () throws(DNSReconcileError) -> ChangeBatchCheck.Outcome, what: String,
                        failure: inout DNSReconcileError, answered: Bool = false) -> ChangeBatchCheck.Outcome {
        if answered {
            failure.message += " (an earlier copy of the batch went out and its answer never came)"
        }
        let outcome: ChangeBatchCheck.Outcome
        do throws(DNSReconcileError) {
            outcome = try check()
        } catch {
            failure.message += "; the batch may or may not have been applied and re-reading the zone to find out failed "
                + "(\(error.message)), so it is not resent: the next pass re-reads the zone and plans again"
            return .inconclusive("")
        }
        switch outcome {
        case .applied:
            observer?.notice(operation: "ChangeResourceRecordSets",
                             message: "\(failure.message); the zone, read again, shows the batch applied, so it is not resent"
                                + (answered ? " and the answer is the refusal of the duplicate" : ""))
        case .notApplied:
            // An answer about a batch that was not applied stands as it is (retried or reported).
            failure.message += answered ? "; the zone, read again, shows the batch not applied"
                : "; the zone, read again, shows the batch not applied, so it may be resent"
        case .inconclusive(let record):
            failure.message += "; the zone, read again, shows neither the state before the batch nor the state after it "
                + "(at \(record)), so it is not resent: the next pass re-reads the zone and plans again"
        }
        return outcome
    }

    /// Fails with `.deadline` once the pass deadline has passed: no request starts after it.
    private func checkDeadline(before what: String, retry: Int) throws(DNSReconcileError) {
        guard time.now() >= deadline else { return }
        throw DNSReconcileError(.deadline, "the pass deadline passed before \(what) could be sent"
                                    + (retry > 0 ? " (after \(retry) \(retry == 1 ? "retry" : "retries"))" : ""))
    }

    /// Seconds with up to two decimals, for messages.
    static func seconds(_ value: Double) -> String {
        let hundredths = Int((value * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100)" + (fraction == 0 ? "" : fraction % 10 == 0 ? ".\(fraction / 10)" : ".\(fraction < 10 ? "0" : "")\(fraction)")
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
