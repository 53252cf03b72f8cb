/// The fields of a Node that NodePort Services publish.
struct KubeNode: Hashable, Sendable {
    struct Address: Hashable, Sendable {
        /// `ExternalIP`, `InternalIP`, `Hostname`, ...
        var type: String
        var address: String
    }

    var object: KubeObject
    var unschedulable: Bool
    var addresses: [Address]

    init(_ object: KubeObject) throws(KubeDecodingError) {
        self.object = object
        let reader = FieldReader(object.raw)
        unschedulable = try reader.object("spec").bool("unschedulable") ?? false
        var addresses: [Address] = []
        for entry in try reader.object("status").objects("addresses") {
            addresses.append(Address(type: try entry.string("type") ?? "", address: try entry.string("address") ?? ""))
        }
        self.addresses = addresses
    }
}
