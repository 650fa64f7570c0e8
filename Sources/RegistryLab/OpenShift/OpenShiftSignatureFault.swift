import OCI

/// What the signature store serves for one payload digest instead of its good signature
/// (`OpenShiftUpstream.setSignatureFault(_:for:)`).
public enum OpenShiftSignatureFault: Sendable, Hashable {
    /// No signature: `signature-1` answers 404.
    case missing
    /// The good signature with bytes flipped in its middle: it no longer verifies.
    case corrupted
    /// A valid signature by the lab key whose `docker-manifest-digest` is this other digest
    /// (same `docker-reference`): it verifies, but does not vouch for the payload asked about.
    case signsOtherDigest(Digest)
    /// An HTTP status (e.g. 500) with an empty body.
    case status(Int)
}
