/// Validation of the AES-256 key that encrypts registry TXT values (`txt-encrypt-key-file`).
public enum TXTEncryptionKey {
    /// The 32 key bytes from the contents of a key file.
    ///
    /// As ExternalDNS (`--txt-encrypt-aes-key`): exactly 32 bytes are the key as they are;
    /// anything else must be standard base64 (`+/`, padded; line breaks ignored, as Go does)
    /// of 32 bytes. URL-safe base64 is refused, as ExternalDNS refuses it. One trailing line
    /// break after a 32-byte text key is also accepted: key files are usually written with
    /// `echo`, and no 33- or 34-byte value could be valid otherwise.
    ///
    /// The error never contains the key.
    public static func parse(_ raw: [UInt8]) throws(DNSReconcileError) -> [UInt8] {
        if raw.count == 32 { return raw }
        if let decoded = Base64.decode(raw), decoded.count == 32 { return decoded }
        var trimmed = raw[...]
        if trimmed.last == UInt8(ascii: "\n") { trimmed = trimmed.dropLast() }
        if trimmed.last == UInt8(ascii: "\r") { trimmed = trimmed.dropLast() }
        if trimmed.count == 32, trimmed.count != raw.count { return Array(trimmed) }
        throw DNSReconcileError(.configBadValue, "the TXT encryption key must be 32 bytes, raw or standard base64",
                                cause: "got \(raw.count) bytes")
    }
}
