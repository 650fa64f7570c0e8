import Distribution
import OCI
import Synchronization

/// Builds a `MirrorPlan` the way a run would proceed, without pushing anything: reads each
/// source manifest (index children filtered by platform), asks the destination which tags,
/// child manifests and blobs it already has, and decides per blob whether it would be
/// uploaded, mounted from another repository of the same registry (one of the plan, one holding
/// an image of the plan found in place, or one an earlier run filled, `mountHints`), or left alone.
public struct PlanResolver: Sendable {
    public let sources: RegistryClientPool
    public let destinations: RegistryClientPool
    /// Requests in flight at once (manifest reads and HEADs are small).
    public var parallelism: Int

    /// Where earlier runs placed blobs; a blob found there (by HEAD) counts as a mount.
    public var mountHints: BlobLocations

    public init(sources: RegistryClientPool, destinations: RegistryClientPool, parallelism: Int = 16,
                mountHints: BlobLocations = BlobLocations()) {
        self.sources = sources
        self.destinations = destinations
        self.parallelism = parallelism
        self.mountHints = mountHints
    }

    public func resolve(_ images: [CollectedImage]) async -> MirrorPlan {
        let ordered = await resolveImages(images)
        return MirrorPlan(images: ordered, blobs: await classifyBlobs(of: ordered))
    }

    /// Each image resolved (digest, manifests the destination lacks), in the order given; the
    /// blobs are classified separately, so that images resolved in steps (signatures found
    /// beside the images) share one classification.
    public func resolveImages(_ images: [CollectedImage]) async -> [ResolvedImage] {
        let resolved = Mutex<[Int: ResolvedImage]>([:])
        try? await forEachConcurrently(Array(images.enumerated()), limit: parallelism) { index, image in
            let result = await resolve(image)
            resolved.withLock { $0[index] = result }
        }
        return resolved.withLock { all in images.indices.compactMap { all[$0] } }
    }

    private func resolve(_ image: CollectedImage) async -> ResolvedImage {
        var digest: Digest?
        do {
            let source = sources.client(for: image.source.repository.registry)
            let destination = destinations.client(for: image.destination.repository.registry)
            let target = image.destination.tag != nil
                ? ImageReference(repository: image.destination.repository, tag: image.destination.tag, digest: nil)
                : image.destination
            let existing = try await destination.manifestDigest(target)
            let root: ManifestDocument
            if let pinned = image.source.digest {
                digest = pinned
                if existing == pinned { return ResolvedImage(image: image, status: .mirrored, digest: pinned) }
                root = try await source.fetchManifest(ImageReference(repository: image.source.repository, tag: nil, digest: pinned))
            } else if let existing {
                guard let current = try await source.manifestDigest(image.source) else {
                    throw RegistryError(.notFound, registry: image.source.repository.registry,
                                        repository: image.source.repository.path, subject: image.source.identifier,
                                        message: "manifest not found", hint: "check the tag; it may have been removed upstream")
                }
                digest = current
                if current == existing { return ResolvedImage(image: image, status: .mirrored, digest: current) }
                root = try await source.fetchManifest(ImageReference(repository: image.source.repository, tag: nil, digest: current))
            } else {
                root = try await source.fetchManifest(image.source)
                digest = root.digest
            }
            var manifests: [PlannedManifest] = []
            try await collectChildren(of: root, image: image, source: source, destination: destination, into: &manifests)
            manifests.append(PlannedManifest(digest: root.digest, mediaType: root.mediaType, size: Int64(root.bytes.count),
                                             platform: nil, blobs: root.blobs))
            return ResolvedImage(image: image, status: .missing, digest: root.digest, manifests: manifests)
        } catch {
            return ResolvedImage(image: image, status: .failed, digest: digest, error: "\(error)")
        }
    }

    private func collectChildren(of document: ManifestDocument, image: CollectedImage, source: RegistryClient,
                                 destination: RegistryClient, into manifests: inout [PlannedManifest]) async throws {
        // A child named twice is read once; the children are read a few at a time (an index may
        // name thousands), and kept in the index's order.
        var seen = Set<Digest>()
        let children = try PlatformSelection.children(of: document, for: image).filter { seen.insert($0.digest).inserted }
        let found = Mutex<[Int: [PlannedManifest]]>([:])
        try await forEachConcurrently(Array(children.enumerated()), limit: 8) { index, child in
            let target = ImageReference(repository: image.destination.repository, tag: nil, digest: child.digest)
            if try await destination.manifestDigest(target) != nil { return }
            let childDocument = try await source.fetchManifest(
                ImageReference(repository: image.source.repository, tag: nil, digest: child.digest))
            var nested: [PlannedManifest] = []
            try await self.collectChildren(of: childDocument, image: image, source: source, destination: destination, into: &nested)
            nested.append(PlannedManifest(digest: child.digest, mediaType: childDocument.mediaType,
                                          size: Int64(childDocument.bytes.count), platform: child.platform,
                                          blobs: childDocument.blobs))
            found.withLock { $0[index] = nested }
        }
        for index in children.indices { manifests += found.withLock { $0[index] } ?? [] }
    }

