import Distribution
import Foundation
import OCI
import Transport

/// Builds an image from a base image plus layers of Ferry's own (the graph-data image, a rebuilt
/// catalog): the base layers are copied into the target repository when it lacks them, the new
/// layers and the adjusted config are pushed, then the manifest (by digest; the caller tags).
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

    /// - Parameters:
    ///   - adjust: changes to the config's `config` section (labels, Cmd), done on the decoded JSON.
    ///   - comment: the history entry of each added layer.
    /// - Parameter push: false builds the same manifest without writing anything (a dry-run
    ///   learns the digest the image will have).
    /// - Parameter pushManifest: false pushes the blobs but leaves the manifest to the caller
    ///   (which pushes it under a tag: pushing it by digest as well would be a second PUT).
    func append(_ layers: [DeterministicLayer], to base: ImageManifest, baseMediaType: MediaType,
                comment: String, push: Bool = true, pushManifest: Bool = true,
                adjust: (inout [String: Any]) -> Void) async throws -> ManifestDocument {
        for blob in base.layers where push && !blob.mediaType.isNonDistributable {
            try await source.copyBlob(blob, to: destination, repository: repository, progress: progress, placements: placements,
                                      tally: tally)
        }
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
        var pushed: [Descriptor] = []
        for layer in layers {
            let descriptor = push ? try await place(layer.compressed)
                : Descriptor(mediaType: "application/octet-stream", digest: .sha256(layer.compressed), size: Int64(layer.compressed.count))
            pushed.append(Descriptor(mediaType: DeterministicLayer.mediaType(docker: docker), digest: descriptor.digest,
                                     size: descriptor.size))
        }
        let configDescriptor = push ? try await place(newConfig)
            : Descriptor(mediaType: "application/octet-stream", digest: .sha256(newConfig), size: Int64(newConfig.count))
        let manifest = ImageManifest(schemaVersion: 2, mediaType: docker ? .dockerManifest : .ociImageManifest,
                                     config: Descriptor(mediaType: docker ? .dockerImageConfig : .ociImageConfig,
                                                        digest: configDescriptor.digest, size: configDescriptor.size),
                                     layers: base.layers + pushed)
        let document = try ManifestDocument(encoding: .image(manifest))
        if push && pushManifest {
            let target = try RepositoryName(registry: destination.registry, path: repository)
            try await destination.pushManifest(document, to: ImageReference(repository: target, tag: nil, digest: document.digest))
            tally?.pushedManifest()
        }
        return document
    }

    /// Puts a blob Ferry made into the repository: already there, mounted from another repository
    /// `placements` knows to hold it (two catalogs filtered alike share their whiteout layer), or pushed.
    private func place(_ data: Data) async throws -> Descriptor {
        let digest = Digest.sha256(data)
        let descriptor = Descriptor(mediaType: "application/octet-stream", digest: digest, size: Int64(data.count))
        func placed() -> Descriptor {
            placements?.record(digest, registry: destination.registry, repository: repository)
            return descriptor
        }
        if try await destination.blobExists(digest, in: repository) {
            tally?.record(.present, digest, size: descriptor.size, registry: destination.registry, repository: repository)
            return placed()
        }
        var session: UploadSession?
        if let from = placements?.mountSource(for: digest, registry: destination.registry, excluding: repository) {
            switch try? await destination.mountBlob(digest, into: repository, from: from) {
            case .mounted?:
                tally?.record(.mounted, digest, size: descriptor.size, registry: destination.registry, repository: repository)
                return placed()
            case .uploadStarted(let opened)?: session = opened  // Refused: the session it opened takes the upload.
            case nil: break
            }
        }
        // Known to be absent: a session of our own spares pushBlob its second HEAD.
        let opened: UploadSession
        if let session { opened = session } else { opened = try await destination.startUpload(in: repository) }
        try await destination.pushBlob(data, in: repository, progress: progress, session: opened)
        tally?.record(.uploaded, digest, size: descriptor.size, registry: destination.registry, repository: repository)
        return placed()
    }
}
