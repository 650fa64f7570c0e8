import Foundation
import OCI

/// What happened to one image.
public struct ImageOutcome: Sendable, Codable, Hashable {
    public enum Status: String, Sendable, Codable { case copied, skipped, failed }

    public var source: String
    public var destination: String
    public var status: Status
    /// The manifest digest copied (or found already in place).
    public var digest: String?
    /// Why it failed, for a person.
    public var error: String?
    /// The blobs of a copied image (configs and layers of every manifest pushed).
    public var blobs: [String]?
    /// A failed image the run was stopped before it could finish (a signal), not one that went wrong.
    public var interrupted: Bool?

    public init(source: String, destination: String, status: Status, digest: String? = nil, error: String? = nil,
                blobs: [String]? = nil) {
        self.source = source
        self.destination = destination
        self.status = status
        self.digest = digest
        self.error = error
        self.blobs = blobs
    }
}

/// What happened to one blob at one destination repository.
public enum BlobTransferOutcome: Sendable, Equatable {
    /// The repository had it already.
    case alreadyPresent
    /// Linked from another repository of the same registry: no bytes moved.
    case mounted(from: String)
    /// Streamed from the source.
    case uploaded(bytes: Int64)
    /// Never copied: a foreign / non-distributable layer that lives at its own URLs.
    case nonDistributable
}

/// The end-of-run summary: every image's outcome and the blob and byte counts.
public struct CopyReport: Sendable, Codable {
    public var images: [ImageOutcome] = []
    public var blobsUploaded = 0
    public var blobsMounted = 0
    public var blobsSkipped = 0
    public var bytesUploaded: Int64 = 0
    public var bytesMounted: Int64 = 0
    public var bytesSkipped: Int64 = 0
    public var manifestsPushed = 0
    public var seconds: Double = 0

    public init() {}

    public var copied: Int { images.filter { $0.status == .copied }.count }
    public var skipped: Int { images.filter { $0.status == .skipped }.count }
    public var failed: [ImageOutcome] { images.filter { $0.status == .failed } }
    /// Of the failed images, those a stopped run left unfinished.
    public var interrupted: Int { images.filter { $0.interrupted == true }.count }

    mutating func record(_ outcome: BlobTransferOutcome, size: Int64) {
        switch outcome {
        case .alreadyPresent, .nonDistributable:
            blobsSkipped += 1
            bytesSkipped += size
        case .mounted:
            blobsMounted += 1
            bytesMounted += size
        case .uploaded(let bytes):
            blobsUploaded += 1
            bytesUploaded += bytes
        }
    }
}
