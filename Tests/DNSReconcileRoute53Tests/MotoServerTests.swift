import DNSReconcileCore
import DNSReconcileTestSupport
import Testing

/// The emulator harness itself: start, create, reset, stop.
@Suite("MotoServer", .serialized)
struct MotoServerTests {
    @Test func startsCreatesZoneAndResets() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        #expect(moto.endpoint.hasPrefix("http://127.0.0.1:"))
        let id = try moto.createZone(name: "example.com.")
        #expect(!id.isEmpty && !id.contains("/"))
        try moto.tagZone(id, tags: ["team": "dns"])
        try moto.upsertRecordSet(zoneID: id, name: "www.example.com.", type: "A", values: ["192.0.2.1"])
        let listed = try moto.send(HTTPRequest(method: "GET", url: moto.endpoint + "/2013-04-01/hostedzone/\(id)/rrset"))
        #expect(listed.status == 200)
        #expect(String(decoding: listed.body, as: UTF8.self).contains("www.example.com."))
        try moto.reset()
        let zones = try moto.send(HTTPRequest(method: "GET", url: moto.endpoint + "/2013-04-01/hostedzone"))
        #expect(!String(decoding: zones.body, as: UTF8.self).contains(id))
    }

    /// The launcher's fix: a page ending inside a weighted group names the next member, and a
    /// request with that identifier resumes there (plain moto restarts the group every time).
    @Test func pagingResumesInsideARoutingGroup() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let id = try moto.createZone(name: "example.com.")
        for member in 0..<5 {
            try moto.upsertRecordSet(zoneID: id, name: "w.example.com.", type: "A", values: ["192.0.2.\(member)"],
                                     setIdentifier: "m\(member)", weight: member)
        }
        let path = moto.endpoint + "/2013-04-01/hostedzone/\(id)/rrset?maxitems=2&name=w.example.com.&type=A"
        let first = String(decoding: try moto.send(HTTPRequest(method: "GET", url: path)).body, as: UTF8.self)
        #expect(first.contains("<SetIdentifier>m0</SetIdentifier>") && first.contains("<SetIdentifier>m1</SetIdentifier>"))
        #expect(first.contains("<NextRecordIdentifier>m2</NextRecordIdentifier>"))
        let second = String(decoding: try moto.send(HTTPRequest(method: "GET", url: path + "&identifier=m2")).body,
                            as: UTF8.self)
        #expect(second.contains("<SetIdentifier>m2</SetIdentifier>") && second.contains("<SetIdentifier>m3</SetIdentifier>"))
        #expect(!second.contains("<SetIdentifier>m0</SetIdentifier>"))
        #expect(second.contains("<NextRecordIdentifier>m4</NextRecordIdentifier>"))
    }
}
