/// A desired DNS endpoint, as a source produced it: one name, one type, its targets and the
/// Route53 options the user asked for. The planner turns it into a `RecordSet`.
///
/// A value type that points at a record in a shared, compact pack: a large cluster declares
/// 50,000 endpoints and holds all of them for the whole pass, so sources put the endpoints
/// they read into packs of about 64 KiB (`Endpoint.Packer`). A record is its text (first label
/// of the name, targets, resource label, location) and its usual options (set identifier,
/// weight or region, health-check id, zone pin) as length-prefixed UTF-8 behind two bytes of
/// flags and type; what many endpoints of a pack share (the origin's file, the rest of the
/// name, the resource label's prefix) and the rare large options (alias, managed health
/// check, geo routing) sit in tables of the pack, which a record names by position. A typical
/// endpoint takes about 45 bytes there, against a block of 140 on its own. An endpoint made
/// on its own is a pack of one. Reading a text field decodes it; writing any field packs the
/// endpoint anew, alone, which only sources and the planner's few rewrites do.
///
/// `@unchecked Sendable`: a pack is never written once made, so values and threads that share
/// one only read it.
public struct Endpoint: Hashable, @unchecked Sendable {
    public var name: DNSName {
        get { pack.name(at: offset) }
        set { update { $0.name = newValue } }
    }
    public var type: RecordType {
        get { pack.type(at: offset) }
        set { rewrite { $1.type = newValue } }
    }
    /// IP addresses for A/AAAA, host names for CNAME (and alias targets), raw values otherwise.
    public var targets: [String] {
        get { pack.targets(at: offset) }
        set { update { $0.targets = newValue } }
    }
    /// nil: not configured; the record set gets `Endpoint.defaultTTL` and an existing TTL is kept.
    public var ttl: Int? {
        get { pack.ttl(at: offset) }
        set { rewrite { $1.ttl = newValue } }
    }
    public var setIdentifier: String? {
        get { pack.extras(at: offset)?.setIdentifier }
        set { updateExtras { $0.setIdentifier = newValue } }
    }
    public var routing: RoutingPolicy {
        get { pack.extras(at: offset)?.routing ?? .simple }
        set { updateExtras { $0.routing = newValue } }
    }
    public var healthCheckID: String? {
        get { pack.extras(at: offset)?.healthCheckID }
        set { updateExtras { $0.healthCheckID = newValue } }
    }
    /// Set when the endpoint is an alias record (`alias = true`).
    public var alias: AliasOptions? {
        get { pack.extras(at: offset)?.alias }
        set { updateExtras { $0.alias = newValue } }
    }
    /// A Route53 health check the tool should manage for this record set.
    public var healthCheck: HealthCheckSpec? {
        get { pack.extras(at: offset)?.healthCheck }
        set { updateExtras { $0.healthCheck = newValue } }
    }
    /// The ExternalDNS `resource` label of the object that asked for it (`service/ns/name`).
    public var resource: String? {
        get { pack.resource(at: offset) }
        set { update { $0.resource = newValue } }
    }
    /// Where it was declared, for messages.
    public var origin: SourceLocation? {
        get { pack.origin(at: offset) }
        set { update { $0.origin = newValue } }
    }
    /// Bare id of the hosted zone that must hold the record (`aws-hosted-zone-id`); nil: the
    /// longest matching zone. An endpoint pinned to a zone that is not managed is skipped.
    public var hostedZoneID: String? {
        get { pack.extras(at: offset)?.hostedZoneID }
        set { updateExtras { $0.hostedZoneID = newValue } }
    }

    private var pack: Pack
    /// Where the endpoint's record starts in `pack`.
    private var offset: UInt32

    public static let defaultTTL = 300

    public init(name: DNSName, type: RecordType, targets: [String], ttl: Int? = nil, setIdentifier: String? = nil,
                routing: RoutingPolicy = .simple, healthCheckID: String? = nil, alias: AliasOptions? = nil,
                healthCheck: HealthCheckSpec? = nil, resource: String? = nil, origin: SourceLocation? = nil,
                hostedZoneID: String? = nil) {
        let extras = Extras(setIdentifier: setIdentifier, routing: routing, healthCheckID: healthCheckID,
                            hostedZoneID: hostedZoneID, alias: alias, healthCheck: healthCheck)
        pack = Pack.single(Text(name: name, targets: targets, resource: resource, origin: origin),
                           Fixed(type: type, ttl: ttl, extras: extras))
        offset = 0
    }

