/// The fields of a Pod that decide which nodes a NodePort Service with
/// `externalTrafficPolicy: Local` is published on.
struct KubePod: Hashable, Sendable {
    var object: KubeObject
    var nodeName: String
    /// `Running`, `Pending`, ...
    var phase: String
    /// The `Ready` condition is `True`.
    var ready: Bool

    init(_ object: KubeObject) throws(KubeDecodingError) {
        self.object = object
        let reader = FieldReader(object.raw)
        nodeName = try reader.object("spec").string("nodeName") ?? ""
        let status = try reader.object("status")
        phase = try status.string("phase") ?? ""
        var ready = false
        for condition in try status.objects("conditions") where try condition.string("type") == "Ready" {
            ready = try condition.string("status") == "True"
        }
        self.ready = ready
    }
}
