import Foundation
import Testing
@testable import DNSReconcileCore

/// ExternalDNS's TXT encryption (reference §2): Go-exact gzip, AES-256-GCM, key parsing.
@Suite struct TXTEncryptionTests {
    // Vector 2: ExternalDNS registry/txt/registry_test.go TestTXTRegistryApplyChangesEncrypt.
    static let vector2Key = Array("12345678901234567890123456789012".utf8)
    static let vector2Plaintext = "heritage=external-dns,external-dns/owner=owner"
    static let vector2Nonce = "h8UQ6jelUFUsEIn7"
    static let vector2Value = "h8UQ6jelUFUsEIn7SbFktc2MYXPx/q8lySqI4VwfVtVaIbb2nkHWV/88KKbuLtu7fJNzMir8ELVeVnRSY01KdiIuj7ledqZe5ailEjQaU5Z6uEKd5pgs6sH8"
    static let vector2Gzip = "1f8b08000000000002ffca482dca2c494c4fb54dad28492dca4bccd14dc92bd641e6e8e797e7a516d9824900000000ffff010000ffff0c8675a82e000000"

    struct Vector1: Decodable {
        var key: String
        var wrongKey: String
        var plaintext: String
        var ciphertext: String
        var nonceHex: String
    }

    static func loadVector1() throws -> Vector1 {
        let fixtures = try #require(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        let data = try Data(contentsOf: fixtures.appendingPathComponent("registry/encryption-vector-1.json"))
        return try JSONDecoder().decode(Vector1.self, from: data)
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    // MARK: gzip

    @Test func gzipMatchesGoByteForByte() throws {
        let compressed = try #require(GoGzip.compress(Array(Self.vector2Plaintext.utf8)))
        #expect(Self.hex(compressed) == Self.vector2Gzip)
    }

    @Test func gzipFramingIsGos() throws {
        let compressed = try #require(GoGzip.compress(Array("x".utf8)))
        #expect(Array(compressed.prefix(10)) == [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x02, 0xFF])
        // Sync-flush marker, then Close's empty final stored block, then CRC-32 and ISIZE.
        #expect(Array(compressed.dropLast(8).suffix(9)) == [0x00, 0x00, 0xFF, 0xFF, 0x01, 0x00, 0x00, 0xFF, 0xFF])
        #expect(Array(compressed.suffix(4)) == [1, 0, 0, 0])
    }

    @Test(arguments: ["", "a", String(repeating: "heritage=external-dns,", count: 500)])
    func gzipRoundTrips(text: String) throws {
        let compressed = try #require(GoGzip.compress(Array(text.utf8)))
        #expect(GoGzip.decompress(compressed) == Array(text.utf8))
    }

    enum Damage: String, CaseIterable, Sendable {
        case truncated, badCRC, trailingGarbage, notGzip, empty

        func apply(_ bytes: [UInt8]) -> [UInt8] {
            switch self {
            case .truncated: return Array(bytes.dropLast(3))
            case .badCRC: var damaged = bytes; damaged[damaged.count - 8] ^= 0xFF; return damaged
            case .trailingGarbage: return bytes + [0x00, 0x01]
            case .notGzip: return Array("heritage=external-dns".utf8)
            case .empty: return []
            }
        }
    }

    @Test(arguments: Damage.allCases)
    func gunzipRejects(_ damage: Damage) throws {
        let compressed = try #require(GoGzip.compress(Array(Self.vector2Plaintext.utf8)))
        #expect(GoGzip.decompress(damage.apply(compressed)) == nil)
    }

    @Test func gunzipConcatenatesMembersAsGoDoes() throws {
        let first = try #require(GoGzip.compress(Array("ab".utf8)))
        let second = try #require(GoGzip.compress(Array("cd".utf8)))
        #expect(GoGzip.decompress(first + second) == Array("abcd".utf8))
    }

    // MARK: AES-GCM

    @Test func vector2EncryptsByteForByte() throws {
        let cipher = try #require(TXTCipher(key: Self.vector2Key))
        let nonce = try #require(Base64.decode(Self.vector2Nonce))
        #expect(cipher.encrypt(Self.vector2Plaintext, nonce: nonce) == Self.vector2Value)
    }

    @Test func vector2Decrypts() throws {
        let cipher = try #require(TXTCipher(key: Self.vector2Key))
        let opened = try #require(cipher.decrypt("\"" + Self.vector2Value + "\""))
        #expect(opened.plaintext == Self.vector2Plaintext)
        #expect(Base64.encode(opened.nonce) == Self.vector2Nonce)
    }

    @Test func sameNonceGivesByteIdenticalValue() throws {
        let cipher = try #require(TXTCipher(key: Self.vector2Key))
        let opened = try #require(cipher.decrypt(Self.vector2Value))
        let again = cipher.encrypt(opened.plaintext, nonce: opened.nonce)
        #expect(again == Self.vector2Value)
        #expect(cipher.encrypt(opened.plaintext, nonce: opened.nonce) == again)
    }

    @Test func vector1DecryptsTheLoremText() throws {
        let vector = try Self.loadVector1()
        let cipher = try #require(TXTCipher(key: Array(vector.key.utf8)))
        let opened = try #require(cipher.decrypt(vector.ciphertext))
        #expect(opened.plaintext == vector.plaintext)
        #expect(opened.plaintext.utf8.count == 574)
        #expect(Self.hex(opened.nonce) == vector.nonceHex)
        #expect(Base64.decode(vector.ciphertext)?.count == 381)
    }

    @Test func vector1WrongKeyAndPlainInputDoNotDecrypt() throws {
        let vector = try Self.loadVector1()
        let wrong = try #require(TXTCipher(key: Array(vector.wrongKey.utf8)))
        #expect(wrong.decrypt(vector.ciphertext) == nil)
        let right = try #require(TXTCipher(key: Array(vector.key.utf8)))
        #expect(right.decrypt(vector.plaintext) == nil)
        #expect(right.decrypt("\"heritage=external-dns,external-dns/owner=owner\"") == nil)
    }

    @Test func longTextRoundTripsThroughOurOwnEncryption() throws {
        let vector = try Self.loadVector1()
        let cipher = try #require(TXTCipher(key: Array(vector.key.utf8)))
        let nonce: [UInt8] = Array(0..<12)
        let sealed = try #require(cipher.encrypt(vector.plaintext, nonce: nonce))
        let opened = try #require(cipher.decrypt(sealed))
        #expect(opened.plaintext == vector.plaintext)
        #expect(opened.nonce == nonce)
    }

    @Test(arguments: [
        ("too-short", "AAAAAAAAAAAAAAAA"),                  // exactly 12 bytes
        ("not-base64", "h8UQ6jel-UFUsEIn7"),
        ("unpadded", String(vector2Value.dropLast(1))),
        ("tampered", "h8UQ6jelUFUsEIn7TbFktc2MYXPx/q8lySqI4VwfVtVaIbb2nkHWV/88KKbuLtu7fJNzMir8ELVeVnRSY01KdiIuj7ledqZe5ailEjQaU5Z6uEKd5pgs6sH8"),
    ])
    func decryptRefuses(id: String, value: String) throws {
        let cipher = try #require(TXTCipher(key: Self.vector2Key))
        #expect(cipher.decrypt(value) == nil, "\(id)")
    }

    @Test func cipherNeedsA32ByteKey() {
        #expect(TXTCipher(key: Array(repeating: 1, count: 31)) == nil)
        #expect(TXTCipher(key: Array(repeating: 1, count: 32)) != nil)
    }

    // MARK: key parsing

    @Test(arguments: [
        ("raw-passphrase", "passphrasewhichneedstobe32bytes!", Array("passphrasewhichneedstobe32bytes!".utf8)),
        ("raw-digits", "01234567890123456789012345678901", Array("01234567890123456789012345678901".utf8)),
        ("base64", "ZPitL0NGVQBZbTD6DwXJzD8RiStSazzYXQsdUowLURY=",
         [0x64, 0xF8, 0xAD, 0x2F, 0x43, 0x46, 0x55, 0x00, 0x59, 0x6D, 0x30, 0xFA, 0x0F, 0x05, 0xC9, 0xCC,
          0x3F, 0x11, 0x89, 0x2B, 0x52, 0x6B, 0x3C, 0xD8, 0x5D, 0x0B, 0x1D, 0x52, 0x8C, 0x0B, 0x51, 0x16]),
        ("base64-newline", "ZPitL0NGVQBZbTD6DwXJzD8RiStSazzYXQsdUowLURY=\n",
         [0x64, 0xF8, 0xAD, 0x2F, 0x43, 0x46, 0x55, 0x00, 0x59, 0x6D, 0x30, 0xFA, 0x0F, 0x05, 0xC9, 0xCC,
          0x3F, 0x11, 0x89, 0x2B, 0x52, 0x6B, 0x3C, 0xD8, 0x5D, 0x0B, 0x1D, 0x52, 0x8C, 0x0B, 0x51, 0x16]),
        ("raw-newline", "passphrasewhichneedstobe32bytes!\n", Array("passphrasewhichneedstobe32bytes!".utf8)),
    ] as [(String, String, [UInt8])])
    func keyParses(id: String, raw: String, expected: [UInt8]) throws {
        #expect(try TXTEncryptionKey.parse(Array(raw.utf8)) == expected, "\(id)")
    }

    @Test(arguments: [
        ("externaldns-rejected", "123456789012345678901234567890asdfasdfasdfasdfa12"),
        ("url-safe-base64", "ZPitL0NGVQBZbTD6DwXJzD8RiStSazzYXQsdUowLURY-"),
        ("base64-of-16-bytes", "MDEyMzQ1Njc4OWFiY2RlZg=="),
        ("empty", ""),
        ("31-bytes", "passphrasewhichneedstobe32bytes"),
    ])
    func keyIsRejected(id: String, raw: String) {
        #expect(throws: DNSReconcileError(.configBadValue, "")) {
            _ = try TXTEncryptionKey.parse(Array(raw.utf8))
        }
    }

    @Test func keyErrorNeverContainsTheKey() {
        let secret = "123456789012345678901234567890asdfasdfasdfasdfa12"
        do {
            _ = try TXTEncryptionKey.parse(Array(secret.utf8))
            Issue.record("accepted a bad key")
        } catch {
            #expect(error.message == "the TXT encryption key must be 32 bytes, raw or standard base64")
            #expect(!error.description.contains(secret))
            #expect(!error.description.contains("asdf"))
        }
    }

    // MARK: base64

    @Test(arguments: ["", "f", "fo", "foo", "foob", "fooba", "foobar"])
    func base64RoundTrips(text: String) {
        let encoded = Base64.encode(Array(text.utf8))
        #expect(Base64.decode(encoded) == Array(text.utf8))
    }

    @Test func base64MatchesRFC4648() {
        #expect(Base64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fooba".utf8)) == "Zm9vYmE=")
        #expect(Base64.encode(Array("foob".utf8)) == "Zm9vYg==")
        #expect(Base64.decode("Zm9v\r\nYmFy") == Array("foobar".utf8))
        #expect(Base64.decode("Zm9vYg=") == nil)
        #expect(Base64.decode("Zg==Zg==") == nil)
        #expect(Base64.decode("Zm9_") == nil)
    }
}