    private init(pack: Pack, offset: UInt32) {
        self.pack = pack
        self.offset = offset
    }

    public var key: RecordKey {
        RecordKey(name: name, type: type, setIdentifier: setIdentifier)
    }

    /// Whether the endpoint's key is `key`, read in place: a lookup among 50,000 endpoints
    /// compares many keys, and making each would make its name.
    public func hasKey(_ key: RecordKey) -> Bool {
        pack.hasKey(key, at: offset)
    }

    /// Whether the endpoint has this name and type, whatever its set identifier.
    func has(name: DNSName, type: RecordType) -> Bool {
        pack.hasKey(RecordKey(name: name, type: type), at: offset, anySetIdentifier: true)
    }

    /// Whether the two are records of one pack.
    func sharesPack(with other: Endpoint) -> Bool { pack === other.pack }

    public static func == (lhs: Endpoint, rhs: Endpoint) -> Bool {
        (lhs.pack === rhs.pack && lhs.offset == rhs.offset)
            || lhs.pack.hasSameFields(at: lhs.offset, as: rhs.pack, at: rhs.offset)
    }

    public func hash(into hasher: inout Hasher) {
        pack.hash(at: offset, into: &hasher)
    }

    /// Packs the endpoint anew, alone, with some of its fields changed; a pack is never
    /// written once made, so copies may share one.
    private mutating func rewrite(_ change: (inout Text, inout Fixed) -> Void) {
        var text = pack.text(at: offset)
        var fixed = pack.fixed(at: offset)
        change(&text, &fixed)
        pack = Pack.single(text, fixed)
        offset = 0
    }

    private mutating func update(_ change: (inout Text) -> Void) {
        rewrite { text, _ in change(&text) }
    }

    private mutating func updateExtras(_ change: (inout Extras) -> Void) {
        rewrite { _, fixed in change(&fixed.extras) }
    }

    /// The fields that are not text, as plain values.
    private struct Fixed {
        var type: RecordType
        var ttl: Int?
        var extras: Extras
    }

    /// The fields kept as packed UTF-8.
    private struct Text {
        var name: DNSName
        var targets: [String]
        var resource: String?
        var origin: SourceLocation?
    }

    /// The options most endpoints leave unset.
    private struct Extras: Hashable {
        var setIdentifier: String?
        var routing: RoutingPolicy = .simple
        var healthCheckID: String?
        var hostedZoneID: String?
        var alias: AliasOptions?
        var healthCheck: HealthCheckSpec?

        var isEmpty: Bool { self == Extras() }

        /// Whether the record can hold them in its body: all but alias, health-check and geo
        /// options, which a pack keeps in its table.
        var fitsInBody: Bool {
            guard alias == nil, healthCheck == nil else { return false }
            switch routing {
            case .geolocation, .geoproximity: return false
            case .simple, .weighted, .latency, .failover, .multiValue: return true
            }
        }
    }

    /// How a record is laid out in a pack. Numbers are LEB128; a string is its UTF-8 length
    /// and bytes. The body is what two equal endpoints share byte for byte; the references
    /// after it are positions in the pack's tables, which differ from pack to pack.
    ///
    ///     body length
    ///     body:  flags, type code, name up to its first dot,
    ///            [options byte, set identifier, health check id, zone id, routing]   as flagged
    ///            target count, targets,
    ///            [type]   when the code is 0 (a type outside `types`)
    ///            [resource after its last slash] [origin path] [TTL, zigzag] [origin line, zigzag]
    ///     [file position]              when there is an origin
    ///     [extras position]            when the options are in the table
    ///     [rest of the name position]  when the name has a dot
    ///     [resource prefix position]   when the resource has a slash
    ///
    /// The file, the rest of a name (the zone and its subdomains) and the resource prefix
    /// (`endpoint/<cluster>/`, `service/<namespace>/`) are strings many endpoints of a pack
    /// share, kept once in its table.
    private enum Layout {
        static let hasResource: UInt8 = 1, hasOrigin: UInt8 = 2, hasPath: UInt8 = 4, hasTTL: UInt8 = 8,
                   hasLine: UInt8 = 16, hasOptions: UInt8 = 32, hasParent: UInt8 = 64, hasResourcePrefix: UInt8 = 128

