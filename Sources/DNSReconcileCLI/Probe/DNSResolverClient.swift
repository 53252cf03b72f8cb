import DNSReconcileCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Asks one DNS server directly: one query over UDP, the same again over TCP when the answer
/// comes back truncated (RFC 7766 §5).
///
/// Every query uses a fresh socket (so a fresh source port) and a random id. The UDP socket is
/// connected to the server, so the kernel only hands over datagrams from that address and port;
/// a datagram that is not the answer to this query (another id or question) is ignored, as a
/// stub resolver does, and the wait goes on until the deadline.
final class DNSResolverClient {
    /// The decoded answer, the bytes it came in, and `udp` or `tcp`.
    struct Answer {
        var message: DNSMessage
        var bytes: [UInt8]
        var transport: String
    }

    let server: ResolverAddress
    /// Seconds for the whole exchange, a TCP retry included.
    let timeout: Double
    let ednsPayloadSize: UInt16?
    private let time: TimeSource
    private let nextID: () -> UInt16

    init(server: ResolverAddress, timeout: Double, time: TimeSource,
         ednsPayloadSize: UInt16? = DNSMessage.defaultEDNSPayloadSize,
         nextID: @escaping () -> UInt16 = { UInt16.random(in: .min ... .max) }) {
        self.server = server
        self.timeout = timeout
        self.time = time
        self.ednsPayloadSize = ednsPayloadSize
        self.nextID = nextID
    }

    func query(name: String, type: DNSType) throws(DNSReconcileError) -> Answer {
        let deadline = time.monotonicNow() + timeout
        let id = nextID()
        let query = try DNSMessage.query(id: id, name: name, type: type, ednsPayloadSize: ednsPayloadSize)
        let udp = try exchangeUDP(query, id: id, name: name, type: type, deadline: deadline)
        guard udp.message.isTruncated else { return udp }
        return try exchangeTCP(query, id: id, name: name, type: type, deadline: deadline)
    }

    // MARK: - UDP

