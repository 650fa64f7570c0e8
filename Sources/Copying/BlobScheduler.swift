import Distribution
import Synchronization
import OCI
import Transport

/// Decides, once per blob and destination registry, how each blob gets where it must be.
///
/// - One transfer per digest per destination registry at a time: later callers wait for it.
/// - A blob this run has placed in one repository is mounted into others of the same registry
///   (no bytes move), and so is one an earlier run placed there (`BlobLocations` hints).
/// - A blob already in the repository is left alone (asked with a mount from the repository
///   itself, or a HEAD where a registry does not take that).
/// - Otherwise the source GET streams into the destination upload (`BlobRelay`).
/// Failed transfers are forgotten so that another image may try again.
actor BlobScheduler {
    private struct Key: Hashable {
        var registry: String
        var digest: Digest
    }

    private struct Transfer {
        var task: Task<BlobTransferOutcome, any Error>
        var repository: String
    }

    private var inFlight: [Key: Transfer] = [:]
    /// Repositories of a destination registry known to hold a blob (this run's knowledge).
    private var locations: [Key: Set<String>] = [:]
    /// Where earlier runs placed blobs: mount sources to try before uploading.
    private let hints: BlobLocations

    init(hints: BlobLocations = BlobLocations()) {
        self.hints = hints
    }

    /// Makes sure `repository` on `destination` holds `blob`.
    /// - Returns: what was done, or nil when this run had already placed it in that repository.
    func ensure(_ blob: Descriptor, destination: RegistryClient, repository: String,
                source: RegistryClient, sourceRepository: String, progress: CopyProgress) async throws -> BlobTransferOutcome? {
        let key = Key(registry: destination.registry, digest: blob.digest)
        while true {
            if locations[key]?.contains(repository) == true { return nil }
            if let running = inFlight[key] {
                // Wait for it, then look again: the blob may now be mountable, or the transfer failed.
                // A waiter that is cancelled stops waiting; the transfer goes on for its owner.
                let succeeded: Bool
                do {
                    _ = try await CancellableWait.value(of: running.task, cancellingTask: false)
                    succeeded = true
                } catch {
                    try Task.checkCancellation()
                    succeeded = false
                }
                settle(key, running, succeeded: succeeded)
                continue
            }
            var mountSource = locations[key]?.sorted().first
                ?? hints.repositories(holding: blob.digest, registry: destination.registry, excluding: repository).first
            if mountSource == nil, source.registry == destination.registry, sourceRepository != repository {
                // Copying within one registry: the source repository itself can lend the blob.
                mountSource = sourceRepository
            }
            let transfer = Transfer(task: Task {
                try await Self.place(blob, destination: destination, repository: repository, mountSource: mountSource,
                                     source: source, sourceRepository: sourceRepository, noSelfMount: noSelfMount, progress: progress)
            }, repository: repository)
            inFlight[key] = transfer
            do {
                // The owner's cancellation (an image past its timeout, a stopped run) stops the
                // transfer; images waiting for it then try again themselves.
                let outcome = try await CancellableWait.value(of: transfer.task, cancellingTask: true)
                settle(key, transfer, succeeded: true)
                return outcome
            } catch {
                settle(key, transfer, succeeded: false)
                throw error
            }
        }
    }

    /// Records a finished transfer once, whoever sees it finish first (owner or waiter).
    private func settle(_ key: Key, _ transfer: Transfer, succeeded: Bool) {
        if succeeded { locations[key, default: []].insert(transfer.repository) }
        if inFlight[key]?.task == transfer.task { inFlight[key] = nil }
    }

    /// Registries where a mount "from" the target repository itself failed: they get HEAD + POST.
    private let noSelfMount = RegistrySet()

    private static func place(_ blob: Descriptor, destination: RegistryClient, repository: String, mountSource: String?,
                              source: RegistryClient, sourceRepository: String, noSelfMount: RegistrySet,
                              progress: CopyProgress) async throws -> BlobTransferOutcome {
        var session: UploadSession?
        // Without a known location, a mount "from" the repository itself stands in for HEAD + POST:
        // a registry answers 201 when the repository has the blob and otherwise opens the upload
        // session needed anyway (distribution, Quay, Harbor). One request instead of two.
        let selfMount = mountSource == nil && !noSelfMount.contains(destination.registry)
        if let from = mountSource ?? (selfMount ? repository : nil) {
            do {
                switch try await destination.mountBlob(blob.digest, into: repository, from: from) {
                case .mounted: return from == repository ? .alreadyPresent : .mounted(from: from)
                case .uploadStarted(let opened): session = opened
                }
            } catch {
                // Mounting is best effort (Nexus, Keppel answer oddly): fall back to HEAD and an upload.
                if selfMount { noSelfMount.insert(destination.registry) }
            }
        }
        if session == nil, try await destination.blobExists(blob.digest, in: repository) { return .alreadyPresent }
        progress.update { $0.bytesToMove += blob.size }
        try await BlobRelay.copy(blob, from: source, repository: sourceRepository, to: destination, repository: repository,
                                 session: session, progress: progress.bytes)
        return .uploaded(bytes: blob.size)
    }
}

/// A set of registry hosts shared by concurrent transfers.
final class RegistrySet: Sendable {
    private let hosts = Mutex(Set<String>())

    func contains(_ host: String) -> Bool { hosts.withLock { $0.contains(host) } }

    func insert(_ host: String) { _ = hosts.withLock { $0.insert(host) } }
}
