import Distribution
import Foundation
import OCI
import Synchronization

/// Copies images between registries: the whole graph of each (index, children, config,
/// layers), digests preserved byte for byte, each unique blob moved at most once per
/// destination registry, children pushed before their index, and a manifest only pushed once
/// every blob it names is in place. One failing image does not stop the others.
public final class Copier: Sendable {
    public let settings: CopySettings
    public let progress: CopyProgress
    private let events: (@Sendable (CopyEvent) -> Void)?
    private let sources: RegistryClientPool
    private let destinations: RegistryClientPool
    private let scheduler: BlobScheduler

    /// - Parameters:
    ///   - mountHints: where earlier runs placed blobs in the destination registries.
    ///   - progress: the counters a display reads (given by a caller that shows it before the run).
    ///   - sources, destinations: the clients of a caller that talked to the registries already
    ///     (tokens, and hosts found down, carry over); new pools from `settings` otherwise.
    public init(settings: CopySettings, events: (@Sendable (CopyEvent) -> Void)? = nil,
                mountHints: BlobLocations = BlobLocations(), progress: CopyProgress = CopyProgress(),
                sources: RegistryClientPool? = nil, destinations: RegistryClientPool? = nil) {
        self.settings = settings
        self.progress = progress
        scheduler = BlobScheduler(hints: mountHints)
        self.events = events
        self.sources = sources ?? RegistryClientPool(settings: settings.source, credentials: settings.credentials)
        self.destinations = destinations ?? RegistryClientPool(settings: settings.destination, credentials: settings.credentials)
    }

