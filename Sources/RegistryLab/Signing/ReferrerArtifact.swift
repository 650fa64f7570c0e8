import Foundation
import OCI

/// What an OCI 1.1 referrer carries: its `artifactType`, one layer, and manifest annotations
/// (which the referrers index repeats). `ReferrerAttacher` wraps it in a manifest naming the subject.
public struct ReferrerArtifact: Sendable, Hashable {
    /// `application/spdx+json`: an SPDX SBOM.
    public static let spdxJSON = "application/spdx+json"
    /// `application/vnd.in-toto+json`: an in-toto attestation.
    public static let inTotoJSON = "application/vnd.in-toto+json"

    public var artifactType: String
    public var layerMediaType: MediaType
    /// The layer's bytes.
    public var content: Data
    public var annotations: [String: String]

    public init(artifactType: String, layerMediaType: MediaType, content: Data, annotations: [String: String] = [:]) {
        self.artifactType = artifactType
        self.layerMediaType = layerMediaType
        self.content = content
        self.annotations = annotations
    }

    /// A small SPDX 2.3 document describing the image `repository@digest` (the repository as a
    /// path, without the host, so the bytes do not depend on the registry's port).
    public static func sbom(repository: String, digest: Digest) throws -> ReferrerArtifact {
        let name = repository.split(separator: "/").last.map(String.init) ?? repository
        let document = try CosignFormat.json([
            "spdxVersion": "SPDX-2.3",
            "dataLicense": "CC0-1.0",
            "SPDXID": "SPDXRef-DOCUMENT",
            "name": "\(repository)@\(digest)",
            "documentNamespace": "https://lab.ferry.invalid/spdx/\(digest.encoded)",
            "creationInfo": ["created": "2025-01-01T00:00:00Z", "creators": ["Tool: ferry-lab"]] as [String: Any],
            "packages": [[
                "SPDXID": "SPDXRef-Package-\(name)",
                "name": name,
                "versionInfo": digest.description,
                "downloadLocation": "NOASSERTION",
                "licenseConcluded": "NOASSERTION",
            ]],
            "relationships": [[
                "spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES", "relatedSpdxElement": "SPDXRef-Package-\(name)",
            ]],
        ])
        return ReferrerArtifact(artifactType: spdxJSON, layerMediaType: MediaType(spdxJSON), content: document,
                                annotations: createdAnnotation)
    }

    /// An unsigned in-toto statement (SLSA provenance) about the image `repository@digest`.
    public static func inTotoAttestation(repository: String, digest: Digest) throws -> ReferrerArtifact {
        let statement = try CosignFormat.inTotoStatement(
            subjectName: repository, digest: digest, predicateType: CosignFormat.provenancePredicateType,
            predicate: CosignFormat.provenancePredicate(for: repository), statementType: "https://in-toto.io/Statement/v1")
        return ReferrerArtifact(artifactType: inTotoJSON, layerMediaType: MediaType(inTotoJSON), content: statement,
                                annotations: createdAnnotation.merging(["in-toto.io/predicate-type": CosignFormat.provenancePredicateType],
                                                                       uniquingKeysWith: { first, _ in first }))
    }

    /// A fixed creation time, so the same subject always gets the same referrer manifests.
    private static let createdAnnotation = ["org.opencontainers.image.created": "2025-01-01T00:00:00Z"]
}

/// A referrer as the lab pushed it: its manifest (by digest, no tag) and the fallback tag whose
/// index lists it.
public struct AttachedReferrer: Sendable, Hashable, CustomStringConvertible {
    /// The subject, by digest: `<registry>/<repo>@sha256:…`.
    public var subject: ImageReference
    /// The referrer manifest's descriptor with its `artifactType` and annotations: exactly the
    /// entry the fallback index (and a referrers API) lists.
    public var descriptor: Descriptor
    /// The referrer manifest as pushed.
    public var manifest: ManifestDocument

    /// `application/spdx+json`, `application/vnd.in-toto+json`.
    public var artifactType: String { descriptor.artifactType ?? "" }
    /// `<registry>/<repo>@<referrer digest>`.
    public var reference: ImageReference { ImageReference(repository: subject.repository, tag: nil, digest: descriptor.digest) }
    /// `sha256-<hex of the subject digest>`: the referrers tag schema's index.
    public var fallbackTag: String { subject.digest.map(ReferrerAttacher.fallbackTag(for:)) ?? "" }

    public var description: String { "\(artifactType) \(reference) -> \(subject)" }
}
