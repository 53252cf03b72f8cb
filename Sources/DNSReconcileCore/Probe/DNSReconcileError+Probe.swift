extension DNSReconcileError.Code {
    /// A DNS message that cannot be built or decoded: a malformed name, a truncated packet, a
    /// bad compression pointer. Resolver failures use `.timeout` and `.transport`.
    public static let dnsMessage = DNSReconcileError.Code(rawValue: "dns_message")
}
