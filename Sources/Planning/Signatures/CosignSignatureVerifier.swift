import Foundation
import OCI

/// Verifies an image's cosign (sigstore) signatures with public keys, as `cosign verify --key`
/// does for key-based signatures (no certificates, no transparency log). Pure: the caller fetches
/// the signature manifest (the `sha256-<hex>.sig` tag beside the image) and its payload blobs.
///
/// Each layer of media type `application/vnd.dev.cosign.simplesigning.v1+json` is one signature:
/// its blob is the simple-signing payload, its `dev.cosignproject.cosign/signature` annotation the
/// base64 signature over the payload's exact bytes. Layers of other media types (attestations)
/// are not signatures and are skipped. For each signature layer, in order:
/// 1. the payload bytes must hash to the layer's digest and have its size;
/// 2. the signature must verify with one of the keys (``CosignPublicKey/isValidSignature(_:for:)``);
/// 3. the payload, now trusted, must be a simple-signing document of type
///    `cosign container image signature` whose `critical.image.docker-manifest-digest` is the
///    subject digest.
///
/// The manifest is accepted as soon as one layer passes all three; the layers that fail are
/// ignored then, as cosign ignores them. `critical.identity.docker-reference` and the `optional`
/// claims are not checked (cosign checks them only when asked with `-a`).
public struct CosignSignatureVerifier: Sendable {
    /// The media type of a cosign signature layer.
    public static let signatureMediaType: MediaType = "application/vnd.dev.cosign.simplesigning.v1+json"
    /// The layer annotation holding the base64 signature.
    public static let signatureAnnotation = "dev.cosignproject.cosign/signature"
    /// `critical.type` of a cosign image signature payload.
    public static let payloadType = "cosign container image signature"

    /// The keys a signature may verify with; any one is enough.
    public var keys: [CosignPublicKey]

    /// - Parameter keys: the keys a signature may verify with (`--signature-key`, repeatable).
    public init(keys: [CosignPublicKey]) {
        self.keys = keys
    }

    /// Loads each file with ``CosignPublicKey/init(contentsOfFile:)``.
    /// - Throws: the first key file's error.
    public init(keyFiles: [String]) throws(CosignSignatureError) {
        var keys: [CosignPublicKey] = []
        for file in keyFiles {
            keys.append(try CosignPublicKey(contentsOfFile: file))
        }
        self.keys = keys
    }

    /// The tag cosign stores an image's signatures under: `sha256-<hex>.sig`.
    public static func signatureTag(for subject: Digest) -> String {
        "\(subject.algorithm.rawValue)-\(subject.encoded).sig"
    }

    /// Verifies a signature manifest as read from the registry.
    /// - Parameters:
    ///   - signatures: the manifest of the image's `.sig` tag.
    ///   - payloads: the payload blobs of its signature layers, by digest, as fetched; each is
    ///     checked against its layer's digest and size here.
    ///   - subject: the digest of the signed image's manifest.
    /// - Returns: `.verified` naming the layer and the key, or `.refused` saying why.
    public func verify(_ signatures: ManifestDocument, payloads: [Digest: Data], subject: Digest) -> CosignVerdict {
        guard let manifest = signatures.image else {
            return .refused(CosignRefusal(subject: subject, signatureManifest: signatures.digest,
                                          problem: .notAnImageManifest(signatures.mediaType), layers: [], keysTried: keySources))
        }
        return verify(manifest, payloads: payloads, subject: subject, manifestDigest: signatures.digest)
    }

    /// Verifies a parsed signature manifest, as the `ManifestDocument` form does.
    public func verify(_ signatures: ImageManifest, payloads: [Digest: Data], subject: Digest) -> CosignVerdict {
        verify(signatures, payloads: payloads, subject: subject, manifestDigest: nil)
    }

    private var keySources: [String] { keys.map(\.source) }

