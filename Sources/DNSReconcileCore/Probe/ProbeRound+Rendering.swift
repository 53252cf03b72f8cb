extension ProbeRound {
    /// One line per round for `--output text`, e.g.
    /// `#3    +2.001s  dns 0.41 ms udp  127.0.0.2 (1 of 2)  http 1.92 ms 200  RKE2  up`.
    public var textLine: String {
        var line = ProbeNumberFormat.padded("#\(index)", 5) + " +" + ProbeNumberFormat.fixed(offset, 3) + "s  dns "
        if let dnsMilliseconds {
            line += ProbeNumberFormat.fixed(dnsMilliseconds, 2) + " ms " + (dnsTransport ?? "udp")
            if let responseCode, responseCode != .noError { line += " \(responseCode)" }
        } else {
            line += "-"
        }
        if let address {
            line += "  \(address)"
            if addresses.count > 1 { line += " (1 of \(addresses.count))" }
        }
        if let status, let httpMilliseconds {
            line += "  http " + ProbeNumberFormat.fixed(httpMilliseconds, 2) + " ms \(status)  \(label ?? address ?? "-")"
        }
        if let errorKind {
            line += "  \(errorKind.rawValue)"
            if let errorMessage, !errorMessage.isEmpty { line += ": " + errorMessage }
        }
        line += state == .down ? "  DOWN" : "  \(state.rawValue)"
        return line.replacingNewlines
    }

    /// The round as one `--log` JSON line's object; `timeText` formats the wall-clock time.
    public func json(timeText: (Double) -> String) -> JSONValue {
        .object([
            "round": .int(index),
            "time": .string(timeText(time)),
            "offset_seconds": .double(ProbeNumberFormat.rounded(offset, 3)),
            "dns_ms": dnsMilliseconds.map { .double(ProbeNumberFormat.rounded($0, 3)) } ?? .null,
            "dns_transport": .optional(dnsTransport),
            "rcode": .optional(responseCode?.description),
            "addresses": .array(addresses.map(JSONValue.string)),
            "cnames": .array(canonicalNames.map(JSONValue.string)),
            "address": .optional(address),
            "http_ms": httpMilliseconds.map { .double(ProbeNumberFormat.rounded($0, 3)) } ?? .null,
            "status": .optional(status),
            "label": .optional(label),
            "state": .string(state.rawValue),
            "error": .optional(errorKind?.rawValue),
            "message": .optional(errorMessage),
        ])
    }
}

extension String {
    /// An error message must not break the one-line-per-round output.
    fileprivate var replacingNewlines: String {
        guard contains(where: \.isNewline) else { return self }
        return split(whereSeparator: \.isNewline).joined(separator: " | ")
    }
}
