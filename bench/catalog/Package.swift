// swift-tools-version:6.1
import PackageDescription

// The catalog benchmark: generates a synthetic file-based catalog the size of the Red Hat
// operator index, then loads and filters it with Planning, built in release (see run.sh).
let package = Package(
    name: "CatalogBench",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Ferry", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "catalog-bench",
            dependencies: [.product(name: "Planning", package: "Ferry")],
            swiftSettings: [.enableUpcomingFeature("ExistentialAny")]
        ),
    ]
)
