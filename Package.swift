// swift-tools-version:6.1
import PackageDescription

// Every Swift target builds in Swift 6 language mode with strict concurrency.
let strict: [SwiftSetting] = [
    // https://github.com/apple/swift-evolution/blob/main/proposals/0335-existential-any.md
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "Ferry",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "ferry", targets: ["ferry"]),
        .executable(name: "ferry-lab", targets: ["ferry-lab"]),
        .library(name: "Copying", targets: ["Copying"]),
        .library(name: "RegistryLab", targets: ["RegistryLab"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
    ],
    targets: [
        // System libraries: a module map and a shim header each (see the module READMEs).
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl",
                       providers: [.apt(["libcurl4-openssl-dev"]), .brew(["curl"])]),
        .systemLibrary(name: "CArchive", pkgConfig: "libarchive",
                       providers: [.apt(["libarchive-dev"]), .brew(["libarchive"])]),
        .systemLibrary(name: "CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"]), .brew(["libyaml"])]),

        .target(name: "OCI",
                dependencies: [.product(name: "Crypto", package: "swift-crypto")],
                exclude: ["README.md"],
                swiftSettings: strict),
        .target(name: "Transport",
                dependencies: ["CCurl", "OCI"],
                exclude: ["README.md"],
                swiftSettings: strict),
        .target(name: "Distribution",
                dependencies: ["OCI", "Transport"],
                exclude: ["README.md"],
                swiftSettings: strict),
        .target(name: "Copying",
                dependencies: ["OCI", "Transport", "Distribution"],
                exclude: ["README.md"],
                swiftSettings: strict),
        .target(name: "RegistryLab",
                dependencies: ["OCI", "Distribution", "CArchive", .product(name: "Crypto", package: "swift-crypto")],
                exclude: ["README.md"],
                swiftSettings: strict),
        .executableTarget(name: "ferry",
                          dependencies: ["Copying", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),
        .executableTarget(name: "ferry-lab",
                          dependencies: ["RegistryLab", "Copying",
                                         .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: strict),

        .testTarget(name: "OCITests", dependencies: ["OCI"], swiftSettings: strict),
        .testTarget(name: "DistributionTests",
                    dependencies: ["Distribution", "Transport", "RegistryLab"], swiftSettings: strict),
        .testTarget(name: "CopyingTests",
                    dependencies: ["Copying", "RegistryLab", "ferry"], swiftSettings: strict),
        .testTarget(name: "RegistryLabTests", dependencies: ["RegistryLab"], swiftSettings: strict),
    ]
)
