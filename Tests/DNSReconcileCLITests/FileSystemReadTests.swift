import Foundation
import Testing
@testable import DNSReconcileCLI

/// `FileSystem.contents(of:)`: sized by `fstat` for regular files, read in chunks for the rest,
/// byte-exact either way.
@Suite struct FileSystemReadTests {
    static func pattern(_ count: Int, seed: UInt8) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
    }

    static func temporaryPath(_ name: String) -> String {
        NSTemporaryDirectory() + "dnsr-read-\(UUID().uuidString)-\(name)"
    }

    @Test(arguments: [0, 1, 4095, 65536, 65537, 300_001])
    func regularFileIsReadWhole(size: Int) throws {
        let path = Self.temporaryPath("regular")
        defer { unlink(path) }
        let written = Self.pattern(size, seed: UInt8(size % 251))
        try Data(written).write(to: URL(fileURLWithPath: path))
        let read = try FileSystem.contents(of: path).get()
        #expect(read.count == size)
        #expect(read == written)
    }

    /// A FIFO has no size: everything comes through the chunked path, across several chunks.
    @Test func pipeIsReadToItsEnd() throws {
        let path = Self.temporaryPath("fifo")
        #expect(mkfifo(path, 0o600) == 0)
        defer { unlink(path) }
        let written = Self.pattern(200_003, seed: 7)
        let writer = Thread {
            let fd = open(path, O_WRONLY)
            guard fd >= 0 else { return }
            written.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let count = write(fd, buffer.baseAddress! + offset, min(10_000, buffer.count - offset))
                    if count <= 0 { break }
                    offset += count
                }
            }
            close(fd)
        }
        writer.start()
        let read = try FileSystem.contents(of: path).get()
        #expect(read == written)
    }

    @Test func missingFileGivesItsErrno() {
        switch FileSystem.contents(of: Self.temporaryPath("missing")) {
        case .success: Issue.record("a missing file was read")
        case .failure(let failure): #expect(failure.code == ENOENT)
        }
        #expect(FileSystem.readBytes(Self.temporaryPath("missing")) == nil)
    }

    @Test func directoryIsAnError() {
        switch FileSystem.contents(of: NSTemporaryDirectory()) {
        case .success: Issue.record("a directory was read as a file")
        case .failure(let failure): #expect(failure.code == EISDIR)
        }
    }
}
