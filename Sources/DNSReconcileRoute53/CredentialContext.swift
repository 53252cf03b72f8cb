import DNSReconcileCore

/// What the credential chain takes from the process: environment, home, clock, and the way to
/// reach STS and the instance metadata service.
///
/// Transports are built on first use only, so a pass with static keys opens no extra handle.
public struct CredentialContext {
    public typealias TransportFactory = () throws(DNSReconcileError) -> HTTPTransport
    /// Builds a transport whose connect and total timeouts are both `timeout` seconds.
    public typealias MetadataTransportFactory = (_ timeout: Double) throws(DNSReconcileError) -> HTTPTransport

    public var environment: [String: String]
    public var homeDirectory: String?
    public var time: TimeSource
    public var stsTransport: TransportFactory
    public var metadataTransport: MetadataTransportFactory

    public init(environment: [String: String], homeDirectory: String?, time: TimeSource,
                stsTransport: @escaping TransportFactory, metadataTransport: @escaping MetadataTransportFactory) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.time = time
        self.stsTransport = stsTransport
        self.metadataTransport = metadataTransport
    }
}