    private func exchangeUDP(_ query: [UInt8], id: UInt16, name: String, type: DNSType,
                             deadline: Double) throws(DNSReconcileError) -> Answer {
        let fd = try openSocket(datagram: true)
        defer { close(fd) }
        try connectSocket(fd, deadline: deadline)
        let sent = query.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
        guard sent == query.count else { throw networkError("cannot send the query", errno) }
        var buffer = [UInt8](repeating: 0, count: 65535)
        while true {
            try wait(fd, for: Int16(POLLIN), deadline: deadline)
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw networkError("no answer", errno)
            }
            let bytes = Array(buffer[0..<count])
            let message: DNSMessage
            do {
                message = try DNSMessage(decoding: bytes)
            } catch {
                // Garbage that does not even carry our id is someone else's packet.
                guard count >= 2, UInt16(bytes[0]) << 8 | UInt16(bytes[1]) == id else { continue }
                throw DNSReconcileError(.dnsMessage, "the answer from \(server) does not decode: \(error.message)")
            }
            guard message.answers(id: id, name: name, type: type) else { continue }
            return Answer(message: message, bytes: bytes, transport: "udp")
        }
    }

    // MARK: - TCP

    private func exchangeTCP(_ query: [UInt8], id: UInt16, name: String, type: DNSType,
                             deadline: Double) throws(DNSReconcileError) -> Answer {
        let fd = try openSocket(datagram: false)
        defer { close(fd) }
        try connectSocket(fd, deadline: deadline)
        try writeAll(fd, [UInt8(query.count >> 8), UInt8(query.count & 0xFF)] + query, deadline: deadline)
        let prefix = try readExactly(fd, 2, deadline: deadline)
        let length = Int(prefix[0]) << 8 | Int(prefix[1])
        let bytes = try readExactly(fd, length, deadline: deadline)
        let message: DNSMessage
        do {
            message = try DNSMessage(decoding: bytes)
        } catch {
            throw DNSReconcileError(.dnsMessage, "the TCP answer from \(server) does not decode: \(error.message)")
        }
        guard message.answers(id: id, name: name, type: type) else {
            throw DNSReconcileError(.dnsMessage, "the TCP answer from \(server) is not the answer to the query "
                                        + "(other id or question)")
        }
        return Answer(message: message, bytes: bytes, transport: "tcp")
    }

    private func writeAll(_ fd: Int32, _ bytes: [UInt8], deadline: Double) throws(DNSReconcileError) {
        var offset = 0
        while offset < bytes.count {
            try wait(fd, for: Int16(POLLOUT), deadline: deadline)
            let written = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw networkError("cannot send the query over TCP", errno)
            }
            offset += written
        }
    }

    private func readExactly(_ fd: Int32, _ count: Int, deadline: Double) throws(DNSReconcileError) -> [UInt8] {
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: max(count, 1))
        while bytes.count < count {
            try wait(fd, for: Int16(POLLIN), deadline: deadline)
            let received = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, count - bytes.count, 0) }
            if received < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                throw networkError("the TCP answer failed", errno)
            }
            guard received > 0 else {
                throw DNSReconcileError(.dnsMessage, "\(server) closed the TCP connection after \(bytes.count) of "
                                            + "\(count) bytes")
            }
            bytes += buffer[0..<received]
        }
        return bytes
    }

    // MARK: - Sockets

    private func openSocket(datagram: Bool) throws(DNSReconcileError) -> Int32 {
        #if canImport(Glibc)
        let kind = Int32(datagram ? SOCK_DGRAM.rawValue : SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue)
        #else
        let kind = datagram ? SOCK_DGRAM : SOCK_STREAM
        #endif
        let fd = socket(server.isIPv6 ? AF_INET6 : AF_INET, kind, 0)
        guard fd >= 0 else { throw networkError("cannot open a socket", errno) }
        // Non-blocking, so a TCP connect and every read and write wait in poll with the deadline.
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    private func connectSocket(_ fd: Int32, deadline: Double) throws(DNSReconcileError) {
        var storage = sockaddr_storage()
        let length: socklen_t
        if server.isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = server.port.bigEndian
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: server.addressBytes) }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in6.self) }
            length = socklen_t(MemoryLayout<sockaddr_in6>.size)
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = server.port.bigEndian
            withUnsafeMutableBytes(of: &address.sin_addr) { $0.copyBytes(from: server.addressBytes) }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: address, as: sockaddr_in.self) }
            length = socklen_t(MemoryLayout<sockaddr_in>.size)
        }
        let result = withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, length) }
        }
        if result == 0 { return }
        guard errno == EINPROGRESS else { throw networkError("cannot connect", errno) }
        try wait(fd, for: Int16(POLLOUT), deadline: deadline)
        var failure: Int32 = 0
        var size = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &size)
        if failure != 0 { throw networkError("cannot connect over TCP", failure) }
    }

    /// Waits until `fd` is ready for `events`; `.timeout` at the deadline. An error condition
    /// (a UDP socket's ICMP port unreachable) also counts as ready: the next call reports it.
    private func wait(_ fd: Int32, for events: Int16, deadline: Double) throws(DNSReconcileError) {
        while true {
            let left = deadline - time.monotonicNow()
            guard left > 0 else {
                throw DNSReconcileError(.timeout, "no DNS answer from \(server) within "
                                            + "\(DNSResolverClient.seconds(timeout)) s")
            }
            var entry = pollfd(fd: fd, events: events, revents: 0)
            let ready = poll(&entry, 1, Int32(min(left * 1000, 60_000).rounded(.up)))
            if ready > 0 { return }
            if ready < 0 && errno != EINTR { throw networkError("poll failed", errno) }
        }
    }

    private func networkError(_ what: String, _ code: Int32) -> DNSReconcileError {
        let advice = code == ECONNREFUSED ? " (nothing listens there: check --resolver)" : ""
        return DNSReconcileError(.transport, "DNS query to \(server): \(what)\(advice)",
                                 cause: String(cString: strerror(code)))
    }

    private static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}
