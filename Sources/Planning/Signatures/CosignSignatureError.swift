/// Why a cosign public key could not be loaded; the text names the file, says what is wrong and
/// what to do.
///
/// Only loading keys throws: a signature that does not verify is an expected outcome, returned as
/// a ``CosignVerdict``.
public struct CosignSignatureError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The file cannot be read (missing, unreadable, empty).
        case unreadable
        /// The file is not a PEM `PUBLIC KEY`: a private key, a certificate, an OpenPGP key, garbage.
        case notPublicKey
        /// A public key of a type that cannot be used (Ed448, secp256k1, RSA-PSS, RSA under 2048 bits).
        case unsupportedKey
        /// A `PUBLIC KEY` block whose content is not a valid key.
        case invalidKey
    }

    public var kind: Kind
    /// The file (or the name given to PEM text) the problem is in.
    public var source: String
    public var description: String

    public init(_ kind: Kind, source: String, _ description: String) {
        self.kind = kind
        self.source = source
        self.description = description
    }
}
