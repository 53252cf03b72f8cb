import DNSReconcileCore

/// Turns Services and Ingresses into endpoints as ExternalDNS's service and ingress sources do
/// (ExternalDNS compatibility notes §3–4), for both the API server and the manifest source.
///
/// Per object: the filters (namespace, labels, annotation filter, `controller`, ingress class,
/// Service type), then host names and targets by kind, then the options annotations through
/// `EndpointOptionsReader` (the `[endpoint]` checks). Any bad value skips every endpoint of
/// that object with one `InvalidEndpoint` that names the object, the annotation and the names
/// to hold. Targets are grouped into one A, one AAAA and one CNAME endpoint per name.
///
/// Across objects nothing is merged: two objects that ask for one record set with different
/// contents both go to the planner, which keeps the current owner's and reports the other as
/// a conflict. Only exact duplicates (two Ingresses for one host behind one load balancer) are
/// folded into one, keeping the smallest `resource`.
struct EndpointDeriver {
    let settings: SourceSettings

    /// One object's names and targets before the options are applied.
    struct Draft {
        var object: KubeObject
        var annotations: ObjectAnnotations
        var groups: [(hostname: String, targets: [String])] = []
        /// NodePort SRV records: name and value.
        var services: [(name: String, value: String)] = []
        var problems: [String] = []
    }

    func derive(services: [KubeService], ingresses: [KubeIngress], lookup: ClusterLookup)
        throws(DNSReconcileError) -> SourceResult {
        var result = SourceResult()
        if settings.readsIngresses {
            for ingress in ingresses.sorted(by: { $0.object.resource < $1.object.resource })
                where selected(ingress.object) && classMatches(ingress) {
                let annotations = ObjectAnnotations(ingress.object, prefixes: settings.annotationPrefixes)
                result.warnings += annotations.warnings
                guard !controllerMismatch(annotations) else { continue }
                finish(draft(for: ingress, annotations: annotations), into: &result)
            }
        }
        if settings.readsServices {
            for service in services.sorted(by: { $0.object.resource < $1.object.resource })
                where selected(service.object) && (settings.serviceTypes.isEmpty || settings.serviceTypes.contains(service.type)) {
                let annotations = ObjectAnnotations(service.object, prefixes: settings.annotationPrefixes)
                result.warnings += annotations.warnings
                guard !controllerMismatch(annotations) else { continue }
                finish(try draft(for: service, annotations: annotations, lookup: lookup), into: &result)
            }
        }
        result.endpoints = Endpoint.packed(Self.foldingDuplicates(result.endpoints))
        return result
    }

    // MARK: Filters

    private func selected(_ object: KubeObject) -> Bool {
        if let namespace = settings.namespace, object.namespace != namespace { return false }
        if let selector = settings.labelSelector, !selector.matches(object.labels) { return false }
        if let filter = settings.annotationFilter, !filter.matches(object.annotations) { return false }
        return true
    }

    /// ExternalDNS skips objects whose `controller` annotation names another controller.
    private func controllerMismatch(_ annotations: ObjectAnnotations) -> Bool {
        guard let controller = annotations["controller"] else { return false }
        return controller != "dns-controller"
    }

    /// `spec.ingressClassName` when set, else the `kubernetes.io/ingress.class` annotation.
    private func classMatches(_ ingress: KubeIngress) -> Bool {
        guard !settings.ingressClasses.isEmpty else { return true }
        if let name = ingress.className, !name.isEmpty { return settings.ingressClasses.contains(name) }
        guard let annotated = ingress.object.annotations[KubeIngress.classAnnotation] else { return false }
        return settings.ingressClasses.contains(annotated)
    }

    // MARK: Ingress

    private func draft(for ingress: KubeIngress, annotations: ObjectAnnotations) -> Draft {
        var draft = Draft(object: ingress.object, annotations: annotations)
        let defined = ingress.ruleHosts + ingress.tlsHosts
        let annotated = settings.ignoreHostnameAnnotation ? [] : annotations.list("hostname")
        var hostnames: [String]
        switch annotations["ingress-hostname-source"].map({ $0.lowercased() }) {
        case nil: hostnames = defined + annotated
        case "defined-hosts-only": hostnames = defined
        case "annotation-only": hostnames = annotated
        case let other?:
            hostnames = defined + annotated
            draft.problems.append("annotation \(annotations.name("ingress-hostname-source")): '\(other)' is not valid; "
                                      + "write annotation-only or defined-hosts-only")
        }
        if hostnames.isEmpty { hostnames = templateHostnames(ingress.object, into: &draft) }
        let override = annotations.list("target")
        let targets = override.isEmpty ? replacingDefault(LoadBalancerIngress.targets(ingress.loadBalancer)) : override
        draft.groups = Self.unique(hostnames).map { ($0, targets) }
        return draft
    }

