import OCI

/// What ``CosignSignatureVerifier`` decided about an image's cosign signature manifest.
public enum CosignVerdict: Sendable, Hashable, CustomStringConvertible {
    /// A signature layer verifies with one of the keys and its payload names the image.
    case verified(CosignVerifiedSignature)
    /// No signature layer does both; the refusal says why, layer by layer.
    case refused(CosignRefusal)

    public var isVerified: Bool {
        if case .verified = self { true } else { false }
    }

    /// The accepted signature, if any.
    public var verified: CosignVerifiedSignature? {
        if case .verified(let signature) = self { signature } else { nil }
    }

    /// The refusal, if any.
    public var refusal: CosignRefusal? {
        if case .refused(let refusal) = self { refusal } else { nil }
    }

    public var description: String {
        switch self {
        case .verified(let signature): signature.description
        case .refused(let refusal): refusal.description
        }
    }
}

/// The signature that made a signature manifest acceptable.
public struct CosignVerifiedSignature: Sendable, Hashable, CustomStringConvertible {
    /// The signed image's manifest digest (what the payload names).
    public var subject: Digest
    /// The position of the signature layer in the manifest's `layers`, from 0.
    public var layerIndex: Int
    /// The signature layer.
    public var layer: Descriptor
    /// The position of the key in the verifier's `keys`, from 0.
    public var keyIndex: Int
    /// The key's file (``CosignPublicKey/source``).
    public var keySource: String
    /// `critical.identity.docker-reference`: the name the image was signed under. Not checked,
    /// as cosign does not check it when verifying with a key (a mirror renames images anyway).
    public var dockerReference: String?

    public var description: String {
        "cosign signature of \(subject) verified with \(keySource) (layer \(layerIndex), \(layer.digest)"
            + (dockerReference.map { ", signed as \($0))" } ?? ")")
    }
}

/// What is wrong with a signature manifest, or with one of its signature layers.
public enum CosignProblem: Sendable, Hashable {
    // The manifest as a whole.
    /// The verifier has no keys.
    case noKeys
    /// The signature manifest is an index, not an image manifest with layers.
    case notAnImageManifest(MediaType)
    /// No layer has the media type `application/vnd.dev.cosign.simplesigning.v1+json`.
    case noSignatureLayer

    // One signature layer, in the order they are checked.
    /// The caller did not supply the layer's payload blob.
    case payloadMissing
    /// The payload bytes supplied do not hash to the layer's digest (or differ in size).
    case payloadMismatch(actual: Digest, actualSize: Int)
    /// The layer has no `dev.cosignproject.cosign/signature` annotation.
    case signatureMissing
    /// The annotation is not standard base64.
    case invalidBase64
    /// The signature does not verify with any of the keys.
    case notVerified
    /// The signature verifies, but the payload is not a cosign simple-signing document.
    case invalidPayload(String)
    /// The signature verifies, but the payload names another manifest digest (as written there).
    case otherDigest(String)

    /// Which problem of several headlines a refusal: the one a person is most likely to act on.
    /// A signature that verifies says more than one that does not.
    var rank: Int {
        switch self {
        case .noKeys: 0
        case .notAnImageManifest: 1
        case .noSignatureLayer: 2
        case .otherDigest: 3
        case .invalidPayload: 4
        case .notVerified: 5
        case .payloadMismatch: 6
        case .invalidBase64: 7
        case .signatureMissing: 8
        case .payloadMissing: 9
        }
    }
}

/// What is wrong with one signature layer.
public struct CosignLayerProblem: Sendable, Hashable, CustomStringConvertible {
    /// The position of the layer in the manifest's `layers`, from 0.
    public var layerIndex: Int
    public var layer: Descriptor
    public var problem: CosignProblem
    /// The key the signature verified with, for `.invalidPayload` and `.otherDigest`.
    public var keySource: String?
    /// The key files tried, for `.notVerified`.
    public var keysTried: [String]

