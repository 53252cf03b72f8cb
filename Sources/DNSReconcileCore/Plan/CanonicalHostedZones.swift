/// The hosted zones AWS serves its own endpoints from, by region: an alias to a load balancer,
/// a CloudFront distribution, an S3 website, ... must name that zone, not the zone that holds the
/// record.
///
/// Coverage (facts as ExternalDNS and the AWS General Reference list them): Application and
/// Classic Load Balancers (`<name>.<region>.elb.amazonaws.com`, also with `dualstack.`), Network
/// Load Balancers (`<name>.elb.<region>.amazonaws.com`), S3 website endpoints
/// (`<bucket>.s3-website-<region>.amazonaws.com` and `<bucket>.s3-website.<region>.amazonaws.com`),
/// interface VPC endpoints (`<id>.<region>.vpce.amazonaws.com`), regional API Gateway endpoints
/// (`<id>.execute-api.<region>.amazonaws.com`), CloudFront (also edge-optimised API Gateway) and
/// Global Accelerator. China regions use `amazonaws.com.cn`. Anything else needs
/// `aws-target-hosted-zone`.
public enum CanonicalHostedZones {
    /// One region's canonical zones; nil where the service has no endpoint there (or none is known).
    struct Region {
        var name: String
        /// Application and Classic Load Balancers.
        var alb: String?
        /// Network Load Balancers.
        var nlb: String?
        var s3Website: String?
        var vpcEndpoint: String?
        /// Regional API Gateway endpoints.
        var apiGateway: String?

        init(_ name: String, alb: String?, nlb: String?, s3Website: String?, vpcEndpoint: String?, apiGateway: String?) {
            self.name = name
            self.alb = alb
            self.nlb = nlb
            self.s3Website = s3Website
            self.vpcEndpoint = vpcEndpoint
            self.apiGateway = apiGateway
        }
    }

    /// CloudFront distributions and edge-optimised API Gateway endpoints, in every region.
    public static let cloudFront = "Z2FDTNDATAQYW2"
    public static let globalAccelerator = "Z2BJ6XQ5FK7U4H"