        /// The options byte: which options follow, and the routing in the high bits.
        static let hasSetIdentifier: UInt8 = 1, hasHealthCheckID: UInt8 = 2, hasZoneID: UInt8 = 4, inTable: UInt8 = 8
        static let weighted: UInt8 = 1, latency: UInt8 = 2, primary: UInt8 = 3, secondary: UInt8 = 4, multiValue: UInt8 = 5

        /// The common types, coded as their position + 1.
        static let types: [RecordType] = [.a, .aaaa, .cname, .txt, .mx, .ns, .soa, .srv, .ptr, .caa, .naptr, .spf, "DS"]

        static func code(of type: RecordType) -> UInt8 {
            types.firstIndex(of: type).map { UInt8($0 + 1) } ?? 0
        }

        /// The body of a record, from its length on; gives the strings its references name.
        static func appendBody(_ text: Text, _ fixed: Fixed, to bytes: inout [UInt8]) -> Shared {
            let extras = fixed.extras
            let name = split(text.name.value, after: UInt8(ascii: "."), first: true)
            let resource = text.resource.map { split($0, after: UInt8(ascii: "/"), first: false) }
            var flags: UInt8 = 0
            if text.resource != nil { flags |= hasResource }
            if text.origin != nil { flags |= hasOrigin }
            if text.origin?.path != nil { flags |= hasPath }
            if fixed.ttl != nil { flags |= hasTTL }
            if text.origin?.line != nil { flags |= hasLine }
            if !extras.isEmpty { flags |= hasOptions }
            if name.rest != nil { flags |= hasParent }
            if resource?.head != nil { flags |= hasResourcePrefix }
            let code = Layout.code(of: fixed.type)
            var body: [UInt8] = []
            body.reserveCapacity(64 + text.targets.reduce(text.name.value.utf8.count) { $0 + 2 + $1.utf8.count })
            body += [flags, code]
            append(name.head ?? text.name.value, to: &body)
            if !extras.isEmpty { appendOptions(extras, to: &body) }
            appendNumber(UInt64(text.targets.count), to: &body)
            for target in text.targets { append(target, to: &body) }
            if code == 0 { append(fixed.type.rawValue, to: &body) }
            if let resource { append(resource.rest ?? text.resource ?? "", to: &body) }
            if let path = text.origin?.path { append(path, to: &body) }
            if let ttl = fixed.ttl { appendSigned(ttl, to: &body) }
            if let line = text.origin?.line { appendSigned(line, to: &body) }
            appendNumber(UInt64(body.count), to: &bytes)
            bytes.append(contentsOf: body)
            return Shared(file: text.origin?.file, extras: extras.isEmpty || extras.fitsInBody ? nil : extras,
                          parent: name.rest, resourcePrefix: resource?.head)
        }

        /// `text` cut at the first `separator` (a name: the label, and the rest without the
        /// dot) or after the last (a resource: the prefix with the slash, and the rest); nil
        /// parts when there is no separator.
        private static func split(_ text: String, after separator: UInt8, first: Bool) -> (head: String?, rest: String?) {
            let utf8 = text.utf8
            guard let cut = first ? utf8.firstIndex(of: separator) : utf8.lastIndex(of: separator) else { return (nil, nil) }
            if first { return (String(text[..<cut]), String(text[utf8.index(after: cut)...])) }
            return (String(text[...cut]), String(text[utf8.index(after: cut)...]))
        }

        /// The options byte and what it flags; options that do not fit are only flagged.
        private static func appendOptions(_ extras: Extras, to body: inout [UInt8]) {
            guard extras.fitsInBody else {
                body.append(inTable)
                return
            }
            var options: UInt8 = 0
            if extras.setIdentifier != nil { options |= hasSetIdentifier }
            if extras.healthCheckID != nil { options |= hasHealthCheckID }
            if extras.hostedZoneID != nil { options |= hasZoneID }
            let routing: UInt8 = switch extras.routing {
            case .weighted: weighted
            case .latency: latency
            case .failover(.primary): primary
            case .failover(.secondary): secondary
            case .multiValue: multiValue
            case .simple, .geolocation, .geoproximity: 0
            }
            body.append(options | routing << 4)
            if let setIdentifier = extras.setIdentifier { append(setIdentifier, to: &body) }
            if let healthCheckID = extras.healthCheckID { append(healthCheckID, to: &body) }
            if let hostedZoneID = extras.hostedZoneID { append(hostedZoneID, to: &body) }
            switch extras.routing {
            case .weighted(let weight): appendSigned(weight, to: &body)
            case .latency(let region): append(region, to: &body)
            default: break
            }
        }

