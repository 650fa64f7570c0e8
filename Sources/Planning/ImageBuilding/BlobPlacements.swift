import Distribution
import OCI
import Synchronization

/// Where blobs are at the destination registries during one run, so that a blob another
/// repository holds is mounted instead of uploaded again (catalogs built on one base image share
/// their bottom layers). Two tiers: what this run placed or found in place (trusted), then the
/// last run's record (a hint: a refused mount falls back to an upload). The dry-run confirms a
/// hint with a HEAD before it plans a mount, so both runs move the same bytes.
public final class BlobPlacements: Sendable {
    private struct Tiers {
        var placed: BlobLocations
        var hinted: BlobLocations
    }
    private let tiers: Mutex<Tiers>

    /// - Parameters:
    ///   - placed: blobs this run copied, or found in images already mirrored.
    ///   - hinted: where the last successful run placed blobs.
    public init(placed: BlobLocations = BlobLocations(), hinted: BlobLocations = BlobLocations()) {
        tiers = Mutex(Tiers(placed: placed, hinted: hinted))
    }

    /// The repository of `registry` (other than `repository`) to mount `digest` from: one this
    /// run placed it in, else one the last run's record names; nil when none is known.
    public func mountSource(for digest: Digest, registry: String, excluding repository: String) -> String? {
        tiers.withLock { tiers in
            tiers.placed.repositories(holding: digest, registry: registry, excluding: repository).first
                ?? tiers.hinted.repositories(holding: digest, registry: registry, excluding: repository).first
        }
    }

    /// `digest` is now in `repository` of `registry`.
    public func record(_ digest: Digest, registry: String, repository: String) {
        tiers.withLock { $0.placed.add(digest, registry: registry, repository: repository) }
    }
}