    static let regions: [Region] = [
        Region("af-south-1",      alb: "Z268VQBMOI5EKX",        nlb: "Z203XCE67M25HM",        s3Website: "Z83WF9RJE8B12",         vpcEndpoint: "Z09302161J80N9A7UTP7U", apiGateway: "Z2DHW2332DAMTN"),
        Region("ap-east-1",       alb: "Z3DQVH9N71FHZ0",        nlb: "Z12Y7K3UBGUAD1",        s3Website: "ZNB98KWMFR0R6",         vpcEndpoint: "Z2LIHJ7PKBEMWN",        apiGateway: "Z3FD1VL90ND7K5"),
        Region("ap-east-2",       alb: "Z02789141MW7T1WBU19PO", nlb: "Z09176273OC2HWIAUNYW",  s3Website: nil,                     vpcEndpoint: "Z09379811HWP0POAUWVN3", apiGateway: "Z02909591O7FG9Q56HWB1"),
        Region("ap-northeast-1",  alb: "Z14GRHDCWA56QT",        nlb: "Z31USIVHYNEOWT",        s3Website: "Z2M4EHUR26P7ZW",        vpcEndpoint: "Z2E726K9Y6RL4W",        apiGateway: "Z1YSHQZHG15GKL"),
        Region("ap-northeast-2",  alb: "ZWKZPGTI48KDX",         nlb: "ZIBE1TIR4HY56",         s3Website: "Z3W03O7B5YMIYP",        vpcEndpoint: "Z27UANNT0PRK1T",        apiGateway: "Z20JF4UZKIW1U8"),
        Region("ap-northeast-3",  alb: "Z5LXEXXYW11ES",         nlb: "Z1GWIQ4HH19I5X",        s3Website: "Z2YQB5RD63NC85",        vpcEndpoint: "Z376B5OMM2JZL2",        apiGateway: nil),
        Region("ap-south-1",      alb: "ZP97RAFLXTNZK",         nlb: "ZVDDRBQ08TROA",         s3Website: "Z11RGJOFQNVJUP",        vpcEndpoint: "Z2KVTB3ZLFM7JR",        apiGateway: "Z3VO1THU9YC4UR"),
        Region("ap-south-2",      alb: "Z0173938T07WNTVAEPZN",  nlb: "Z0711778386UTO08407HT", s3Website: "Z02976202B4EZMXIPMXF7", vpcEndpoint: "Z0952991RWSF5AHIQDIY",  apiGateway: nil),
        Region("ap-southeast-1",  alb: "Z1LMS91P8CMLE5",        nlb: "ZKVM4W9LS7TM",          s3Website: "Z3O0J2DXBE1FTB",        vpcEndpoint: "Z18LLCSTV4NVNL",        apiGateway: "ZL327KTPIQFUL"),
        Region("ap-southeast-2",  alb: "Z1GM3OXH4ZPM65",        nlb: "ZCT6FZBF4DROD",         s3Website: "Z1WCIGYICN2BYD",        vpcEndpoint: "ZDK2GCRPAFKGO",         apiGateway: "Z2RPCDW04V8134"),
        Region("ap-southeast-3",  alb: "Z08888821HLRG5A9ZRTER", nlb: "Z01971771FYVNCOVWJU1G", s3Website: "Z01846753K324LI26A3VV", vpcEndpoint: "Z03881013RZ9BYYZO8N5W", apiGateway: nil),
        Region("ap-southeast-4",  alb: "Z09517862IB2WZLPXG76F", nlb: "Z01156963G8MIIL7X90IV", s3Website: "Z0312387243XT5FE14WFO", vpcEndpoint: "Z07508191CO1RNBX3X3AU", apiGateway: nil),
        Region("ap-southeast-5",  alb: "Z06010284QMVVW7WO5J",   nlb: "Z026317210H9ACVTRO6FB", s3Website: "Z08660063OXLMA7F1FJHU", vpcEndpoint: nil,                     apiGateway: nil),
        Region("ap-southeast-6",  alb: "Z023301818UFJ50CIO0MV", nlb: "Z01392953RKV2Q3RBP0KU", s3Website: nil,                     vpcEndpoint: nil,                     apiGateway: nil),
        Region("ap-southeast-7",  alb: "Z0390008CMBRTHFGWBCB",  nlb: "Z054363131YWATEMWRG5L", s3Website: nil,                     vpcEndpoint: nil,                     apiGateway: nil),
        Region("ca-central-1",    alb: "ZQSVJUPU6J1EY",         nlb: "Z2EPGBW3API2WT",        s3Website: "Z1QDHH18159H29",        vpcEndpoint: "ZRCXCF510Y6P9",         apiGateway: "Z19DQILCV0OWEC"),
        Region("ca-west-1",       alb: "Z06473681N0SF6OS049SD", nlb: "Z02754302KBB00W2LKWZ9", s3Website: "Z03565811Z33SLEZTHOUL", vpcEndpoint: nil,                     apiGateway: nil),
        Region("cn-north-1",      alb: "Z1GDH35T77C1KE",        nlb: "Z3QFB96KMJ7ED6",        s3Website: "Z5CN8UMXT92WN",         vpcEndpoint: nil,                     apiGateway: nil),
        Region("cn-northwest-1",  alb: "ZM7IZAIOVVDZF",         nlb: "ZQEIKTCZ8352D",         s3Website: "Z282HJ1KT0DH03",        vpcEndpoint: nil,                     apiGateway: nil),
        Region("eu-central-1",    alb: "Z215JYRZR1TBD5",        nlb: "Z3F0SRJ5LGBH90",        s3Website: "Z21DNDUVLTQW6Q",        vpcEndpoint: "Z273ZU8SZ5RJPC",        apiGateway: "Z1U9ULNL0V5AJ3"),
        Region("eu-central-2",    alb: "Z06391101F2ZOEP8P5EB3", nlb: "Z02239872DOALSIDCX66S", s3Website: "Z030506016YDQGETNASS",  vpcEndpoint: "Z045369019J4FUQ4S272E", apiGateway: nil),
        Region("eu-north-1",      alb: "Z23TAZ6LKFMNIO",        nlb: "Z1UDT6IFJ4EJM",         s3Website: "Z3BAZG2TWCNX0D",        vpcEndpoint: "Z3OWWK6JFDEDGC",        apiGateway: "Z3UWIKFBOOGXPP"),
        Region("eu-south-1",      alb: "Z3ULH7SSC9OV64",        nlb: "Z23146JA1KNAFP",        s3Website: "Z30OZKI7KPW7MI",        vpcEndpoint: "Z2A5FDNRLY7KZG",        apiGateway: "Z3BT4WSQ9TDYZV"),
        Region("eu-south-2",      alb: "Z0956581394HF5D5LXGAP", nlb: "Z1011216NVTVYADP1SSV",  s3Website: "Z0081959F7139GRJC19J",  vpcEndpoint: "Z014396544HENR57XQCJ",  apiGateway: "Z02499852UI5HEQ5JVWX3"),
        Region("eu-west-1",       alb: "Z32O12XQLNTSW2",        nlb: "Z2IFOLAFXWLO4F",        s3Website: "Z1BKCTXD74EZPE",        vpcEndpoint: "Z38GZ743OKFT7T",        apiGateway: "ZLY8HYME6SFDD"),
        Region("eu-west-2",       alb: "ZHURV8PSTC4K8",         nlb: "ZD4D7Y8KGAS4G",         s3Website: "Z3GKZC51ZF0DB4",        vpcEndpoint: "Z7K1066E3PUKB",         apiGateway: "ZJ5UAJN8Y3Z2Q"),
        Region("eu-west-3",       alb: "Z3Q77PNBQS71R4",        nlb: "Z1CMS0P5QUZ6D5",        s3Website: "Z3R1K369G5AVDG",        vpcEndpoint: "Z1DWHTMFP0WECP",        apiGateway: "Z3KY65QIEKYHQQ"),
        Region("il-central-1",    alb: "Z09170902867EHPV2DABU", nlb: "Z0313266YDI6ZRHTGQY4",  s3Website: "Z09640613K4A3MN55U7GU", vpcEndpoint: nil,                     apiGateway: nil),
        Region("me-central-1",    alb: "Z08230872XQRWHG2XF6I",  nlb: "Z00282643NTTLPANJJG2P", s3Website: "Z06143092I8HRXZRUZROF", vpcEndpoint: "Z07122992YCEUCB9A9570", apiGateway: "Z08780021BKYYY8U0YHTV"),
        Region("me-south-1",      alb: "ZS929ML54UICD",         nlb: "Z3QSRYVP46NYYV",        s3Website: "Z1MPMWCPA7YB62",        vpcEndpoint: "Z3B95P3VBGEQGY",        apiGateway: "Z20ZBPC0SS8806"),
        Region("mx-central-1",    alb: "Z023552324OKD1BB28BH5", nlb: "Z02031231H3ID6HYJ9A7U", s3Website: nil,                     vpcEndpoint: nil,                     apiGateway: nil),
        Region("sa-east-1",       alb: "Z2P70J7HTTTPLU",        nlb: "ZTK26PT1VY4CU",         s3Website: "Z7KQH4QJS55SO",         vpcEndpoint: "Z2LXUWEVLCVZIB",        apiGateway: "ZCMLWB8V5SYIT"),
        Region("us-east-1",       alb: "Z35SXDOTRQ7X7K",        nlb: "Z26RNL4JYFTOTI",        s3Website: "Z3AQBSTGFYJSTF",        vpcEndpoint: "Z7HUB22UULQXV",         apiGateway: "Z1UJRXOUMOOFQ8"),
        Region("us-east-2",       alb: "Z3AADJGX6KTTL2",        nlb: "ZLMOA37VPKANP",         s3Website: "Z2O1EMRO9K5GLX",        vpcEndpoint: "ZC8PG0KIFKBRI",         apiGateway: "ZOJJZC49E0EPZ"),
        Region("us-gov-east-1",   alb: "Z166TLBEWOO7G0",        nlb: "Z1ZSMQQ6Q24QQ8",        s3Website: "Z2NIFVYYW2VKV1",        vpcEndpoint: "Z2MU5TEIGO9WXB",        apiGateway: "Z3SE9ATJYCRCZJ"),
        Region("us-gov-west-1",   alb: "Z33AYJ8TM3BH4J",        nlb: "ZMG1MZ2THAWF1",         s3Website: "Z31GFT0UA1I2HV",        vpcEndpoint: "Z12529ZODG2B6H",        apiGateway: "Z1K6XKP9SAGWDV"),
        Region("us-west-1",       alb: "Z368ELLRRE2KJ0",        nlb: "Z24FKFUX50B4VW",        s3Website: "Z2F56UZL2M1ACD",        vpcEndpoint: "Z12I86A8N7VCZO",        apiGateway: "Z2MUQ32089INYE"),
        Region("us-west-2",       alb: "Z1H1FL5HABSF5",         nlb: "Z18D5FSROUN65G",        s3Website: "Z3BJ6K6RIION7M",        vpcEndpoint: "Z1YSA3EXCYUU9Z",        apiGateway: "Z2OJLYMUO9EFXC"),
    ]