        static func appendNumber(_ value: UInt64, to bytes: inout [UInt8]) {
            var value = value
            while value >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
                value >>= 7
            }
            bytes.append(UInt8(value))
        }

        static func appendSigned(_ value: Int, to bytes: inout [UInt8]) {
            let wide = Int64(value)
            appendNumber(UInt64(bitPattern: (wide << 1) ^ (wide >> 63)), to: &bytes)
        }

        static func append(_ text: String, to bytes: inout [UInt8]) {
            appendNumber(UInt64(text.utf8.count), to: &bytes)
            if text.utf8.withContiguousStorageIfAvailable({ bytes.append(contentsOf: $0) }) == nil { bytes += text.utf8 }
        }
    }

    /// Reads a record's numbers and strings in order.
    private struct Cursor {
        let base: UnsafeMutablePointer<UInt8>
        var position: Int

        mutating func byte() -> UInt8 {
            defer { position += 1 }
            return base[position]
        }

        mutating func number() -> Int {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let byte = base[position]
                position += 1
                value |= UInt64(byte & 0x7F) << shift
                if byte < 0x80 { return Int(truncatingIfNeeded: value) }
                shift += 7
            }
        }

        mutating func signed() -> Int {
            let zigzag = UInt64(truncatingIfNeeded: number())
            return Int(truncatingIfNeeded: Int64(bitPattern: (zigzag >> 1) ^ (0 &- (zigzag & 1))))
        }

        mutating func string() -> String {
            let count = number()
            defer { position += count }
            return String(decoding: UnsafeBufferPointer(start: base + position, count: count), as: UTF8.self)
        }

        mutating func skipString() {
            position += number()
        }

        /// Reads the options from their byte on; `table` gives the pack's entry for options
        /// kept there. With `skip`, only moves past them.
        mutating func options(skip: Bool = false, table: () -> Extras) -> Extras? {
            let options = byte()
            if options & Layout.inTable != 0 { return skip ? nil : table() }
            var extras = Extras()
            let read = { (cursor: inout Cursor) -> String? in
                if skip { cursor.skipString(); return nil }
                return cursor.string()
            }
            if options & Layout.hasSetIdentifier != 0 { extras.setIdentifier = read(&self) }
            if options & Layout.hasHealthCheckID != 0 { extras.healthCheckID = read(&self) }
            if options & Layout.hasZoneID != 0 { extras.hostedZoneID = read(&self) }
            switch options >> 4 {
            case Layout.weighted: extras.routing = .weighted(weight: signed())
            case Layout.latency: extras.routing = read(&self).map { .latency(region: $0) } ?? .simple
            case Layout.primary: extras.routing = .failover(.primary)
            case Layout.secondary: extras.routing = .failover(.secondary)
            case Layout.multiValue: extras.routing = .multiValue
            default: break
            }
            return skip ? nil : extras
        }
    }

    /// Where the fields of one record are.
    private struct Positions {
        var flags: UInt8
        var code: UInt8
        var bodyStart: Int
        /// The options byte, when flagged.
        var options: Int
        /// The target count.
        var targets: Int
        /// After the targets: the type, resource, path, TTL and line, as flagged.
        var tail: Int
        var bodyEnd: Int
        /// Whether the options are in the pack's table.
        var inTable: Bool

        func has(_ flag: UInt8) -> Bool { flags & flag != 0 }
    }

    /// What a record refers to outside its body, as values.
    private struct Shared {
        var file: String?
        var extras: Extras?
        var parent: String?
        var resourcePrefix: String?
    }

    /// Records, their bytes one after the other, with the tables they refer to. Never changed
    /// once made.
    private final class Pack: ManagedBuffer<Pack.Tables, UInt8> {
        struct Tables {
            /// Files, rests of names and resource prefixes.
            var strings: [String] = []
            /// Options a body cannot hold (`Extras.fitsInBody`).
            var extras: [Extras] = []
            private var stringPositions: [String: Int] = [:]

            /// Appends the references to `shared` to a record's bytes, adding what is new.
            mutating func appendReferences(to shared: Shared, to bytes: inout [UInt8]) {
                if let file = shared.file { Layout.appendNumber(UInt64(position(of: file)), to: &bytes) }
                if let extras = shared.extras {
                    Layout.appendNumber(UInt64(self.extras.count), to: &bytes)
                    self.extras.append(extras)
                }
                if let parent = shared.parent { Layout.appendNumber(UInt64(position(of: parent)), to: &bytes) }
                if let prefix = shared.resourcePrefix { Layout.appendNumber(UInt64(position(of: prefix)), to: &bytes) }
            }

            /// A few strings are searched in order (an endpoint made alone has three at most);
            /// past `fewStrings` a dictionary finds them.
            private mutating func position(of string: String) -> Int {
                if strings.count <= Self.fewStrings {
                    if let position = strings.firstIndex(of: string) { return position }
                } else if let position = stringPositions[string] {
                    return position
                }
                strings.append(string)
                if strings.count > Self.fewStrings + 1 {
                    stringPositions[string] = strings.count - 1
                } else if strings.count == Self.fewStrings + 1 {
                    for (position, string) in strings.enumerated() { stringPositions[string] = position }
                }
                return strings.count - 1
            }

            private static let fewStrings = 8

            /// The tables as a pack keeps them, without the positions used to build them.
            var sealed: Tables { Tables(strings: strings, extras: extras) }
        }

        /// A pack of one endpoint.
        static func single(_ text: Text, _ fixed: Fixed) -> Pack {
            var bytes: [UInt8] = []
            var tables = Tables()
            let shared = Layout.appendBody(text, fixed, to: &bytes)
            tables.appendReferences(to: shared, to: &bytes)
            return make(bytes, tables.sealed)
        }

        static func make(_ bytes: [UInt8], _ tables: Tables) -> Pack {
            let pack = unsafeDowncast(Pack.create(minimumCapacity: bytes.count) { _ in tables }, to: Pack.self)
            pack.withUnsafeMutablePointerToElements { elements in
                bytes.withUnsafeBufferPointer { source in
                    if let base = source.baseAddress { elements.initialize(from: base, count: source.count) }
                }
            }
            return pack
        }

        private func read<R>(_ position: Int, _ body: (inout Cursor) -> R) -> R {
            withUnsafeMutablePointerToElements { base in
                var cursor = Cursor(base: base, position: position)
                return body(&cursor)
            }
        }

        /// Where the record's fields are; `tail` is found when `throughTargets`.
        private func positions(_ offset: UInt32, throughTargets: Bool = false) -> Positions {
            read(Int(offset)) { cursor in
                let count = cursor.number()
                let start = cursor.position
                let flags = cursor.byte(), code = cursor.byte()
                cursor.skipString()
                let options = cursor.position
                var inTable = false
                if flags & Layout.hasOptions != 0 {
                    inTable = cursor.base[options] & Layout.inTable != 0
                    _ = cursor.options(skip: true) { Extras() }
                }
                let targets = cursor.position
                var tail = 0
                if throughTargets {
                    for _ in 0..<cursor.number() { cursor.skipString() }
                    tail = cursor.position
                }
                return Positions(flags: flags, code: code, bodyStart: start, options: options, targets: targets,
                                 tail: tail, bodyEnd: start + count, inTable: inTable)
            }
        }

        /// The start of a record: its flags, type code, and where its first label is.
        private func head(_ offset: UInt32) -> (flags: UInt8, code: UInt8, labelStart: Int, labelCount: Int) {
            read(Int(offset)) { cursor in
                _ = cursor.number()
                let flags = cursor.byte(), code = cursor.byte()
                let count = cursor.number()
                return (flags, code, cursor.position, count)
            }
        }

        func name(at offset: UInt32) -> DNSName {
            let (flags, _, labelStart, labelCount) = head(offset)
            guard flags & Layout.hasParent != 0, let parent = references(positions(offset)).parent else {
                return read(labelStart) { DNSName(verbatim: String(decoding: UnsafeBufferPointer(start: $0.base + labelStart, count: labelCount), as: UTF8.self)) }
            }
            var rest = string(parent)
            let name = rest.withUTF8 { rest in
                withUnsafeMutablePointerToElements { base in
                    String(unsafeUninitializedCapacity: labelCount + 1 + rest.count) { buffer in
                        let target = buffer.baseAddress!
                        target.initialize(from: base + labelStart, count: labelCount)
                        target[labelCount] = UInt8(ascii: ".")
                        if let source = rest.baseAddress { (target + labelCount + 1).initialize(from: source, count: rest.count) }
                        return labelCount + 1 + rest.count
                    }
                }
            }
            return DNSName(verbatim: name)
        }

        func hasKey(_ key: RecordKey, at offset: UInt32, anySetIdentifier: Bool = false) -> Bool {
            let (flags, code, labelStart, labelCount) = head(offset)
            guard code == 0 ? type(at: offset) == key.type : Layout.types[Int(code) - 1] == key.type else { return false }
            var name = key.name.value
            let sameName = name.withUTF8 { name in
                withUnsafeMutablePointerToElements { base in
                    guard name.count >= labelCount,
                          Self.same(base + labelStart, name.baseAddress, labelCount) else { return false }
                    guard flags & Layout.hasParent != 0, let parent = references(positions(offset)).parent else {
                        return name.count == labelCount
                    }
                    guard name.count > labelCount, name[labelCount] == UInt8(ascii: ".") else { return false }
                    var rest = string(parent)
                    return rest.withUTF8 { rest in
                        rest.count == name.count - labelCount - 1
                            && Self.same(rest.baseAddress, name.baseAddress.map { $0 + labelCount + 1 }, rest.count)
                    }
                }
            }
            guard sameName else { return false }
            if anySetIdentifier { return true }
            let setIdentifier = flags & Layout.hasOptions == 0 ? nil : extras(at: offset)?.setIdentifier
            return setIdentifier == key.setIdentifier
        }

        /// Whether `count` bytes at the two places are the same.
        private static func same(_ left: UnsafePointer<UInt8>?, _ right: UnsafePointer<UInt8>?, _ count: Int) -> Bool {
            guard count > 0 else { return true }
            guard let left, let right else { return false }
            return UnsafeRawBufferPointer(start: left, count: count).elementsEqual(UnsafeRawBufferPointer(start: right, count: count))
        }

        func type(at offset: UInt32) -> RecordType {
            let code = head(offset).code
            guard code == 0 else { return Layout.types[Int(code) - 1] }
            return read(positions(offset, throughTargets: true).tail) { RecordType(rawValue: $0.string()) }
        }

        func targets(at offset: UInt32) -> [String] {
            read(positions(offset).targets) { cursor in
                let count = cursor.number()
                var targets: [String] = []
                targets.reserveCapacity(count)
                for _ in 0..<count { targets.append(cursor.string()) }
                return targets
            }
        }

        /// The fields after the targets, as flagged; the resource without its prefix.
        private func tail(at offset: UInt32) -> (resource: String?, path: String?, ttl: Int?, line: Int?) {
            let positions = positions(offset, throughTargets: true)
            return read(positions.tail) { cursor in
                if positions.code == 0 { cursor.skipString() }
                let resource = positions.has(Layout.hasResource) ? cursor.string() : nil
                let path = positions.has(Layout.hasPath) ? cursor.string() : nil
                let ttl = positions.has(Layout.hasTTL) ? cursor.signed() : nil
                let line = positions.has(Layout.hasLine) ? cursor.signed() : nil
                return (resource, path, ttl, line)
            }
        }

        func ttl(at offset: UInt32) -> Int? {
            guard head(offset).flags & Layout.hasTTL != 0 else { return nil }
            return tail(at: offset).ttl
        }

        func resource(at offset: UInt32) -> String? {
            guard head(offset).flags & Layout.hasResource != 0, let rest = tail(at: offset).resource else { return nil }
            guard let prefix = references(positions(offset)).resourcePrefix else { return rest }
            return string(prefix) + rest
        }

        /// Positions in the tables of what the record refers to.
        private func references(_ positions: Positions) -> (file: Int?, extras: Int?, parent: Int?, resourcePrefix: Int?) {
            read(positions.bodyEnd) { cursor in
                let file = positions.has(Layout.hasOrigin) ? cursor.number() : nil
                let extras = positions.inTable ? cursor.number() : nil
                let parent = positions.has(Layout.hasParent) ? cursor.number() : nil
                let prefix = positions.has(Layout.hasResourcePrefix) ? cursor.number() : nil
                return (file, extras, parent, prefix)
            }
        }

        func origin(at offset: UInt32) -> SourceLocation? {
            let positions = positions(offset)
            guard positions.has(Layout.hasOrigin), let position = references(positions).file else { return nil }
            let tail = tail(at: offset)
            return SourceLocation(file: string(position), line: tail.line, path: tail.path)
        }

        func extras(at offset: UInt32) -> Extras? {
            let positions = positions(offset)
            guard positions.has(Layout.hasOptions) else { return nil }
            return read(positions.options) { cursor in
                cursor.options { references(positions).extras.map(extras) ?? Extras() }
            }
        }

        /// Entries of the tables, read in place.
        private func string(_ position: Int) -> String {
            withUnsafeMutablePointerToHeader { $0.pointee.strings[position] }
        }

        private func extras(_ position: Int) -> Extras {
            withUnsafeMutablePointerToHeader { $0.pointee.extras[position] }
        }

        func text(at offset: UInt32) -> Text {
            Text(name: name(at: offset), targets: targets(at: offset), resource: resource(at: offset),
                 origin: origin(at: offset))
        }

        func fixed(at offset: UInt32) -> Fixed {
            Fixed(type: type(at: offset), ttl: ttl(at: offset), extras: extras(at: offset) ?? Extras())
        }

        /// The body's bytes.
        private func body<R>(_ positions: Positions, _ use: (UnsafeRawBufferPointer) -> R) -> R {
            withUnsafeMutablePointerToElements { base in
                use(UnsafeRawBufferPointer(start: base + positions.bodyStart, count: positions.bodyEnd - positions.bodyStart))
            }
        }

        /// What the record refers to, as values.
        private func shared(_ positions: Positions) -> Shared {
            let references = references(positions)
            return Shared(file: references.file.map(string), extras: references.extras.map(extras),
                          parent: references.parent.map(string), resourcePrefix: references.resourcePrefix.map(string))
        }

        func hasSameFields(at offset: UInt32, as other: Pack, at otherOffset: UInt32) -> Bool {
            let mine = positions(offset), theirs = other.positions(otherOffset)
            let sameBody = body(mine) { left in other.body(theirs) { right in left.elementsEqual(right) } }
            guard sameBody else { return false }
            // Equal bodies have equal flags, so the same references.
            let references = references(mine), otherReferences = other.references(theirs)
            for (position, otherPosition) in [(references.file, otherReferences.file),
                                              (references.parent, otherReferences.parent),
                                              (references.resourcePrefix, otherReferences.resourcePrefix)] {
                if let position, let otherPosition, string(position) != other.string(otherPosition) { return false }
            }
            if let extras = references.extras, let otherExtras = otherReferences.extras,
               self.extras(extras) != other.extras(otherExtras) {
                return false
            }
            return true
        }

        /// Consistent with `hasSameFields`: equal fields pack to equal bodies and references.
        func hash(at offset: UInt32, into hasher: inout Hasher) {
            let positions = positions(offset)
            body(positions) { hasher.combine(bytes: $0) }
            let shared = shared(positions)
            hasher.combine(shared.file)
            hasher.combine(shared.extras)
            hasher.combine(shared.parent)
            hasher.combine(shared.resourcePrefix)
        }

        /// Where the next record starts.
        func end(of offset: UInt32) -> UInt32 {
            let positions = positions(offset)
            return read(positions.bodyEnd) { cursor in
                for flag in [Layout.hasOrigin, Layout.hasParent, Layout.hasResourcePrefix] where positions.has(flag) {
                    _ = cursor.number()
                }
                if positions.inTable { _ = cursor.number() }
                return UInt32(cursor.position)
            }
        }

        /// Appends the record's body to `bytes` as it is, and gives what it refers to.
        func copyBody(at offset: UInt32, to bytes: inout [UInt8]) -> Shared {
            let positions = positions(offset)
            withUnsafeMutablePointerToElements { base in
                bytes += UnsafeBufferPointer(start: base + Int(offset), count: positions.bodyEnd - Int(offset))
            }
            return shared(positions)
        }
    }

    /// Puts endpoints into shared packs of about `packSize` bytes, in the order given.
    public struct Packer {
        public static let packSize = 64 * 1024

        private var bytes: [UInt8] = []
        private var tables = Pack.Tables()
        /// Records in `bytes`.
        private var pending = 0
        /// The packs made so far and how many records each holds; the endpoints are made once,
        /// at the end, in an array of their count.
        private var sealed: [(pack: Pack, count: Int)] = []
        private var sealedCount = 0

        public init() {}

        /// How many endpoints were appended.
        public var count: Int { sealedCount + pending }

        public mutating func append(_ endpoint: Endpoint) {
            let shared = endpoint.pack.copyBody(at: endpoint.offset, to: &bytes)
            tables.appendReferences(to: shared, to: &bytes)
            pending += 1
            if bytes.count >= Self.packSize { seal() }
        }

        /// The endpoints appended, in order, in an array of their exact count.
        public mutating func finish() -> [Endpoint] {
            seal()
            let sealed = self.sealed
            self.sealed = []
            return Array(unsafeUninitializedCapacity: sealedCount) { buffer, count in
                count = 0
                for (pack, records) in sealed {
                    var offset: UInt32 = 0
                    for _ in 0..<records {
                        (buffer.baseAddress! + count).initialize(to: Endpoint(pack: pack, offset: offset))
                        count += 1
                        offset = pack.end(of: offset)
                    }
                }
            }
        }

        private mutating func seal() {
            guard pending > 0 else { return }
            sealed.append((Pack.make(bytes, tables.sealed), pending))
            sealedCount += pending
            pending = 0
            bytes.removeAll(keepingCapacity: true)
            tables = Pack.Tables()
        }
    }

    /// The endpoints, each equal to the one given, in shared packs.
    public static func packed(_ endpoints: some Sequence<Endpoint>) -> [Endpoint] {
        var packer = Packer()
        for endpoint in endpoints { packer.append(endpoint) }
        return packer.finish()
    }
}

