import Distribution
import OCI

/// Pushes built images into a lab registry through Ferry's registry client: blobs, then the
/// manifest by digest, then its tags (none for components, which real releases name by digest only).
struct BuiltImagePusher: Sendable {
    let client: RegistryClient

    /// Pushes `images` a few at a time. Callers pass children before the indexes that list them.
    func push(_ images: [BuiltImage], parallel: Int = 4) async throws {
        try await forEachConcurrently(images, limit: parallel) { image in try await push(image) }
    }

    func push(_ image: BuiltImage) async throws {
        for blob in image.blobs {
            try await client.pushBlob(blob, in: image.repository)
        }
        let repository = try RepositoryName(registry: client.registry, path: image.repository)
        try await client.pushManifest(image.manifest, to: ImageReference(repository: repository, tag: nil, digest: image.manifest.digest))
        for tag in image.tags {
            try await client.pushManifest(image.manifest, to: ImageReference(repository: repository, tag: tag, digest: nil))
        }
    }
}
