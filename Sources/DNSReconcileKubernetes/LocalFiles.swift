import DNSReconcileCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file reads of the Kubernetes sources (kubeconfig, service-account token and CA,
/// manifests), as located `.source` errors.
enum LocalFiles {
    /// Refuse to read anything larger: no kubeconfig, token or manifest comes near it.
    static let sizeLimit = 64 << 20

    /// The file's bytes, or an error that names the file and the system's reason.
    static func read(_ path: String, what: String) throws(DNSReconcileError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw DNSReconcileError(.source, "cannot read \(what) \(path)", cause: errnoText())
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw DNSReconcileError(.source, "cannot read \(what) \(path)", cause: errnoText())
            }
            bytes += buffer[0..<count]
            if bytes.count > sizeLimit {
                throw DNSReconcileError(.source, "\(what) \(path) is larger than \(sizeLimit >> 20) MiB; refusing it")
            }
        }
        return bytes
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func errnoText(_ code: Int32 = errno) -> String { String(cString: strerror(code)) }

    /// The directory part of `path` (`.` when there is none).
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    /// `path` if absolute, else `directory/path`, with `.` and `..` segments folded away
    /// (`/etc/x/conf.d/../k.yaml` is `/etc/x/k.yaml`) so messages show a plain path.
    static func resolve(_ path: String, relativeTo directory: String) -> String {
        // `~/…` is the home directory's (glob expands it), not a name below `directory`.
        if path.hasPrefix("~") { return path }
        if path.hasPrefix("/") || path.isEmpty { return normalized(path) }
        return normalized(directory == "." ? path : directory + "/" + path)
    }

    static func normalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var segments: [Substring] = []
        for segment in path.split(separator: "/") where segment != "." {
            if segment == "..", let last = segments.last, last != ".." {
                segments.removeLast()
            } else if segment == "..", absolute {
                continue
            } else {
                segments.append(segment)
            }
        }
        let joined = segments.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    /// Paths matching a glob(3) pattern (`*`, `?`, `[...]`, `{a,b}`), sorted; a pattern without
    /// wildcards comes back as itself only when the file exists.
    static func glob(_ pattern: String) throws(DNSReconcileError) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        let status = Glibc.glob(pattern, GLOB_BRACE | GLOB_TILDE, nil, &result)
        switch status {
        case 0:
            var paths: [String] = []
            for index in 0..<Int(result.gl_pathc) {
                if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
            }
            return paths.sorted()
        case GLOB_NOMATCH:
            return []
        default:
            throw DNSReconcileError(.source, "cannot expand the manifest pattern \(pattern)",
                                    cause: status == GLOB_ABORTED ? "a directory cannot be read" : "glob error \(status)")
        }
    }
}
