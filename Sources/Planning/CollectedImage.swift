import OCI

/// One image the configuration selects: where it comes from, where it lands, and why.
public struct CollectedImage: Sendable, Hashable, Codable {
    public var source: ImageReference
    public var destination: ImageReference
    public var origin: ImageOrigin
    /// Platforms to copy out of an index; nil copies every platform.
    public var platforms: [Platform]?
    /// Where the configuration asked for it (`FILE:LINE:COLUMN`), for messages.
    public var requestedAt: String?
    /// The OCI layout directory the image is read from (an `oci://` catalog), nil for a registry
    /// image. A layout has no registry name, so `source` then names the image by what it will be
    /// in the mirror: the destination repository at the image's digest.
    public var sourceLayout: String?
    /// Set when this is not an image but a signature, attestation, SBOM or other referrer of
    /// one (found beside it upstream); `origin` is then the image's own.
    public var attachment: Attachment?

    public init(source: ImageReference, destination: ImageReference, origin: ImageOrigin,
                platforms: [Platform]? = nil, requestedAt: String? = nil, sourceLayout: String? = nil,
                attachment: Attachment? = nil) {
        self.source = source
        self.destination = destination
        self.origin = origin
        self.platforms = platforms
        self.requestedAt = requestedAt
        self.sourceLayout = sourceLayout
        self.attachment = attachment
    }

    /// The source as a person (and oc-mirror's files) write it: `docker://…` or `oci://PATH`.
    public var sourceName: String {
        sourceLayout.map { "oci://\($0)" } ?? "docker://\(source)"
    }

    /// `docker://SOURCE=docker://DESTINATION`, the line format of oc-mirror's mapping.txt. A
    /// destination with a tag is written without the digest it is checked against, as oc-mirror
    /// writes a tag+digest source's destination (`repo:tag`).
    public var mappingLine: String {
        let target = destination.tag != nil
            ? ImageReference(repository: destination.repository, tag: destination.tag, digest: nil) : destination
        return "\(sourceName)=docker://\(target)"
    }
}
