import DNSReconcileCore
import DNSReconcileTestSupport
import Foundation
import Testing

/// The launcher's fixes 3–7 (moto/moto_server_fixed.py), spoken to in raw XML so they are checked
/// independently of the client. Each test fails against plain moto 5.2.1.
@Suite("moto fidelity fixes", .serialized)
final class MotoFidelityTests {
    nonisolated(unsafe) private static let server = Result { () throws(DNSReconcileError) -> MotoServer in try MotoServer() }
    static let namespace = "xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\""

    let moto: MotoServer

    init() throws {
        moto = try Self.server.get()
        try moto.reset()
    }

    /// One Route53 call; the status and the body as text.
    private func call(_ method: String, _ path: String, _ body: String = "") throws -> (status: Int, text: String) {
        let response = try moto.send(HTTPRequest(method: method, url: moto.endpoint + "/2013-04-01" + path,
                                                 headers: body.isEmpty ? [] : [HTTPHeader("Content-Type", "application/xml")],
                                                 body: Array(body.utf8)))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    private func createCheck(_ reference: String, _ config: String) throws -> (status: Int, text: String) {
        try call("POST", "/healthcheck", "<CreateHealthCheckRequest \(Self.namespace)><CallerReference>\(reference)"
                    + "</CallerReference><HealthCheckConfig>\(config)</HealthCheckConfig></CreateHealthCheckRequest>")
    }

    private func createdID(_ reference: String, _ config: String) throws -> String {
        let answer = try createCheck(reference, config)
        try #require(answer.status == 201, "\(answer.text)")
        return try #require(Self.values("Id", in: answer.text).first)
    }

    private func changeRecords(_ zoneID: String, _ changes: String) throws {
        let answer = try call("POST", "/hostedzone/\(zoneID)/rrset/", "<ChangeResourceRecordSetsRequest \(Self.namespace)>"
                                + "<ChangeBatch><Changes>\(changes)</Changes></ChangeBatch></ChangeResourceRecordSetsRequest>")
        try #require(answer.status == 200, "\(answer.text)")
    }

    private static func record(_ action: String, _ name: String, setIdentifier: String, value: String, extra: String) -> String {
        "<Change><Action>\(action)</Action><ResourceRecordSet><Name>\(name)</Name><Type>A</Type>"
            + "<SetIdentifier>\(setIdentifier)</SetIdentifier><TTL>60</TTL><ResourceRecords><ResourceRecord><Value>\(value)"
            + "</Value></ResourceRecord></ResourceRecords>\(extra)</ResourceRecordSet></Change>"
    }

    /// The texts of every `<name>` element, in order.
    static func values(_ name: String, in text: String) -> [String] {
        var result: [String] = []
        var rest = text[...]
        while let open = rest.range(of: "<\(name)>"), let close = rest.range(of: "</\(name)>", range: open.upperBound..<rest.endIndex) {
            result.append(String(rest[open.upperBound..<close.lowerBound]))
            rest = rest[close.upperBound...]
        }
        return result
    }

    static let tcp = "<IPAddress>198.51.100.7</IPAddress><Port>443</Port><Type>TCP</Type>"

    // MARK: - Fix 3

    @Test func geoProximityLocationIsStoredAndReturned() throws {
        let zoneID = try moto.createZone(name: "example.com.")
        let coordinates = "<GeoProximityLocation><Coordinates><Latitude>49.22</Latitude><Longitude>-74.01</Longitude>"
            + "</Coordinates><Bias>-25</Bias></GeoProximityLocation>"
        let region = "<GeoProximityLocation><AWSRegion>eu-west-1</AWSRegion><LocalZoneGroup>eu-west-1-lax-1</LocalZoneGroup>"
            + "<Bias>0</Bias></GeoProximityLocation>"
        try changeRecords(zoneID, Self.record("CREATE", "gp.example.com.", setIdentifier: "gp1", value: "192.0.2.8",
                                              extra: coordinates)
                          + Self.record("CREATE", "gp.example.com.", setIdentifier: "gp2", value: "192.0.2.9", extra: region))
        let listed = try call("GET", "/hostedzone/\(zoneID)/rrset").text
        #expect(Self.values("GeoProximityLocation", in: listed) == [
            "<Coordinates><Latitude>49.22</Latitude><Longitude>-74.01</Longitude></Coordinates><Bias>-25</Bias>",
            "<AWSRegion>eu-west-1</AWSRegion><LocalZoneGroup>eu-west-1-lax-1</LocalZoneGroup><Bias>0</Bias>",
        ])
        // An UPSERT replaces the location; a DELETE echoing the set removes it.
        try changeRecords(zoneID, Self.record("UPSERT", "gp.example.com.", setIdentifier: "gp2", value: "192.0.2.9",
                                              extra: "<GeoProximityLocation><AWSRegion>us-east-1</AWSRegion><Bias>10</Bias>"
                                                + "</GeoProximityLocation>")
                          + Self.record("DELETE", "gp.example.com.", setIdentifier: "gp1", value: "192.0.2.8",
                                        extra: coordinates))
        #expect(Self.values("GeoProximityLocation", in: try call("GET", "/hostedzone/\(zoneID)/rrset").text)
                    == ["<AWSRegion>us-east-1</AWSRegion><Bias>10</Bias>"])
    }

    // MARK: - Fix 4

    @Test func deleteHealthCheckRefusesACheckARecordSetReferences() throws {
        let zoneID = try moto.createZone(name: "example.com.")
        let id = try createdID("in-use", Self.tcp)
        let referencing = Self.record("CREATE", "w.example.com.", setIdentifier: "blue", value: "198.51.100.7",
                                      extra: "<HealthCheckId>\(id)</HealthCheckId>").replacingOccurrences(
                                        of: "<SetIdentifier>blue</SetIdentifier>",
                                        with: "<SetIdentifier>blue</SetIdentifier><Weight>10</Weight>")
        try changeRecords(zoneID, referencing)
        let refused = try call("DELETE", "/healthcheck/\(id)")
        #expect(refused.status == 400)
        #expect(Self.values("Code", in: refused.text) == ["HealthCheckInUse"])
        #expect(try call("GET", "/healthcheck/\(id)").status == 200)

        try changeRecords(zoneID, referencing.replacingOccurrences(of: "<Action>CREATE</Action>", with: "<Action>DELETE</Action>"))
        #expect(try call("DELETE", "/healthcheck/\(id)").status == 200)
        let again = try call("DELETE", "/healthcheck/\(id)")
        #expect(again.status == 404)
        #expect(Self.values("Code", in: again.text) == ["NoSuchHealthCheck"])
    }

    @Test func deleteHealthCheckRefusesAChildOfACalculatedCheck() throws {
        let child = try createdID("child", Self.tcp)
        let parent = try createdID("parent", "<Type>CALCULATED</Type><HealthThreshold>1</HealthThreshold>"
                                    + "<ChildHealthChecks><ChildHealthCheck>\(child)</ChildHealthCheck></ChildHealthChecks>")
        let refused = try call("DELETE", "/healthcheck/\(child)")
        #expect(refused.status == 400)
        #expect(Self.values("Code", in: refused.text) == ["HealthCheckInUse"])
        #expect(try call("DELETE", "/healthcheck/\(parent)").status == 200)
        #expect(try call("DELETE", "/healthcheck/\(child)").status == 200)
    }

    // MARK: - Fix 5

    @Test func listHealthChecksPagesWithMarkers() throws {
        var created: [String] = []
        for index in 0..<5 { created.append(try createdID("page-\(index)", Self.tcp)) }
        var listed: [String] = []
        var marker: String?
        var pages: [String] = []
        while pages.count < 10 {
            let page = try call("GET", "/healthcheck?maxitems=2" + (marker.map { "&marker=\($0)" } ?? ""))
            #expect(page.status == 200)
            pages.append(page.text)
            listed += Self.values("Id", in: page.text)
            #expect(Self.values("MaxItems", in: page.text) == ["2"])
            #expect(Self.values("Marker", in: page.text) == (marker.map { [$0] } ?? []))
            guard Self.values("IsTruncated", in: page.text) == ["true"] else { break }
            marker = try #require(Self.values("NextMarker", in: page.text).first)
        }
        try #require(pages.count == 3)
        #expect(listed == created)
        #expect(Self.values("NextMarker", in: pages[0]) == [created[2]])
        #expect(Self.values("IsTruncated", in: pages[2]) == ["false"])
        #expect(Self.values("NextMarker", in: pages[2]).isEmpty)
        let unknown = try call("GET", "/healthcheck?marker=no-such-check")
        #expect(unknown.status == 400 && Self.values("Code", in: unknown.text) == ["InvalidInput"])
    }

    // MARK: - Fix 6

    @Test func createHealthCheckIsIdempotentOnCallerReference() throws {
        let first = try createdID("ref-1", Self.tcp)
        let repeated = try createCheck("ref-1", Self.tcp)
        #expect(repeated.status == 201)
        #expect(Self.values("Id", in: repeated.text) == [first])
        #expect(Self.values("Id", in: try call("GET", "/healthcheck").text) == [first])

        let changed = try createCheck("ref-1", Self.tcp.replacingOccurrences(of: "443", with: "8443"))
        #expect(changed.status == 409)
        #expect(Self.values("Code", in: changed.text) == ["HealthCheckAlreadyExists"])

        // Same settings under a new reference: a second check, as on Route53.
        let second = try createdID("ref-2", Self.tcp)
        #expect(second != first)

        // A deleted check's reference is not reusable.
        #expect(try call("DELETE", "/healthcheck/\(first)").status == 200)
        let reused = try createCheck("ref-1", Self.tcp)
        #expect(reused.status == 409)
        #expect(Self.values("Code", in: reused.text) == ["HealthCheckAlreadyExists"])
    }

    @Test func resetForgetsCallerReferences() throws {
        _ = try createdID("ref-reset", Self.tcp)
        try moto.reset()
        #expect(try createCheck("ref-reset", Self.tcp.replacingOccurrences(of: "443", with: "80")).status == 201)
    }

    // MARK: - Fix 7

    @Test func updateHealthCheckCountsVersionsAndResetsElements() throws {
        let id = try createdID("update", "<IPAddress>192.0.2.10</IPAddress><Port>80</Port><Type>HTTP</Type>"
                                + "<ResourcePath>/healthz</ResourcePath><FullyQualifiedDomainName>app.example.com"
                                + "</FullyQualifiedDomainName>")
        let update = "<UpdateHealthCheckRequest \(Self.namespace)><HealthCheckVersion>1</HealthCheckVersion><Port>8080</Port>"
            + "<ResetElements><ResettableElementName>ResourcePath</ResettableElementName></ResetElements>"
            + "</UpdateHealthCheckRequest>"
        let updated = try call("POST", "/healthcheck/\(id)", update)
        #expect(updated.status == 200)
        #expect(Self.values("HealthCheckVersion", in: updated.text) == ["2"])
        #expect(Self.values("Port", in: updated.text) == ["8080"])
        #expect(Self.values("ResourcePath", in: updated.text).isEmpty)
        // Left out: kept.
        #expect(Self.values("FullyQualifiedDomainName", in: updated.text) == ["app.example.com"])

        let stale = try call("POST", "/healthcheck/\(id)", update)
        #expect(stale.status == 409)
        #expect(Self.values("Code", in: stale.text) == ["HealthCheckVersionMismatch"])
        #expect(Self.values("HealthCheckVersion", in: try call("GET", "/healthcheck/\(id)").text) == ["2"])
    }

    @Test func updateHealthCheckKeepsChildrenItIsNotGiven() throws {
        let child = try createdID("kept-child", Self.tcp)
        let parent = try createdID("kept-parent", "<Type>CALCULATED</Type><HealthThreshold>1</HealthThreshold>"
                                    + "<ChildHealthChecks><ChildHealthCheck>\(child)</ChildHealthCheck></ChildHealthChecks>")
        let updated = try call("POST", "/healthcheck/\(parent)", "<UpdateHealthCheckRequest \(Self.namespace)>"
                                + "<HealthThreshold>0</HealthThreshold></UpdateHealthCheckRequest>")
        #expect(updated.status == 200)
        #expect(Self.values("ChildHealthCheck", in: updated.text) == [child])
        #expect(Self.values("HealthThreshold", in: updated.text) == ["0"])
    }
}
