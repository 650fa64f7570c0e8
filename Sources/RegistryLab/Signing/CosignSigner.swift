import Distribution
import Foundation
import OCI
import Synchronization

/// The lab's cosign keys, and signatures and attestations made with them in cosign's tag layout
/// (`sha256-<hex>.sig`, `sha256-<hex>.att` beside the image), pushed through Ferry's registry client.
///
/// ```swift
/// let signer = try CosignSigner(directory: lab.root.appendingPathComponent("cosign"))
/// let signature = try await signer.sign(image.digest, in: image.reference.repository, client: seeder.client)
/// // verify with signer.publicKeyPath (cosign verify --key … --insecure-ignore-tlog)
/// ```
///
/// Two ECDSA P-256 key pairs, made fresh for each signer (signatures are not deterministic
/// either: ECDSA signing is randomised). The second key exists so that a test can show a
/// signature by a key other than the trusted one being refused.
public struct CosignSigner: Sendable {
    /// `cosign.pub`: the trusted public key, PEM SubjectPublicKeyInfo as `cosign generate-key-pair` writes it.
    public let publicKeyPath: URL
    /// `other-cosign.pub`: the second key, which only `.otherKey` faults sign with.
    public let otherPublicKeyPath: URL
    /// The contents of `publicKeyPath`.
    public let publicKeyPEM: String
    /// The contents of `otherPublicKeyPath`.
    public let otherPublicKeyPEM: String
    private let key = CosignKey()
    private let otherKey = CosignKey()

    /// Makes both key pairs and writes their public keys into `directory` (created if needed).
    public init(directory: URL) throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        publicKeyPEM = key.publicKeyPEM
        otherPublicKeyPEM = otherKey.publicKeyPEM
        publicKeyPath = directory.appendingPathComponent("cosign.pub")
        otherPublicKeyPath = directory.appendingPathComponent("other-cosign.pub")
        try Data(publicKeyPEM.utf8).write(to: publicKeyPath)
        try Data(otherPublicKeyPEM.utf8).write(to: otherPublicKeyPath)
    }

    /// `sha256-<hex>.sig`: where cosign stores the signatures of the image with this digest.
    public static func signatureTag(for digest: Digest) -> String {
        CosignFormat.tag(for: digest, suffix: "sig")
    }

    /// `sha256-<hex>.att`: where cosign stores the attestations of the image with this digest.
    public static func attestationTag(for digest: Digest) -> String {
        CosignFormat.tag(for: digest, suffix: "att")
    }

    /// Builds, without pushing, the signature of the image `digest` in `repository`, or the
    /// wrong signature `fault` describes (stored under the same tag).
    public func signature(of digest: Digest, in repository: RepositoryName, fault: CosignSignatureFault? = nil) throws
        -> CosignSignature {
        var named = digest
        if case .signsOtherDigest(let other)? = fault { named = other }
        let payload = try CosignFormat.simpleSigningPayload(dockerReference: repository.description, digest: named)
        let signingKey = fault == .otherKey ? otherKey : key
        let signature = try signingKey.sign(payload)
        let config = try CosignFormat.config(layers: [payload])
        let manifest = try CosignFormat.manifest(config: config, layers: [
            (payload, CosignFormat.simpleSigningMediaType, [CosignFormat.signatureAnnotation: signature.base64EncodedString()]),
        ])
        return CosignSignature(signedImage: ImageReference(repository: repository, tag: nil, digest: digest),
                               tag: Self.signatureTag(for: digest), manifest: manifest, payload: payload, signature: signature,
                               payloadDigest: named, fault: fault, blobs: [config, payload])
    }

    /// Builds, without pushing, an attestation of the image `digest` in `repository`: a DSSE
    /// envelope, signed with the trusted key, around an in-toto statement with an SLSA
    /// provenance predicate.
    public func attestation(of digest: Digest, in repository: RepositoryName) throws -> CosignAttestation {
        let predicateType = CosignFormat.provenancePredicateType
        let statement = try CosignFormat.inTotoStatement(
            subjectName: repository.description, digest: digest, predicateType: predicateType,
            predicate: CosignFormat.provenancePredicate(for: repository.path))
        let signed = CosignFormat.preAuthenticationEncoding(payloadType: CosignFormat.inTotoPayloadType, payload: statement)
        let envelope = try CosignFormat.envelope(payloadType: CosignFormat.inTotoPayloadType, payload: statement,
                                                 signature: try key.sign(signed))
        let config = try CosignFormat.config(layers: [envelope])
        // cosign leaves the signature annotation empty on attestations: the envelope carries it.
        let manifest = try CosignFormat.manifest(config: config, layers: [
            (envelope, CosignFormat.dsseEnvelopeMediaType,
             [CosignFormat.predicateTypeAnnotation: predicateType, CosignFormat.signatureAnnotation: ""]),
        ])
        return CosignAttestation(attestedImage: ImageReference(repository: repository, tag: nil, digest: digest),
                                 tag: Self.attestationTag(for: digest), manifest: manifest, envelope: envelope,
                                 statement: statement, predicateType: predicateType, blobs: [config, envelope])
    }

    /// Builds and pushes a signature (see `signature(of:in:fault:)`); a signature already under
    /// the tag is replaced, not appended to.
    @discardableResult
    public func sign(_ digest: Digest, in repository: RepositoryName, client: RegistryClient,
                     fault: CosignSignatureFault? = nil) async throws -> CosignSignature {
        let signature = try signature(of: digest, in: repository, fault: fault)
        try await push(signature, client: client)
        return signature
    }

    /// Builds and pushes an attestation (see `attestation(of:in:)`).
    @discardableResult
    public func attest(_ digest: Digest, in repository: RepositoryName, client: RegistryClient) async throws -> CosignAttestation {
        let attestation = try attestation(of: digest, in: repository)
        try await BuiltImagePusher(client: client).push(attestation.builtImage)
        return attestation
    }

    /// Signs and pushes several images (each by digest), a few at a time; the results keep the order given.
    public func sign(_ images: [ImageReference], client: RegistryClient, parallel: Int = 4) async throws -> [CosignSignature] {
        let results = Mutex<[Int: CosignSignature]>([:])
        try await forEachConcurrently(Array(images.indices), limit: parallel) { index in
            let image = images[index]
            guard let digest = image.digest else { throw LabError.unsupported("\(image) has no digest to sign") }
            let signature = try await sign(digest, in: image.repository, client: client)
            results.withLock { $0[index] = signature }
        }
        return results.withLock { results in images.indices.compactMap { results[$0] } }
    }

    /// Replaces `good`'s tag with the wrong signature `fault` describes (nil pushes `good` back).
    /// - Returns: what the tag now holds.
    public func replace(_ good: CosignSignature, of digest: Digest, with fault: CosignSignatureFault?,
                        client: RegistryClient) async throws -> CosignSignature {
        guard let fault else {
            try await push(good, client: client)
            return good
        }
        return try await sign(digest, in: good.signedImage.repository, client: client, fault: fault)
    }

    /// Pushes a signature's blobs, then its manifest under its tag (again, to restore a good
    /// signature after a fault replaced it).
    public func push(_ signature: CosignSignature, client: RegistryClient) async throws {
        try await BuiltImagePusher(client: client).push(signature.builtImage)
    }
}

extension CosignSignature {
    var builtImage: BuiltImage {
        BuiltImage(repository: signedImage.repository.path, manifest: manifest, blobs: blobs, tags: [tag])
    }
}

extension CosignAttestation {
    var builtImage: BuiltImage {
        BuiltImage(repository: attestedImage.repository.path, manifest: manifest, blobs: blobs, tags: [tag])
    }
}
