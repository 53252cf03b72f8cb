import DNSReconcileCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the CLI needs besides config loading, as throwing `.io` errors.
enum FileSystem {
    static func errnoText(_ code: Int32 = errno) -> String {
        String(cString: strerror(code))
    }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let parent = String(path[..<slash])
        return parent.isEmpty ? "/" : parent
    }

    static func exists(_ path: String) -> Bool { access(path, F_OK) == 0 }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// `mkdir -p`.
    static func createDirectories(_ path: String, mode: mode_t = 0o755) throws(DNSReconcileError) {
        if path.isEmpty || isDirectory(path) { return }
        let parent = parent(of: path)
        if parent != path { try createDirectories(parent, mode: mode) }
        if mkdir(path, mode) != 0 && errno != EEXIST {
            throw DNSReconcileError(.io, "cannot create the directory \(path)", cause: errnoText())
        }
    }

    /// The file's bytes as UTF-8 text; nil when it does not exist or cannot be read.
    static func readText(_ path: String) -> String? {
        readBytes(path).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Replaces `path` atomically: writes `temporaryPath` (same directory, so `rename(2)` never
    /// crosses file systems), syncs it, then renames it over `path`. A reader sees the old file
    /// or the new one, never a half-written one.
    static func writeAtomically(_ text: String, to path: String, temporaryPath: String,
                                mode: mode_t = 0o644) throws(DNSReconcileError) {
        let fd = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw DNSReconcileError(.io, "cannot create \(temporaryPath)", cause: errnoText())
        }
        let bytes = Array(text.utf8)
        var offset = 0
        var failure: Int32?
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            offset += written
        }
        // The umask may have narrowed the mode; node_exporter often runs as another user.
        if failure == nil, fchmod(fd, mode) != 0 { failure = errno }
        if failure == nil, fsync(fd) != 0 { failure = errno }
        close(fd)
        if let failure {
            unlink(temporaryPath)
            throw DNSReconcileError(.io, "cannot write \(temporaryPath)", cause: errnoText(failure))
        }
        if rename(temporaryPath, path) != 0 {
            let code = errno
            unlink(temporaryPath)
            throw DNSReconcileError(.io, "cannot rename \(temporaryPath) to \(path)", cause: errnoText(code))
        }
    }
}

extension FileSystem {
    /// The file's bytes; nil when it cannot be read (errno says why).
    static func readBytes(_ path: String) -> [UInt8]? {
        try? contents(of: path).get()
    }

    /// The file's bytes, or the errno of the call that failed. The buffer is sized from `fstat`:
    /// a JSON cluster file of 50,000 endpoints is about 5 MB, and an array grown chunk by chunk would
    /// hold up to twice that at the start of a pass.
    static func contents(of path: String) -> Result<[UInt8], ErrnoCode> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ErrnoCode(errno)) }
        defer { close(fd) }
        var info = stat()
        // Only a hint: a regular file may change while it is read, and other files have no size.
        let expected = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        var failure: Int32 = 0
        // One byte more than expected: finding the end of the file there proves the size right.
        var bytes = [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, initialized in
            initialized = fill(buffer, from: fd, failure: &failure)
        }
        if failure == 0, bytes.count > expected {
            // The file has grown since, or has no size: the rest in chunks.
            var chunk = [UInt8](repeating: 0, count: 65536)
            var count = chunk.count
            while failure == 0, count == chunk.count {
                count = chunk.withUnsafeMutableBufferPointer { fill($0, from: fd, failure: &failure) }
                bytes += chunk[0..<count]
            }
        }
        return failure == 0 ? .success(bytes) : .failure(ErrnoCode(failure))
    }

    /// `body` with `path` open for reading; an error when it cannot be opened.
    static func withOpenFile<T>(_ path: String, _ body: (Int32) -> T) -> Result<T, ErrnoCode> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(ErrnoCode(errno)) }
        defer { close(fd) }
        return .success(body(fd))
    }

    /// Appends at most `count` more bytes from `fd` to `buffer`; how many (0 at the end).
    static func readMore(_ fd: Int32, into buffer: inout [UInt8], count: Int) -> Result<Int, ErrnoCode> {
        let start = buffer.count
        var failure: Int32 = 0
        buffer.append(contentsOf: repeatElement(0, count: count))
        let filled = buffer.withUnsafeMutableBufferPointer { all in
            fill(UnsafeMutableBufferPointer(rebasing: all[start...]), from: fd, failure: &failure)
        }
        buffer.removeLast(count - filled)
        return failure == 0 ? .success(filled) : .failure(ErrnoCode(failure))
    }

    /// The bytes of `fd` from `offset` to the first line break after it (included) or the end.
    static func line(of fd: Int32, at offset: Int) -> [UInt8]? {
        var line: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 256)
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(offset + line.count)) }
            if count < 0 {
                if errno == EINTR { continue }
                return nil
            }
            let piece = chunk[0..<count]
            if let end = piece.firstIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) {
                return line + chunk[0...end]
            }
            line += piece
            if count == 0 { return line }
        }
    }

    /// Reads until `buffer` is full or the file ends; the number of bytes read.
    private static func fill(_ buffer: UnsafeMutableBufferPointer<UInt8>, from fd: Int32, failure: inout Int32) -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
                break
            }
            filled += count
        }
        return filled
    }

    /// An `errno` value as an error.
    struct ErrnoCode: Error {
        let code: Int32
        init(_ code: Int32) { self.code = code }
    }
}
