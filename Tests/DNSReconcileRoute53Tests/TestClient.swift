import DNSReconcileCore
@testable import DNSReconcileRoute53
import DNSReconcileTestSupport

/// A client over a scripted transport, a manual clock, a limiter that never waits, and a
/// fixed jitter sequence (cycled), so every sleep the time source records is a backoff.
func makeTestClient(_ transport: HTTPTransport, time: ManualTimeSource = ManualTimeSource(), maxRetries: Int = 8,
                    observer: Route53Observer? = nil, jitter: [Double] = [0.5],
                    endpoint: String = "https://route53.amazonaws.com", deadline: Double? = nil) -> Route53Client {
    let limiter = TokenBucket(ratePerSecond: 1_000_000, burst: 1_000_000, time: time)
    let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE",
                                                         secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"))
    let box = JitterSequence(jitter)
    return Route53Client(endpoint: endpoint, transport: transport, signer: signer, limiter: limiter, time: time,
                         maxRetries: maxRetries, observer: observer, deadline: deadline, jitter: box.next)
}

/// Cycles through fixed values in [0, 1).
final class JitterSequence {
    private let values: [Double]
    private var index = 0
    init(_ values: [Double]) { self.values = values.isEmpty ? [0.5] : values }
    func next() -> Double {
        defer { index += 1 }
        return values[index % values.count]
    }
}
