import Distribution
import Foundation
import OCI
import Transport

/// Builds an image from a base image plus layers of Ferry's own (the graph-data image, a rebuilt
/// catalog) in two steps: `assemble` makes the manifest and the new blobs without writing
/// anything (a dry-run learns the digest, a run learns whether the target holds it already);
/// `push` copies the base layers the target repository lacks, puts the new layers and the
/// adjusted config, then the manifest by digest (the caller tags).
struct ImageAppender {
    /// The base image (a registry image or one in an OCI layout).
    var source: ImageSource
    var destination: RegistryClient
    var repository: String
    var scratchDirectory: URL
    /// Counts the bytes of base layers copied and new blobs pushed.
    var progress: ByteCounter? = nil
    /// Where blobs are at the destination: base layers another repository holds are mounted.
    var placements: BlobPlacements? = nil
    /// Counts what was uploaded, mounted, found in place, and the manifests pushed.
    var tally: BuildTally? = nil

    /// An image assembled and not yet pushed: its manifest, and the blobs Ferry made for it.
    struct Assembled: Sendable {
        var document: ManifestDocument
        /// The base image's layers, to copy from the source.
        var baseLayers: [Descriptor]
        /// The new layers (compressed) and the new config.
        var madeBlobs: [Data]
    }

    /// - Parameters:
    ///   - adjust: changes to the config's `config` section (labels, Cmd), done on the decoded JSON.
    ///   - comment: the history entry of each added layer.
    func assemble(_ layers: [DeterministicLayer], to base: ImageManifest, baseMediaType: MediaType,
                  comment: String, adjust: (inout [String: Any]) -> Void) async throws -> Assembled {
        let configData = try await source.withBlobFile(base.config, scratch: scratchDirectory) { try Data(contentsOf: $0) }
        guard var config = try JSONSerialization.jsonObject(with: configData) as? [String: Any] else {
            throw PlanningError("the base image config \(base.config.digest) is not a JSON object")
        }
        var rootfs = config["rootfs"] as? [String: Any] ?? ["type": "layers"]
        rootfs["diff_ids"] = ((rootfs["diff_ids"] as? [String]) ?? []) + layers.map(\.diffID.description)
        config["rootfs"] = rootfs
        var settings = config["config"] as? [String: Any] ?? [:]
        adjust(&settings)
        config["config"] = settings
        var history = config["history"] as? [[String: Any]] ?? []
        for _ in layers { history.append(["created_by": "ferry", "comment": comment]) }
        config["history"] = history
        let newConfig = try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys, .withoutEscapingSlashes])

        let docker = baseMediaType == .dockerManifest
        let added = layers.map {
            Descriptor(mediaType: DeterministicLayer.mediaType(docker: docker), digest: .sha256($0.compressed),
                       size: Int64($0.compressed.count))
        }
        let manifest = ImageManifest(schemaVersion: 2, mediaType: docker ? .dockerManifest : .ociImageManifest,
                                     config: Descriptor(mediaType: docker ? .dockerImageConfig : .ociImageConfig,
                                                        digest: .sha256(newConfig), size: Int64(newConfig.count)),
                                     layers: base.layers + added)
        return Assembled(document: try ManifestDocument(encoding: .image(manifest)), baseLayers: base.layers,
                         madeBlobs: layers.map(\.compressed) + [newConfig])
    }

    /// Puts an assembled image's blobs into the repository, then its manifest by digest unless
    /// `manifestByDigest` is false (the caller pushes it under a tag: a second PUT would be waste).
    func push(_ image: Assembled, manifestByDigest: Bool = true) async throws {
        for blob in image.baseLayers where !blob.mediaType.isNonDistributable {
            try await source.copyBlob(blob, to: destination, repository: repository, progress: progress, placements: placements,
                                      tally: tally)
        }
        for blob in image.madeBlobs { try await place(blob) }
        if manifestByDigest {
            let target = try RepositoryName(registry: destination.registry, path: repository)
            try await destination.pushManifest(image.document, to: ImageReference(repository: target, tag: nil, digest: image.document.digest))
            tally?.pushedManifest()
        }
    }

    /// Puts a blob Ferry made into the repository: already there, mounted from another repository
    /// `placements` knows to hold it (two catalogs filtered alike share their whiteout layer), or pushed.
    private func place(_ data: Data) async throws {
        let digest = Digest.sha256(data)
        let size = Int64(data.count)
        func placed() {
            placements?.record(digest, registry: destination.registry, repository: repository)
        }
        if try await destination.blobExists(digest, in: repository) {
            tally?.record(.present, digest, size: size, registry: destination.registry, repository: repository)
            return placed()
        }
        var session: UploadSession?
        if let from = placements?.mountSource(for: digest, registry: destination.registry, excluding: repository) {
            switch try? await destination.mountBlob(digest, into: repository, from: from) {
            case .mounted?:
                tally?.record(.mounted, digest, size: size, registry: destination.registry, repository: repository)
                return placed()
            case .uploadStarted(let opened)?: session = opened  // Refused: the session it opened takes the upload.
            case nil: break
            }
        }
        // Known to be absent: a session of our own spares pushBlob its second HEAD.
        let opened: UploadSession
        if let session { opened = session } else { opened = try await destination.startUpload(in: repository) }
        try await destination.pushBlob(data, in: repository, progress: progress, session: opened)
        tally?.record(.uploaded, digest, size: size, registry: destination.registry, repository: repository)
        placed()
    }
}
