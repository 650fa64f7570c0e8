import OCI
import Synchronization

/// What pushing the images Ferry builds itself (rebuilt catalogs, `oci://` catalogs) moved, so
/// the run's report counts them beside the copier's figures, as the dry-run's plan does.
public final class BuildTally: Sendable {
    public struct Counts: Sendable, Equatable {
        public var blobsUploaded = 0
        public var bytesUploaded: Int64 = 0
        public var blobsMounted = 0
        public var bytesMounted: Int64 = 0
        public var blobsPresent = 0
        public var bytesPresent: Int64 = 0
        public var manifestsPushed = 0

        public init() {}
    }

    /// What happened to one blob in one repository.
    enum BlobAction {
        case uploaded, mounted, present
    }

    private struct State {
        var counts = Counts()
        /// `registry/repository@digest` already counted: the platforms of one catalog share its
        /// new layers, and the second finding them in place is not a blob of its own (the plan
        /// counts each blob once per repository too).
        var counted: Set<String> = []
    }

    private let state = Mutex(State())

    public init() {}

    public var current: Counts { state.withLock { $0.counts } }

    func record(_ action: BlobAction, _ digest: Digest, size: Int64, registry: String, repository: String) {
        state.withLock { state in
            guard state.counted.insert("\(registry)/\(repository)@\(digest)").inserted else { return }
            switch action {
            case .uploaded: state.counts.blobsUploaded += 1; state.counts.bytesUploaded += size
            case .mounted: state.counts.blobsMounted += 1; state.counts.bytesMounted += size
            case .present: state.counts.blobsPresent += 1; state.counts.bytesPresent += size
            }
        }
    }

    func pushedManifest() { state.withLock { $0.counts.manifestsPushed += 1 } }
}
