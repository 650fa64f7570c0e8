import Foundation
import OCI
import Testing
@testable import RegistryLab

@Suite("Operator catalogs, built in memory")
struct CatalogContentTests {
    static let host = "upstream.lab.invalid:5000"

    static func build(host: String = host) throws -> OperatorCatalogContent {
        try OperatorCatalogContent.build(.standard, host: host)
    }

    /// The image (config first, then layers) with this manifest digest.
    static func image(_ digest: Digest, in content: OperatorCatalogContent) throws -> BuiltImage {
        try #require(content.images.first { $0.manifest.digest == digest }, "no image \(digest)")
    }

    /// The image of a reference by digest.
    static func image(_ reference: ImageReference, in content: OperatorCatalogContent) throws -> BuiltImage {
        let digest = try #require(reference.digest, "\(reference) has no digest")
        return try image(digest, in: content)
    }

    static func files(of image: BuiltImage, layers: Range<Int>? = nil) throws -> LayeredFiles {
        var files = LayeredFiles()
        let blobs = Array(image.blobs.dropFirst())
        for blob in blobs[layers ?? 0..<blobs.count] { try files.apply(layer: [UInt8](blob)) }
        return files
    }

    @Test("the same set and host give the same bytes; operand digests do not depend on the host, bundles and catalogs do")
    func deterministic() throws {
        let first = try Self.build()
        let second = try Self.build()
        #expect(first.images.map(\.manifest.digest) == second.images.map(\.manifest.digest))
        #expect(first.indexes.map(\.manifest.digest) == second.indexes.map(\.manifest.digest))
        #expect(first.images.map(\.blobs) == second.images.map(\.blobs))
        #expect(first.catalogs == second.catalogs)
        #expect(first.bundles == second.bundles)

        let elsewhere = try Self.build(host: "127.0.0.1:41000")
        for (here, there) in zip(first.bundles, elsewhere.bundles) {
            #expect(here.operandImages.map(\.digest) == there.operandImages.map(\.digest), "\(here.name)")
            #expect(here.image.digest != there.image.digest, "\(here.name)")
        }
        #expect(first.catalogs.map(\.digest) != elsewhere.catalogs.map(\.digest))
    }