extension Endpoint: CustomDebugStringConvertible {
    /// The fields that are set, for test failures and debugging; a pack and an offset say nothing.
    public var debugDescription: String {
        var text = "Endpoint(\(name.value) \(type) \(targets)"
        if let ttl { text += " ttl \(ttl)" }
        if let setIdentifier { text += " set \(setIdentifier)" }
        if routing != .simple { text += " \(routing)" }
        if let healthCheckID { text += " health check \(healthCheckID)" }
        if let alias { text += " \(alias)" }
        if let healthCheck { text += " \(healthCheck)" }
        if let hostedZoneID { text += " zone \(hostedZoneID)" }
        if let resource { text += " \(resource)" }
        if let origin { text += " at \(origin)" }
        return text + ")"
    }
}

/// Alias options of an endpoint; the target is `targets[0]`.
public struct AliasOptions: Hashable, Sendable {
    /// nil: the canonical zone of the target, else the zone that holds the record.
    public var targetHostedZoneID: String?
    /// nil: the `[provider "route53"] evaluate-target-health` default.
    public var evaluateTargetHealth: Bool?
    public init(targetHostedZoneID: String? = nil, evaluateTargetHealth: Bool? = nil) {
        self.targetHostedZoneID = targetHostedZoneID
        self.evaluateTargetHealth = evaluateTargetHealth
    }
}

/// A Route53 health check requested for a record set (`health-check = http` ...).
public struct HealthCheckSpec: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case http, https, tcp }
    public var kind: Kind
    public var port: Int
    public var path: String
    /// Host header / SNI; nil means the record name.
    public var host: String?
    public var searchString: String?
    /// 10 or 30 seconds.
    public var interval: Int
    /// 1...10
    public var failureThreshold: Int

    public init(kind: Kind, port: Int? = nil, path: String = "/", host: String? = nil, searchString: String? = nil,
                interval: Int = 30, failureThreshold: Int = 3) {
        self.kind = kind
        self.port = port ?? (kind == .https ? 443 : 80)
        self.path = path
        self.host = host
        self.searchString = searchString
        self.interval = interval
        self.failureThreshold = failureThreshold
    }
}
