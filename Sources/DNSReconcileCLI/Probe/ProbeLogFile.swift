import DNSReconcileCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--log FILE`: one JSON object per round, appended as the round ends, so `tail -f` follows a
/// drill and an interrupted probe loses nothing.
final class ProbeLogFile {
    let path: String
    private let fd: Int32

    init(path: String) throws(DNSReconcileError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DNSReconcileError(.io, "--log \(path): cannot open the file for appending", cause: FileSystem.errnoText())
        }
        self.path = path
        self.fd = fd
    }

    deinit { close(fd) }

    /// Appends `line` and a newline in one `write`, so concurrent writers never interleave
    /// within a line. A failed write is reported once by the caller, not per round.
    func append(_ line: String) -> Bool {
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }
}
