/// A bounds-checked cursor over one DNS message.
///
/// Every read checks the length first and throws `.dnsMessage` naming the offset and what was
/// being read, so a short, corrupt or hostile packet is an error value, never a trap.
struct DNSWireReader {
    let bytes: [UInt8]
    private(set) var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func u8(_ what: @autoclosure () -> String) throws(DNSReconcileError) -> UInt8 {
        try need(1, what())
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func u16(_ what: @autoclosure () -> String) throws(DNSReconcileError) -> UInt16 {
        try need(2, what())
        defer { offset += 2 }
        return UInt16(bytes[offset]) << 8 | UInt16(bytes[offset + 1])
    }

    mutating func u32(_ what: @autoclosure () -> String) throws(DNSReconcileError) -> UInt32 {
        try need(4, what())
        defer { offset += 4 }
        return (0..<4).reduce(UInt32(0)) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    mutating func take(_ count: Int, _ what: @autoclosure () -> String) throws(DNSReconcileError) -> [UInt8] {
        try need(count, what())
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func skip(to newOffset: Int) { offset = newOffset }

    private func need(_ count: Int, _ what: String) throws(DNSReconcileError) {
        guard count <= remaining else {
            throw DNSReconcileError(.dnsMessage, "truncated DNS message: \(what) needs \(count) bytes at offset "
                                        + "\(offset), but the message ends at \(bytes.count)")
        }
    }

    /// Reads a possibly compressed name (RFC 1035 §4.1.4) and moves past it.
    ///
    /// Loops are impossible by construction: the first pointer must point before itself and each
    /// further pointer before the previous target, so targets strictly decrease and the walk ends
    /// after at most one jump per byte. Encoders only ever point back to a prior occurrence.
    mutating func name(_ what: @autoclosure () -> String) throws(DNSReconcileError) -> String {
        let start = offset
        var position = offset
        var labels: [ArraySlice<UInt8>] = []
        var wireLength = 1
        var resumeAt: Int?
        var lastTarget: Int?
        func failure(_ text: String) -> DNSReconcileError {
            DNSReconcileError(.dnsMessage, "\(what()) (name at offset \(start)): \(text)")
        }
        while true {
            guard position < bytes.count else {
                throw failure("truncated DNS message: the name runs past the end of the \(bytes.count)-byte message")
            }
            let length = Int(bytes[position])
            switch length >> 6 {
            case 0:
                if length == 0 {
                    offset = resumeAt ?? position + 1
                    return DNSWireName.presentation(labels)
                }
                guard position + 1 + length <= bytes.count else {
                    throw failure("truncated DNS message: a \(length)-byte label at offset \(position) runs past "
                                  + "the end of the \(bytes.count)-byte message")
                }
                wireLength += 1 + length
                guard wireLength <= DNSWireName.maximumWireLength else {
                    throw failure("the name is longer than \(DNSWireName.maximumWireLength) bytes")
                }
                labels.append(bytes[(position + 1)..<(position + 1 + length)])
                position += 1 + length
            case 3:
                guard position + 1 < bytes.count else {
                    throw failure("truncated DNS message: the compression pointer at offset \(position) is cut off")
                }
                let target = (length & 0x3F) << 8 | Int(bytes[position + 1])
                guard target < bytes.count else {
                    throw failure("bad compression pointer at offset \(position): it points to offset \(target), "
                                  + "past the end of the \(bytes.count)-byte message")
                }
                if let lastTarget {
                    guard target < lastTarget else {
                        throw failure("compression loop: the pointer at offset \(position) jumps to offset "
                                      + "\(target), not before the previous jump target \(lastTarget)")
                    }
                } else if target == position {
                    throw failure("compression loop: the pointer at offset \(position) points to itself")
                } else if target > position {
                    throw failure("bad compression pointer at offset \(position): it points forward to offset "
                                  + "\(target); pointers must point to an earlier name (a forward pointer can loop)")
                }
                if resumeAt == nil { resumeAt = position + 2 }
                lastTarget = target
                position = target
            default:
                throw failure("unsupported label type 0x\(String(length & 0xC0, radix: 16)) at offset \(position) "
                              + "(extended and binary labels are obsolete)")
            }
        }
    }
}
