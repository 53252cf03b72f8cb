/// The ExternalDNS label codec of a registry TXT value
/// (`"heritage=external-dns,external-dns/owner=…,external-dns/resource=…"`).
///
/// Byte compatibility matters both ways: ExternalDNS must read what we write, and a value we
/// regenerate must equal what is stored or every pass rewrites it.
enum TXTLabels {
    static let heritage = "external-dns"
    static let ownerKey = "owner"
    static let resourceKey = "resource"
    /// ExternalDNS keeps the nonce of a decrypted value in its label map under this key and never
    /// serialises it; a value that carries it as a real label must not emit it either.
    static let nonceKey = "txt-encryption-nonce"

    /// `heritage=external-dns` first, then `external-dns/<key>=<value>` sorted by key (byte
    /// order, as Go's `sort.Strings`), joined by `,`, optionally wrapped in double quotes.
    static func serialize(_ labels: [String: String], quoted: Bool) -> String {
        let keys = labels.keys
            .filter { $0 != nonceKey }
            .sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        var text = quoted ? "\"heritage=" : "heritage="
        text += heritage
        for key in keys {
            text += ","
            text += heritage
            text += "/"
            text += key
            text += "="
            text += labels[key] ?? ""
        }
        if quoted { text += "\"" }
        return text
    }

    /// The labels of a plain value, or nil when it is not an ExternalDNS value (no heritage, or a
    /// heritage other than `external-dns` anywhere in it).
    ///
    /// Follows ExternalDNS v0.22: every leading and trailing `"` is stripped; tokens without `=`
    /// are skipped; a token splits at its first `=` (so values may contain `=`); keys starting
    /// with `external-dns` lose an `external-dns/` prefix and are kept, other keys are ignored.
    static func parse(_ text: String) -> [String: String]? {
        // Byte-wise like Go: Swift's Character splitting would glue `,` to a following
        // combining mark.
        let bytes = stripQuotes(text)
        let heritageBytes = Array(heritage.utf8)
        var labels: [String: String] = [:]
        var foundHeritage = false
        for token in bytes.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            guard let equals = token.firstIndex(of: UInt8(ascii: "=")) else { continue }
            let key = Array(token[..<equals])
            let value = String(decoding: token[(equals + 1)...], as: UTF8.self)
            if key == Array("heritage".utf8) {
                guard value.utf8.elementsEqual(heritageBytes) else { return nil }
                foundHeritage = true
                continue
            }
            if key.starts(with: heritageBytes) {
                let name = key.starts(with: heritageBytes + [UInt8(ascii: "/")]) ? key.dropFirst(heritageBytes.count + 1) : key[...]
                labels[String(decoding: name, as: UTF8.self)] = value
            }
        }
        return foundHeritage ? labels : nil
    }

    /// `text` without its leading and trailing double quotes (all of them, as Go's `strings.Trim`).
    static func stripQuotes(_ text: String) -> [UInt8] {
        var slice = Array(text.utf8)[...]
        while slice.first == UInt8(ascii: "\"") { slice = slice.dropFirst() }
        while slice.last == UInt8(ascii: "\"") { slice = slice.dropLast() }
        return Array(slice)
    }
}
