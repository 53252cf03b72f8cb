import DNSReconcileCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Warns about configured files holding secrets that every local user can read.
///
/// A warning, not an error: the pass still works, and refusing would take DNS updates down over
/// a mode bit. But a TXT encryption key or an AWS secret readable by any account on an edge host
/// is a leak waiting to happen, so `check-config` and every pass say so, with the line that
/// names the file and the command that fixes it.
enum SecretFileCheck {
    /// One `.configPermissions` warning per world-readable file; files that do not exist or
    /// cannot be inspected are left to whoever reads them (their error is clearer there).
    static func warnings(for cluster: ClusterConfig) -> [DNSReconcileError] {
        cluster.secretFiles.compactMap { reference in
            var info = stat()
            guard stat(reference.path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
            let mode = Int(info.st_mode & 0o777)
            guard mode & 0o004 != 0 else { return nil }
            return DNSReconcileError(
                .configPermissions,
                "\(reference.key): \(reference.path) holds \(reference.holds) but every user can read it (mode "
                    + octal(mode) + "); restrict it: chmod o-rwx \(reference.path) (e.g. 600, or 640 with the service's group)",
                location: reference.location)
        }
    }

    private static func octal(_ mode: Int) -> String {
        let text = String(mode, radix: 8)
        return String(repeating: "0", count: max(0, 4 - text.count)) + text
    }
}
