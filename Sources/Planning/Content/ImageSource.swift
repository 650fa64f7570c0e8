import Distribution
import Foundation
import OCI
import Transport

/// One image Ferry reads to build from (a catalog, a release payload, a base image): in a
/// registry repository, or in an OCI layout on disk (`oci://` catalogs). Readers and builders
/// take this instead of a registry client, so a layout goes through the same code.
public enum ImageSource: Sendable, CustomStringConvertible {
    /// The image at a registry, by tag or digest.
    case registry(RegistryClient, ImageReference)
    /// The image in a layout, by its manifest (or index) digest.
    case layout(OCILayout, Digest)

    public var description: String {
        switch self {
        case .registry(_, let reference): reference.description
        case .layout(let layout, let digest): "oci://\(layout.root.path)@\(digest)"
        }
    }

    /// The image's manifest or index.
    public func rootManifest() async throws -> ManifestDocument {
        switch self {
        case .registry(let client, let reference): try await client.fetchManifest(reference)
        case .layout(let layout, let digest): try layout.manifest(digest)
        }
    }

    /// A manifest the image's index lists.
    public func manifest(_ digest: Digest) async throws -> ManifestDocument {
        switch self {
        case .registry(let client, let reference):
            try await client.fetchManifest(ImageReference(repository: reference.repository, tag: nil, digest: digest))
        case .layout(let layout, _):
            try layout.manifest(digest)
        }
    }

    /// The image manifest to read: the image itself, or one platform out of its index.
    /// - Parameter architecture: the linux platform wanted; nil takes linux/amd64 when present,
    ///   else the first entry (content that is the same on every platform: catalogs, bundles).
    /// - Returns: the manifest document read, and its image manifest.
    public func platformImage(architecture: String? = nil) async throws -> (document: ManifestDocument, manifest: ImageManifest) {
        var document = try await rootManifest()
        if let index = document.index {
            let children = index.manifests
            let chosen = children.first { $0.platform?.architecture == (architecture ?? "amd64") && $0.platform?.os == "linux" }
                ?? (architecture == nil ? children.first : nil)
            guard let chosen else {
                throw PlanningError(children.isEmpty ? "\(self): the index lists no image"
                    : "\(self): the index has no linux/\(architecture ?? "amd64") image "
                        + "(it has \(children.compactMap(\.platform?.description).joined(separator: ", ")))")
            }
            document = try await manifest(chosen.digest)
        }
        guard let image = document.image else {
            throw PlanningError("\(self): not an image manifest (\(document.mediaType.rawValue))")
        }
        return (document, image)
    }

    /// Calls `body` with a local file holding `blob`, checked against its digest: a download into
    /// `scratch` (deleted afterwards) from a registry, the layout's own file from a layout.
    public func withBlobFile<T>(_ blob: Descriptor, scratch: URL, _ body: (URL) throws -> T) async throws -> T {
        switch self {
        case .registry(let client, let reference):
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            let file = scratch.appendingPathComponent("blob-\(blob.digest.encoded.prefix(16))-\(UUID().uuidString.prefix(8))")
            defer { try? FileManager.default.removeItem(at: file) }
            try await client.downloadBlob(blob, from: reference.repository.path, to: file.path)
            return try body(file)
        case .layout(let layout, _):
            return try body(try layout.verifiedFile(blob))
        }
    }

    /// The labels of the image's configuration (`config.Labels`), empty when it has none.
    public func labels(of manifest: ImageManifest, scratch: URL) async throws -> [String: String] {
        struct Config: Decodable {
            struct Settings: Decodable { var Labels: [String: String]? }
            var config: Settings?
        }
        let config = try await withBlobFile(manifest.config, scratch: scratch) { file in
            try JSONDecoder().decode(Config.self, from: Data(contentsOf: file))
        }
        return config.config?.Labels ?? [:]
    }

    /// Puts `blob` into `repository` at `destination` unless it is there: mounted from another
    /// repository `placements` knows to hold it, else streamed from the source registry or
    /// uploaded from the layout's file. Where it ends up is added to `placements`.
    public func copyBlob(_ blob: Descriptor, to destination: RegistryClient, repository: String,
                         progress: ByteCounter? = nil, placements: BlobPlacements? = nil, tally: BuildTally? = nil) async throws {
        func placed() { placements?.record(blob.digest, registry: destination.registry, repository: repository) }
        if try await destination.blobExists(blob.digest, in: repository) {
            tally?.record(.present, blob.digest, size: blob.size, registry: destination.registry, repository: repository)
            return placed()
        }
        var session: UploadSession?
        if let from = placements?.mountSource(for: blob.digest, registry: destination.registry, excluding: repository) {
            // Best effort, as in the copier: a registry that refuses or answers oddly gets an upload.
            switch try? await destination.mountBlob(blob.digest, into: repository, from: from) {
            case .mounted?:
                tally?.record(.mounted, blob.digest, size: blob.size, registry: destination.registry, repository: repository)
                return placed()
            case .uploadStarted(let opened)?: session = opened
            case nil: break
            }
        }
        switch self {
        case .registry(let client, let reference):
            try await BlobRelay.copy(blob, from: client, repository: reference.repository.path, to: destination,
                                     repository: repository, session: session, progress: progress)
        case .layout(let layout, _):
            // Checked first, so a damaged layout is reported as such rather than as a refused upload.
            let file = try layout.verifiedFile(blob)
            try await destination.uploadBlob(blob, fromFile: file.path, in: repository, session: session)
            progress?.add(blob.size)
        }
        tally?.record(.uploaded, blob.digest, size: blob.size, registry: destination.registry, repository: repository)
        placed()
    }
}
