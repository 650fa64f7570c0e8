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
///   itself, or a HEAD where a registry does not take that or while planning goes on).
/// - A blob another repository of the pass holds, or an image of the pass found in place names
///   (`HeldBlobs`, the dry-run's rule), is mounted from there.
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
    /// Repositories a mount proved to hold a blob before their own images asked for it: those
    /// report it as already present, as the dry-run counts it.
    private var heldUnreported: [Key: Set<String>] = [:]
    /// Where earlier runs placed blobs: mount sources to try before uploading.
    private let hints: BlobLocations

    init(hints: BlobLocations = BlobLocations()) {
        self.hints = hints
    }

    /// Makes sure `repository` on `destination` holds `blob`.
    /// - Returns: what was done, or nil when this run had already placed it in that repository.
    /// - Parameter held: what the pass's own images show the destination holds, asked before an upload.
    func ensure(_ blob: Descriptor, destination: RegistryClient, repository: String,
                source: RegistryClient, sourceRepository: String, held: HeldBlobs? = nil,
                progress: CopyProgress) async throws -> BlobTransferOutcome? {
        let key = Key(registry: destination.registry, digest: blob.digest)
        while true {
            if heldUnreported[key]?.remove(repository) != nil { return .alreadyPresent }
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
                                     source: source, sourceRepository: sourceRepository, held: held, noSelfMount: noSelfMount,
                                     progress: progress)
            }, repository: repository)
            inFlight[key] = transfer
            do {
                // The owner's cancellation (an image past its timeout, a stopped run) stops the
                // transfer; images waiting for it then try again themselves.
                let outcome = try await CancellableWait.value(of: transfer.task, cancellingTask: true)
                settle(key, transfer, succeeded: true)
                if case .mounted(let from) = outcome, locations[key]?.contains(from) != true {
                    locations[key, default: []].insert(from)
                    heldUnreported[key, default: []].insert(from)
                }
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
                              source: RegistryClient, sourceRepository: String, held: HeldBlobs?, noSelfMount: RegistrySet,
                              progress: CopyProgress) async throws -> BlobTransferOutcome {
        var session: UploadSession?
        if let from = mountSource {
            // A known location: this run placed it there, or the last run's record says so.
            do {
                switch try await destination.mountBlob(blob.digest, into: repository, from: from) {
                case .mounted: return .mounted(from: from)
                case .uploadStarted(let opened): session = opened
                }
            } catch {
                // Mounting is best effort (Nexus, Keppel answer oddly): fall back to HEAD and an upload.
            }
        }
        // Without a known location, a mount "from" the repository itself stands in for HEAD + POST:
        // a registry answers 201 when the repository has the blob and otherwise opens the upload
        // session needed anyway (distribution, Quay, Harbor). One request instead of two. Not while
        // the pass is still planning: the answer below may wait, and no session is held open meanwhile.
        let selfMount = mountSource == nil && !noSelfMount.contains(destination.registry) && held?.isPlanningOver != false
        if selfMount {
            do {
                switch try await destination.mountBlob(blob.digest, into: repository, from: repository) {
                case .mounted: return .alreadyPresent
                case .uploadStarted(let opened): session = opened
                }
            } catch {
                noSelfMount.insert(destination.registry)
            }
        }
        // Only a self-mount's 202 says the repository lacks it; after a refused mount, ask.
        if !selfMount || session == nil, try await destination.blobExists(blob.digest, in: repository) { return .alreadyPresent }
        // Absent here: does another repository of the pass hold it (the dry-run asks the same)?
        if let held, let holder = try await held.holder(of: blob.digest, registry: destination.registry, excluding: repository),
           holder != mountSource {
            do {
                switch try await destination.mountBlob(blob.digest, into: repository, from: holder) {
                case .mounted: return .mounted(from: holder)
                case .uploadStarted(let opened): session = opened
                }
            } catch {
                // Refused: upload, in the session opened already or a new one.
            }
        }
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
