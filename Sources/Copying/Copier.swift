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
    public let progress = CopyProgress()
    private let events: (@Sendable (CopyEvent) -> Void)?
    private let sources: ClientPool
    private let destinations: ClientPool
    private let scheduler = BlobScheduler()

    public init(settings: CopySettings, events: (@Sendable (CopyEvent) -> Void)? = nil) {
        self.settings = settings
        self.events = events
        sources = ClientPool(settings: settings.source, credentials: settings.credentials)
        destinations = ClientPool(settings: settings.destination, credentials: settings.credentials)
    }

    /// Copies every task and reports what happened; never throws for a failed image.
    public func run(_ tasks: [CopyTask]) async -> CopyReport {
        var seen = Set<CopyTask>()
        let unique = tasks.filter { seen.insert($0).inserted }
        progress.update { $0.imagesTotal = unique.count }
        let started = ContinuousClock.now
        let results = Mutex<[Int: ImageResult]>([:])
        try? await forEachConcurrently(Array(unique.enumerated()), limit: settings.parallelImages) { index, task in
            let result = await self.copy(task)
            results.withLock { $0[index] = result }
            self.progress.update {
                $0.imagesDone += 1
                if result.outcome.status == .failed { $0.imagesFailed += 1 }
            }
            self.events?(.imageFinished(result.outcome))
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

    struct BlobRecord: Sendable {
        var outcome: BlobTransferOutcome
        var size: Int64
    }

    struct ImageResult: Sendable {
        var outcome: ImageOutcome
        var blobs: [BlobRecord] = []
        var manifestsPushed = 0
    }

    /// Accumulates one image's blob outcomes from concurrent tasks.
    final class ImageLedger: Sendable {
        let state = Mutex<(blobs: [BlobRecord], manifests: Int)>(([], 0))
    }

    private func copy(_ task: CopyTask) async -> ImageResult {
        var outcome = ImageOutcome(source: task.source.description, destination: task.destination.description, status: .failed)
        let ledger = ImageLedger()
        do {
            let source = sources.client(for: task.source.repository.registry)
            let destination = destinations.client(for: task.destination.repository.registry)
            let digest: Digest
            if let pinned = task.source.digest {
                digest = pinned
            } else if let resolved = try await source.manifestDigest(task.source) {
                digest = resolved
            } else {
                throw RegistryError(.notFound, registry: task.source.repository.registry, repository: task.source.repository.path,
                                    subject: task.source.identifier, message: "manifest not found",
                                    hint: "check the tag; it may have been removed upstream")
            }
            outcome.digest = digest.description
            // Push by tag when there is one (a tag+digest destination keeps its tag).
            let target = task.destination.tag != nil
                ? ImageReference(repository: task.destination.repository, tag: task.destination.tag, digest: nil) : task.destination
            if let existing = try await destination.manifestDigest(target), existing == digest {
                // The registry accepted this manifest, so everything it names is there already.
                outcome.status = .skipped
                return ImageResult(outcome: outcome)
            }
            let root = try await source.fetchManifest(ImageReference(repository: task.source.repository, tag: nil, digest: digest))
            try await copyGraph(root, source: source, sourceRepository: task.source.repository,
                                destination: destination, destinationRepository: task.destination.repository, ledger: ledger)
            try await destination.pushManifest(root, to: target)
            ledger.state.withLock { $0.manifests += 1 }
            outcome.status = .copied
        } catch {
            outcome.error = "\(error)"
        }
        let (blobs, manifests) = ledger.state.withLock { ($0.blobs, $0.manifests) }
        return ImageResult(outcome: outcome, blobs: blobs, manifestsPushed: manifests)
    }

    /// Copies what `document` names: its blobs, or its children (each complete before it is pushed).
    private func copyGraph(_ document: ManifestDocument, source: RegistryClient, sourceRepository: RepositoryName,
                           destination: RegistryClient, destinationRepository: RepositoryName, ledger: ImageLedger) async throws {
        switch document.content {
        case .image:
            var seen = Set<Digest>()
            let blobs = document.blobs.filter { seen.insert($0.digest).inserted }
            try await forEachConcurrently(blobs, limit: settings.parallelLayers) { blob in
                let outcome: BlobTransferOutcome?
                if blob.mediaType.isNonDistributable {
                    outcome = .nonDistributable
                } else {
                    outcome = try await self.scheduler.ensure(blob, destination: destination, repository: destinationRepository.path,
                                                              source: source, sourceRepository: sourceRepository.path,
                                                              progress: self.progress)
                }
                if let outcome {
                    ledger.state.withLock { $0.blobs.append(BlobRecord(outcome: outcome, size: blob.size)) }
                    self.events?(.blobFinished(digest: blob.digest.description, repository: destinationRepository.description,
                                               outcome: outcome, size: blob.size))
                }
            }
        case .index:
            for child in document.children {
                let childTarget = ImageReference(repository: destinationRepository, tag: nil, digest: child.digest)
                if try await destination.manifestDigest(childTarget) != nil { continue }
                let childDocument = try await source.fetchManifest(ImageReference(repository: sourceRepository, tag: nil, digest: child.digest))
                try await copyGraph(childDocument, source: source, sourceRepository: sourceRepository,
                                    destination: destination, destinationRepository: destinationRepository, ledger: ledger)
                try await destination.pushManifest(childDocument, to: childTarget)
                ledger.state.withLock { $0.manifests += 1 }
            }
        }
    }
}
