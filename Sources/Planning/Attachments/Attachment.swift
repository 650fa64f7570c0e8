import OCI

/// What makes a manifest an attachment of an image rather than an image: it was found beside
/// the image upstream, under one of cosign's tags or as an OCI 1.1 referrer, and lands beside it
/// in the mirror (same repository), after it.
public struct Attachment: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        /// cosign's `sha256-<hex>.sig`: sigstore signatures (CRI-O's `use-sigstore-attachments`).
        case signature
        /// cosign's `sha256-<hex>.att`: in-toto attestations.
        case attestation
        /// cosign's `sha256-<hex>.sbom`.
        case sbom
        /// An OCI 1.1 referrer: a manifest whose `subject` names the image.
        case referrer

        /// The cosign tag suffix; nil for referrers.
        public var tagSuffix: String? {
            switch self {
            case .signature: "sig"
            case .attestation: "att"
            case .sbom: "sbom"
            case .referrer: nil
            }
        }
    }

    public var kind: Kind
    /// The manifest it belongs to: the image's digest, or one of its index's children.
    public var subject: Digest
    /// A referrer's `artifactType` (from the referrers list); nil for cosign tags.
    public var artifactType: String?
    /// A referrer's descriptor as the upstream listed it (what a fallback-tag index lists).
    public var descriptor: Descriptor?

    public init(kind: Kind, subject: Digest, artifactType: String? = nil, descriptor: Descriptor? = nil) {
        self.kind = kind
        self.subject = subject
        self.artifactType = artifactType
        self.descriptor = descriptor
    }

    /// cosign's tag for an attachment of `subject`: `sha256-<hex>.sig` and so on.
    public static func cosignTag(_ kind: Kind, of subject: Digest) -> String? {
        kind.tagSuffix.map { "\(subject.algorithm.rawValue)-\(subject.encoded).\($0)" }
    }

    /// The referrers fallback tag of the OCI distribution spec: `sha256-<hex>`. The same text is
    /// the tag oc-mirror (and Ferry) give a digest-only image in its own repository; where both
    /// want it, the image keeps it (workspace-format.md, "Signatures and referrers").
    public static func fallbackTag(of subject: Digest) -> String {
        "\(subject.algorithm.rawValue)-\(subject.encoded)"
    }

    /// How a person reads it.
    public var displayName: String {
        switch kind {
        case .signature: "signature"
        case .attestation: "attestation"
        case .sbom: "SBOM"
        case .referrer: artifactType.map { "referrer (\($0))" } ?? "referrer"
        }
    }
}
