import Crypto

/// The `CallerReference` of a health check this tool creates, which is where its ownership lives:
/// Route53 returns the reference in every listing, so no tag has to be read to know whose a
/// check is.
///
/// Form: `dnsr1-<o8>-<z6>-<k10>-<c8>-<t>`, each part the first hex digits of a SHA-256:
/// o8 of the owner id, z6 of the bare hosted zone id, k10 of `"<name fqdn>|<type>|<set id>"`, c8
/// of the canonical desired settings (a child's include its address), and t the creation time in
/// unix seconds in base 36. The time keeps a re-created check from reusing a reference Route53
/// still remembers for a deleted one (`HealthCheckAlreadyExists`); a retried create within one
/// pass uses the same time, so Route53 answers it with the check it already made.
public struct HealthCheckReference: Hashable, Sendable {
    public static let prefix = "dnsr1"

    /// First 8 hex digits of SHA-256(owner id).
    public var owner: String
    /// First 6 hex digits of SHA-256(bare zone id).
    public var zone: String
    /// First 10 hex digits of SHA-256 of the record set's key.
    public var key: String
    /// First 8 hex digits of SHA-256 of the canonical settings at creation.
    public var config: String
    /// Creation time, unix seconds, base 36.
    public var created: String

    public init(owner: String, zone: String, key: String, config: String, created: String) {
        self.owner = owner
        self.zone = zone
        self.key = key
        self.config = config
        self.created = created
    }

    /// The reference for a new check of `ownerID` for `recordKey` in `zoneID`.
    public init(ownerID: String, zoneID: String, recordKey: RecordKey, canonicalConfig: String, createdAt: Double) {
        owner = Self.ownerDigest(ownerID)
        zone = Self.zoneDigest(zoneID)
        key = Self.keyDigest(recordKey)
        config = Self.digest(canonicalConfig, length: 8)
        created = String(max(0, Int(createdAt.rounded(.down))), radix: 36)
    }

    /// Parses a reference; nil for anything this tool did not write (another tool's, a person's,
    /// or a later format), which is then never touched.
    public init?(parsing text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == Self.prefix,
              Self.isHex(parts[1], count: 8), Self.isHex(parts[2], count: 6), Self.isHex(parts[3], count: 10),
              Self.isHex(parts[4], count: 8),
              !parts[5].isEmpty, parts[5].count <= 13, parts[5].allSatisfy({ $0.isASCII && ($0.isNumber || ("a"..."z").contains($0)) })
        else { return nil }
        owner = String(parts[1])
        zone = String(parts[2])
        key = String(parts[3])
        config = String(parts[4])
        created = String(parts[5])
    }

    /// The text sent as `CallerReference` (at most 64 characters: 5 + 34 + the time).
    public var text: String { [Self.prefix, owner, zone, key, config, created].joined(separator: "-") }

    public static func ownerDigest(_ ownerID: String) -> String { digest(ownerID, length: 8) }

    public static func zoneDigest(_ zoneID: String) -> String { digest(zoneID, length: 6) }

    public static func keyDigest(_ key: RecordKey) -> String {
        digest("\(key.name.fqdn)|\(key.type.rawValue)|\(key.setIdentifier ?? "")", length: 10)
    }

    static func digest(_ text: String, length: Int) -> String {
        let hash = SHA256.hash(data: Array(text.utf8))
        var hex = ""
        for byte in hash {
            let pair = String(byte, radix: 16)
            hex += pair.count == 1 ? "0" + pair : pair
            if hex.count >= length { break }
        }
        return String(hex.prefix(length))
    }

    private static func isHex(_ part: Substring, count: Int) -> Bool {
        part.count == count && part.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) }
    }
}
