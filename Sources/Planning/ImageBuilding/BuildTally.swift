import Synchronization

/// What pushing the images Ferry builds itself (rebuilt catalogs, `oci://` catalogs) moved, so
/// the run's report counts them beside the copier's figures.
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

    private let counts = Mutex(Counts())

    public init() {}

    public var current: Counts { counts.withLock { $0 } }

    func uploaded(_ size: Int64) { counts.withLock { $0.blobsUploaded += 1; $0.bytesUploaded += size } }
    func mounted(_ size: Int64) { counts.withLock { $0.blobsMounted += 1; $0.bytesMounted += size } }
    func present(_ size: Int64) { counts.withLock { $0.blobsPresent += 1; $0.bytesPresent += size } }
    func pushedManifest() { counts.withLock { $0.manifestsPushed += 1 } }
}
