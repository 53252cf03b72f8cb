/// "Did you mean …?" for unknown section kinds, keys and plugin names.
enum ConfigSuggestion {
    /// The candidate nearest to `word` by edit distance (case-insensitive, `_` read as `-`), when
    /// it is near enough to be a plausible typo.
    static func nearest(to word: String, in candidates: [String]) -> String? {
        let normalized = normalize(word)
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(normalized, normalize(candidate))
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let limit = max(2, normalized.count / 3)
        return best.distance <= limit ? best.candidate : nil
    }

    private static func normalize(_ word: String) -> [Character] {
        Array(word.lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// Levenshtein distance.
    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
                current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
