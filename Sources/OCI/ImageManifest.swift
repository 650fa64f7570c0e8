/// An image manifest: an OCI image manifest or a Docker schema 2 manifest (same shape).
///
/// Decoding this type does not check `schemaVersion` or `mediaType`; ``ManifestDocument`` does,
/// because it also knows the registry's declared media type.
/// Source: opencontainers/image-spec `manifest.md`.
public struct ImageManifest: Sendable, Codable, Hashable {
    /// Always 2 for the manifests this module accepts.
    public var schemaVersion: Int
    /// The manifest's own media type; optional in OCI, always set by Docker.
    public var mediaType: MediaType?
    /// The type of an artifact manifest (OCI 1.1).
    public var artifactType: String?
    /// The image config.
    public var config: Descriptor
    /// The layers, base first.
    public var layers: [Descriptor]
    /// The manifest this one refers to (signatures, SBOMs: OCI 1.1 referrers).
    public var subject: Descriptor?
    /// Arbitrary metadata.
    public var annotations: [String: String]?

    /// Creates a manifest; the defaults describe an OCI image manifest.
    public init(
        schemaVersion: Int = 2,
        mediaType: MediaType? = .ociImageManifest,
        artifactType: String? = nil,
        config: Descriptor,
        layers: [Descriptor],
        subject: Descriptor? = nil,
        annotations: [String: String]? = nil
    ) {
        self.schemaVersion = schemaVersion
        self.mediaType = mediaType
        self.artifactType = artifactType
        self.config = config
        self.layers = layers
        self.subject = subject
        self.annotations = annotations
    }
}
