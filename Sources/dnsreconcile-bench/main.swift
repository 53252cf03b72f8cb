// In-process micro-benchmark of the CPU-bound part of a pass: loading a cluster file of N static
// endpoints, listing a zone of N record sets (plus companions and foreign sets) through
// `Route53Client` and the XML parser (the network replaced by an in-memory transport that serves
// real Route53 page bodies), the registry's inventory, the planner (no-op and changed plans) and
// the batcher, and last the same cluster file in JSON. Prints seconds per phase and the resident
// set (the loading phases also the heap the endpoints keep); asserts nothing.
//
//     swift run -c release dnsreconcile-bench [N ...]      default: 1000 10000 50000
//
// DNSRECONCILE_BENCH_ONLY=load runs only the loading phases (INI and JSON).
//
// Not a test: timings depend on the machine. bench/run.sh measures the real binary end to end.

import DNSReconcileCore
import DNSReconcileRoute53
#if canImport(Glibc)
import Glibc
#endif

let zone = HostedZone(id: "ZBENCH", name: "bench.example")
let managedTypes: [RecordType] = [.a, .aaaa, .cname, .txt, .mx]

/// Seconds on the monotonic clock.
func monotonic() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

/// Resident set now and at its peak, in MiB.
func residentMiB() -> (now: Double, peak: Double) {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    var now = 0.0
    if let file = fopen("/proc/self/statm", "r") {
        var line = [CChar](repeating: 0, count: 128)
        if fgets(&line, Int32(line.count), file) != nil {
            let text = line.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            let fields = text.split(separator: " ")
            if fields.count > 1, let pages = Double(fields[1]) { now = pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576 }
        }
        fclose(file)
    }
    return (now, Double(usage.ru_maxrss) / 1024)
}

/// Starts a new peak of the resident set at the current size (Linux: clear_refs 5), so that
/// the next phase's peak is its own rather than an earlier phase's.
func resetPeak() {
    if let file = fopen("/proc/self/clear_refs", "w") {
        fputs("5", file)
        fclose(file)
    }
}

/// Bytes the allocator has handed out and not had back, in MiB (from glibc's malloc_info): what
/// a phase keeps, apart from the freed memory the allocator holds on to, which the resident set
/// still counts. nil where malloc_info is not available.
func heapInUseMiB() -> Double? {
    typealias MallocInfo = @convention(c) (Int32, UnsafeMutablePointer<FILE>?) -> Int32
    guard let symbol = dlsym(nil, "malloc_info") else { return nil }
    let mallocInfo = unsafeBitCast(symbol, to: MallocInfo.self)
    var buffer: UnsafeMutablePointer<CChar>?
    var length = 0
    guard let stream = open_memstream(&buffer, &length) else { return nil }
    _ = mallocInfo(0, stream)
    fclose(stream)
    guard let buffer else { return nil }
    defer { free(buffer) }
    let xml = String(cString: buffer)
    /// The size of the last element that starts with `prefix` (the totals follow the arenas).
    func lastSize(_ prefix: String) -> Double? {
        guard let line = xml.split(separator: "\n").last(where: { $0.hasPrefix(prefix) }),
              let start = line.firstRange(of: "size=\"")?.upperBound else { return nil }
        return Double(line[start...].prefix { $0.isNumber })
    }
    guard let system = lastSize("<system type=\"current\""), let fast = lastSize("<total type=\"fast\""),
          let rest = lastSize("<total type=\"rest\""), let mmapped = lastSize("<total type=\"mmap\"") else { return nil }
    return (system + mmapped - fast - rest) / 1_048_576
}

/// The endpoints' share of the heap, as a line of the report.
func heapLine(since before: Double?) -> String {
    guard let before, let after = heapInUseMiB() else { return "    (heap in use: not available)" }
    return "    heap in use " + String(format1: before) + " -> " + String(format1: after) + " MiB (the endpoints: "
        + String(format1: after - before) + " MiB)"
}

/// User + system CPU seconds of this process so far.
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
        + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
}

