import Distribution
import Foundation
import OCI

/// Reads `release-manifests/` out of a release payload image. Layers are read from the top
/// down: the first layer that holds a file, or a whiteout of it, decides it, so usually only
/// the top layer is downloaded. Each layer is streamed to a scratch file, read with libarchive
/// (only the wanted entries are kept in memory) and deleted.
public struct ReleasePayloadReader: Sendable {
    public let client: RegistryClient
    /// Where layer files are put while they are read.
    public let scratchDirectory: URL

    static let directory = "release-manifests"
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
        try FileManager.default.createDirectory(at: scratchDirectory, withIntermediateDirectories: true)

        var found: [String: Data] = [:]
        var decided = Set<String>()
        for layer in image.layers.reversed() where decided.count < Self.wanted.count {
            let file = scratchDirectory.appendingPathComponent("layer-\(layer.digest.encoded.prefix(16)).tar")
            defer { try? FileManager.default.removeItem(at: file) }
            try await client.downloadBlob(layer, from: payload.repository.path, to: file.path)
            var opaque = false
            try LayerArchiveReader(path: file.path).forEachEntry { entry in
                let path = entry.path
                let name = (path as NSString).lastPathComponent
                let parent = (path as NSString).deletingLastPathComponent
                if name == ".wh..wh..opq", parent == Self.directory {
                    opaque = true
                } else if name.hasPrefix(".wh.") {
                    // A whiteout hides the named path (and, for a directory, all below it) in lower layers.
                    let hidden = parent.isEmpty ? String(name.dropFirst(4)) : "\(parent)/\(name.dropFirst(4))"
                    for wanted in Self.wanted where wanted == hidden || wanted.hasPrefix(hidden + "/") { decided.insert(wanted) }
                } else if Self.wanted.contains(path), !decided.contains(path), entry.type == .file {
                    found[path] = try entry.contents()
                    decided.insert(path)
                }
                return true
            }
            if opaque { decided.formUnion(Self.wanted) }
        }
        guard let references = found[Self.imageReferences] else {
            throw PlanningError("\(payload): no release-manifests/image-references in the image; is it an OpenShift release payload?")
        }
        let parsed = try ReleaseManifests.parseImageReferences(references, payload: payload.description)
        return ReleaseManifests(components: parsed.components, version: parsed.version,
                                releaseMetadata: found[Self.releaseMetadata], bootImages: found[Self.bootImages])
    }
}
