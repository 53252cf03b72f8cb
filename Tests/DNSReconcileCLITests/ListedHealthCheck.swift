/// One Route53 health check as the emulator lists it, read straight from the `<HealthCheck>` XML
/// (not through our own client, for the same reason as `ListedRecordSet`).
struct ListedHealthCheck: Equatable, CustomStringConvertible {
    var id: String
    var callerReference: String
    var type: String
    var ipAddress: String?
    var port: Int?
    var resourcePath: String?
    var fullyQualifiedDomainName: String?
    var searchString: String?
    var requestInterval: Int?
    var failureThreshold: Int?
    var childHealthChecks: [String]
    var xml: String

    init(xml: String) {
        self.xml = xml
        let field = { (name: String) in Workspace.element(name, in: xml) }
        id = field("Id") ?? "?"
        callerReference = field("CallerReference") ?? "?"
        type = field("Type") ?? "?"
        ipAddress = field("IPAddress")
        port = field("Port").flatMap { Int($0) }
        resourcePath = field("ResourcePath")
        fullyQualifiedDomainName = field("FullyQualifiedDomainName")
        searchString = field("SearchString")
        requestInterval = field("RequestInterval").flatMap { Int($0) }
        failureThreshold = field("FailureThreshold").flatMap { Int($0) }
        childHealthChecks = (field("ChildHealthChecks") ?? "").components(separatedBy: "<ChildHealthCheck>").dropFirst()
            .compactMap { $0.components(separatedBy: "</ChildHealthCheck>").first }
    }

    /// Every check in a ListHealthChecks answer.
    static func all(in body: String) -> [ListedHealthCheck] {
        body.components(separatedBy: "<HealthCheck>").dropFirst().map { chunk in
            ListedHealthCheck(xml: "<HealthCheck>" + (chunk.components(separatedBy: "</HealthCheck>").first ?? "")
                + "</HealthCheck>")
        }
    }

    var description: String { xml }
}