/// Runs `body` once and prints the CPU and wall time it took (CPU is what counts on a shared
/// machine) and the resident set after it.
func phase<T>(_ label: String, _ body: () throws -> T) rethrows -> T {
    let started = monotonic(), cpuStarted = cpuSeconds()
    let result = try body()
    let cpu = cpuSeconds() - cpuStarted, wall = monotonic() - started
    let memory = residentMiB()
    print("  " + label.padding(to: 44) + String(format3: cpu) + " s CPU  " + String(format3: wall) + " s wall   RSS "
          + String(format1: memory.now) + " MiB (peak " + String(format1: memory.peak) + ")")
    return result
}

extension String {
    init(format3 value: Double) {
        let scaled = Int((value * 1000).rounded())
        let fraction = String(scaled % 1000)
        self = "\(scaled / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }

    init(format1 value: Double) {
        let scaled = Int((value * 10).rounded())
        self = "\(scaled / 10).\(scaled % 10)"
    }

    func padding(to width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}

// MARK: - The workload (the same mix as bench/workload.py)

func isUpdated(_ i: Int) -> Bool { (i &* 2_654_435_761) % 100 < 5 }
func isDeleted(_ i: Int) -> Bool { (i &* 40503) % 100 == 50 }

/// The `[endpoint]` keys of endpoint `i` with their values as written in INI; nil when the
/// changed workload drops it.
func workloadEndpoint(_ i: Int, changed: Bool) -> [(key: String, value: String)]? {
    if changed && isDeleted(i) { return nil }
    let bump = changed && isUpdated(i) ? 1 : 0
    let group = "g\(i % 64).\(zone.name.value)"
    switch i % 20 {
    case 0..<8:
        var targets = "10.\((i >> 16) & 255).\((i >> 8) & 255).\((i + bump) & 255)"
        if i % 3 == 0 { targets += ", 10.200.\((i >> 8) & 255).\(i & 255)" }
        return [("name", "a\(i).\(group)"), ("targets", targets)]
    case 8..<11:
        return [("name", "aaaa\(i).\(group)"), ("type", "AAAA"),
                ("targets", "2001:db8:\(String(bump, radix: 16))::\(String(i, radix: 16))")]
    case 11..<14:
        return [("name", "c\(i).\(group)"), ("type", "CNAME"), ("targets", "lb\(i + bump * 7).targets.example.net")]
    case 14..<16:
        return [("name", "t\(i).\(group)"), ("type", "TXT"), ("targets", "\"\\\"bench text \(i) rev \(bump)\\\"\"")]
    case 16..<18:
        return [("name", "m\(i).\(group)"), ("type", "MX"), ("targets", "\(10 + bump) mx\(i).example.net")]
    case 18:
        return [("name", "w\(i / 40).g\((i / 40) % 64).\(zone.name.value)"),
                ("targets", "10.100.\((i >> 8) & 255).\(i & 255)"), ("set-identifier", "w\(i)"),
                ("aws-weight", "\(10 + bump)")]
    default:
        let region = (i / 20) % 2 == 0 ? "us-east-1" : "eu-west-1"
        return [("name", "l\(i / 40).g\((i / 40) % 64).\(zone.name.value)"),
                ("targets", "10.150.\((i >> 8) & 255).\((i + bump) & 255)"), ("set-identifier", "l\(i)"),
                ("aws-region", region)]
    }
}

/// The cluster file of `size` endpoints; `changed` updates ~5 % and drops ~1 %.
func clusterFile(size: Int, changed: Bool) -> String {
    var text = """
        [cluster]
        name = bench
        owner-id = bench

        [registry]
        managed-record-types = A, AAAA, CNAME, TXT, MX

        [provider "route53"]
        domain-filter = \(zone.name.value)


        """
    for i in 0..<size {
        guard let entries = workloadEndpoint(i, changed: changed) else { continue }
        text += "[endpoint \"e\(i)\"]\n"
        for (key, value) in entries { text += "\(key) = \(value)\n" }
        text += "\n"
    }
    return text
}

/// The text of a double-quoted INI value without its `\\` escapes.
func unescaped(_ text: Substring) -> String {
    var out = ""
    var escaped = false
    for character in text {
        if character == "\\" && !escaped {
            escaped = true
            continue
        }
        escaped = false
        out.append(character)
    }
    return out
}

/// The same cluster as `clusterFile`, in JSON: one member per endpoint, targets as arrays.
func clusterJSON(size: Int, changed: Bool) -> String {
    func quoted(_ text: String) -> String {
        var out = "\""
        for character in text {
            if character == "\"" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out + "\""
    }
    var text = """
        {
          "cluster": {"name": "bench", "owner-id": "bench"},
          "registry": {"managed-record-types": ["A", "AAAA", "CNAME", "TXT", "MX"]},
          "provider": {"route53": {"domain-filter": [\(quoted(zone.name.value))]}},
          "endpoint": {
        """
    var first = true
    for i in 0..<size {
        guard let entries = workloadEndpoint(i, changed: changed) else { continue }
        text += (first ? "\n" : ",\n") + "    \"e\(i)\": {"
        first = false
        for (index, (key, value)) in entries.enumerated() {
            text += (index == 0 ? "" : ", ") + quoted(key) + ": "
            guard key == "targets" else {
                text += quoted(value)
                continue
            }
            // INI list items: comma-separated, or one double-quoted item with \" escapes.
            let items = value.hasPrefix("\"")
                ? [unescaped(value.dropFirst().dropLast())]
                : value.split(separator: ",").map { String($0.drop { $0 == " " }) }
            text += "[" + items.map(quoted).joined(separator: ", ") + "]"
        }
        text += "}"
    }
    return text + "\n  }\n}\n"
}

/// Foreign record sets: N/20 without an owner.
func foreignSets(size: Int) -> [RecordSet] {
    (0..<(size / 20)).map { i in
        RecordSet(name: DNSName("f\(i).g\(i % 64).\(zone.name.value)"), type: .a, ttl: 300, values: ["192.0.2.\(i % 250 + 1)"])
    }
}

// MARK: - Route53 pages served from memory

/// Serves ListResourceRecordSets pages of a fixed zone, as Route53 would, by cursor.
final class PageTransport: HTTPTransport {
    private var pages: [String: [UInt8]] = [:]
    private(set) var requests = 0

    init(zone sets: [RecordSet]) {
        let sorted = sets.sorted { $0.key < $1.key }
        var start = 0
        var cursor = ""
        while start < sorted.count {
            let end = min(start + 300, sorted.count)
            var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>"
            for set in sorted[start..<end] { xml += PageTransport.xml(set) }
            xml += "</ResourceRecordSets>"
            if end < sorted.count {
                let next = sorted[end]
                xml += "<IsTruncated>true</IsTruncated><NextRecordName>\(next.name.route53Wire)</NextRecordName><NextRecordType>\(next.type)</NextRecordType>"
                if let id = next.setIdentifier { xml += "<NextRecordIdentifier>\(id)</NextRecordIdentifier>" }
            } else {
                xml += "<IsTruncated>false</IsTruncated>"
            }
            xml += "<MaxItems>300</MaxItems></ListResourceRecordSetsResponse>"
            pages[cursor] = Array(xml.utf8)
            if end < sorted.count {
                let next = sorted[end]
                cursor = "\(next.name.route53Wire)|\(next.type)|\(next.setIdentifier ?? "")"
            }
            start = end
        }
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(character)
            }
        }
        return out
    }

    static func xml(_ set: RecordSet) -> String {
        var xml = "<ResourceRecordSet><Name>\(set.name.route53Wire)</Name><Type>\(set.type)</Type>"
        if let id = set.setIdentifier { xml += "<SetIdentifier>\(escape(id))</SetIdentifier>" }
        switch set.routing {
        case .weighted(let weight): xml += "<Weight>\(weight)</Weight>"
        case .latency(let region): xml += "<Region>\(region)</Region>"
        default: break
        }
        if let ttl = set.ttl { xml += "<TTL>\(ttl)</TTL>" }
        xml += "<ResourceRecords>"
        for value in set.values { xml += "<ResourceRecord><Value>\(escape(value))</Value></ResourceRecord>" }
        return xml + "</ResourceRecords></ResourceRecordSet>"
    }

    func send(_ request: HTTPRequest) throws(DNSReconcileError) -> HTTPResponse {
        requests += 1
        var name = "", type = "", identifier = ""
        if let query = request.url.split(separator: "?", maxSplits: 1).dropFirst().first {
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let value = parts.count > 1 ? PageTransport.percentDecoded(parts[1]) : ""
                switch parts[0] {
                case "name": name = value
                case "type": type = value
                case "identifier": identifier = value
                default: break
                }
            }
        }
        let key = name.isEmpty ? "" : "\(name)|\(type)|\(identifier)"
        guard let page = pages[key] else { return HTTPResponse(status: 400, body: Array("no page \(key)".utf8)) }
        return HTTPResponse(status: 200, body: page)
    }

