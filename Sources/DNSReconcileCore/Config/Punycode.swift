/// Punycode (RFC 3492) for the one thing this tool does with internationalized names: tell the
/// user how to write them.
///
/// Route53 takes names in ASCII only, and IDNs as `xn--` labels. Turning a Unicode name into
/// the right `xn--` form needs the full IDNA mapping (UTS #46: case folding, normalisation,
/// disallowed characters); publishing a lower-cased approximation could create a name the user
/// did not mean. So names with non-ASCII characters are refused, and the message shows this
/// encoding of the lower-cased labels as the likely spelling to paste in.
public enum Punycode {
    private static let base = 36, tMin = 1, tMax = 26, skew = 38, damp = 700
    private static let initialBias = 72, initialN = 128

    /// `name` with every non-ASCII label lower-cased and encoded as `xn--…`; nil when `name`
    /// is all ASCII or a label cannot be encoded.
    public static func asciiName(_ name: String) -> String? {
        // A scalar is non-ASCII exactly when one of its UTF-8 bytes is.
        guard name.utf8.contains(where: { $0 >= 0x80 }) else { return nil }
        var labels: [String] = []
        for label in name.split(separator: ".", omittingEmptySubsequences: false) {
            if label.unicodeScalars.allSatisfy(\.isASCII) {
                labels.append(label.lowercased())
            } else {
                guard let encoded = encode(label.lowercased()) else { return nil }
                labels.append("xn--" + encoded)
            }
        }
        return labels.joined(separator: ".")
    }

    /// The Punycode of one label (without the `xn--` prefix).
    public static func encode(_ label: String) -> String? {
        let input = label.unicodeScalars.map { Int($0.value) }
        var output = label.unicodeScalars.filter(\.isASCII).map(Character.init).map(String.init).joined()
        let basicCount = output.count
        var handled = basicCount
        if basicCount > 0 { output += "-" }
        var n = initialN, delta = 0, bias = initialBias
        while handled < input.count {
            guard let next = input.filter({ $0 >= n }).min() else { return nil }
            let (product, overflow) = (next - n).multipliedReportingOverflow(by: handled + 1)
            guard !overflow else { return nil }
            delta += product
            n = next
            for scalar in input {
                if scalar < n { delta += 1 }
                guard scalar == n else { continue }
                var q = delta
                var k = base
                while true {
                    let t = k <= bias ? tMin : (k >= bias + tMax ? tMax : k - bias)
                    if q < t { break }
                    output.append(digit(t + (q - t) % (base - t)))
                    q = (q - t) / (base - t)
                    k += base
                }
                output.append(digit(q))
                bias = adapt(delta, points: handled + 1, first: handled == basicCount)
                delta = 0
                handled += 1
            }
            delta += 1
            n += 1
        }
        return output
    }

    private static func digit(_ value: Int) -> Character {
        let scalar = value < 26 ? 97 + value : 22 + value  // a-z, then 0-9
        return Character(Unicode.Scalar(UInt8(scalar)))
    }

    private static func adapt(_ delta: Int, points: Int, first: Bool) -> Int {
        var delta = first ? delta / damp : delta / 2
        delta += delta / points
        var k = 0
        while delta > ((base - tMin) * tMax) / 2 {
            delta /= base - tMin
            k += base
        }
        return k + (base - tMin + 1) * delta / (delta + skew)
    }
}
