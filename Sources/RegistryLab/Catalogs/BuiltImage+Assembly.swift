import Foundation
import OCI

extension BuiltImage {
    /// The manifest flavour of an image and of an index over such images.
    enum Flavor {
        case oci
        case docker

        var manifest: MediaType { self == .oci ? .ociImageManifest : .dockerManifest }
        var index: MediaType { self == .oci ? .ociImageIndex : .dockerManifestList }
        var config: MediaType { self == .oci ? .ociImageConfig : .dockerImageConfig }
        var layer: MediaType { self == .oci ? .ociLayerGzip : .dockerLayerGzip }
    }

    /// An image of `layers` (bottom first) whose config holds `containerConfig` (`Labels`, `Cmd`, …).
    static func assemble(repository: String, flavor: Flavor, platform: Platform, layers: [LayerArchive.Layer],
                         containerConfig: [String: Any], tags: [String] = []) throws -> BuiltImage {
        let config = try JSONSerialization.data(withJSONObject: [
            "architecture": platform.architecture,
            "os": platform.os,
            "created": "2025-01-01T00:00:00Z",
            "config": containerConfig,
            "rootfs": ["type": "layers", "diff_ids": layers.map(\.diffID.description)],
        ] as [String: Any], options: [.sortedKeys, .withoutEscapingSlashes])
        let manifest = ImageManifest(
            schemaVersion: 2, mediaType: flavor.manifest,
            config: Descriptor(mediaType: flavor.config, digest: .sha256(config), size: Int64(config.count)),
            layers: layers.map { Descriptor(mediaType: flavor.layer, digest: .sha256($0.compressed), size: Int64($0.compressed.count)) })
        return BuiltImage(repository: repository, manifest: try ManifestDocument(encoding: .image(manifest)),
                          blobs: [config] + layers.map(\.compressed), tags: tags)
    }

    /// An index over `children`, one per platform; the children are pushed before it.
    static func index(repository: String, flavor: Flavor, children: [(Platform, BuiltImage)], tags: [String] = []) throws -> BuiltImage {
        let index = ImageIndex(schemaVersion: 2, mediaType: flavor.index, manifests: children.map { platform, child in
            Descriptor(mediaType: child.manifest.mediaType, digest: child.manifest.digest, size: Int64(child.manifest.bytes.count),
                       platform: platform)
        })
        return BuiltImage(repository: repository, manifest: try ManifestDocument(encoding: .index(index)), blobs: [], tags: tags)
    }
}