    static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
               let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16) {
                bytes.append(value)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

// MARK: - Main

func endpoints(_ text: String, file: String = "bench.ini") -> [Endpoint] {
    switch ClusterConfig.load(file: file, text: text) {
    case .success(let config): return config.endpoints
    case .failure(let errors):
        print("config errors: \(errors)")
        exit(1)
    }
}

func run(size: Int) throws {
    print("\(size) endpoints")
    let initialText = clusterFile(size: size, changed: false)
    let changedText = clusterFile(size: size, changed: true)
    resetPeak()
    let heapBefore = heapInUseMiB()
    print("  RSS before loading " + String(format1: residentMiB().now) + " MiB")
    let desired = phase("load the cluster file (\(initialText.utf8.count / 1024) KiB)") { endpoints(initialText) }
    print(heapLine(since: heapBefore))
    let changed = endpoints(changedText)
    // DNSRECONCILE_BENCH_ONLY=load: only the loading phases (INI, then JSON).
    let onlyLoad = getenv("DNSRECONCILE_BENCH_ONLY").map { String(cString: $0) } == "load"
    if onlyLoad {
        repeatPhase(["load"]) { _ = endpoints(initialText) }
        try loadJSON(size: size, desired: desired)
        return
    }

    let registry = TXTRegistry(ownerID: "bench", managedTypes: Set(managedTypes))
    let planner = Planner(policy: .sync, managedTypes: Set(managedTypes), registry: registry,
                          domainFilter: DomainFilter([zone.name.value]))
    let empty = registry.inventory(of: [], in: zone)
    let initialPlan = phase("plan against the empty zone (creates)") { planner.plan(desired: desired, held: [], inventory: empty) }
    let initialBatches = try phase("batch \(initialPlan.changes.count) creates") { try Batcher().batches(for: initialPlan) }
    let units = Batcher.cost(of: initialPlan.changes)
    print("    \(initialBatches.count) batches for \(units.records) records, \(units.characters) characters")

    var sets = initialPlan.changes.flatMap(\.changes).map(\.recordSet) + foreignSets(size: size)
    sets.append(RecordSet(name: zone.name, type: .ns, ttl: 172800, values: ["ns-1.awsdns-1.com."]))
    sets.append(RecordSet(name: zone.name, type: .soa, ttl: 900, values: ["ns-1.awsdns-1.com. hostmaster.example.com. 1 7200 900 1209600 86400"]))
    let transport = PageTransport(zone: sets)
    let setCount = sets.count
    sets = []

    let client = Route53Client(endpoint: "https://route53.amazonaws.com", transport: transport,
                               signer: SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret")),
                               limiter: TokenBucket(ratePerSecond: 1e9, burst: 1e9, time: SystemTimeSource()),
                               time: SystemTimeSource())
    let listed = try phase("list \(setCount) record sets (pages parsed)") { try client.listRecordSets(in: zone, subtree: nil) }
    print("    \(transport.requests) pages")
    let inventory = phase("registry inventory") { registry.inventory(of: listed, in: zone) }
    let noop = phase("plan, nothing changed") { planner.plan(desired: desired, held: [], inventory: inventory) }
    // For a profiler: DNSRECONCILE_BENCH_REPEAT=N repeats DNSRECONCILE_BENCH_PHASE (list,
    // inventory or plan; default plan; load and load-json with the loading phases) N more times.
    let which = getenv("DNSRECONCILE_BENCH_PHASE").map { String(cString: $0) } ?? "plan"
    if let repeats = getenv("DNSRECONCILE_BENCH_REPEAT").flatMap({ Int(String(cString: $0)) }), repeats > 0,
       !which.hasPrefix("load") {
        try phase("\(which), \(repeats) more times") {
            for _ in 0..<repeats {
                switch which {
                case "list": _ = try client.listRecordSets(in: zone, subtree: nil)
                case "inventory": _ = registry.inventory(of: listed, in: zone)
                default: _ = planner.plan(desired: desired, held: [], inventory: inventory)
                }
            }
        }
    }
    print("    \(noop.changes.count) changes, \(noop.notices.count) notices")
    // What `run` does for a zone only one cluster uses: the listing judged page by page.
    for (label, wanted) in [("nothing changed", desired), ("~5 % updated and ~1 % deleted", changed)] {
        let outcome = try phase("list page by page and set aside, \(label)") { () throws(DNSReconcileError) in
            var filter = SteadyState(planner: planner, zone: zone, desired: wanted, held: [])!
            try client.listRecordSets(in: zone, subtree: nil) { page in filter.take(page) }
            return filter.finish()
        }
        let rest = phase("inventory and plan of the rest") {
            planner.plan(desired: outcome.desired, held: [], inventory: registry.inventory(of: outcome.recordSets, in: zone))
        }
        print("    \(outcome.settledRecords) set aside, \(outcome.desired.count) endpoints and \(outcome.recordSets.count) record sets "
              + "planned: \(rest.changes.count) changes, \(rest.notices.count) notices")
    }
    let changedPlan = phase("plan, ~5 % updated and ~1 % deleted") { planner.plan(desired: changed, held: [], inventory: inventory) }
    let batches = try phase("batch \(changedPlan.changes.count) changes") { try Batcher().batches(for: changedPlan) }
    let cost = Batcher.cost(of: changedPlan.changes)
    print("    \(batches.count) batches for \(cost.records) records, \(cost.characters) characters")
    try loadJSON(size: size, desired: desired)
}

/// Loads the same cluster from a JSON file (its own peak) and checks it gives the same endpoints
/// as the INI file, apart from where each was declared.
func loadJSON(size: Int, desired: [Endpoint]) throws {
    let text = clusterJSON(size: size, changed: false)
    resetPeak()
    let heapBefore = heapInUseMiB()
    print("  RSS before loading " + String(format1: residentMiB().now) + " MiB")
    let loaded = phase("load the cluster file as JSON (\(text.utf8.count / 1024) KiB)") { endpoints(text, file: "bench.json") }
    print(heapLine(since: heapBefore))
    let same = loaded.count == desired.count && zip(loaded, desired).allSatisfy { json, ini in
        var json = json
        json.origin = ini.origin
        return json == ini
    }
    print("    " + (same ? "the same endpoints as the INI file" : "NOT the same endpoints as the INI file"))
    repeatPhase(["load-json"]) { _ = endpoints(text, file: "bench.json") }
}

/// For a profiler: when DNSRECONCILE_BENCH_PHASE is one of `names`, runs `body`
/// DNSRECONCILE_BENCH_REPEAT more times.
func repeatPhase(_ names: [String], _ body: () throws -> Void) rethrows {
    guard let repeats = getenv("DNSRECONCILE_BENCH_REPEAT").flatMap({ Int(String(cString: $0)) }), repeats > 0,
          let which = getenv("DNSRECONCILE_BENCH_PHASE").map({ String(cString: $0) }), names.contains(which) else { return }
    try phase("\(which), \(repeats) more times") {
        for _ in 0..<repeats { try body() }
    }
}

let sizes = CommandLine.arguments.dropFirst().compactMap { Int($0) }
do {
    for size in sizes.isEmpty ? [1000, 10000, 50000] : sizes { try run(size: size) }
} catch {
    print("failed: \(error)")
    exit(1)
}
