/// A media type naming what a manifest, config or layer is, such as
/// `application/vnd.oci.image.manifest.v1+json`.
///
/// A struct over the raw string rather than an enum: registries carry media types this module has
/// never heard of (artifacts, Helm charts, signatures), and a mirror must copy them unchanged.
/// Source: opencontainers/image-spec `media-types.md`; Docker image manifest v2 schema 2.
public struct MediaType: RawRepresentable, Hashable, Sendable, Codable, ExpressibleByStringLiteral, CustomStringConvertible {
    /// The media type exactly as written.
    public let rawValue: String

    /// Wraps a media type as written; nothing is validated or normalised.
    public init(rawValue: String) {
        self.rawValue = rawValue
    }

    /// Wraps a media type as written.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    public init(stringLiteral value: String) {
        self.rawValue = value
    }

    /// Reads an HTTP `Content-Type` value: parameters such as `; charset=utf-8` are dropped,
    /// surrounding spaces trimmed, and the type lowercased (media types are case-insensitive).
    public init(contentType: String) {
        let type = contentType.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        self.rawValue = String(type.trimmingASCIISpaces()).lowercased()
    }

    public init(from decoder: any Decoder) throws {
        rawValue = try decoder.singleValueContainer().decode(String.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    /// The media type as written.
    public var description: String { rawValue }

    // MARK: Manifests

    /// OCI image manifest.
    public static let ociImageManifest: MediaType = "application/vnd.oci.image.manifest.v1+json"
    /// OCI image index.
    public static let ociImageIndex: MediaType = "application/vnd.oci.image.index.v1+json"
    /// Docker image manifest, schema 2.
    public static let dockerManifest: MediaType = "application/vnd.docker.distribution.manifest.v2+json"
    /// Docker manifest list (the Docker counterpart of an OCI index).
    public static let dockerManifestList: MediaType = "application/vnd.docker.distribution.manifest.list.v2+json"
    /// Docker schema 1 manifest (deprecated; not supported).
    public static let dockerManifestSchema1: MediaType = "application/vnd.docker.distribution.manifest.v1+json"
    /// Signed Docker schema 1 manifest (deprecated; not supported).
    public static let dockerManifestSchema1Signed: MediaType = "application/vnd.docker.distribution.manifest.v1+prettyjws"

    // MARK: Configs

    /// OCI image config.
    public static let ociImageConfig: MediaType = "application/vnd.oci.image.config.v1+json"
    /// Docker image config.
    public static let dockerImageConfig: MediaType = "application/vnd.docker.container.image.v1+json"

    // MARK: Layers

    /// OCI layer, uncompressed tar.
    public static let ociLayer: MediaType = "application/vnd.oci.image.layer.v1.tar"
    /// OCI layer, gzip-compressed tar.
    public static let ociLayerGzip: MediaType = "application/vnd.oci.image.layer.v1.tar+gzip"
    /// OCI layer, zstd-compressed tar.
    public static let ociLayerZstd: MediaType = "application/vnd.oci.image.layer.v1.tar+zstd"
    /// Docker layer, gzip-compressed tar.
    public static let dockerLayerGzip: MediaType = "application/vnd.docker.image.rootfs.diff.tar.gzip"
    /// Docker foreign layer (for example Windows base layers): fetched from its `urls`, never pushed.
    public static let dockerForeignLayerGzip: MediaType = "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip"
    /// OCI non-distributable layer, uncompressed (deprecated in image-spec 1.1, still met).
    public static let ociNonDistributableLayer: MediaType = "application/vnd.oci.image.layer.nondistributable.v1.tar"
    /// OCI non-distributable layer, gzip.
    public static let ociNonDistributableLayerGzip: MediaType = "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip"
    /// OCI non-distributable layer, zstd.
    public static let ociNonDistributableLayerZstd: MediaType = "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd"
    /// The OCI empty descriptor's content, `{}` (config of artifacts without a config).
    public static let ociEmpty: MediaType = "application/vnd.oci.empty.v1+json"

    // MARK: Predicates

    /// An OCI index or a Docker manifest list.
    public var isIndex: Bool {
        self == .ociImageIndex || self == .dockerManifestList
    }

    /// An OCI image manifest or a Docker schema 2 manifest.
    public var isImageManifest: Bool {
        self == .ociImageManifest || self == .dockerManifest
    }

    /// Any manifest this module parses: an index or an image manifest.
    public var isManifest: Bool {
        isIndex || isImageManifest
    }

    /// A Docker schema 1 manifest, signed or not.
    public var isSchema1: Bool {
        self == .dockerManifestSchema1 || self == .dockerManifestSchema1Signed
    }

    /// A layer that must never be copied between registries: Docker foreign layers and OCI
    /// non-distributable layers (licence terms keep them at their `urls`).
    public var isNonDistributable: Bool {
        rawValue.hasPrefix("application/vnd.docker.image.rootfs.foreign.")
            || rawValue.hasPrefix("application/vnd.oci.image.layer.nondistributable.")
    }

    /// The `Accept` list for manifest GET and HEAD: OCI index, OCI manifest, Docker manifest list,
    /// Docker schema 2. Schema 1 is left out so registries convert or refuse rather than serve it.
    public static let manifestAcceptList: [MediaType] = [
        .ociImageIndex, .ociImageManifest, .dockerManifestList, .dockerManifest,
    ]
}

extension StringProtocol {
    /// Drops leading and trailing spaces and tabs (HTTP optional whitespace) without Foundation.
    func trimmingASCIISpaces() -> SubSequence {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let start = firstIndex(where: { !isSpace($0) }),
              let last = lastIndex(where: { !isSpace($0) })
        else { return self[endIndex...] }
        return self[start...last]
    }
}
