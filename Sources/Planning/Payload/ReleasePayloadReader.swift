import Distribution
import Foundation
import OCI

/// Reads `release-manifests/` out of a release payload image. Layers are read from the top
/// down (`LayerStack`), so usually only the top layer is downloaded; only the wanted entries
/// are kept in memory, and what is read out of the layers is bounded by `maxExtractBytes`
/// (`--max-extract-size`).
public struct ReleasePayloadReader: Sendable {
    public let client: RegistryClient
    /// Where layer files are put while they are read.
    public let scratchDirectory: URL

    static let imageReferences = "release-manifests/image-references"
    static let releaseMetadata = "release-manifests/release-metadata"
    static let bootImages = "release-manifests/0000_50_installer_coreos-bootimages.yaml"
    static let wanted: Set<String> = [imageReferences, releaseMetadata, bootImages]

    /// What one payload read may take out of its layers in all (``ExtractionBudget``).
    public let maxExtractBytes: Int64

    public init(client: RegistryClient, scratchDirectory: URL, maxExtractBytes: Int64 = ExtractionBudget.defaultLimit) {
        self.client = client
        self.scratchDirectory = scratchDirectory
        self.maxExtractBytes = maxExtractBytes
    }

    /// - Parameter architecture: the platform to read from a multi-architecture payload index
    ///   (`amd64`, `arm64`, ...); nil takes linux/amd64 when present, else the first child.
    public func read(_ payload: ImageReference, architecture: String? = nil) async throws -> ReleaseManifests {
        let source = ImageSource.registry(client, payload)
        let image = try await source.platformImage(architecture: architecture).manifest
        var found: [String: Data] = [:]
        let layers = LayerStack(source: source, scratchDirectory: scratchDirectory, budget: ExtractionBudget(limit: maxExtractBytes))
        try await layers.forEachVisibleEntry(of: image, done: { visibility in Self.wanted.allSatisfy(visibility.isSettled) }) { entry in
            // Within a layer the last entry of a path wins: a later one replaces (or removes) an earlier one.
            if Self.wanted.contains(entry.path) { found[entry.path] = entry.type == .file ? try entry.contents() : nil }
            return true
        }
        guard let references = found[Self.imageReferences] else {
            throw PlanningError("\(payload): no release-manifests/image-references in the image; is it an OpenShift release payload?")
        }
        let parsed = try ReleaseManifests.parseImageReferences(references, payload: payload.description)
        return ReleaseManifests(components: parsed.components, version: parsed.version,
                                releaseMetadata: found[Self.releaseMetadata], bootImages: found[Self.bootImages])
    }
}