    @Test("catalog images: OCI indexes over two platforms sharing the configs layers, a single Docker image, labels and Cmd")
    func catalogImages() throws {
        let content = try Self.build()
        #expect(content.catalogs.map(\.reference.description) == [
            "\(Self.host)/redhat/redhat-operator-index:v4.18",
            "\(Self.host)/redhat/redhat-operator-index:v4.19",
            "\(Self.host)/redhat/certified-operator-index:v4.18",
        ])
        for catalog in content.catalogs {
            let platforms = catalog.platforms.map(\.description)
            var configsLayers: Set<[Digest]> = []
            for (platform, digest) in catalog.platformManifests {
                let image = try Self.image(digest, in: content)
                let config = try jsonObject(image.blobs[0])
                #expect(config["architecture"] as? String == platform.architecture)
                let settings = try #require(config["config"] as? [String: Any])
                #expect((settings["Labels"] as? [String: String])?[OperatorCatalog.configsLabel] == "/configs")
                #expect(settings["Cmd"] as? [String] == ["serve", "/configs", "--cache-dir=/tmp/cache"])
                configsLayers.insert(Array(try #require(image.manifest.image).layers.dropFirst().map(\.digest)))
            }
            #expect(configsLayers.count == 1, "the FBC layers are the same bytes on every platform")
            if catalog.reference.repository.path == "redhat/redhat-operator-index" {
                #expect(catalog.mediaType == .ociImageIndex)
                #expect(platforms == ["linux/amd64", "linux/arm64"])
                let index = try #require(content.indexes.first { $0.manifest.digest == catalog.digest })
                #expect(index.tags == [try #require(catalog.reference.tag)])
                #expect(index.manifest.children.map { $0.platform?.architecture } == ["amd64", "arm64"])
                #expect(index.manifest.children.allSatisfy { $0.mediaType == .ociImageManifest })
            } else {
                #expect(catalog.mediaType == .dockerManifest)
                #expect(platforms == ["linux/amd64"])
                #expect(catalog.platformManifests.values.first == catalog.digest)
            }
        }
    }

    @Test("v4.18's top layer replaces foo's file and whites out qux: only layers applied in order give the served catalog")
    func layersInOrder() throws {
        let content = try Self.build()
        let catalog = try #require(content.catalogs.first { $0.reference.tag == "v4.18" })
        let image = try Self.image(try #require(catalog.platformManifests[Platform(os: "linux", architecture: "arm64")]), in: content)
        #expect(image.blobs.count == 4, "config, opm, configs, top")

        let top = try LabTar.entries([UInt8](image.blobs[3])).map(\.path)
        #expect(top == ["configs", "configs/.wh.qux", "configs/foo", "configs/foo/catalog.json"])

        let lower = try Self.files(of: image, layers: 0..<2)
        #expect(lower["configs/qux/catalog.json"] != nil)
        #expect(lower["tmp/cache/digest"] != nil)
        let lowerFoo = try FBCSummary(try fbcBlobs(try #require(lower["configs/foo/catalog.json"])))
        #expect(lowerFoo.channels["stable"]?.last == "foo.v0.3.1")

        let files = try Self.files(of: image)
        let served = files.files.filter { $0.key.hasPrefix("configs/") }
        #expect(served == catalog.catalogFiles)
        #expect(served.keys.sorted() == ["configs/bar/catalog.json", "configs/baz/catalog.json", "configs/foo/catalog.json"])
        let foo = try FBCSummary(try fbcBlobs(try #require(files["configs/foo/catalog.json"])))
        #expect(foo.channels["stable"]?.last == "foo.v0.3.2")
        #expect(catalog.removedPackages == ["qux"])
        #expect(catalog.supersededPackages == ["foo"])

        // v4.19: bar replaced (v2.2.0 added), baz whited out; the single-platform catalog has no top layer.
        let next = try #require(content.catalogs.first { $0.reference.tag == "v4.19" })
        let nextFiles = try Self.files(of: try Self.image(try #require(next.platformManifests.values.first), in: content))
        #expect(nextFiles.files.keys.filter { $0.hasPrefix("configs/") }.sorted() == ["configs/bar/catalog.json", "configs/foo/catalog.json"])
        let bar = try FBCSummary(try fbcBlobs(try #require(nextFiles["configs/bar/catalog.json"])))
        #expect(bar.channels["stable-2.x"]?.last == "bar.v2.2.0")
        let certified = try #require(content.catalogs.first { $0.reference.repository.path == "redhat/certified-operator-index" })
        #expect(try Self.image(certified.digest, in: content).blobs.count == 3)
    }

    @Test("every catalog file is an FBC stream: package, channels, bundles (by digest), deprecations, unknown schema")
    func fbcStreams() throws {
        let content = try Self.build()
        for catalog in content.catalogs {
            for package in catalog.packages {
                let data = try #require(catalog.catalogFiles["configs/\(package.name)/catalog.json"])
                let blobs = try fbcBlobs(data)
                let summary = try FBCSummary(blobs)
                let expected = FBCSummary.expected(package)
                #expect(summary.package == package.name)
                #expect(summary.defaultChannel == package.defaultChannel)
                #expect(summary.channels == expected.channels, "\(catalog.reference) \(package.name)")
                #expect(summary.bundleImages == expected.bundleImages)
                #expect(summary.relatedImages == expected.relatedImages)
                #expect(summary.bundleImages.values.allSatisfy { $0.hasPrefix("\(Self.host)/\(package.name)/") && $0.contains("@sha256:") })
                #expect(summary.schemas.first == "olm.package")
                #expect(Array(summary.schemas.prefix(1 + package.channels.count).dropFirst()).allSatisfy { $0 == "olm.channel" })

                for blob in blobs where blob["schema"] as? String == "olm.bundle" {
                    let properties = try #require(blob["properties"] as? [[String: Any]])
                    let version = properties.first { $0["type"] as? String == "olm.package" }?["value"] as? [String: Any]
                    let name = try #require(blob["name"] as? String)
                    #expect(version?["packageName"] as? String == package.name)
                    #expect(version?["version"] as? String == package.bundle(named: name)?.version)
                }
            }
        }
        let v418 = try #require(content.catalogs.first)
        let foo = try fbcBlobs(try #require(v418.catalogFiles["configs/foo/catalog.json"]))
        let deprecations = try #require(foo.first { $0["schema"] as? String == "olm.deprecations" })
        let references = (deprecations["entries"] as? [[String: Any]] ?? []).compactMap { $0["reference"] as? [String: String] }
        #expect(references == [["schema": "olm.channel", "name": "alpha"], ["schema": "olm.bundle", "name": "foo.v0.1.0"]])
        let bar = try fbcBlobs(try #require(v418.catalogFiles["configs/bar/catalog.json"]))
        #expect(bar.last?["schema"] as? String == "lab.ferry.io/catalog-note")
        #expect(bar.last?["package"] as? String == "bar")
        let required = bar.filter { $0["name"] as? String == "bar.v2.1.1" }.flatMap { $0["properties"] as? [[String: Any]] ?? [] }
            .first { $0["type"] as? String == "olm.package.required" }
        #expect((required?["value"] as? [String: String]) == ["packageName": "foo", "versionRange": ">=0.2.0"])
    }

    @Test("channel heads, default channels and versions worth filtering", arguments: [
        ("v4.18", "foo", "stable", "foo.v0.3.2", ["0.2.0", "0.3.0", "0.3.1", "0.3.2"]),
        ("v4.18", "foo", "beta", "foo.v0.3.0", ["0.1.0", "0.2.0", "0.3.0"]),
        ("v4.18", "foo", "alpha", "foo.v0.2.0", ["0.1.0", "0.1.1", "0.2.0"]),
        ("v4.18", "bar", "stable-1.x", "bar.v1.2.0", ["1.0.0", "1.1.0", "1.2.0"]),
        ("v4.18", "bar", "stable-2.x", "bar.v2.1.1", ["2.0.0", "2.1.0", "2.1.1"]),
        ("v4.18", "baz", "stable", "baz.v1.0.1", ["1.0.0", "1.0.1"]),
        ("v4.19", "foo", "stable", "foo.v0.4.0", ["0.2.0", "0.3.0", "0.3.1", "0.3.2", "0.4.0"]),
        ("v4.19", "bar", "stable-2.x", "bar.v2.2.0", ["2.0.0", "2.1.0", "2.1.1", "2.2.0"]),
    ])
    func channels(tag: String, package: String, channel: String, head: String, versions: [String]) throws {
        let content = try Self.build()
        let catalog = try #require(content.catalogs.first { $0.reference.tag == tag && $0.reference.repository.path.hasPrefix("redhat/redhat") })
        let listed = try #require(catalog.package(package))
        #expect(listed.channel(channel)?.head == head)
        #expect(listed.bundles(inChannel: channel).map(\.version) == versions)
        #expect(listed.channel(listed.defaultChannel) != nil)
        #expect(listed.bundles.map(\.version) == listed.bundles.map(\.version).sorted { SemanticVersion.less($0, $1) })
    }

    @Test("bundle images: a CSV naming operands in containers, init containers and RELATED_IMAGE_ envs; annotations and labels")
    func bundleImages() throws {
        let content = try Self.build()
        let bundle = try #require(content.bundles.first { $0.name == "foo.v0.3.2" })
        let image = try Self.image(bundle.image, in: content)
        #expect(image.manifest.mediaType == .ociImageManifest)
        #expect(image.tags.isEmpty)
        let layers = try image.blobs.dropFirst().map { try LabTar.entries([UInt8]($0)).map(\.path) }
        #expect(layers == [["manifests", "manifests/foo.clusterserviceversion.yaml", "manifests/lab.ferry.io_foos.yaml"],
                           ["metadata", "metadata/annotations.yaml"]])
        let files = try Self.files(of: image)
        let csv = String(decoding: try #require(files["manifests/foo.clusterserviceversion.yaml"]), as: UTF8.self)
        let metrics = try #require(bundle.csvOnlyImages.first)
        #expect(bundle.csvOnlyImages.count == 1)
        #expect(metrics.repository.path == "foo/foo-metrics-rhel9")
        #expect(relatedImageEnv("RELATED_IMAGE_METRICS", in: csv) == metrics.description)
        #expect(relatedImageEnv("RELATED_IMAGE_AGENT", in: csv) == bundle.relatedImages.first { $0.name == "agent" }?.image)
        #expect(!bundle.relatedImages.contains { $0.image == metrics.description }, "under-declared: not in the catalog")
        #expect(!csvRelatedImages(csv).contains(metrics.description), "nor in the CSV's spec.relatedImages")
        #expect(csv.contains("  name: foo.v0.3.2\n"))
        #expect(csv.contains("  replaces: foo.v0.3.1\n  skips:\n  - foo.v0.3.0\n  version: 0.3.2\n"))
        #expect(csv.contains("    olm.skipRange: '>=0.2.0 <0.3.2'\n"))
        let manager = try #require(bundle.relatedImages.first { $0.name == "manager" }).image
        #expect(csv.contains("                image: \(manager)\n                name: manager\n"))
        #expect(Set(csvRelatedImages(csv)) == Set(bundle.relatedImages.dropFirst().map(\.image)))

        let annotations = String(decoding: try #require(files["metadata/annotations.yaml"]), as: UTF8.self)
        #expect(annotations.contains("  operators.operatorframework.io.bundle.package.v1: foo\n"))
        #expect(annotations.contains("  operators.operatorframework.io.bundle.channels.v1: stable\n"))
        #expect(annotations.contains("  operators.operatorframework.io.bundle.channel.default.v1: stable\n"))
        let labels = (try jsonObject(image.blobs[0])["config"] as? [String: Any])?["Labels"] as? [String: String]
        #expect(labels?["operators.operatorframework.io.bundle.mediatype.v1"] == "registry+v1")
        #expect(labels?["operators.operatorframework.io.bundle.package.v1"] == "foo")

        // bar 2.x runs an init container, declared in relatedImages.
        let bar = try #require(content.bundles.first { $0.name == "bar.v2.1.1" })
        let barFiles = try Self.files(of: try Self.image(bar.image, in: content))
        let barCSV = String(decoding: try #require(barFiles["manifests/bar.clusterserviceversion.yaml"]), as: UTF8.self)
        let initImage = try #require(bar.relatedImages.first { $0.name == "init" }).image
        #expect(barCSV.contains("              initContainers:\n              - command:\n                - /usr/bin/init\n"
            + "                image: \(initImage)\n"))
        #expect(bar.csvOnlyImages.isEmpty)
        let older = try #require(content.bundles.first { $0.name == "foo.v0.2.0" })
        let fooAnnotations = try Self.files(of: try Self.image(older.image, in: content))["metadata/annotations.yaml"]
        #expect(String(decoding: try #require(fooAnnotations), as: UTF8.self)
            .contains("operators.operatorframework.io.bundle.channels.v1: alpha,beta,stable\n"))
    }

    @Test("operand images: operators are Docker lists over two platforms, the rest single OCI images; unchanged revisions are shared")
    func operands() throws {
        let content = try Self.build()
        let all = content.images + content.indexes
        func root(_ reference: ImageReference) throws -> BuiltImage {
            try #require(all.first { $0.manifest.digest == reference.digest && $0.repository == reference.repository.path })
        }
        let foo = try #require(content.bundles.first { $0.name == "foo.v0.3.1" })
        let manager = try root(try #require(foo.relatedImages.first { $0.name == "manager" }?.reference))
        #expect(manager.manifest.mediaType == .dockerManifestList)
        #expect(manager.manifest.children.map { $0.platform?.description } == ["linux/amd64", "linux/arm64"])
        let agent = try root(try #require(foo.relatedImages.first { $0.name == "agent" }?.reference))
        #expect(agent.manifest.mediaType == .ociImageManifest)
        #expect(agent.manifest.image?.layers.count == 2)

        let next = try #require(content.bundles.first { $0.name == "foo.v0.3.2" })
        #expect(next.csvOnlyImages == foo.csvOnlyImages, "the metrics image is one image in both bundles")
        #expect(next.relatedImages.first { $0.name == "agent" } == foo.relatedImages.first { $0.name == "agent" })
        #expect(next.relatedImages.first { $0.name == "manager" } != foo.relatedImages.first { $0.name == "manager" })
        let bases = Set(content.images.filter { $0.manifest.image?.layers.count == 2 && $0.repository.contains("-rhel9") }
            .compactMap { $0.manifest.image?.layers.first?.digest })
        #expect(bases.count == 2, "one shared base layer per platform")
    }

    @Test("baz.v1.0.0 lists a related image with neither tag nor digest; the repository exists only as :latest")
    func brokenRelatedImage() throws {
        let content = try Self.build()
        let broken = try #require(content.bundles.first { $0.name == "baz.v1.0.0" })
        #expect(broken.brokenRelatedImages == [OperatorRelatedImage(name: "exporter", image: "\(Self.host)/baz/baz-exporter-rhel9")])
        #expect(throws: OCIError.self) { try ImageReference(parsing: broken.brokenRelatedImages[0].image) }
        #expect(content.bundles.filter { !$0.brokenRelatedImages.isEmpty }.map(\.name) == ["baz.v1.0.0"])
        let latest = try #require(content.images.first { $0.repository == "baz/baz-exporter-rhel9" && $0.tags == ["latest"] })
        #expect(!broken.operandImages.contains { $0.digest == latest.manifest.digest })
        #expect(content.bundles.first { $0.name == "baz.v1.0.1" }?.brokenRelatedImages.isEmpty == true)
    }
}
