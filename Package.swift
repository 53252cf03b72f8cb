// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "dnsreconcile",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "dnsreconcile", targets: ["dnsreconcile"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // C libraries, each behind one small shim.
        .systemLibrary(name: "CCurl", path: "Sources/CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CLibXML2", path: "Sources/CLibXML2", pkgConfig: "libxml-2.0",
                       providers: [.apt(["libxml2-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib",
                       providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CYAML", path: "Sources/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),

        // Pure domain: names, records, config model and parsers, registry, planner, batcher.
        .target(name: "DNSReconcileCore", dependencies: [
            "CZlib",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "DNSReconcileHTTP", dependencies: ["CCurl", "DNSReconcileCore"]),
        .target(name: "DNSReconcileXML", dependencies: ["CLibXML2", "DNSReconcileCore"]),
        .target(name: "DNSReconcileRoute53", dependencies: [
            "DNSReconcileCore", "DNSReconcileXML",
            .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .target(name: "DNSReconcileKubernetes", dependencies: ["CYAML", "DNSReconcileCore", "DNSReconcileHTTP"]),
        .target(name: "DNSReconcileCLI", dependencies: [
            "DNSReconcileCore", "DNSReconcileHTTP", "DNSReconcileRoute53", "DNSReconcileKubernetes",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),
        .executableTarget(name: "dnsreconcile", dependencies: ["DNSReconcileCLI"]),
        // In-process micro-benchmark of loading, parsing, planning and batching (not a test).
        .executableTarget(name: "dnsreconcile-bench", dependencies: ["DNSReconcileCore", "DNSReconcileRoute53"]),

        // Shared by the test targets only (manual clock, the Route53 emulator launcher); never
        // linked into the binary.
        .target(name: "DNSReconcileTestSupport", dependencies: ["DNSReconcileCore"],
                path: "Tests/DNSReconcileTestSupport", exclude: ["moto"]),
        .testTarget(name: "DNSReconcileCoreTests", dependencies: ["DNSReconcileCore", "DNSReconcileTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DNSReconcileHTTPTests", dependencies: ["DNSReconcileHTTP", "DNSReconcileTestSupport"]),
        .testTarget(name: "DNSReconcileRoute53Tests", dependencies: ["DNSReconcileRoute53", "DNSReconcileXML", "DNSReconcileHTTP", "DNSReconcileTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DNSReconcileKubernetesTests",
                    dependencies: ["DNSReconcileKubernetes", "DNSReconcileHTTP", "DNSReconcileTestSupport"],
                    resources: [.copy("Fixtures")]),
        .testTarget(name: "DNSReconcileCLITests", dependencies: ["DNSReconcileCLI", "DNSReconcileTestSupport"],
                    resources: [.copy("Fixtures")]),
    ]
)
