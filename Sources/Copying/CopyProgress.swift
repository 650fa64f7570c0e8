import Synchronization
import Transport

/// Live counters a progress display reads while a copy runs.
public final class CopyProgress: Sendable {
    private let counts = Mutex(Counts())
    /// Bytes arriving from sources, retries included.
    public let bytes = ByteCounter()

    public struct Counts: Sendable {
        public var imagesTotal = 0
        public var imagesDone = 0
        public var imagesFailed = 0
        /// Bytes of the blobs found to be missing so far (grows as manifests are read).
        public var bytesToMove: Int64 = 0
    }

    public init() {}

    public var snapshot: Counts { counts.withLock { $0 } }

    func update(_ body: (inout Counts) -> Void) { counts.withLock { body(&$0) } }
}

/// Events for a log or a JSON stream, one per finished image or blob.
public enum CopyEvent: Sendable {
    case imageFinished(ImageOutcome)
    case blobFinished(digest: String, repository: String, outcome: BlobTransferOutcome, size: Int64)
}
