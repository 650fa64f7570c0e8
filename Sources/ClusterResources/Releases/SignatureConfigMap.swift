import Foundation
import OCI

/// `signature-configmap.json` and `signature-configmap.yaml` (spec §6.5): the verified release
/// signatures as the ConfigMap the cluster-version operator reads
/// (`openshift-config-managed/mirrored-release-signatures`). Keys are `sha256-<hex>-<n>`, numbered
/// per digest as the store numbers them (oc-mirror uses one counter across all releases).
public enum SignatureConfigMap {
    public struct Signature: Sendable, Hashable {
        public var digest: Digest
        /// N of `signature-N` in the store.
        public var index: Int
        public var raw: Data

        public init(digest: Digest, index: Int, raw: Data) {
            self.digest = digest
            self.index = index
            self.raw = raw
        }
    }

    public static let jsonFileName = "signature-configmap.json"
    public static let yamlFileName = "signature-configmap.yaml"

    /// Both files, or none when there is no signature.
    public static func files(_ signatures: [Signature]) throws(ClusterResourcesError) -> [ClusterResourceFile] {
        guard !signatures.isEmpty else { return [] }
        var binaryData: [String: String] = [:]
        for signature in signatures {
            binaryData["\(signature.digest.algorithm.rawValue)-\(signature.digest.encoded)-\(signature.index)"] =
                signature.raw.base64EncodedString()
        }
        let yaml = YAMLNode.mapping([
            "apiVersion": .string("v1"),
            "kind": .string("ConfigMap"),
            "metadata": .mapping([
                "name": .string("mirrored-release-signatures"),
                "namespace": .string("openshift-config-managed"),
                "labels": .mapping(["release.openshift.io/verification-signatures": .string("")]),
            ]),
            "binaryData": .mapping(binaryData.mapValues { .string($0) }),
        ])
        let jsonData: Data
        do {
            jsonData = try JSONSerialization.data(withJSONObject: yaml.jsonObject, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        } catch {
            throw ClusterResourcesError(.invalidDocument, "cannot encode the signature ConfigMap: \(error)")
        }
        return [
            ClusterResourceFile(name: jsonFileName, contents: String(decoding: jsonData, as: UTF8.self) + "\n"),
            ClusterResourceFile(name: yamlFileName, contents: try YAMLWriter.write([yaml], startMarkers: false)),
        ]
    }
}