    // MARK: Service

    private func draft(for service: KubeService, annotations: ObjectAnnotations, lookup: ClusterLookup)
        throws(DNSReconcileError) -> Draft {
        var draft = Draft(object: service.object, annotations: annotations)
        var hostnames = settings.ignoreHostnameAnnotation ? [] : annotations.list("hostname")
        let internalNames = settings.ignoreHostnameAnnotation ? [] : annotations.list("internal-hostname")
        if hostnames.isEmpty && internalNames.isEmpty { hostnames = templateHostnames(service.object, into: &draft) }
        hostnames = Self.unique(hostnames)
        guard !hostnames.isEmpty || !internalNames.isEmpty else { return draft }

        let access = annotations["access"]
        if let access, access != "public", access != "private" {
            draft.problems.append("annotation \(annotations.name("access")): '\(access)' is not valid; write public or private")
        }
        let override = annotations.list("target")
        if !override.isEmpty {
            draft.groups = (hostnames + Self.unique(internalNames)).map { ($0, override) }
            return draft
        }
        if service.type == "ClusterIP" && service.isHeadless {
            draft.groups = (hostnames + internalNames).map { ($0, []) }
            draft.problems.append("headless Services (clusterIP: None) are not supported yet: their pod addresses are "
                                      + "not read, so the names are held as they are")
            return draft
        }

        var nodeTargets: [String] = []
        if service.type == "NodePort" {
            nodeTargets = try self.nodeTargets(service, access: access, lookup: lookup)
            for hostname in hostnames + internalNames {
                for port in service.ports {
                    guard let nodePort = port.nodePort, nodePort > 0 else { continue }
                    let proto = port.protocol.isEmpty ? "tcp" : port.protocol.lowercased()
                    draft.services.append(("_\(service.object.name)._\(proto).\(hostname)", "0 50 \(nodePort) \(hostname)."))
                }
            }
        }
        let clusterIP = service.clusterIP.isEmpty || service.isHeadless ? [] : [service.clusterIP]
        let external: [String] = switch service.type {
        case "LoadBalancer":
            service.externalIPs.isEmpty ? LoadBalancerIngress.targets(service.loadBalancer) : service.externalIPs
        case "NodePort": nodeTargets
        case "ExternalName": service.externalIPs.isEmpty ? [service.externalName].filter { !$0.isEmpty } : service.externalIPs
        default: []
        }
        let internalTargets: [String] = switch service.type {
        case "LoadBalancer", "ClusterIP": clusterIP
        default: external
        }
        draft.groups = hostnames.map { ($0, replacingDefault(external)) } + Self.unique(internalNames).map { ($0, internalTargets) }
        return draft
    }

    /// ExternalDNS's NodePort targets: the nodes (with `externalTrafficPolicy: Local` only those
    /// running a pod of the Service, at the best readiness found), unschedulable ones left out;
    /// `access: public` their ExternalIPs, `private` their InternalIPs, else ExternalIPs when
    /// there are any.
    private func nodeTargets(_ service: KubeService, access: String?, lookup: ClusterLookup)
        throws(DNSReconcileError) -> [String] {
        var nodes = try lookup.nodes()
        if service.externalTrafficPolicy == "Local" {
            // Readiness tiers: running, running and ready but terminating, ready.
            var best: [String: Int] = [:]
            for pod in try lookup.pods(in: service.object.namespace, matching: service.selector) where pod.phase == "Running" {
                let tier = pod.ready ? (pod.object.deleted ? 2 : 3) : 1
                best[pod.nodeName] = max(best[pod.nodeName] ?? 0, tier)
            }
            let top = best.values.max() ?? 0
            nodes = nodes.filter { top > 0 && best[$0.object.name] == top }
        }
        var externalIPs: [String] = []
        var internalIPs: [String] = []
        for node in nodes.sorted(by: { $0.object.name < $1.object.name }) where !node.unschedulable {
            for address in node.addresses {
                if address.type == "ExternalIP" { externalIPs.append(address.address) }
                if address.type == "InternalIP" { internalIPs.append(address.address) }
            }
        }
        switch access {
        case "public": return externalIPs
        case "private": return internalIPs
        default: return externalIPs.isEmpty ? internalIPs : externalIPs
        }
    }

    // MARK: Shared

