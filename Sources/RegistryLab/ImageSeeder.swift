import Distribution
import Foundation
import OCI
import Synchronization

/// What to put in a lab registry: one image, single-platform or multi-arch.
public struct SeedImage: Sendable {
    public enum Format: Sendable { case oci, docker }

    /// A layer: `shared` layers with the same name are the same bytes wherever they appear.
    public struct Layer: Sendable {
        public var name: String?
        public var size: Int
        public static func shared(_ name: String, size: Int) -> Layer { Layer(name: name, size: size) }
        public static func unique(size: Int) -> Layer { Layer(name: nil, size: size) }
    }

    public var repository: String
    /// The tag pushed; with `digestOnly`, only a name that makes the content unique.
    public var tag: String
    public var layers: [Layer]
    /// Empty: one image manifest. Otherwise an index (OCI) or manifest list (Docker) with one
    /// child per platform ("linux/amd64", "linux/arm64/v8").
    public var platforms: [String]
    public var format: Format
    /// Pushed by digest only, as release components and operands are: no tag in the registry.
    public var digestOnly: Bool

    public init(repository: String, tag: String, layers: [Layer], platforms: [String] = [], format: Format = .oci,
                digestOnly: Bool = false) {
        self.repository = repository
        self.tag = tag
        self.layers = layers
        self.platforms = platforms
        self.format = format
        self.digestOnly = digestOnly
    }
}

/// An image as it was pushed.
public struct SeededImage: Sendable {
    /// By tag; by digest for a `digestOnly` image.
    public var reference: ImageReference
    public var digest: Digest
    /// The root manifest's media type, digest and size: what a referrer's `subject` names.
    public var descriptor: Descriptor
    /// Every manifest digest pushed for it (children first, the root last).
    public var manifests: [Digest]
    /// Unique blobs it names (configs and layers of every child), with their sizes.
    public var blobSizes: [Digest: Int64]
    public var blobs: Set<Digest> { Set(blobSizes.keys) }
    /// The sum of its unique blobs' sizes.
    public var bytes: Int64 { blobSizes.values.reduce(0, +) }
}

/// Pushes synthetic images into a registry through Ferry's own registry client.
public struct ImageSeeder: Sendable {
    public let client: RegistryClient
    /// Shared layers are built once per seeder, not once per image that names them.
    private let sharedLayers = SharedLayers()

    public init(client: RegistryClient) { self.client = client }

    /// A seeder for a lab registry, with its credentials and CA.
    public init(registry: LabRegistry, lab: RegistryLab) {
        var credentials = CredentialStore.none
        switch registry.options.auth {
        case .none: break
        case .basic(let username, let password), .token(let username, let password):
            credentials = CredentialStore([registry.host: Credential(username: username, password: password, source: "lab")])
        }
        let settings = RegistrySettings(certDirectory: registry.certDirectory?.path, certsDirectoryRoots: [])
        client = RegistryClient(registry: registry.host, settings: settings, credentials: credentials)
    }

    @discardableResult
    public func seed(_ image: SeedImage) async throws -> SeededImage {
        let repository = try RepositoryName(registry: client.registry, path: image.repository)
        let reference = ImageReference(repository: repository, tag: image.tag, digest: nil)
        var blobs: [Digest: Int64] = [:]
        let platforms = image.platforms.isEmpty ? ["linux/amd64"] : image.platforms
        var children: [(ManifestDocument, Platform)] = []
        for platformText in platforms {
            let platform = try Platform(parsing: platformText)
            var layers: [Descriptor] = []
            var diffIDs: [Digest] = []
            for (index, layer) in image.layers.enumerated() {
                let seed = layer.name.map { SyntheticContent.seed("\($0)/\(platform)") }
                    ?? SyntheticContent.seed("\(image.repository):\(image.tag)/\(platform)/\(index)")
                let archive = try sharedLayers.layer(seed: seed, size: layer.size, shared: layer.name != nil) {
                    // A shared layer's file is named after the layer, so its bytes never depend on where it appears.
                    try LayerArchive.make(path: "data/\(layer.name ?? "layer-\(index)").bin", size: layer.size, seed: seed)
                }
                let pushed = try await client.pushBlob(archive.compressed, in: image.repository)
                layers.append(Descriptor(mediaType: image.format == .oci ? .ociLayerGzip : .dockerLayerGzip,
                                         digest: pushed.digest, size: pushed.size))
                diffIDs.append(archive.diffID)
                blobs[pushed.digest] = pushed.size
            }
            let config = try Self.json([
                "architecture": platform.architecture, "os": platform.os,
                "config": ["Labels": ["lab.ferry/image": "\(image.repository):\(image.tag)"]],
                "rootfs": ["type": "layers", "diff_ids": diffIDs.map(\.description)],
            ])
            let pushedConfig = try await client.pushBlob(config, in: image.repository)
            blobs[pushedConfig.digest] = pushedConfig.size
            let manifest = ImageManifest(
                schemaVersion: 2, mediaType: image.format == .oci ? .ociImageManifest : .dockerManifest,
                config: Descriptor(mediaType: image.format == .oci ? .ociImageConfig : .dockerImageConfig,
                                   digest: pushedConfig.digest, size: pushedConfig.size),
                layers: layers)
            children.append((try ManifestDocument(bytes: try Self.encode(manifest)), platform))
        }

        var manifests: [Digest] = []
        let root: ManifestDocument
        if image.platforms.isEmpty {
            root = children[0].0
        } else {
            for (child, _) in children {
                try await client.pushManifest(child, to: reference.withDigest(child.digest))
                manifests.append(child.digest)
            }
            let index = ImageIndex(schemaVersion: 2, mediaType: image.format == .oci ? .ociImageIndex : .dockerManifestList,
                                   manifests: children.map { child, platform in
                                       Descriptor(mediaType: child.mediaType, digest: child.digest,
                                                  size: Int64(child.bytes.count), platform: platform)
                                   })
            root = try ManifestDocument(bytes: try Self.encode(index))
        }
        let pushedAs = image.digestOnly ? ImageReference(repository: repository, tag: nil, digest: root.digest) : reference
        try await client.pushManifest(root, to: pushedAs)
        manifests.append(root.digest)
        return SeededImage(reference: pushedAs, digest: root.digest, descriptor: root.descriptor, manifests: manifests,
                           blobSizes: blobs)
    }

    private static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    private static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
    }
}

extension ImageSeeder {
    /// Seeds several images, a few at a time, in the order given for the results.
    public func seed(_ images: [SeedImage], parallel: Int = 4) async throws -> [SeededImage] {
        let results = Mutex<[Int: SeededImage]>([:])
        try await forEachConcurrently(Array(images.indices), limit: parallel) { index in
            let image = try await self.seed(images[index])
            results.withLock { $0[index] = image }
        }
        return results.withLock { results in images.indices.map { results[$0]! } }
    }
}

/// Archives of shared layers, by seed and size.
final class SharedLayers: Sendable {
    private let layers = Mutex<[String: LayerArchive.Layer]>([:])

    func layer(seed: UInt64, size: Int, shared: Bool, make: () throws -> LayerArchive.Layer) rethrows -> LayerArchive.Layer {
        guard shared else { return try make() }
        let key = "\(seed)/\(size)"
        if let built = layers.withLock({ $0[key] }) { return built }
        let built = try make()
        layers.withLock { $0[key] = built }
        return built
    }
}
