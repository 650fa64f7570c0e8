import Crypto
import Foundation

/// One ECDSA P-256 key pair, as `cosign generate-key-pair` makes (kept apart from the signer
/// because swift-crypto's `Digest` protocol would shadow `OCI.Digest` there).
struct CosignKey: Sendable {
    private let key = P256.Signing.PrivateKey()

    /// The public key as PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`), ending in a
    /// newline as cosign writes `cosign.pub`.
    var publicKeyPEM: String {
        let pem = key.publicKey.pemRepresentation
        return pem.hasSuffix("\n") ? pem : pem + "\n"
    }

    /// The ASN.1 DER ECDSA signature over SHA-256 of `data`: what cosign base64-encodes into
    /// `dev.cosignproject.cosign/signature` and DSSE into `sig`.
    func sign(_ data: Data) throws -> Data {
        try key.signature(for: data).derRepresentation
    }
}