    /// Every known suffix with its zone.
    static let bySuffix: [String: String] = {
        var table = ["cloudfront.net": cloudFront, "awsglobalaccelerator.com": globalAccelerator]
        for region in regions {
            let domain = region.name.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
            table["\(region.name).elb.\(domain)"] = region.alb
            table["elb.\(region.name).\(domain)"] = region.nlb
            // Older regions use a dash before the region, newer ones a dot; a name is under one.
            table["s3-website-\(region.name).\(domain)"] = region.s3Website
            table["s3-website.\(region.name).\(domain)"] = region.s3Website
            table["\(region.name).vpce.\(domain)"] = region.vpcEndpoint
            table["execute-api.\(region.name).\(domain)"] = region.apiGateway
        }
        return table
    }()

    /// The canonical hosted zone of `target`: the zone of its longest known suffix (so a
    /// `dualstack.` prefix or a bucket name in front changes nothing), or nil.
    public static func zoneID(for target: DNSName) -> String? {
        var suffix = Substring(target.value)
        while !suffix.isEmpty {
            if let zone = bySuffix[String(suffix)] { return zone }
            guard let dot = suffix.firstIndex(of: ".") else { return nil }
            suffix = suffix[suffix.index(after: dot)...]
        }
        return nil
    }

    /// True for a name under AWS's own domains (`amazonaws.com`, `amazonaws.com.cn`): an alias
    /// to one that is not in the table most likely points at a region or service added since.
    public static func isAWSName(_ name: DNSName) -> Bool {
        ["amazonaws.com", "amazonaws.com.cn"].contains { name.isWithin(DNSName($0)) }
    }
}
