import Distribution
import Foundation
import OCI

/// Reads `release-manifests/` out of a release payload image. Layers are read from the top
/// down (`LayerStack`), so usually only the top layer is downloaded; only the wanted entries
/// are kept in memory.
public struct ReleasePayloadReader: Sendable {
    public let client: RegistryClient
    /// Where layer files are put while they are read.
    public let scratchDirectory: URL

    static let imageReferences = "release-manifests/image-references"
    static let releaseMetadata = "release-manifests/release-metadata"
    static let bootImages = "release-manifests/0000_50_installer_coreos-bootimages.yaml"
    static let wanted: Set<String> = [imageReferences, releaseMetadata, bootImages]

    public init(client: RegistryClient, scratchDirectory: URL) {
        self.client = client
        self.scratchDirectory = scratchDirectory
    }

    /// - Parameter architecture: the platform to read from a multi-architecture payload index
    ///   (`amd64`, `arm64`, ...); nil takes linux/amd64 when present, else the first child.
    public func read(_ payload: ImageReference, architecture: String? = nil) async throws -> ReleaseManifests {
        var document = try await client.fetchManifest(payload)
        if let index = document.index {
            let children = index.manifests
            let chosen = children.first { $0.platform?.architecture == (architecture ?? "amd64") && $0.platform?.os == "linux" }
                ?? (architecture == nil ? children.first : nil)
            guard let chosen else {
                throw PlanningError("\(payload): the release index has no linux/\(architecture ?? "amd64") image "
                    + "(it has \(children.compactMap(\.platform?.description).joined(separator: ", ")))")
            }
            document = try await client.fetchManifest(ImageReference(repository: payload.repository, tag: nil, digest: chosen.digest))
        }
        guard let image = document.image else {
            throw PlanningError("\(payload): not an image manifest (\(document.mediaType.rawValue))")
        }
        var found: [String: Data] = [:]
        let layers = LayerStack(source: .registry(client, payload), scratchDirectory: scratchDirectory)
        try await layers.forEachVisibleEntry(of: image, done: { visibility in Self.wanted.allSatisfy(visibility.isSettled) }) { entry in
            if Self.wanted.contains(entry.path), entry.type == .file { found[entry.path] = try entry.contents() }
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
