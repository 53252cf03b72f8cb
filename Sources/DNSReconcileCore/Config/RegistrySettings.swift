/// `[registry]`: how ownership of record sets is recorded.
public struct RegistrySettings: Hashable, Sendable {
    public enum RegistryType: String, Hashable, Sendable, CaseIterable {
        /// ExternalDNS-compatible TXT companions.
        case txt
        /// No bookkeeping: every record set of a managed type counts as this cluster's.
        case noop
    }

    public var type: RegistryType
    public var txtPrefix: String
    public var txtSuffix: String
    public var txtWildcardReplacement: String
    /// Path of the AES-256-GCM key (32 raw bytes or base64); nil: companions are not encrypted.
    public var txtEncryptKeyFile: String?
    public var managedRecordTypes: [RecordType]

    public init(type: RegistryType = .txt, txtPrefix: String = "", txtSuffix: String = "",
                txtWildcardReplacement: String = "", txtEncryptKeyFile: String? = nil,
                managedRecordTypes: [RecordType] = [.a, .aaaa, .cname]) {
        self.type = type
        self.txtPrefix = txtPrefix
        self.txtSuffix = txtSuffix
        self.txtWildcardReplacement = txtWildcardReplacement
        self.txtEncryptKeyFile = txtEncryptKeyFile
        self.managedRecordTypes = managedRecordTypes
    }
}