    public var description: String {
        let what = "layer \(layerIndex) (\(layer.digest))"
        switch problem {
        case .payloadMissing:
            return "\(what): its payload blob was not fetched"
        case .payloadMismatch(let actual, let actualSize):
            return "\(what): the payload bytes hash to \(actual) (\(actualSize) bytes), not to the layer's \(layer.digest) "
                + "(\(layer.size) bytes); they were altered, or the registry served other content"
        case .signatureMissing:
            return "\(what): no \(CosignSignatureVerifier.signatureAnnotation) annotation"
        case .invalidBase64:
            return "\(what): the \(CosignSignatureVerifier.signatureAnnotation) annotation is not valid base64"
        case .notVerified:
            return "\(what): the signature does not verify with \(keysTried.count == 1 ? "the key" : "any of the keys") "
                + keysTried.joined(separator: ", ")
        case .invalidPayload(let detail):
            return "\(what): signed with \(keySource ?? "a given key"), but the payload is not a cosign simple-signing "
                + "document: \(detail)"
        case .otherDigest(let named):
            return "\(what): signed with \(keySource ?? "a given key"), but the payload names \(named)"
        case .noKeys, .notAnImageManifest, .noSignatureLayer:
            return "\(what): \(problem)"
        }
    }
}

/// Why a signature manifest was refused: the headline problem, every signature layer's problem,
/// and what to do.
public struct CosignRefusal: Sendable, Hashable, CustomStringConvertible {
    /// The image whose signatures were checked.
    public var subject: Digest
    /// The signature manifest's digest, when it was given as a ``ManifestDocument``.
    public var signatureManifest: Digest?
    /// The headline: the manifest's problem, or the most telling of the layers' (see ``CosignProblem``).
    public var problem: CosignProblem
    /// Each signature layer's problem, in manifest order (empty for a manifest-level problem).
    public var layers: [CosignLayerProblem]
    /// The key files tried.
    public var keysTried: [String]

    public var description: String {
        let manifest = signatureManifest.map { "the signature manifest \($0)" } ?? "the signature manifest"
        let keys = keysTried.joined(separator: ", ")
        let headline: String
        let hint: String
        switch problem {
        case .noKeys:
            return "cannot check the cosign signatures of \(subject): no public key was given\n"
                + "  hint: give the signer's public key (cosign.pub) with --signature-key FILE"
        case .notAnImageManifest(let mediaType):
            return "refused the cosign signatures of \(subject): \(manifest) is an index (\(mediaType)), not an image "
                + "manifest with signature layers\n  hint: the sha256-<hex>.sig tag holds something other than cosign "
                + "signatures; sign the image again with `cosign sign --key cosign.key IMAGE@\(subject)`"
        case .noSignatureLayer:
            return "refused the cosign signatures of \(subject): \(manifest) has no signature layer (media type "
                + "\(CosignSignatureVerifier.signatureMediaType))\n  hint: it may hold only attestations; sign the "
                + "image with `cosign sign --key cosign.key IMAGE@\(subject)`"
        case .otherDigest(let named):
            headline = "a signature made with \(layers.first { $0.problem == problem }?.keySource ?? "a given key") "
                + "names \(named), not \(subject)"
            hint = "the .sig tag holds a signature of another image (a tag copied or re-pushed); sign IMAGE@\(subject) itself"
        case .invalidPayload:
            headline = "a signature verifies, but its payload is not a cosign simple-signing document"
            hint = "the signature was not made by `cosign sign`; sign the image with cosign"
        case .notVerified:
            headline = "no signature verifies with \(keysTried.count == 1 ? "the key" : "any of the keys") \(keys)"
            hint = "the image was signed with another key (or keylessly); give the signer's public key with --signature-key"
        case .payloadMismatch:
            headline = "a signature payload does not match its digest"
            hint = "the registry served other content than the signature manifest names; fetch it again, or check the registry"
        case .invalidBase64, .signatureMissing:
            headline = "a signature layer carries no usable signature"
            hint = "the signature manifest was not written by cosign, or was altered; sign the image again"
        case .payloadMissing:
            headline = "a signature payload was not fetched"
            hint = "this is a defect in Ferry: every signature layer's blob must be fetched before verifying; please report it"
        }
        return "refused the cosign signatures of \(subject): \(headline)\n"
            + layers.map { "  - \($0.description)\n" }.joined()
            + "  hint: \(hint)"
    }
}
