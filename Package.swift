// swift-tools-version:6.0
import PackageDescription

// One library does the work (ModelDoctorKit, folders by pipeline stage:
// Ingest → Parse → Exchanges → Rules → Findings → Redact → Report), a system
// zlib module for streaming gzip/deflate, and a thin executable on top.
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
    ],
    targets: [
        .systemLibrary(
            name: "CZlibShim",
            path: "Sources/CZlibShim",
            pkgConfig: "zlib",
            providers: [.apt(["zlib1g-dev"])]
        ),
        .target(
            name: "ModelDoctorKit",
            dependencies: [
                "CZlibShim",
                .product(name: "Yams", package: "Yams"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            ]
        ),
        .executableTarget(
            name: "modeldoctor",
            dependencies: [
                "ModelDoctorKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .target(name: "TestSupport", dependencies: ["ModelDoctorKit"], path: "Tests/TestSupport"),
        .testTarget(name: "IngestTests", dependencies: ["ModelDoctorKit", "TestSupport"]),
        .testTarget(name: "ParseTests", dependencies: ["ModelDoctorKit", "TestSupport"]),
        .testTarget(name: "RulesTests", dependencies: ["ModelDoctorKit", "TestSupport"]),
        .testTarget(name: "RedactTests", dependencies: ["ModelDoctorKit", "TestSupport"]),
        .testTarget(name: "ReportTests", dependencies: ["ModelDoctorKit", "TestSupport"]),
        .testTarget(name: "PipelineTests", dependencies: [
            "ModelDoctorKit", "TestSupport", .product(name: "ZIPFoundation", package: "ZIPFoundation"),
            .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
        ]),
        .testTarget(name: "CLITests", dependencies: ["modeldoctor", "ModelDoctorKit", "TestSupport"]),
    ]
)
