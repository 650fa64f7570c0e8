import Distribution
import OCI
import Synchronization

/// What the images of one copy pass show about where the destination registries hold blobs
/// already, asked before a blob is uploaded — the dry-run's rule (`PlanResolver.classifyBlobs`),
/// so that both move the same bytes:
///
/// - another repository of the pass that needs the blob holds it (an interrupted run left it
///   there): asked with a HEAD in each, once planning is over and every such repository is known;
/// - an image of the pass found in place (its tag holds the source digest, say after `ferry copy`)
///   names it: its manifests are read from the destination (`BlobLocations.held(by:)`), once, and
///   only when some blob would otherwise be uploaded.
///
/// A blob is uploaded only when neither holds: the answer waits for planning to end, so an image
/// planned late still lends its blobs to one copied early.
actor HeldBlobs {
    private struct Key: Hashable {
        var registry: String
        var digest: Digest
    }

    private let destinations: RegistryClientPool
    /// Repositories of this pass's images to copy, per blob they name.
    private var needs: [Key: Set<String>] = [:]
    /// `repository@digest` of the images found in place.
    private var inPlace: [ImageReference] = []
    /// Blobs of the images found in place, read once on first need.
    private var inPlaceBlobs: Task<BlobLocations, Never>?
    /// The holder found among the repositories needing a blob, asked once per blob.
    private var searched: [Key: Task<String?, Never>] = [:]
    private var waiting: [Int: CheckedContinuation<Void, any Error>] = [:]
    private var nextWaiter = 0
    private let planningOver = Mutex(false)

    init(destinations: RegistryClientPool) {
        self.destinations = destinations
    }

    /// Whether every image of the pass is planned (then `holder` does not wait).
    nonisolated var isPlanningOver: Bool { planningOver.withLock { $0 } }

    /// An image of the pass will be copied into `repository` of `registry` with these blobs.
    func need(_ blobs: [Descriptor], registry: String, repository: String) {
        for blob in blobs where !blob.mediaType.isNonDistributable {
            needs[Key(registry: registry, digest: blob.digest), default: []].insert(repository)
        }
    }

    /// An image of the pass is in place at its destination (`repository@digest`).
    func found(inPlace image: ImageReference) {
        inPlace.append(image)
    }

    /// Every image is planned: waiting answers go on.
    func planningEnded() {
        planningOver.withLock { $0 = true }
        for waiter in waiting.values { waiter.resume() }
        waiting.removeAll()
    }

    /// A repository of `registry` other than `repository` that holds `digest`, by the rules above;
    /// nil when none does and the blob must be uploaded. Waits for planning to end.
    func holder(of digest: Digest, registry: String, excluding repository: String) async throws -> String? {
        try await planningToEnd()
        let key = Key(registry: registry, digest: digest)
        let search = searched[key] ?? {
            let candidates = (needs[key] ?? []).subtracting([repository]).sorted()
            let client = destinations.client(for: registry)
            let task = Task<String?, Never> {
                let holding = Mutex<Set<String>>([])
                // An error reads as "absent", as in the dry-run: more bytes, never a missing blob.
                try? await forEachConcurrently(candidates, limit: 8) { candidate in
                    if (try? await client.blobExists(digest, in: candidate)) == true { holding.withLock { _ = $0.insert(candidate) } }
                }
                return holding.withLock { $0 }.sorted().first
            }
            searched[key] = task
            return task
        }()
        if let found = await search.value, found != repository { return found }
        guard !inPlace.isEmpty else { return nil }
        let blobs = inPlaceBlobs ?? {
            let images = inPlace
            let destinations = destinations
            let task = Task { await BlobLocations.held(by: images, destinations: destinations) }
            inPlaceBlobs = task
            return task
        }()
        return await blobs.value.repositories(holding: digest, registry: registry, excluding: repository).first
    }

    private func planningToEnd() async throws {
        if isPlanningOver { return }
        let id = nextWaiter
        nextWaiter += 1
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiting[id] = continuation
                }
            }
        } onCancel: {
            Task { await self.stopWaiting(id) }
        }
    }

    private func stopWaiting(_ id: Int) {
        waiting.removeValue(forKey: id)?.resume(throwing: CancellationError())
    }
}
