/// An index of manifests: an OCI image index or a Docker manifest list (same shape).
///
/// Source: opencontainers/image-spec `image-index.md`.
public struct ImageIndex: Sendable, Codable, Hashable {
    /// Always 2 for the indexes this module accepts.
    public var schemaVersion: Int
    /// The index's own media type; optional in OCI, always set by Docker.
    public var mediaType: MediaType?
    /// The type of an artifact index (OCI 1.1).
    public var artifactType: String?
    /// The listed manifests, usually one per platform.
    public var manifests: [Descriptor]
    /// The manifest this one refers to (OCI 1.1 referrers).
    public var subject: Descriptor?
    /// Arbitrary metadata.
    public var annotations: [String: String]?

    /// Creates an index; the defaults describe an OCI image index.
    public init(
        schemaVersion: Int = 2,
        mediaType: MediaType? = .ociImageIndex,
        artifactType: String? = nil,
        manifests: [Descriptor],
        subject: Descriptor? = nil,
        annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.manifests = manifests
        self.subject = subject
        self.annotations = annotations
    }
}