    private func verify(_ manifest: ImageManifest, payloads: [Digest: Data], subject: Digest,
                        manifestDigest: Digest?) -> CosignVerdict {
        func refusal(_ problem: CosignProblem, _ layers: [CosignLayerProblem] = []) -> CosignVerdict {
            .refused(CosignRefusal(subject: subject, signatureManifest: manifestDigest, problem: problem,
                                   layers: layers, keysTried: keySources))
        }
        guard !keys.isEmpty else { return refusal(.noKeys) }
        var problems: [CosignLayerProblem] = []
        for (index, layer) in manifest.layers.enumerated() where layer.mediaType == Self.signatureMediaType {
            switch check(layer, payload: payloads[layer.digest], subject: subject) {
            case .success(let (keyIndex, reference)):
                return .verified(CosignVerifiedSignature(subject: subject, layerIndex: index, layer: layer, keyIndex: keyIndex,
                                                         keySource: keys[keyIndex].source, dockerReference: reference))
            case .failure(let failure):
                problems.append(CosignLayerProblem(layerIndex: index, layer: layer, problem: failure.problem,
                                                   keySource: failure.keyIndex.map { keys[$0].source },
                                                   keysTried: failure.problem == .notVerified ? keySources : []))
            }
        }
        guard let headline = problems.min(by: { $0.problem.rank < $1.problem.rank }) else {
            return refusal(.noSignatureLayer)
        }
        return refusal(headline.problem, problems)
    }

    private struct LayerFailure: Error {
        var problem: CosignProblem
        /// The key that verified the signature, when the problem is in what it signed.
        var keyIndex: Int?
    }

    /// The index of the key that verified the layer and the payload's docker-reference, or why not.
    private func check(_ layer: Descriptor, payload: Data?, subject: Digest) -> Result<(Int, String?), LayerFailure> {
        guard let payload else { return .failure(LayerFailure(problem: .payloadMissing)) }
        let actual = Digest.compute(layer.digest.algorithm, payload)
        guard actual == layer.digest, Int64(payload.count) == layer.size else {
            return .failure(LayerFailure(problem: .payloadMismatch(actual: actual, actualSize: payload.count)))
        }
        guard let encoded = layer.annotations?[Self.signatureAnnotation] else {
            return .failure(LayerFailure(problem: .signatureMissing))
        }
        guard let signature = Data(base64Encoded: encoded), !signature.isEmpty else {
            return .failure(LayerFailure(problem: .invalidBase64))
        }
        guard let keyIndex = keys.firstIndex(where: { $0.isValidSignature(signature, for: payload) }) else {
            return .failure(LayerFailure(problem: .notVerified))
        }
        let document: SimpleSigning
        do {
            document = try SimpleSigning.parse(payload)
        } catch {
            return .failure(LayerFailure(problem: .invalidPayload(error.problem), keyIndex: keyIndex))
        }
        guard document.digest == subject.description else {
            return .failure(LayerFailure(problem: .otherDigest(document.digest), keyIndex: keyIndex))
        }
        return .success((keyIndex, document.dockerReference))
    }
}

/// The parts of a cosign simple-signing payload that are checked:
/// `{"critical": {"identity": {"docker-reference": …}, "image": {"docker-manifest-digest": …},
/// "type": "cosign container image signature"}, "optional": …}`.
/// Source: containers/image `docs/containers-signature.5.md` (the format), with cosign's type.
struct SimpleSigning {
    var digest: String
    var dockerReference: String?

    struct ParseError: Error {
        var problem: String
    }

    static func parse(_ payload: Data) throws(ParseError) -> SimpleSigning {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: payload)
        } catch {
            throw ParseError(problem: "not valid JSON")
        }
        guard let root = object as? [String: Any] else { throw ParseError(problem: "not a JSON object") }
        guard let critical = root["critical"] as? [String: Any] else {
            throw ParseError(problem: "no \"critical\" object")
        }
        guard let type = critical["type"] as? String else { throw ParseError(problem: "no \"critical.type\" string") }
        guard type == CosignSignatureVerifier.payloadType else {
            throw ParseError(problem: "\"critical.type\" is \"\(type)\", not \"\(CosignSignatureVerifier.payloadType)\"")
        }
        guard let image = critical["image"] as? [String: Any],
              let digest = image["docker-manifest-digest"] as? String else {
            throw ParseError(problem: "no \"critical.image.docker-manifest-digest\" string")
        }
        let identity = critical["identity"] as? [String: Any]
        return SimpleSigning(digest: digest, dockerReference: identity?["docker-reference"] as? String)
    }
}
