import Crypto
import Foundation

/// Signs registry bearer tokens in the form distribution 2.8 verifies (see
/// `shared/notes/distribution-token-auth.md`): a compact JWS with header
/// `{"typ":"JWT","alg":"ES256","x5c":[…]}` and an ES256 signature in JOSE form — the raw
/// 64-byte r‖s, not DER.
struct TokenSigner: Sendable {
    let key: P256.Signing.PrivateKey
    /// Standard-base64 DER certificates, leaf first; the registry checks them against its `rootcertbundle`.
    let certificateChain: [String]

    struct Header: Encodable {
        let typ = "JWT"
        let alg = "ES256"
        let x5c: [String]
    }

    /// Distribution's claim set; `aud` is a single string, which both 2.8 and 3.x accept.
    struct Claims: Encodable {
        var iss: String
        var sub: String
        var aud: String
        var exp: Int64
        var nbf: Int64
        var iat: Int64
        var jti: String
        var access: [Access]
    }

    struct Access: Encodable, Equatable {
        var type: String
        var name: String
        var actions: [String]
    }

    func sign(_ claims: Claims) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let header = try encoder.encode(Header(x5c: certificateChain))
        let payload = try encoder.encode(claims)
        let signingInput = Self.base64URL(header) + "." + Self.base64URL(payload)
        // `signature(for:)` hashes with SHA-256, as ES256 requires.
        let signature = try key.signature(for: Data(signingInput.utf8))
        return signingInput + "." + Self.base64URL(signature.rawRepresentation)
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
