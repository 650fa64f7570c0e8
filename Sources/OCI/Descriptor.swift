/// A reference to content by media type, digest and size: an entry in a manifest or index.
///
/// Source: opencontainers/image-spec `descriptor.md`.
public struct Descriptor: Hashable, Sendable, Codable {
    /// What the content is.
    public var mediaType: MediaType
    /// The digest of the content's exact bytes.
    public var digest: Digest
    /// The content's size in bytes; a copy is checked against it as well as the digest.
    public var size: Int64
    /// Where to fetch the content instead of the registry (foreign and non-distributable layers).
    public var urls: [String]?
    /// Arbitrary metadata.
    public var annotations: [String: String]?
    /// The platform of a manifest listed in an index.
    public var platform: Platform?
    /// The artifact type of a manifest listed in an index.
    public var artifactType: String?

    /// Creates a descriptor.
    public init(
        mediaType: MediaType,
        digest: Digest,
        size: Int64,
        urls: [String]? = nil,
        annotations: [String: String]? = nil,
        platform: Platform? = nil,
        artifactType: String? = nil
    ) {
        self.mediaType = mediaType
        self.digest = digest
        self.size = size
        self.urls = urls
        self.annotations = annotations
        self.platform = platform
        self.artifactType = artifactType
    }

    private enum CodingKeys: String, CodingKey {
        case mediaType, digest, size, urls, annotations, platform, artifactType
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        mediaType = try container.decode(MediaType.self, forKey: .mediaType)
        digest = try container.decode(Digest.self, forKey: .digest)
        size = try container.decode(Int64.self, forKey: .size)
        // A negative size can never match content; reject it here rather than mid-copy.
        guard size >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .size, in: container, debugDescription: "size \(size) is negative")
        }
        urls = try container.decodeIfPresent([String].self, forKey: .urls)
        annotations = try container.decodeIfPresent([String: String].self, forKey: .annotations)
        platform = try container.decodeIfPresent(Platform.self, forKey: .platform)
        artifactType = try container.decodeIfPresent(String.self, forKey: .artifactType)
    }
}
