import OCI

/// What a seeded upstream holds beside its images: cosign signatures (`.sig`), cosign
/// attestations (`.att`) and OCI referrers (with their fallback tags), so tests can assert
/// exactly which images a mirror must carry them for. Empty when seeded with `signing: false`.
public struct SupplyChainArtifacts: Sendable, Hashable {
    /// Good signatures, one per signed image, in seeding order.
    public var signatures: [CosignSignature]
    public var attestations: [CosignAttestation]
    /// Every referrer, in attach order (the order of each subject's fallback index).
    public var referrers: [AttachedReferrer]

    public init(signatures: [CosignSignature] = [], attestations: [CosignAttestation] = [], referrers: [AttachedReferrer] = []) {
        self.signatures = signatures
        self.attestations = attestations
        self.referrers = referrers
    }

    /// The images with a good `.sig`, by digest.
    public var signedImages: [ImageReference] { signatures.map(\.signedImage) }

    /// The images with a `.att`, by digest.
    public var attestedImages: [ImageReference] { attestations.map(\.attestedImage) }

    /// The subjects of `referrers`, by digest, each once, in attach order.
    public var imagesWithReferrers: [ImageReference] {
        var seen = Set<ImageReference>()
        return referrers.map(\.subject).filter { seen.insert($0).inserted }
    }

    /// The good signature of the image with this digest, if it was signed.
    public func signature(for digest: Digest) -> CosignSignature? {
        signatures.first { $0.signedImage.digest == digest }
    }

    /// The attestation of the image with this digest, if it has one.
    public func attestation(for digest: Digest) -> CosignAttestation? {
        attestations.first { $0.attestedImage.digest == digest }
    }

    /// The referrers of the image with this digest, in attach order.
    public func referrers(of digest: Digest) -> [AttachedReferrer] {
        referrers.filter { $0.subject.digest == digest }
    }

    /// Every tag pushed for these artifacts, by repository path: `.sig`, `.att` and fallback tags.
    public var tags: [String: Set<String>] {
        var tags: [String: Set<String>] = [:]
        for signature in signatures { tags[signature.signedImage.repository.path, default: []].insert(signature.tag) }
        for attestation in attestations { tags[attestation.attestedImage.repository.path, default: []].insert(attestation.tag) }
        for referrer in referrers { tags[referrer.subject.repository.path, default: []].insert(referrer.fallbackTag) }
        return tags
    }
}
