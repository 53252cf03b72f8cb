import CZlib

/// gzip exactly as Go's `compress/gzip` writes it for ExternalDNS's encrypted TXT values, and a
/// gunzip that accepts what Go's reader accepts.
///
/// Go writes: header `1f8b 08 00 00000000 02 ff` (no mtime, XFL 2 for best compression, OS
/// unknown), the deflate data ended by the sync flush of `Writer.Flush`, then the empty final
/// stored block of `Writer.Close` (`01 00 00 ff ff`), then CRC-32 and ISIZE little-endian. zlib
/// at level 9 with `Z_SYNC_FLUSH` produces the same deflate bytes for short inputs such as the
/// registry labels (ExternalDNS's registry test vector is reproduced byte for byte). For long
/// inputs Go's and zlib's deflaters may choose different encodings: both still decode, which is
/// why stored values are reused rather than regenerated.
enum GoGzip {
    /// Output larger than this is refused: a registry label set is a few hundred bytes.
    static let maximumDecompressedSize = 1 << 20

    private static let header: [UInt8] = [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xFF]
    private static let finalEmptyStoredBlock: [UInt8] = [0x01, 0x00, 0x00, 0xFF, 0xFF]

    /// nil only when zlib fails (out of memory).
    static func compress(_ input: [UInt8]) -> [UInt8]? {
        var stream = z_stream()
        // Raw deflate (negative window bits): the gzip framing is written by hand to match Go.
        guard dnsr_deflate_init2(&stream, 9, -15, 8) == Z_OK else { return nil }
        defer { deflateEnd(&stream) }

        var source = input
        var deflated: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let ok = source.withUnsafeMutableBufferPointer { sourceBuffer -> Bool in
            stream.next_in = sourceBuffer.baseAddress
            stream.avail_in = uInt(sourceBuffer.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int32 in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    return deflate(&stream, Z_SYNC_FLUSH)
                }
                guard status == Z_OK || status == Z_BUF_ERROR else { return false }
                deflated += chunk[0..<(chunk.count - Int(stream.avail_out))]
                // A sync flush is complete once zlib leaves output space unused.
                if stream.avail_out != 0 { return stream.avail_in == 0 }
            }
        }
        guard ok else { return nil }

        let checksum = input.withUnsafeBufferPointer { buffer -> UInt32 in
            UInt32(truncatingIfNeeded: crc32(0, buffer.baseAddress, uInt(buffer.count)))
        }
        return header + deflated + finalEmptyStoredBlock
            + littleEndian(checksum) + littleEndian(UInt32(truncatingIfNeeded: input.count))
    }

    /// The concatenated content of every gzip member of `input`; nil when it is not gzip, is
    /// truncated, fails its CRC or length check, or exceeds `maximumDecompressedSize`.
    static func decompress(_ input: [UInt8]) -> [UInt8]? {
        guard !input.isEmpty else { return nil }
        var stream = z_stream()
        // 15 + 16: gzip framing only (no zlib, no raw), as Go's gzip.Reader.
        guard dnsr_inflate_init2(&stream, 31) == Z_OK else { return nil }
        defer { inflateEnd(&stream) }

        var source = input
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        let ok = source.withUnsafeMutableBufferPointer { sourceBuffer -> Bool in
            stream.next_in = sourceBuffer.baseAddress
            stream.avail_in = uInt(sourceBuffer.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { chunkBuffer -> Int32 in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output += chunk[0..<produced]
                guard output.count <= maximumDecompressedSize else { return false }
                switch status {
                case Z_STREAM_END:
                    // Go's reader goes on with the next member; anything else after a member is
                    // a header error.
                    if stream.avail_in == 0 { return true }
                    guard inflateReset(&stream) == Z_OK else { return false }
                case Z_OK:
                    continue
                case Z_BUF_ERROR where produced > 0:
                    continue
                default:
                    // Z_BUF_ERROR without progress: the input ended inside a member.
                    return false
                }
            }
        }
        return ok ? output : nil
    }

    private static func littleEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24 & 0xFF)]
    }
}