    /// One entry per blob and destination repository. A blob absent from every repository that
    /// needs it moves once per registry (the first repository uploads, the others mount); a blob
    /// that one of those repositories holds already, or that an image of the plan found in place
    /// names, or that the last run's record places elsewhere (confirmed by a HEAD), is mounted.
    public func classifyBlobs(of images: [ResolvedImage]) async -> [PlannedBlob] {
        struct Need: Hashable, Sendable {
            var repository: RepositoryName
            var blob: Descriptor
        }
        var needs: [Need] = []
        var seen = Set<Need>()
        for image in images where image.status == .missing {
            for manifest in image.manifests {
                for blob in manifest.blobs {
                    let need = Need(repository: image.image.destination.repository, blob: blob)
                    if seen.insert(need).inserted { needs.append(need) }
                }
            }
        }
        let present = Mutex<Set<Need>>([])
        try? await forEachConcurrently(needs.filter { !$0.blob.mediaType.isNonDistributable }, limit: parallelism) { need in
            let client = destinations.client(for: need.repository.registry)
            // An error reads as "absent": the plan then errs toward more bytes, never fewer.
            if (try? await client.blobExists(need.blob.digest, in: need.repository.path)) == true {
                present.withLock { _ = $0.insert(need) }
            }
        }
        let found = present.withLock { $0 }
        // Per registry and digest: does any repository of the plan hold it already?
        var heldSomewhere = Set<String>()
        for need in found { heldSomewhere.insert("\(need.repository.registry) \(need.blob.digest)") }
        // Else, does an image of the plan found in place name it? (read only when something would
        // otherwise be uploaded; the copier asks the same, `HeldBlobs`)
        let inPlace = images.filter { $0.status == .mirrored }.compactMap { image in
            image.digest.map { ImageReference(repository: image.image.destination.repository, tag: nil, digest: $0) }
        }
        let pending = needs.filter { need in
            !need.blob.mediaType.isNonDistributable && !heldSomewhere.contains("\(need.repository.registry) \(need.blob.digest)")
        }
        if !pending.isEmpty, !inPlace.isEmpty {
            let held = await BlobLocations.held(by: inPlace, destinations: destinations, parallelism: parallelism)
            for need in pending where !held.repositories(holding: need.blob.digest, registry: need.repository.registry,
                                                         excluding: need.repository.path).isEmpty {
                heldSomewhere.insert("\(need.repository.registry) \(need.blob.digest)")
            }
        }
        // Otherwise, does a repository an earlier run put it in still hold it? (one HEAD per blob)
        var hinted: [String: Need] = [:]
        for need in needs where !need.blob.mediaType.isNonDistributable {
            let key = "\(need.repository.registry) \(need.blob.digest)"
            guard !heldSomewhere.contains(key), hinted[key] == nil,
                  let repository = mountHints.repositories(holding: need.blob.digest, registry: need.repository.registry,
                                                           excluding: need.repository.path).first,
                  let name = try? RepositoryName(registry: need.repository.registry, path: repository) else { continue }
            hinted[key] = Need(repository: name, blob: need.blob)
        }
        let confirmed = Mutex<Set<String>>([])
        try? await forEachConcurrently(Array(hinted), limit: parallelism) { key, need in
            let client = destinations.client(for: need.repository.registry)
            if (try? await client.blobExists(need.blob.digest, in: need.repository.path)) == true {
                confirmed.withLock { _ = $0.insert(key) }
            }
        }
        heldSomewhere.formUnion(confirmed.withLock { $0 })
        var uploaded = Set<String>()
        return needs.map { need in
            let key = "\(need.repository.registry) \(need.blob.digest)"
            let action: PlannedBlob.Action
            if need.blob.mediaType.isNonDistributable {
                action = .skip
            } else if found.contains(need) {
                action = .present
            } else if heldSomewhere.contains(key) || uploaded.contains(key) {
                action = .mount
            } else {
                uploaded.insert(key)
                action = .upload
            }
            return PlannedBlob(digest: need.blob.digest, size: need.blob.size, repository: need.repository, action: action)
        }
    }
}

/// The children of an index that an image's platform filter keeps.
enum PlatformSelection {
    static func children(of document: ManifestDocument, for image: CollectedImage) throws -> [Descriptor] {
        guard let kept = document.children(selectedBy: image.platforms) else {
            let offered = document.children.compactMap(\.platform?.description).joined(separator: ", ")
            let wanted = (image.platforms ?? []).map(\.description).joined(separator: ", ")
            throw PlanningError("\(image.source): no platform of the index matches \(wanted) (it has \(offered))"
                + (image.requestedAt.map { "; requested at \($0)" } ?? ""))
        }
        return kept
    }
}
