import Distribution
import Foundation
import OCI
import Transport

/// Puts an image Ferry reads itself (an `oci://` catalog mirrored whole) into a registry exactly
/// as it is: every blob the repository lacks, each platform manifest by digest, then the root
/// under the target tag. The digests do not change. Registry-to-registry copies go through the
/// copier instead.
public struct ImageUploader: Sendable {
    public var destination: RegistryClient
    /// Counts the blob bytes sent.
    public var progress: ByteCounter?
    /// Where blobs are at the destination: mount sources, and told of what this upload places.
    public var placements: BlobPlacements?
    /// Counts what was uploaded, mounted, found in place, and the manifests pushed.
    public var tally: BuildTally?

    public init(destination: RegistryClient, progress: ByteCounter? = nil, placements: BlobPlacements? = nil,
                tally: BuildTally? = nil) {
        self.destination = destination
        self.progress = progress
        self.placements = placements
        self.tally = tally
    }

    /// The image's manifests: the root, and the platform manifests of an index (every platform).
    public func manifests(of image: ImageSource) async throws -> (root: ManifestDocument, children: [ManifestDocument]) {
        let root = try await image.rootManifest()
        var children: [ManifestDocument] = []
        for child in root.index?.manifests ?? [] {
            let document = try await image.manifest(child.digest)
            guard document.image != nil else {
                throw PlanningError("\(image): the index entry \(child.digest) is not an image manifest (nested indexes are not supported)")
            }
            children.append(document)
        }
        return (root, children)
    }

    /// Uploads the image, whose manifests `manifests(of:)` read, to `target` (a tag).
    public func upload(_ image: ImageSource, root: ManifestDocument, children: [ManifestDocument], to target: ImageReference) async throws {
        let repository = target.repository.path
        for document in children + [root] {
            for blob in document.blobs where !blob.mediaType.isNonDistributable {
                try await image.copyBlob(blob, to: destination, repository: repository, progress: progress,
                                         placements: placements, tally: tally)
            }
        }
        for child in children {
            try await destination.pushManifest(child, to: ImageReference(repository: target.repository, tag: nil, digest: child.digest))
            tally?.pushedManifest()
        }
        try await destination.pushManifest(root, to: target)
        tally?.pushedManifest()
    }
}
