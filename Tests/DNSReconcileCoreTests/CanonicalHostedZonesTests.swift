import Testing
@testable import DNSReconcileCore

/// Alias targets: which hosted zone id an alias names, from the target's name alone.
@Suite struct CanonicalHostedZonesTests {
    @Test(arguments: [
        ("classic-or-alb", "my-lb-1234567890.us-east-1.elb.amazonaws.com", "Z35SXDOTRQ7X7K"),
        ("alb-internal", "internal-my-alb-99.ap-east-1.elb.amazonaws.com", "Z3DQVH9N71FHZ0"),
        ("alb-dualstack", "dualstack.my-alb-99.eu-west-1.elb.amazonaws.com", "Z32O12XQLNTSW2"),
        ("alb-case-and-dot", "My-ALB-99.AP-SOUTHEAST-1.ELB.amazonaws.com.", "Z1LMS91P8CMLE5"),
        ("nlb", "my-nlb-0123456789abcdef.elb.ap-southeast-1.amazonaws.com", "ZKVM4W9LS7TM"),
        ("nlb-us-east-1", "a1b2c3.elb.us-east-1.amazonaws.com", "Z26RNL4JYFTOTI"),
        ("nlb-dualstack", "dualstack.my-nlb-1.elb.eu-central-1.amazonaws.com", "Z3F0SRJ5LGBH90"),
        ("alb-china", "my-lb-1.cn-north-1.elb.amazonaws.com.cn", "Z1GDH35T77C1KE"),
        ("nlb-china", "my-nlb-1.elb.cn-northwest-1.amazonaws.com.cn", "ZQEIKTCZ8352D"),
        ("cloudfront", "d111111abcdef8.cloudfront.net", "Z2FDTNDATAQYW2"),
        ("global-accelerator", "a1234567890abcdef.awsglobalaccelerator.com", "Z2BJ6XQ5FK7U4H"),
        ("s3-website-dash", "www.example.com.s3-website-us-east-1.amazonaws.com", "Z3AQBSTGFYJSTF"),
        ("s3-website-dot", "www.example.com.s3-website.eu-central-1.amazonaws.com", "Z21DNDUVLTQW6Q"),
        ("s3-website-endpoint-only", "s3-website.ap-east-1.amazonaws.com", "ZNB98KWMFR0R6"),
        ("s3-website-china", "bucket.s3-website.cn-north-1.amazonaws.com.cn", "Z5CN8UMXT92WN"),
        ("vpc-endpoint", "vpce-0abc123-xyz.us-west-2.vpce.amazonaws.com", "Z1YSA3EXCYUU9Z"),
        ("api-gateway-regional", "d-abc123.execute-api.eu-west-1.amazonaws.com", "ZLY8HYME6SFDD"),
    ])
    func knownTargets(id: String, target: String, zone: String) {
        #expect(CanonicalHostedZones.zoneID(for: DNSName(target)) == zone, "\(id)")
        #expect(CanonicalHostedZones.isAWSName(DNSName(target)) == !["cloudfront", "global-accelerator"].contains(id))
    }

    @Test(arguments: [
        "my-lb.xx-moon-1.elb.amazonaws.com",     // a region not (yet) known
        "elb.amazonaws.com",
        "my-bucket.s3.amazonaws.com",            // the REST endpoint, not a website
        "lb.example.net",
        "cloudfront.net.example.com",            // the suffix must end the name
        "app.example.com",
        "",
    ])
    func unknownTargets(target: String) {
        #expect(CanonicalHostedZones.zoneID(for: DNSName(target)) == nil)
    }

    @Test func everyConfigRegionHasItsLoadBalancerZones() {
        let known = Dictionary(uniqueKeysWithValues: CanonicalHostedZones.regions.map { ($0.name, $0) })
        for region in ConfigSchema.awsRegions {
            #expect(known[region]?.alb != nil, "\(region): no ALB/CLB zone")
            #expect(known[region]?.nlb != nil, "\(region): no NLB zone")
        }
        #expect(Set(CanonicalHostedZones.bySuffix.values).count > 150)
    }

    @Test func unknownAWSNameIsRecognisedAsAWS() {
        #expect(CanonicalHostedZones.isAWSName("my-lb.xx-moon-1.elb.amazonaws.com"))
        #expect(CanonicalHostedZones.isAWSName("x.amazonaws.com.cn"))
        #expect(!CanonicalHostedZones.isAWSName("amazonaws.com.example.org"))
    }
}
