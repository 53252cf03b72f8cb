import ArgumentParser

/// A duration as the config files write them: `90`, `90s`, `5m`, `1h`, `1h30m`.
struct DurationArgument: ExpressibleByArgument, Hashable, Sendable {
    var seconds: Double

    init?(argument: String) {
        guard let seconds = DurationArgument.parse(argument) else { return nil }
        self.seconds = seconds
    }

    static func parse(_ text: String) -> Double? {
        var total = 0.0
        var number = ""
        var sawUnit = false
        for character in text {
            if character.isNumber || character == "." {
                number.append(character)
                continue
            }
            guard let value = Double(number) else { return nil }
            switch character {
            case "s": total += value
            case "m": total += value * 60
            case "h": total += value * 3600
            default: return nil
            }
            number = ""
            sawUnit = true
        }
        if !number.isEmpty {
            // A bare number is seconds; "1m30" is not a duration.
            guard !sawUnit, let value = Double(number) else { return nil }
            total += value
        } else if !sawUnit {
            return nil
        }
        return total > 0 ? total : nil
    }
}
