import Foundation
import OCI

/// One verified release signature: the raw OpenPGP message (what the signature ConfigMap
/// carries) and what it vouches for.
public struct ReleaseSignature: Sendable, Hashable {
    /// The payload digest the signature names (`critical.image.docker-manifest-digest`).
    public var digest: Digest
    /// `critical.identity.docker-reference`: the payload's name as Red Hat published it.
    public var dockerReference: String
    /// 1 for `signature-1`, ...
    public var index: Int
    public var raw: Data
}

/// Why a release signature could not be used; the text says what to do.
public struct ReleaseSignatureError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case missing, invalid, wrongDigest, unavailable, noKey }
    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }
}