    private func templateHostnames(_ object: KubeObject, into draft: inout Draft) -> [String] {
        guard let template = settings.fqdnTemplate else { return [] }
        do {
            return try template.hostnames(for: object.raw, kind: object.kind)
        } catch {
            draft.problems.append("fqdn-template: \(error)")
            return []
        }
    }

    /// `default-targets` replace the targets derived from the object (never the `target`
    /// annotation); with nothing derived there is nothing to replace.
    private func replacingDefault(_ derived: [String]) -> [String] {
        derived.isEmpty || settings.defaultTargets.isEmpty ? derived : settings.defaultTargets
    }

    private func finish(_ draft: Draft, into result: inout SourceResult) {
        // An object that asks for no name (a Service without hostname annotations) publishes
        // nothing, so its other annotations are not judged either.
        if draft.groups.isEmpty && draft.services.isEmpty && draft.problems.isEmpty { return }
        let object = draft.object
        var problems = draft.problems
        for name in draft.annotations.unknownOwn {
            problems.append("annotation \(name) is not known; the \(SourceSettings.ownPrefix) annotations are "
                                + EndpointOptionsReader.keys.filter { $0.hasPrefix("health-check") }.joined(separator: ", "))
        }
        var options = EndpointOptions()
        switch EndpointOptionsReader.read(draft.annotations.options,
                                          origin: object.origin ?? SourceLocation(file: object.resource)) {
        case .success(let read): options = read
        case .failure(let refused): problems += refused.messages
        }
        let hostnames = Self.unique(draft.groups.map(\.hostname))
        for hostname in hostnames where !AddressSyntax.isHostName(hostname, wildcard: true) {
            problems.append("'\(hostname)' is not a valid DNS name")
        }
        for target in Self.unique(draft.groups.flatMap(\.targets)) where Self.recordType(of: target) == nil {
            problems.append("target '\(target)' is neither an IP address nor a host name")
        }
        guard problems.isEmpty else {
            let names = hostnames.filter { AddressSyntax.isHostName($0, wildcard: true) }.map { DNSName($0) }
            result.invalid.append(InvalidEndpoint(names: names, message: "\(object.resource): " + problems.joined(separator: "; "),
                                                  location: object.origin))
            return
        }

        for (hostname, targets) in draft.groups {
            var byType: [RecordType: [String]] = [:]
            for target in Self.unique(targets) {
                guard let type = Self.recordType(of: target) else { continue }
                byType[type, default: []].append(type == .cname ? DNSName(target).value : target)
            }
            for type in [RecordType.a, .aaaa, .cname] {
                guard let values = byType[type] else { continue }
                var endpoint = options.applied(to: Endpoint(name: DNSName(hostname), type: type, targets: values,
                                                            resource: object.resource, origin: object.origin))
                // An alias points at a host name; A/AAAA targets are plain addresses. An alias
                // host name becomes an A and an AAAA alias, as ExternalDNS makes it.
                if type != .cname { endpoint.alias = nil }
                result.endpoints += endpoint.aliasExpanded
            }
        }
        for (name, value) in draft.services where AddressSyntax.isHostName(name) {
            var endpoint = options.applied(to: Endpoint(name: DNSName(name), type: .srv, targets: [value],
                                                        resource: object.resource, origin: object.origin))
            endpoint.alias = nil
            endpoint.healthCheck = nil
            result.endpoints.append(endpoint)
        }
    }

    /// A for IPv4, AAAA for IPv6, CNAME for a host name (ExternalDNS's `SuitableType`); nil
    /// for anything else.
    static func recordType(of target: String) -> RecordType? {
        if AddressSyntax.isIPv4(target) { return .a }
        if AddressSyntax.isIPv6(target) { return .aaaa }
        return AddressSyntax.isHostName(target) ? .cname : nil
    }

    static func unique(_ items: [String]) -> [String] {
        var seen: Set<String> = []
        return items.filter { seen.insert($0).inserted }
    }

    /// Drops endpoints equal to an earlier one in all but `resource` and `origin`, keeping the
    /// smallest resource, and sorts the rest so the output never depends on listing order.
    static func foldingDuplicates(_ endpoints: [Endpoint]) -> [Endpoint] {
        let ordered = endpoints.sorted { lhs, rhs in
            (lhs.name.value, lhs.type.rawValue, lhs.setIdentifier ?? "", lhs.resource ?? "")
                < (rhs.name.value, rhs.type.rawValue, rhs.setIdentifier ?? "", rhs.resource ?? "")
        }
        var seen: Set<Endpoint> = []
        return ordered.filter { endpoint in
            var bare = endpoint
            bare.resource = nil
            bare.origin = nil
            bare.targets = bare.targets.sorted()
            return seen.insert(bare).inserted
        }
    }
}
