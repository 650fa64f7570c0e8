import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

@Suite("Operator-catalog upstream in a lab registry")
struct CatalogUpstreamTests {
    /// The config JSON of an image manifest's bytes.
    static func config(of manifest: [UInt8], repository: String, registry: LabRegistry) throws -> [String: Any] {
        let document = try ManifestDocument(bytes: Data(manifest))
        let image = try #require(document.image)
        return try jsonObject(try LabRegistryReader.blob(image.config.digest, repository: repository, registry: registry))
    }

    @Test("seeding pushes catalog indexes over two platforms with the configs label, bundles and operands by digest")
    func seeding() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let upstream = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
            let client = ImageSeeder(registry: registry, lab: lab).client
            #expect(upstream.catalogs.map(\.reference.description) == [
                "\(registry.host)/redhat/redhat-operator-index:v4.18",
                "\(registry.host)/redhat/redhat-operator-index:v4.19",
                "\(registry.host)/redhat/certified-operator-index:v4.18",
            ])
            for catalog in upstream.catalogs {
                let document = try await client.fetchManifest(catalog.reference)
                #expect(document.digest == catalog.digest, "\(catalog.reference)")
                #expect(document.mediaType == catalog.mediaType)
                let repository = catalog.reference.repository.path
                let images: [(Platform, [UInt8])]
                if let index = document.index {
                    #expect(index.manifests.compactMap { $0.platform?.description } == ["linux/amd64", "linux/arm64"])
                    #expect(Dictionary(uniqueKeysWithValues: index.manifests.map { ($0.platform!, $0.digest) }) == catalog.platformManifests)
                    images = try index.manifests.map { child in
                        let response = try LabRegistryReader.manifest(child.digest.description, repository: repository, registry: registry)
                        #expect(response.status == 200)
                        return (child.platform!, response.body)
                    }
                } else {
                    #expect(document.mediaType == .dockerManifest)
                    images = [(try #require(catalog.platforms.first), [UInt8](document.bytes))]
                }
                for (platform, manifest) in images {
                    let config = try Self.config(of: manifest, repository: repository, registry: registry)
                    #expect(config["architecture"] as? String == platform.architecture)
                    let settings = try #require(config["config"] as? [String: Any])
                    #expect((settings["Labels"] as? [String: String])?["operators.operatorframework.io.index.configs.v1"] == "/configs")
                    #expect(settings["Cmd"] as? [String] == ["serve", "/configs", "--cache-dir=/tmp/cache"])
                }
            }
            let indexTags = try RawHTTP.request("GET", "\(registry.baseURL)/v2/redhat/redhat-operator-index/tags/list")
            #expect(Set(try #require(try jsonObject(indexTags.body)["tags"] as? [String])) == ["v4.18", "v4.19"])

            // Every bundle and every operand a CSV names by digest is there.
            for bundle in upstream.bundles {
                #expect(try await client.manifestDigest(bundle.image) == bundle.image.digest, "\(bundle.name)")
            }
            for operand in upstream.operandImages {
                #expect(try await client.manifestDigest(operand) == operand.digest, "\(operand)")
            }
            #expect(upstream.operandImages.contains(upstream.underDeclaredOperand))
            // The broken related image's repository exists, as :latest only.
            let latest = try ImageReference(parsing: upstream.brokenRelatedImage.image + ":latest")
            #expect(try await client.manifestDigest(latest) != nil)
            #expect(upstream.brokenBundle.name == "baz.v1.0.0")
        }
    }

    @Test("the catalog files read back from the registry, layers applied in order, parse as the expected FBC streams")
    func catalogFilesFromRegistry() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let upstream = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
            for catalog in upstream.catalogs {
                let repository = catalog.reference.repository.path
                for (platform, digest) in catalog.platformManifests {
                    let manifest = try LabRegistryReader.manifest(digest.description, repository: repository, registry: registry)
                    let files = try LabRegistryReader.files(of: manifest.body, repository: repository, registry: registry)
                    let served = files.files.filter { $0.key.hasPrefix("configs/") }
                    #expect(served == catalog.catalogFiles, "\(catalog.reference) \(platform)")
                    #expect(Set(served.keys) == Set(catalog.packages.map { "configs/\($0.name)/catalog.json" }))
                    for removed in catalog.removedPackages {
                        #expect(!files.directories.contains("configs/\(removed)"), "\(removed) is whited out")
                    }
                    for package in catalog.packages {
                        let summary = try FBCSummary(try fbcBlobs(try #require(served["configs/\(package.name)/catalog.json"])))
                        let expected = FBCSummary.expected(package)
                        #expect(summary.defaultChannel == package.defaultChannel)
                        #expect(summary.channels == expected.channels)
                        #expect(summary.bundleImages == expected.bundleImages)
                        #expect(summary.relatedImages == expected.relatedImages)
                    }
                }
            }
            let v418 = try #require(upstream.redHatIndex("v4.18"))
            #expect(v418.packages.map(\.name) == ["foo", "bar", "baz"])
            #expect(v418.package("foo")?.channel("stable")?.head == "foo.v0.3.2")
            #expect(v418.package("bar")?.defaultChannel == "stable-2.x")
            #expect(try #require(upstream.redHatIndex("v4.19")).package("baz") == nil)
        }
    }

    @Test("bundle images name the under-declared operand in a RELATED_IMAGE_ env of the CSV, not in relatedImages")
    func underDeclaredOperand() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let upstream = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
            #expect(upstream.underDeclaredOperands == [upstream.underDeclaredOperand])
            #expect(upstream.underDeclaredOperand.repository.path == "foo/foo-metrics-rhel9")
            #expect(upstream.underDeclaringBundles.map(\.name) == ["foo.v0.3.1", "foo.v0.3.2"])
            for bundle in upstream.underDeclaringBundles {
                let repository = bundle.image.repository.path
                let manifest = try LabRegistryReader.manifest(bundle.image.identifier, repository: repository, registry: registry)
                #expect(manifest.status == 200)
                let files = try LabRegistryReader.files(of: manifest.body, repository: repository, registry: registry)
                let csv = String(decoding: try #require(files["manifests/foo.clusterserviceversion.yaml"]), as: UTF8.self)
                #expect(relatedImageEnv("RELATED_IMAGE_METRICS", in: csv) == upstream.underDeclaredOperand.description)
                #expect(!csvRelatedImages(csv).contains(upstream.underDeclaredOperand.description))
                #expect(!bundle.relatedImages.contains { $0.image == upstream.underDeclaredOperand.description })
                let annotations = String(decoding: try #require(files["metadata/annotations.yaml"]), as: UTF8.self)
                #expect(annotations.contains("operators.operatorframework.io.bundle.package.v1: foo\n"))
            }
            // 0.4.0 declares it properly.
            let fixed = try #require(upstream.bundle(named: "foo.v0.4.0"))
            #expect(fixed.relatedImages.contains { $0.image == upstream.underDeclaredOperand.description })
            #expect(fixed.csvOnlyImages.isEmpty)
        }
    }

    @Test("seeding is deterministic for a registry host; an independent client copies the catalog index")
    func determinism() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let first = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
            let second = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
            #expect(first.catalogs == second.catalogs)
            #expect(first.bundles == second.bundles)
            #expect(first.operandImages == second.operandImages)

            let policy = lab.root.appendingPathComponent("policy.json")
            try Data(#"{"default":[{"type":"insecureAcceptAnything"}]}"#.utf8).write(to: policy)
            let catalog = try #require(first.redHatIndex())
            let manager = try #require(first.bundle(named: "bar.v2.1.1")?.relatedImages.first { $0.name == "manager" }?.reference)
            for (index, reference) in [catalog.reference.description, manager.description].enumerated() {
                let copied = try await runTool("skopeo", ["--policy", policy.path, "copy", "--all", "--quiet", "--src-tls-verify=false",
                                                    "docker://\(reference)", "oci:\(lab.root.path)/catalog-copy-\(index):copy"])
                #expect(copied.status == 0, "\(reference): \(copied.error)")
            }
        }
    }
}
