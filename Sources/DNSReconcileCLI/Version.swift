/// The version `dnsreconcile version` prints and `dnsreconcile_build_info` carries.
public enum DNSReconcileVersion {
    public static let current = "0.1.0"
}
