import Distribution
import Foundation
import OCI
import Planning
import RegistryLab
import Testing

/// `OperandAudit` on bundle images built here, so their layout can differ from the lab's bundles.
struct OperandAuditImageTests {
    /// Pushes a one-layer image holding `files`, with `labels` in its configuration.
    static func pushImage(_ files: [(String, Data)], labels: [String: String], to client: RegistryClient,
                          reference: ImageReference) async throws {
        let repository = reference.repository.path
        let directories = Set(files.flatMap { file in
            let parts = file.0.split(separator: "/").dropLast()
            return parts.indices.map { parts[...$0].joined(separator: "/") }
        }).sorted()
        let layer = try DeterministicLayer(directories: directories, files: files)
        let pushed = try await client.pushBlob(layer.compressed, in: repository)
        let labelJSON = String(decoding: try JSONEncoder().encode(labels), as: UTF8.self)
        let config = try await client.pushBlob(Data(#"{"architecture":"amd64","os":"linux","config":{"Labels":\#(labelJSON)},"rootfs":{"type":"layers","diff_ids":["\#(layer.diffID)"]}}"#.utf8), in: repository)
        let manifest = try ManifestDocument(encoding: .image(ImageManifest(
            schemaVersion: 2, mediaType: .ociImageManifest,
            config: Descriptor(mediaType: .ociImageConfig, digest: config.digest, size: config.size),
            layers: [Descriptor(mediaType: .ociLayerGzip, digest: pushed.digest, size: pushed.size)])))
        try await client.pushManifest(manifest, to: reference)
    }

    static func csv(operatorImage: String, relatedImage: String) -> Data {
        Data("""
            apiVersion: operators.coreos.com/v1alpha1
            kind: ClusterServiceVersion
            metadata:
              name: demo.v1.0.0
            spec:
              install:
                spec:
                  deployments:
                  - name: demo-operator
                    spec:
                      template:
                        spec:
                          containers:
                          - name: manager
                            image: \(operatorImage)
                            env:
                            - name: RELATED_IMAGE_AGENT
                              value: \(relatedImage)

            """.utf8)
    }

    @Test func theManifestsDirectoryComesFromTheBundleLabel() async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let client = RegistryClient(registry: registry.host)
            let reference = try ImageReference(parsing: "\(registry.host)/test/bundle:v1")
            // The label points at bundle-manifests/; a stray CSV under manifests/ is not the bundle's.
            try await Self.pushImage([
                ("bundle-manifests/demo.clusterserviceversion.yaml",
                 Self.csv(operatorImage: "quay.io/demo/operator:v1", relatedImage: "quay.io/demo/agent:v1")),
                ("manifests/stale.clusterserviceversion.yaml",
                 Self.csv(operatorImage: "quay.io/demo/stale:v0", relatedImage: "quay.io/demo/stale-agent:v0")),
            ], labels: ["operators.operatorframework.io.bundle.manifests.v1": "./bundle-manifests/"], to: client, reference: reference)
            let audit = OperandAudit(client: client, scratchDirectory: lab.root.appendingPathComponent("scratch"))
            let images = try await audit.images(in: reference).map(\.image).sorted()
            #expect(images == ["quay.io/demo/agent:v1", "quay.io/demo/operator:v1"])
        }
    }

    @Test func withoutTheLabelManifestsIsReadAndAMissingCSVIsNamed() async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let client = RegistryClient(registry: registry.host)
            let unlabelled = try ImageReference(parsing: "\(registry.host)/test/bundle:unlabelled")
            try await Self.pushImage([
                ("manifests/demo.clusterserviceversion.yaml",
                 Self.csv(operatorImage: "quay.io/demo/operator:v1", relatedImage: "quay.io/demo/agent:v1")),
            ], labels: [:], to: client, reference: unlabelled)
            let audit = OperandAudit(client: client, scratchDirectory: lab.root.appendingPathComponent("scratch"))
            #expect(try await audit.images(in: unlabelled).map(\.image).sorted() == ["quay.io/demo/agent:v1", "quay.io/demo/operator:v1"])
            // An empty label is no label.
            let emptyLabel = try ImageReference(parsing: "\(registry.host)/test/bundle:empty-label")
            try await Self.pushImage([
                ("manifests/demo.clusterserviceversion.yaml",
                 Self.csv(operatorImage: "quay.io/demo/operator:v2", relatedImage: "quay.io/demo/agent:v2")),
            ], labels: ["operators.operatorframework.io.bundle.manifests.v1": ""], to: client, reference: emptyLabel)
            #expect(try await audit.images(in: emptyLabel).map(\.image).sorted() == ["quay.io/demo/agent:v2", "quay.io/demo/operator:v2"])

            let empty = try ImageReference(parsing: "\(registry.host)/test/bundle:empty")
            try await Self.pushImage([("metadata/annotations.yaml", Data("annotations: {}\n".utf8))],
                                     labels: ["operators.operatorframework.io.bundle.manifests.v1": "manifests/"],
                                     to: client, reference: empty)
            let error = await #expect(throws: PlanningError.self) { try await audit.images(in: empty) }
            #expect("\(error.map { "\($0)" } ?? "")".contains("\(empty): no ClusterServiceVersion under /manifests"), "\(String(describing: error))")
        }
    }
}
