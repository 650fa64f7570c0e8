import Foundation
import OCI

/// What a run looks for beside each image, and what it does when a signature is missing.
public struct AttachmentOptions: Sendable {
    /// Look up cosign's tags (`.sig`, `.att`, `.sbom`) beside every image. Off
    /// (`--remove-signatures`), only release payloads are looked up: 4.21+ clusters need theirs.
    public var cosignTags: Bool
    /// Which OCI 1.1 referrers are mirrored (`--referrers`).
    public var referrers: ReferrerSelection
    /// What a missing signature does (`--signature-policy`).
    public var policy: SignaturePolicy
    /// Keys that signatures of matching images must verify with (`--signature-key`); none:
    /// signatures are mirrored as they are.
    public var verifier: (any SignatureVerifying)?

    public init(cosignTags: Bool = true, referrers: ReferrerSelection = .all, policy: SignaturePolicy = .bestEffort,
                verifier: (any SignatureVerifying)? = nil) {
        self.cosignTags = cosignTags
        self.referrers = referrers
        self.policy = policy
        self.verifier = verifier
    }
}

/// `--signature-policy`: whether an image without a signature upstream fails.
public enum SignaturePolicy: String, Sendable, CaseIterable {
    /// Listed in `logs/missing-signatures.txt` and counted; the run goes on (the default).
    case bestEffort = "best-effort"
    /// The image fails (its origin's exit bit), is not copied, and is listed.
    case require
}

/// `--referrers=all|none|TYPE,…`: which OCI 1.1 referrers are mirrored, by `artifactType`.
public enum ReferrerSelection: Sendable, Equatable, CustomStringConvertible {
    case all
    case none
    case types(Set<String>)

    /// `all`, `none`, or artifact types separated by commas.
    public init?(parsing text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed {
        case "all": self = .all
        case "none": self = .none
        default:
            let types = trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            guard !types.isEmpty, types.allSatisfy({ $0.contains("/") }) else { return nil }
            self = .types(Set(types))
        }
    }

    public func admits(_ artifactType: String?) -> Bool {
        switch self {
        case .all: true
        case .none: false
        case .types(let types): artifactType.map(types.contains) ?? false
        }
    }

    public var description: String {
        switch self {
        case .all: "all"
        case .none: "none"
        case .types(let types): types.sorted().joined(separator: ",")
        }
    }
}

/// Checks sigstore signatures against known keys (`--signature-key`).
public protocol SignatureVerifying: Sendable {
    /// Whether any key applies to the image; images no key applies to are not verified.
    func applies(to image: ImageReference) -> Bool
    /// Nil when the signature manifest holds a signature that verifies with a key applying to
    /// `image` and names `subject`; otherwise why it is refused, for a person.
    /// - Parameter payloads: the blobs the signature manifest's layers name, already checked
    ///   against their digests.
    func refusal(of signature: ManifestDocument, payloads: [Digest: Data], subject: Digest, image: ImageReference) -> String?
}
