import Crypto
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ExternalDNS's encryption of registry TXT values: gzip (as Go writes it), AES-256-GCM with a
/// 12-byte nonce and no additional data, then standard base64 of nonce ‖ ciphertext ‖ tag.
///
/// There is no marker for an encrypted value: a value is encrypted when it decrypts and
/// gunzips. The key never leaves this type (no description, no error text).
struct TXTCipher: Sendable {
    static let nonceSize = 12
    private static let tagSize = 16

    // Kept as bytes: SymmetricKey is not Sendable in swift-crypto 3.
    private let keyBytes: [UInt8]
    private var key: SymmetricKey { SymmetricKey(data: keyBytes) }

    /// nil unless `key` is 32 bytes.
    init?(key: [UInt8]) {
        guard key.count == 32 else { return nil }
        self.keyBytes = key
    }

    /// The base64 text (without quotes) of `plaintext` sealed under `nonce`; deterministic for
    /// the same key, nonce and plaintext. nil only if `nonce` is not 12 bytes or zlib fails.
    func encrypt(_ plaintext: String, nonce: [UInt8]) -> String? {
        GoGzip.compress(Array(plaintext.utf8)).flatMap { seal($0, nonce: nonce) }
    }

    /// The base64 text of an already compressed payload sealed under `nonce`.
    func seal(_ payload: [UInt8], nonce: [UInt8]) -> String? {
        guard nonce.count == Self.nonceSize,
              let gcmNonce = try? AES.GCM.Nonce(data: nonce),
              let sealed = try? AES.GCM.seal(payload, using: key, nonce: gcmNonce)
        else { return nil }
        return Base64.encode(nonce + Array(sealed.ciphertext) + Array(sealed.tag))
    }

    /// The plaintext and nonce of an encrypted value (quotes allowed), or nil when it is not one
    /// this key sealed: bad base64, 12 bytes or fewer, authentication failure or not gzip.
    func decrypt(_ value: String) -> (plaintext: String, nonce: [UInt8])? {
        guard let data = Base64.decode(TXTLabels.stripQuotes(value)), data.count > Self.nonceSize,
              data.count >= Self.nonceSize + Self.tagSize
        else { return nil }
        let nonce = Array(data[..<Self.nonceSize])
        let ciphertext = data[Self.nonceSize..<(data.count - Self.tagSize)]
        let tag = data[(data.count - Self.tagSize)...]
        guard let gcmNonce = try? AES.GCM.Nonce(data: nonce),
              let box = try? AES.GCM.SealedBox(nonce: gcmNonce, ciphertext: ciphertext, tag: tag),
              let opened = try? AES.GCM.open(box, using: key),
              let plain = GoGzip.decompress(Array(opened))
        else { return nil }
        return (String(decoding: plain, as: UTF8.self), nonce)
    }
}

/// The key must not reach logs through `print`, `dump` or string interpolation of a registry.
extension TXTCipher: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    var description: String { "TXTCipher(AES-256-GCM, key redacted)" }
    var debugDescription: String { description }
    var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
