import Foundation
import OCI

/// A wrong signature stored where a verifier looks for a good one: the `.sig` tag of the image.
public enum CosignSignatureFault: Sendable, Hashable {
    /// Signed with the lab key, but the payload's `docker-manifest-digest` is this other digest:
    /// the signature verifies, yet vouches for another image.
    case signsOtherDigest(Digest)
    /// The right payload, signed with the signer's second key (`otherPublicKeyPath`): refused by
    /// a verifier holding `publicKeyPath`.
    case otherKey
}

/// A cosign signature as the lab made it: an OCI image manifest under `sha256-<hex>.sig` in the
/// signed image's repository, whose one layer is the simple-signing payload and whose layer
/// annotation `dev.cosignproject.cosign/signature` is the base64 DER ECDSA signature of it.
public struct CosignSignature: Sendable, Hashable, CustomStringConvertible {
    /// The image the tag belongs to, by digest: `<registry>/<repo>@sha256:…`.
    public var signedImage: ImageReference
    /// `sha256-<hex of signedImage's digest>.sig`.
    public var tag: String
    /// The signature manifest exactly as pushed.
    public var manifest: ManifestDocument
    /// The simple-signing payload (the layer's bytes).
    public var payload: Data
    /// The ASN.1 DER ECDSA P-256 signature over SHA-256 of `payload`.
    public var signature: Data
    /// The digest the payload names: the signed image's, unless `fault` says otherwise.
    public var payloadDigest: Digest
    /// Nil for a good signature.
    public var fault: CosignSignatureFault?
    /// The config blob and the payload, pushed before the manifest.
    var blobs: [Data]

    /// `<registry>/<repo>:sha256-<hex>.sig` (by tag only: that is how cosign finds it).
    public var reference: ImageReference { ImageReference(repository: signedImage.repository, tag: tag, digest: nil) }

    public var description: String { "\(reference) (\(manifest.digest))" }
}

/// A cosign attestation (`cosign attest`) as the lab made it: an OCI image manifest under
/// `sha256-<hex>.att` whose layer is a DSSE envelope around an in-toto statement, with the
/// layer annotation `predicateType`.
public struct CosignAttestation: Sendable, Hashable, CustomStringConvertible {
    /// The image the tag belongs to, by digest.
    public var attestedImage: ImageReference
    /// `sha256-<hex of attestedImage's digest>.att`.
    public var tag: String
    public var manifest: ManifestDocument
    /// The DSSE envelope (the layer's bytes); its signature verifies with the signer's public key.
    public var envelope: Data
    /// The in-toto statement inside the envelope.
    public var statement: Data
    /// The statement's `predicateType`, also the layer's `predicateType` annotation.
    public var predicateType: String
    var blobs: [Data]

    /// `<registry>/<repo>:sha256-<hex>.att` (by tag only).
    public var reference: ImageReference { ImageReference(repository: attestedImage.repository, tag: tag, digest: nil) }

    public var description: String { "\(reference) (\(manifest.digest))" }
}
