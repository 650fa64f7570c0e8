import Crypto
import Foundation
import RegistryLab
import Testing

/// What a `.sig` tag holds, read back with plain HTTP (not through the lab's own types) and
/// checked the way `cosign verify --key` checks it: the layer's annotation is a DER ECDSA P-256
/// signature over the payload blob.
struct StoredCosignSignature {
    /// The manifest bytes under the tag.
    var manifest: [UInt8]
    var manifestObject: [String: Any]
    /// The simple-signing payload blob.
    var payload: Data
    var payloadObject: [String: Any]
    /// The base64 annotation, decoded.
    var signature: Data

    /// Reads `<repository>:<tag>` and its payload blob from the registry.
    init(tag: String, repository: String, registry: LabRegistry) throws {
        let response = try LabRegistryReader.manifest(tag, repository: repository, registry: registry)
        guard response.status == 200 else {
            throw RawHTTP.Failure(description: "GET \(repository):\(tag): \(response.status) \(response.text)")
        }
        manifest = response.body
        manifestObject = try jsonObject(response.body)
        let layers = try #require(manifestObject["layers"] as? [[String: Any]])
        let layer = try #require(layers.first)
        let digest = try #require(layer["digest"] as? String)
        payload = try blobBytes(digest, repository: repository, registry: registry)
        payloadObject = try jsonObject(payload)
        let annotation = try #require((layer["annotations"] as? [String: String])?["dev.cosignproject.cosign/signature"])
        signature = try #require(Data(base64Encoded: annotation))
    }

    /// `critical.image.docker-manifest-digest`.
    var signedDigest: String? {
        ((payloadObject["critical"] as? [String: Any])?["image"] as? [String: Any])?["docker-manifest-digest"] as? String
    }

    /// `critical.identity.docker-reference`.
    var dockerReference: String? {
        ((payloadObject["critical"] as? [String: Any])?["identity"] as? [String: Any])?["docker-reference"] as? String
    }

    func verifies(withPublicKeyPEM pem: String) -> Bool {
        CosignCheck.verify(signature: signature, over: payload, publicKeyPEM: pem)
    }
}

enum CosignCheck {
    /// Whether `signature` (ASN.1 DER) is a valid ECDSA P-256 signature over SHA-256 of `data`.
    static func verify(signature: Data, over data: Data, publicKeyPEM pem: String) -> Bool {
        guard let key = try? P256.Signing.PublicKey(pemRepresentation: pem),
              let parsed = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(parsed, for: data)
    }

    /// The exact payload cosign signs for an image.
    static func expectedPayload(dockerReference: String, digest: String) -> String {
        #"{"critical":{"identity":{"docker-reference":"\#(dockerReference)"},"image":{"docker-manifest-digest":"\#(digest)"},"#
            + #""type":"cosign container image signature"},"optional":null}"#
    }

    /// DSSE's pre-authentication encoding, written out independently of the lab's.
    static func pae(payloadType: String, payload: Data) -> Data {
        Data("DSSEv1 \(payloadType.utf8.count) \(payloadType) \(payload.count) ".utf8) + payload
    }
}

/// Tags of a repository in a lab registry (empty when the repository has none).
func tagList(_ repository: String, registry: LabRegistry) throws -> Set<String> {
    let response = try RawHTTP.request("GET", "\(registry.baseURL)/v2/\(repository)/tags/list")
    guard response.status == 200 else { return [] }
    return Set(try jsonObject(response.body)["tags"] as? [String] ?? [])
}

/// A blob by its digest text, read with plain HTTP.
func blobBytes(_ digest: String, repository: String, registry: LabRegistry) throws -> Data {
    let response = try RawHTTP.request("GET", "\(registry.baseURL)/v2/\(repository)/blobs/\(digest)")
    guard response.status == 200 else {
        throw RawHTTP.Failure(description: "GET blob \(digest) in \(repository): \(response.status) \(response.text)")
    }
    return Data(response.body)
}
