import Foundation

/// What a successful run mirrored, kept in `runs/last-success.json` so the next dry-run can
/// say what the configuration no longer selects. Images are sorted, so the file is the same for
/// the same content.
public struct RunRecord: Sendable, Codable, Equatable {
    public struct Image: Sendable, Codable, Hashable, Comparable {
        /// `registry/path:tag` or `registry/path@digest`, as the configuration named it.
        public var source: String
        public var destination: String
        /// oc-mirror's name of the origin kind (`generic`, `release`, `operatorBundle`, ...).
        public var origin: String
        /// The manifest digest that landed.
        public var digest: String?
        /// The blobs it placed in the destination repository (configs and layers), when known:
        /// the next run mounts them into other repositories instead of uploading them again.
        public var blobs: [String]?
        /// For a signature, attestation, SBOM or referrer mirrored beside an image: its kind
        /// (`signature`, `attestation`, `sbom`, `referrer`); nil for an image.
        public var attachment: String?
        /// The manifest digest it belongs to (with `attachment`).
        public var subject: String?

        public init(source: String, destination: String, origin: String, digest: String?, blobs: [String]? = nil,
                    attachment: String? = nil, subject: String? = nil) {
            self.source = source
            self.destination = destination
            self.origin = origin
            self.digest = digest
            self.blobs = blobs
            self.attachment = attachment
            self.subject = subject
        }

        public static func < (a: Image, b: Image) -> Bool {
            (a.destination, a.source) < (b.destination, b.source)
        }
    }

    public var formatVersion = 1
    /// The configuration file of the run, as given.
    public var configuration: String
    /// `docker://REGISTRY[/NAMESPACE]`.
    public var destination: String
    /// RFC 3339, UTC.
    public var finishedAt: String
    public var images: [Image]

    public init(configuration: String, destination: String, finishedAt: Date = Date(), images: [Image]) {
        self.configuration = configuration
        self.destination = destination
        self.finishedAt = ISO8601DateFormatter().string(from: finishedAt)
        self.images = images.sorted()
    }

    func encoded() -> Data {
        Workspace.jsonFile(self)
    }
}
