import Foundation

/// A seeded, mutation-based random-input runner for the parsers (INI and JSON config, Route53
/// XML answers, TXT ownership labels).
///
/// Each iteration takes a seed input, applies a few random mutations (byte flips, deletions,
/// duplicated or swapped chunks, inserted tokens the grammar cares about, truncation) and hands
/// the result to the target, which must return normally (a crash kills the test process, which
/// fails the run) and may check its own invariants. The generator is SplitMix64 from a fixed
/// seed, so a failure replays: the message gives the iteration and the input.
///
/// The iteration count is small by default so CI stays fast; `DNSRECONCILE_FUZZ_ITERATIONS`
/// raises it for a longer run by hand, `DNSRECONCILE_FUZZ_SEED` changes the seed.
public struct Fuzzer: RandomNumberGenerator {
    private var random: SplitMix64
    public let iterations: Int
    public let seed: UInt64
    /// Byte strings worth inserting: the grammar's delimiters and known trouble.
    public var dictionary: [[UInt8]]

    public init(defaultIterations: Int, dictionary: [String] = []) {
        let environment = ProcessInfo.processInfo.environment
        iterations = environment["DNSRECONCILE_FUZZ_ITERATIONS"].flatMap(Int.init) ?? defaultIterations
        seed = environment["DNSRECONCILE_FUZZ_SEED"].flatMap(UInt64.init) ?? 0x5EED_D1A5
        random = SplitMix64(seed: seed)
        self.dictionary = (dictionary + ["\0", "\u{FF}", "\r\n", "\"", "\\", "=", ",", "[", "]", "<", ">", "&", ";", "#"])
            .map { Array($0.utf8) }
    }

    public mutating func next() -> UInt64 { random.next() }

    public mutating func next(_ bound: Int) -> Int { random.next(bound) }

    /// `input` with 1 to 4 random mutations.
    public mutating func mutate(_ input: [UInt8]) -> [UInt8] {
        var bytes = input
        for _ in 0...next(4) {
            switch next(8) {
            case 0 where !bytes.isEmpty:
                bytes[next(bytes.count)] ^= UInt8(1 << next(8))
            case 1 where !bytes.isEmpty:
                let start = next(bytes.count)
                bytes.removeSubrange(start..<min(bytes.count, start + 1 + next(16)))
            case 2 where !bytes.isEmpty:
                let start = next(bytes.count)
                let chunk = bytes[start..<min(bytes.count, start + 1 + next(32))]
                bytes.insert(contentsOf: chunk, at: next(bytes.count + 1))
            case 3:
                bytes.insert(contentsOf: dictionary[next(dictionary.count)], at: next(bytes.count + 1))
            case 4 where !bytes.isEmpty:
                bytes = Array(bytes[..<next(bytes.count)])
            case 5 where !bytes.isEmpty:
                bytes[next(bytes.count)] = UInt8(truncatingIfNeeded: next())
            case 6 where bytes.count > 2:
                let a = next(bytes.count), b = next(bytes.count)
                bytes.swapAt(a, b)
            default:
                bytes.insert(UInt8(truncatingIfNeeded: next()), at: next(bytes.count + 1))
            }
        }
        return bytes
    }

    /// Runs `target` over `iterations` mutated inputs drawn from `seeds`; returns how many ran.
    @discardableResult
    public mutating func run(seeds: [[UInt8]], _ target: (_ input: [UInt8], _ iteration: Int) -> Void) -> Int {
        precondition(!seeds.isEmpty)
        for iteration in 0..<iterations {
            var input = seeds[next(seeds.count)]
            // Some inputs build on the previous mutation, to go deeper than one step from a seed.
            let rounds = 1 + next(3)
            for _ in 0..<rounds { input = mutate(input) }
            target(input, iteration)
        }
        return iterations
    }
}
