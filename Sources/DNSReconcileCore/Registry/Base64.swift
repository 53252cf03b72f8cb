/// Standard base64 (`+/`, padded), decoded the way Go's `base64.StdEncoding` does.
///
/// ExternalDNS encodes nonces, ciphertexts and keys with Go's standard encoding, so this decoder
/// accepts exactly what Go accepts: padding is required, `\r` and `\n` are skipped, any other
/// character outside the alphabet is an error, and the unused low bits of the last character are
/// not checked. Foundation's decoder differs in small ways, and a registry TXT must be recognised
/// identically by both tools.
public enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    public static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(chunk >> 18 & 63)], alphabet[Int(chunk >> 12 & 63)],
                    alphabet[Int(chunk >> 6 & 63)], alphabet[Int(chunk & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let chunk = UInt32(bytes[index]) << 16
            out += [alphabet[Int(chunk >> 18 & 63)], alphabet[Int(chunk >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(chunk >> 18 & 63)], alphabet[Int(chunk >> 12 & 63)],
                    alphabet[Int(chunk >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// nil when `text` is not valid padded standard base64.
    public static func decode<S: Sequence>(_ text: S) -> [UInt8]? where S.Element == UInt8 {
        let input = text.filter { $0 != UInt8(ascii: "\r") && $0 != UInt8(ascii: "\n") }
        guard input.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var index = 0
        while index < input.count {
            let quad = input[index..<index + 4]
            let isLast = index + 4 == input.count
            var padding = 0
            if quad[index + 3] == UInt8(ascii: "=") {
                padding = quad[index + 2] == UInt8(ascii: "=") ? 2 : 1
                // Padding only ends the input; "==" never follows a real third character.
                guard isLast else { return nil }
            }
            var chunk: UInt32 = 0
            for offset in 0..<(4 - padding) {
                let value = reverse[Int(quad[index + offset])]
                guard value != 0xFF else { return nil }
                chunk |= UInt32(value) << UInt32(18 - 6 * offset)
            }
            out.append(UInt8(chunk >> 16 & 0xFF))
            if padding < 2 { out.append(UInt8(chunk >> 8 & 0xFF)) }
            if padding < 1 { out.append(UInt8(chunk & 0xFF)) }
            index += 4
        }
        return out
    }

    static func decode(_ text: String) -> [UInt8]? { decode(text.utf8) }
}