    /// Copies every task and reports what happened; never throws for a failed image.
    ///
    /// Each image is planned (digests resolved, destination checked, manifests read — small
    /// requests, run wide), and `parallelImages` copiers take the largest image planned so far,
    /// so big layers start early instead of trailing alone at the end of the run.
    /// Cancelling the calling task (a signal) stops every transfer within seconds; no manifest
    /// is pushed after it, and each unfinished image is reported failed and `interrupted`.
    /// - Parameter gate: asked about each image once its digest is known (and its manifest, when
    ///   it must be copied), before anything of it moves; a reason fails the image instead of
    ///   copying it. MirrorKit looks up signatures there.
    public func run(_ tasks: [CopyTask], gate: Gate? = nil) async -> CopyReport {
        var seen = Set<CopyTask>()
        let unique = tasks.filter { seen.insert($0).inserted }
        // Added, not set: a caller may run several passes (content, then catalogs) on one progress.
        progress.update { $0.imagesTotal += unique.count }
        let started = ContinuousClock.now
        let results = Mutex<[Int: ImageResult]>([:])
        let finish: @Sendable (Int, ImageResult) -> Void = { index, result in
            var result = result
            // A stopped run (a signal): what did not finish says so, not the cancelled request's error.
            if Task.isCancelled && result.outcome.status == .failed {
                result.outcome.error = Self.interruptedError
                result.outcome.interrupted = true
            }
            results.withLock { $0[index] = result }
            self.progress.update {
                $0.imagesDone += 1
                if result.outcome.status == .failed { $0.imagesFailed += 1 }
            }
            self.events?(.imageFinished(result.outcome))
        }

        // Planning and copying overlap: copiers take the largest image planned so far, so the
        // big layers start first without waiting for the whole plan.
        let queue = PlanQueue(outstanding: unique.count)
        // What the pass's images show the mirror holds: asked before any blob is uploaded.
        let held = HeldBlobs(destinations: destinations)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await forEachConcurrently(Array(unique.enumerated()), limit: self.settings.parallelImages * 2) { index, task in
                    var outcome = ImageOutcome(source: task.source.description, destination: task.destination.description, status: .failed)
                    switch await self.plan(task) {
                    case .mirrored(let digest):
                        outcome.digest = digest.description
                        if let refusal = await gate?(task, digest, nil) {
                            outcome.error = refusal
                        } else {
                            outcome.status = .skipped
                            await held.found(inPlace: ImageReference(repository: task.destination.repository, tag: nil, digest: digest))
                        }
                        finish(index, ImageResult(outcome: outcome))
                    case .failed(let digest, let error):
                        outcome.digest = digest?.description
                        outcome.error = error
                        finish(index, ImageResult(outcome: outcome))
                    case .copy(let plan):
                        if let refusal = await gate?(task, plan.digest, plan.manifests.last?.document) {
                            outcome.digest = plan.digest.description
                            outcome.error = refusal
                            finish(index, ImageResult(outcome: outcome))
                        } else {
                            await held.need(plan.blobs, registry: task.destination.repository.registry,
                                            repository: task.destination.repository.path)
                            await queue.add(index: index, plan: plan)
                        }
                    }
                    await queue.planned()
                }
                await held.planningEnded()
            }
            for _ in 0..<settings.parallelImages {
                group.addTask {
                    while let (index, plan) = await queue.next() {
                        finish(index, await self.copyWithinTimeout(plan, held: held))
                    }
                }
            }
        }

        var report = CopyReport()
        for (_, result) in results.withLock({ $0 }).sorted(by: { $0.key < $1.key }) {
            report.images.append(result.outcome)
            for blob in result.blobs { report.record(blob.outcome, size: blob.size) }
            report.manifestsPushed += result.manifestsPushed
        }
        let elapsed = ContinuousClock.now - started
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }

    /// The error of an image a stopped run left unfinished.
    public static let interruptedError = "interrupted: the run was stopped before this image finished; run again to finish it"

    /// Nil lets the image be copied; a reason fails it (see `run(_:gate:)`).
    public typealias Gate = @Sendable (_ task: CopyTask, _ digest: Digest, _ manifest: ManifestDocument?) async -> String?

    struct BlobRecord: Sendable {
        var outcome: BlobTransferOutcome
        var size: Int64
    }

    struct ImageResult: Sendable {
        var outcome: ImageOutcome
        var blobs: [BlobRecord] = []
        var manifestsPushed = 0
    }

    /// Resolves what an image needs: nothing (the destination tag has the digest), or the
    /// manifests and blobs to copy. Index children the destination already has are left out.
    private func plan(_ task: CopyTask) async -> PlannedImage {
        var digest: Digest?
        do {
            let source = sources.client(for: task.source.repository.registry)
            let destination = destinations.client(for: task.destination.repository.registry)
            // Push by tag when there is one (a tag+digest destination keeps its tag).
            let target = task.destination.tag != nil
                ? ImageReference(repository: task.destination.repository, tag: task.destination.tag, digest: nil) : task.destination
            let existing = try await destination.manifestDigest(target)
            let root: ManifestDocument
            if let pinned = task.source.digest {
                digest = pinned
                // The registry accepted this manifest, so everything it names is there already.
                if existing == pinned { return .mirrored(digest: pinned) }
                root = try await source.fetchManifest(ImageReference(repository: task.source.repository, tag: nil, digest: pinned))
            } else if let existing {
                // The tag is mirrored: compare digests with a HEAD (not counted as a pull by rate limits).
                guard let current = try await source.manifestDigest(task.source) else {
                    throw RegistryError(.notFound, registry: task.source.repository.registry, repository: task.source.repository.path,
                                        subject: task.source.identifier, message: "manifest not found",
                                        hint: "check the tag; it may have been removed upstream")
                }
                digest = current
                if current == existing { return .mirrored(digest: current) }
                root = try await source.fetchManifest(ImageReference(repository: task.source.repository, tag: nil, digest: current))
            } else {
                // Nothing there yet: read the manifest by tag at once; its digest comes with the bytes.
                root = try await source.fetchManifest(task.source)
                digest = root.digest
            }
            var manifests: [ImagePlan.Manifest] = []
            try await collectChildren(of: root, source: source, task: task, destination: destination, into: &manifests)
            manifests.append(ImagePlan.Manifest(document: root, target: target))
            return .copy(ImagePlan(task: task, digest: root.digest, manifests: manifests))
        } catch {
            return .failed(digest: digest, error: "\(error)")
        }
    }

    /// Adds the children of an index that the destination lacks, depth first, children before
    /// parents. A child named twice is read once, and the children are read `childLookups` at a
    /// time (an index may name thousands), in the index's order.
    private func collectChildren(of document: ManifestDocument, source: RegistryClient, task: CopyTask,
                                 destination: RegistryClient, into manifests: inout [ImagePlan.Manifest]) async throws {
        var seen = Set<Digest>()
        let children = try selectedChildren(of: document, task: task).filter { seen.insert($0.digest).inserted }
        let found = Mutex<[Int: [ImagePlan.Manifest]]>([:])
        try await forEachConcurrently(Array(children.enumerated()), limit: Self.childLookups) { index, child in
            let target = ImageReference(repository: task.destination.repository, tag: nil, digest: child.digest)
            if try await destination.manifestDigest(target) != nil { return }
            let childDocument = try await source.fetchManifest(ImageReference(repository: task.source.repository, tag: nil, digest: child.digest))
            var nested: [ImagePlan.Manifest] = []
            try await self.collectChildren(of: childDocument, source: source, task: task, destination: destination, into: &nested)
            nested.append(ImagePlan.Manifest(document: childDocument, target: target))
            found.withLock { $0[index] = nested }
        }
        for index in children.indices { manifests += found.withLock { $0[index] } ?? [] }
    }

    /// Children of one index looked up at once: a few requests per image, as the image
    /// planning around it runs `parallelImages * 2` images.
    static let childLookups = 8

    /// The children of an index that the task's platform filter keeps; an error when none does.
    private func selectedChildren(of document: ManifestDocument, task: CopyTask) throws -> [Descriptor] {
        guard let kept = document.children(selectedBy: task.platforms) else {
            throw RegistryError(.notFound, registry: task.source.repository.registry, repository: task.source.repository.path,
                                subject: task.source.identifier,
                                message: "no platform of the index matches \((task.platforms ?? []).map(\.description).joined(separator: ", "))",
                                hint: "the index has \(document.children.compactMap(\.platform?.description).joined(separator: ", ")); fix the image's platforms")
        }
        return kept
    }

    /// `copy`, given up after `imageTimeout`: its requests are cancelled and the image fails.
    private func copyWithinTimeout(_ plan: ImagePlan, held: HeldBlobs) async -> ImageResult {
        guard let timeout = settings.imageTimeout else { return await copy(plan, held: held) }
        return await withTaskGroup(of: ImageResult?.self) { group in
            group.addTask { await self.copy(plan, held: held) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            if let first { return first }
            var outcome = ImageOutcome(source: plan.task.source.description, destination: plan.task.destination.description,
                                       status: .failed, digest: plan.digest.description)
            outcome.error = "gave up after the image timeout of \(timeout) (--image-timeout); run again to finish it, "
                + "or raise the timeout for very large images"
            return ImageResult(outcome: outcome)
        }
    }

    /// Copies a planned image: every blob its manifests name (`parallelLayers` at a time), then
    /// the manifests in order, so none is pushed before what it names is in place.
    private func copy(_ plan: ImagePlan, held: HeldBlobs) async -> ImageResult {
        let task = plan.task
        var outcome = ImageOutcome(source: task.source.description, destination: task.destination.description,
                                   status: .failed, digest: plan.digest.description)
        let blobs = Mutex<[BlobRecord]>([])
        var manifestsPushed = 0
        do {
            let source = sources.client(for: task.source.repository.registry)
            let destination = destinations.client(for: task.destination.repository.registry)
            let sourcePath = task.source.repository.path
            let destinationRepository = task.destination.repository
            try await forEachConcurrently(plan.blobs, limit: settings.parallelLayers) { blob in
                let result: BlobTransferOutcome?
                if blob.mediaType.isNonDistributable {
                    result = .nonDistributable
                } else {
                    result = try await self.scheduler.ensure(blob, destination: destination, repository: destinationRepository.path,
                                                             source: source, sourceRepository: sourcePath, held: held,
                                                             progress: self.progress)
                }
                if let result {
                    blobs.withLock { $0.append(BlobRecord(outcome: result, size: blob.size)) }
                    self.events?(.blobFinished(digest: blob.digest.description, repository: destinationRepository.description,
                                               outcome: result, size: blob.size))
                }
            }
            for manifest in plan.manifests {
                // Past the image's timeout or a stop, nothing more is committed.
                try Task.checkCancellation()
                do {
                    // A push under way is let finish (a stop does not cut it): cut, the registry may
                    // still commit it, and the report would call an image that landed interrupted.
                    let push = Task { [document = manifest.document, target = manifest.target] in
                        try await destination.pushManifest(document, to: target)
                    }
                    try await push.value
                } catch var error as RegistryError where task.platforms != nil && manifest.document.index != nil
                    && error.diagnostics.contains(where: { $0.code == "MANIFEST_BLOB_UNKNOWN" || $0.code == "MANIFEST_UNKNOWN" }) {
                    error.hint = "the image's platforms filter leaves the index naming children the mirror does not get, "
                        + "and this registry refuses such a sparse index (distribution 2.x does; Quay and distribution 3 "
                        + "with validation.manifests.indexes.platforms: none accept it); drop the filter for this image"
                    throw error
                }
                manifestsPushed += 1
            }
            outcome.status = .copied
            outcome.blobs = plan.blobs.map(\.digest.description)
        } catch {
            outcome.error = "\(error)"
        }
        return ImageResult(outcome: outcome, blobs: blobs.withLock { $0 }, manifestsPushed: manifestsPushed)
    }
}
