import Distribution
import OCI
import Synchronization

/// Where blobs are at the destination registries during one run: seeded with what the last
/// run's record and this run's copies placed, and added to as Ferry pushes its own images
/// (rebuilt and layout catalogs). A base layer another repository already holds is then mounted
/// instead of uploaded again: catalogs built on one base image share their bottom layers.
/// A placement is a hint, never proof: a refused mount falls back to an upload.
public final class BlobPlacements: Sendable {
    private let locations: Mutex<BlobLocations>

    public init(_ known: BlobLocations = BlobLocations()) {
        locations = Mutex(known)
    }

    /// A repository of `registry` other than `repository` believed to hold `digest`, if any.
    public func mountSource(for digest: Digest, registry: String, excluding repository: String) -> String? {
        locations.withLock { $0.repositories(holding: digest, registry: registry, excluding: repository).first }
    }

    public func record(_ digest: Digest, registry: String, repository: String) {
        locations.withLock { $0.add(digest, registry: registry, repository: repository) }
    }
}
