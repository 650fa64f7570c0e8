import Foundation
import OCI

/// A package as one catalog serves it, with its bundles resolved to pushed images.
public struct OperatorPackage: Sendable, Hashable {
    public var name: String
    public var defaultChannel: String
    public var channels: [OperatorChannel]
    /// Every bundle a channel lists, in ascending version order.
    public var bundles: [OperatorBundle]
    public var deprecations: [OperatorCatalogSet.Deprecation]

    public func channel(_ name: String) -> OperatorChannel? {
        channels.first { $0.name == name }
    }

    /// The bundle named `foo.v0.3.2`.
    public func bundle(named name: String) -> OperatorBundle? {
        bundles.first { $0.name == name }
    }

    /// The bundle of version `0.3.2`.
    public func bundle(version: String) -> OperatorBundle? {
        bundles.first { $0.version == version }
    }

    /// The bundles a channel lists, in ascending version order.
    public func bundles(inChannel channel: String) -> [OperatorBundle] {
        let names = Set(self.channel(channel)?.bundleNames ?? [])
        return bundles.filter { names.contains($0.name) }
    }

    /// The names of the channels that list a bundle, in catalog order.
    public func channels(containing bundle: String) -> [String] {
        channels.filter { $0.entry(bundle) != nil }.map(\.name)
    }
}

/// A catalog image as the lab pushed it.
public struct OperatorCatalog: Sendable, Hashable, CustomStringConvertible {
    /// The config label naming the FBC directory (spec §5.1).
    public static let configsLabel = "operators.operatorframework.io.index.configs.v1"
    /// Its value in every lab catalog.
    public static let configsDirectory = "/configs"
    /// The config's `Cmd`.
    public static let command = ["serve", "/configs", "--cache-dir=/tmp/cache"]

    /// By tag: `<upstream>/redhat/redhat-operator-index:v4.18`.
    public var reference: ImageReference
    /// The digest the tag resolves to: the index's, or the image's for a single-platform catalog.
    public var digest: Digest
    /// `.ociImageIndex` or `.dockerManifest`.
    public var mediaType: MediaType
    /// The image manifest of each platform (for a single image, its own digest).
    public var platformManifests: [Platform: Digest]
    /// What the catalog serves once its layers are applied in order.
    public var packages: [OperatorPackage]
    /// Packages that only a reader ignoring the top layer's whiteouts would see.
    public var removedPackages: [String]
    /// Packages whose lower-layer file differs from what the top layer puts in its place.
    public var supersededPackages: [String]
    /// The FBC after the layers are applied: `configs/<package>/catalog.json` → bytes.
    public var catalogFiles: [String: Data]

    /// The reference by digest, keeping no tag.
    public var byDigest: ImageReference {
        ImageReference(repository: reference.repository, tag: nil, digest: digest)
    }

    /// The platforms, in index order.
    public var platforms: [Platform] {
        platformManifests.keys.sorted { $0.description < $1.description }
    }

    public func package(_ name: String) -> OperatorPackage? {
        packages.first { $0.name == name }
    }

    /// A bundle of any package, by name.
    public func bundle(named name: String) -> OperatorBundle? {
        packages.lazy.compactMap { $0.bundle(named: name) }.first
    }

    /// Every bundle of every package.
    public var bundles: [OperatorBundle] { packages.flatMap(\.bundles) }

    public var description: String { "\(reference)@\(digest)" }
}
