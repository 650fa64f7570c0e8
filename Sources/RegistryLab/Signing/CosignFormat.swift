import Foundation
import OCI

/// The bytes cosign writes for `cosign sign` and `cosign attest` with a key pair (no
/// transparency-log bundle, as `--tlog-upload=false` leaves them): what a mirror has to find,
/// copy and verify.
enum CosignFormat {
    /// The layer media type of a signature's simple-signing payload.
    static let simpleSigningMediaType: MediaType = "application/vnd.dev.cosign.simplesigning.v1+json"
    /// The layer media type of an attestation.
    static let dsseEnvelopeMediaType: MediaType = "application/vnd.dsse.envelope.v1+json"
    /// The layer annotation holding the base64 signature.
    static let signatureAnnotation = "dev.cosignproject.cosign/signature"
    /// The layer annotation naming an attestation's predicate.
    static let predicateTypeAnnotation = "predicateType"
    /// The DSSE `payloadType` of an in-toto statement.
    static let inTotoPayloadType = "application/vnd.in-toto+json"
    /// SLSA provenance 0.2, what `cosign attest --type slsaprovenance` writes.
    static let provenancePredicateType = "https://slsa.dev/provenance/v0.2"

    /// `sha256-<hex>.<suffix>`: cosign keys its artifacts on the image digest, `:` being illegal in tags.
    static func tag(for digest: Digest, suffix: String) -> String {
        "\(digest.algorithm.rawValue)-\(digest.encoded).\(suffix)"
    }

    /// `{"critical":{"identity":{"docker-reference":…},"image":{"docker-manifest-digest":…},
    /// "type":"cosign container image signature"},"optional":null}`, keys sorted and no spaces,
    /// as cosign marshals it. `dockerReference` is the repository without tag or digest.
    static func simpleSigningPayload(dockerReference: String, digest: Digest) throws -> Data {
        try json([
            "critical": [
                "identity": ["docker-reference": dockerReference],
                "image": ["docker-manifest-digest": digest.description],
                "type": "cosign container image signature",
            ] as [String: Any],
            "optional": NSNull(),
        ])
    }

    /// The config of a signature or attestation image: no platform, the zero time, one diff ID
    /// per layer (the layers are not compressed, so their digests are their diff IDs).
    static func config(layers: [Data]) throws -> Data {
        try json([
            "architecture": "",
            "os": "",
            "created": "0001-01-01T00:00:00Z",
            "history": layers.map { _ in ["created": "0001-01-01T00:00:00Z"] },
            "rootfs": ["type": "layers", "diff_ids": layers.map { Digest.sha256($0).description }] as [String: Any],
            "config": [String: Any](),
        ])
    }

    /// An OCI image manifest over `config` and `layers` (bytes, media type, annotations).
    static func manifest(config: Data, layers: [(bytes: Data, mediaType: MediaType, annotations: [String: String])]) throws
        -> ManifestDocument {
        let manifest = ImageManifest(
            config: Descriptor(mediaType: .ociImageConfig, digest: .sha256(config), size: Int64(config.count)),
            layers: layers.map {
                Descriptor(mediaType: $0.mediaType, digest: .sha256($0.bytes), size: Int64($0.bytes.count), annotations: $0.annotations)
            })
        return try ManifestDocument(encoding: .image(manifest))
    }

    /// An in-toto statement about one image: `subject` names it by repository and digest.
    static func inTotoStatement(subjectName: String, digest: Digest, predicateType: String, predicate: [String: Any],
                                statementType: String = "https://in-toto.io/Statement/v0.1") throws -> Data {
        try json([
            "_type": statementType,
            "predicateType": predicateType,
            "subject": [["name": subjectName, "digest": [digest.algorithm.rawValue: digest.encoded]]],
            "predicate": predicate,
        ])
    }

    /// A small SLSA 0.2 provenance predicate naming the lab as builder.
    static func provenancePredicate(for subjectName: String) -> [String: Any] {
        [
            "builder": ["id": "https://lab.ferry.invalid/builder"],
            "buildType": "https://lab.ferry.invalid/synthetic-image@v1",
            "invocation": ["configSource": ["uri": "https://lab.ferry.invalid/\(subjectName)"]],
            "metadata": ["buildFinishedOn": "2025-01-01T00:00:00Z", "reproducible": true] as [String: Any],
        ]
    }

    /// DSSE pre-authentication encoding: `DSSEv1 <len(type)> <type> <len(body)> <body>`, what
    /// an envelope's signature is computed over.
    static func preAuthenticationEncoding(payloadType: String, payload: Data) -> Data {
        var bytes = Data("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(payload.count) ".utf8)
        bytes.append(payload)
        return bytes
    }

    /// `{"payloadType":…,"payload":<base64>,"signatures":[{"keyid":"","sig":<base64>}]}`.
    static func envelope(payloadType: String, payload: Data, signature: Data) throws -> Data {
        try json([
            "payloadType": payloadType,
            "payload": payload.base64EncodedString(),
            "signatures": [["keyid": "", "sig": signature.base64EncodedString()]],
        ])
    }

    static func json(_ object: [String: Any]) throws -> Data {
        try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
