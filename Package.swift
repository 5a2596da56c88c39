// swift-tools-version:6.0
import PackageDescription

// One target per pipeline stage, dependencies only pointing back along the flow:
//
//   DoctorModel → DoctorIngest → DoctorParse → DoctorRedact → DoctorRules → DoctorFindings
//     → DoctorReport → ModelDoctorKit (facade) → modeldoctor (CLI)
//
// DoctorModel holds the value types every stage shares (exchange, report values,
// `RedactedText`, signals, the ticket bundle). External dependencies enter at one target each:
// zlib and ZIPFoundation → Ingest, Yams → Rules, swift-crypto (SHA-256 for pack digests, HMAC
// for key fingerprints) → Redact and Rules, CSV.swift (RFC 4180 writing for `triage --format
// csv`) → Report, ArgumentParser → the CLI. Redact sits
// before Rules because the findings stage redacts excerpts as it makes them; it reads
// bundles (for `modeldoctor redact`) but knows nothing of rules. The compiler enforces the
// order: a stage cannot import a later one.
let package = Package(
    name: "modeldoctor",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "modeldoctor", targets: ["modeldoctor"]),
        .library(name: "ModelDoctorKit", targets: ["ModelDoctorKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.17.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.0"),
        .package(url: "https://github.com/yaslab/CSV.swift", from: "2.5.2"),
    ],
    targets: [
        .systemLibrary(
            name: "CZlibShim",
            path: "Sources/CZlibShim",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(name: "DoctorModel", swiftSettings: settings),
        .target(name: "DoctorIngest", dependencies: [
            "DoctorModel", "CZlibShim", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
        ], swiftSettings: settings),
        // The C library's substring search (memmem), for `ByteSearch`.
        .target(name: "CByteSearch", path: "Sources/CByteSearch"),
        // The C library allocator's large-block threshold, set by the CLI at start.
        .target(name: "CAllocator", path: "Sources/CAllocator"),
        .target(name: "DoctorParse", dependencies: ["DoctorModel", "DoctorIngest", "CByteSearch"], swiftSettings: settings),
        .target(name: "DoctorRedact", dependencies: [
            "DoctorModel", "DoctorIngest", "DoctorParse", .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: settings),
        .target(name: "DoctorRules", dependencies: [
            "DoctorModel", "DoctorParse", .product(name: "Yams", package: "Yams"),
            .product(name: "Crypto", package: "swift-crypto"),
        ], swiftSettings: settings),
        .target(name: "DoctorFindings", dependencies: ["DoctorModel", "DoctorRedact", "DoctorRules"], swiftSettings: settings),
        .target(name: "DoctorReport", dependencies: [
            "DoctorModel", "DoctorParse", "DoctorRedact", "DoctorRules", "DoctorFindings",
            .product(name: "CSV", package: "CSV.swift"),
        ], swiftSettings: settings),
        .target(name: "ModelDoctorKit", dependencies: [
            "DoctorModel", "DoctorIngest", "DoctorParse", "DoctorRedact", "DoctorRules", "DoctorFindings", "DoctorReport",
        ], swiftSettings: settings),
        .executableTarget(
            name: "modeldoctor",
            dependencies: [
                "ModelDoctorKit", "CAllocator",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        .target(name: "TestSupport", dependencies: ["ModelDoctorKit"], path: "Tests/TestSupport", swiftSettings: settings),
        .testTarget(name: "IngestTests", dependencies: ["ModelDoctorKit", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "ParseTests", dependencies: ["ModelDoctorKit", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "RulesTests", dependencies: ["ModelDoctorKit", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "RedactTests", dependencies: ["ModelDoctorKit", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "ReportTests", dependencies: ["ModelDoctorKit", "TestSupport"], swiftSettings: settings),
        .testTarget(name: "PipelineTests", dependencies: [
            "ModelDoctorKit", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
        ], swiftSettings: settings),
        .testTarget(name: "CLITests", dependencies: ["modeldoctor", "ModelDoctorKit", "TestSupport"], swiftSettings: settings),
    ]
)

/// Settings every target shares.
var settings: [SwiftSetting] {
    [
        .enableUpcomingFeature("ExistentialAny"),
    ]
}
