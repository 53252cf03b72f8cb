import DNSReconcileCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The lock that keeps two passes from overlapping: `flock(2)` on a file, held until the
/// process exits (the kernel releases it even after a crash, so a stale file never blocks).
final class PassLock {
    let path: String
    private var descriptor: Int32

    /// The default lock path of CONTRACT §2: `$RUNTIME_DIRECTORY` (systemd's `RuntimeDirectory=`;
    /// the first entry when it lists several), then `$XDG_RUNTIME_DIR`, then /run/dnsreconcile.
    static func defaultPath(environment: [String: String]) -> String {
        if let runtime = environment["RUNTIME_DIRECTORY"]?.split(separator: ":").first, !runtime.isEmpty {
            return "\(runtime)/dnsreconcile.lock"
        }
        if let xdg = environment["XDG_RUNTIME_DIR"], !xdg.isEmpty {
            return "\(xdg)/dnsreconcile.lock"
        }
        return "/run/dnsreconcile/dnsreconcile.lock"
    }

    /// Takes the lock without waiting; `.lockHeld` when another process has it.
    init(path: String) throws(DNSReconcileError) {
        self.path = path
        try FileSystem.createDirectories(FileSystem.parent(of: path))
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw DNSReconcileError(.io, "cannot open the lock file \(path)", cause: FileSystem.errnoText())
        }
        while flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            if code == EINTR { continue }
            close(fd)
            if code == EWOULDBLOCK {
                throw DNSReconcileError(.lockHeld, "another pass holds the lock \(path); nothing was done")
            }
            throw DNSReconcileError(.io, "cannot lock \(path)", cause: FileSystem.errnoText(code))
        }
        descriptor = fd
        // The holder's pid helps whoever finds the lock held; failing to write it is harmless.
        if ftruncate(fd, 0) == 0 {
            let pid = Array("\(getpid())\n".utf8)
            _ = pid.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        }
    }

    func release() {
        guard descriptor >= 0 else { return }
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
