import ClusterResources
import Foundation
import OCI
import Testing

struct SignatureConfigMapTests {
    static let first = Digest("sha256:" + String(repeating: "a1", count: 32))!
    static let second = Digest("sha256:" + String(repeating: "b2", count: 32))!

    /// Two releases, the first with two signatures: keys numbered per digest, sorted.
    static let signatures = [
        SignatureConfigMap.Signature(digest: second, index: 1, raw: Data("second-1".utf8)),
        SignatureConfigMap.Signature(digest: first, index: 2, raw: Data("first-2".utf8)),
        SignatureConfigMap.Signature(digest: first, index: 1, raw: Data("first-1".utf8)),
    ]

    @Test func yamlMatchesTheGoldenFile() throws {
        let files = try SignatureConfigMap.files(Self.signatures)
        let yaml = try #require(files.first { $0.name == "signature-configmap.yaml" })
        #expect(yaml.contents == """
            apiVersion: v1
            binaryData:
              sha256-a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1-1: Zmlyc3QtMQ==
              sha256-a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1a1-2: Zmlyc3QtMg==
              sha256-b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2b2-1: c2Vjb25kLTE=
            kind: ConfigMap
            metadata:
              labels:
                release.openshift.io/verification-signatures: ""
              name: mirrored-release-signatures
              namespace: openshift-config-managed

            """)
    }

    @Test func jsonCarriesTheSameKeysAndBytes() throws {
        let files = try SignatureConfigMap.files(Self.signatures.shuffled())
        let json = try #require(files.first { $0.name == "signature-configmap.json" })
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.contents.utf8)) as? [String: Any])
        let data = try #require(object["binaryData"] as? [String: String])
        #expect(data.count == 3)
        #expect(data["sha256-\(Self.first.encoded)-2"].flatMap { Data(base64Encoded: $0) } == Data("first-2".utf8))
        #expect((object["metadata"] as? [String: Any])?["namespace"] as? String == "openshift-config-managed")
        // Deterministic whatever the input order.
        #expect(try SignatureConfigMap.files(Self.signatures) == files)
    }

    @Test func noSignatureNoFile() throws {
        #expect(try SignatureConfigMap.files([]).isEmpty)
    }
}

struct UpdateServiceResourceTests {
    @Test func matchesTheGoldenFile() throws {
        let file = try UpdateServiceResource.file(
            graphImage: try ImageReference(parsing: "mirror.example.com:5000/ocp/openshift/graph-image:latest"),
            releases: try RepositoryName(registry: "mirror.example.com:5000", path: "ocp/openshift/release-images"))
        #expect(file.name == "updateService.yaml")
        #expect(file.contents == """
            apiVersion: updateservice.operator.openshift.io/v1
            kind: UpdateService
            metadata:
              annotations:
                createdBy: ferry
              name: update-service-oc-mirror
              namespace: openshift-update-service
            spec:
              graphDataImage: mirror.example.com:5000/ocp/openshift/graph-image:latest
              releases: mirror.example.com:5000/ocp/openshift/release-images
              replicas: 2

            """)
    }
}
