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
        var labels: [String: String] = [:]
        let isRegistryValue = scan(text) { name, value in
            labels[String(decoding: name, as: UTF8.self)] = String(decoding: value, as: UTF8.self)
        }
        return isRegistryValue ? labels : nil
    }

    /// True when `parse` would return labels, without building them.
    static func isRegistryValue(_ text: String) -> Bool {
        scan(text) { _, _ in }
    }

    /// `parse(text)?[key]`, without building the other labels.
    static func label(_ key: String, in text: String) -> String? {
        var found: String?
        let wanted = Array(key.utf8)
        guard scan(text, { name, value in
            if name.elementsEqual(wanted) { found = String(decoding: value, as: UTF8.self) }
        }) else { return nil }
        return found
    }

    /// Calls `label` with each label's name and value as `parse` reads them; false when the value
    /// is not an ExternalDNS value.
    private static func scan(_ text: String,
                             _ label: (Slice<UnsafeBufferPointer<UInt8>>, Slice<UnsafeBufferPointer<UInt8>>) -> Void) -> Bool {
        // Byte-wise like Go: Swift's Character splitting would glue `,` to a following
        // combining mark. In place, without copies: every ownership TXT of a zone is read,
        // 50,000 of them in a large one.
        var text = text
        return text.withUTF8 { all in
            // Every leading and trailing double quote goes (Go's `strings.Trim`).
            var start = all.startIndex, end = all.endIndex
            while start < end, all[start] == UInt8(ascii: "\"") { start += 1 }
            while end > start, all[end - 1] == UInt8(ascii: "\"") { end -= 1 }
            var foundHeritage = false
            var tokenStart = start
            while tokenStart <= end {
                var tokenEnd = tokenStart
                while tokenEnd < end, all[tokenEnd] != UInt8(ascii: ",") { tokenEnd += 1 }
                let token = all[tokenStart..<tokenEnd]
                tokenStart = tokenEnd + 1
                guard let equals = token.firstIndex(of: UInt8(ascii: "=")) else { continue }
                let key = token[..<equals]
                let value = token[(equals + 1)...]
                if key.elementsEqual(heritageKeyBytes) {
                    guard value.elementsEqual(heritageBytes) else { return false }
                    foundHeritage = true
                    continue
                }
                if key.starts(with: heritageBytes) {
                    label(key.starts(with: heritagePrefixBytes) ? key.dropFirst(heritagePrefixBytes.count) : key, value)
                }
            }
            return foundHeritage
        }
    }

    private static let heritageKeyBytes = Array("heritage".utf8)
    private static let heritageBytes = Array(heritage.utf8)
    private static let heritagePrefixBytes = Array((heritage + "/").utf8)

    /// `text` without its leading and trailing double quotes (all of them, as Go's `strings.Trim`).
    static func stripQuotes(_ text: String) -> [UInt8] {
        var slice = Array(text.utf8)[...]
        while slice.first == UInt8(ascii: "\"") { slice = slice.dropFirst() }
        while slice.last == UInt8(ascii: "\"") { slice = slice.dropLast() }
        return Array(slice)
    }
}
