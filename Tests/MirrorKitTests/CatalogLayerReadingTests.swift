import Distribution
import Foundation
import OCI
import Planning
import RegistryLab
import Testing

/// `CatalogImageReader` on a catalog image built here: layers applied in order with whiteouts,
/// hostile entry names never written outside the target.
struct CatalogLayerReadingTests {
    @Test func whiteoutsAcrossLayersAndHostileEntries() async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let client = RegistryClient(registry: registry.host)
            let repository = "test/hostile-index"
            let lower = try DeterministicLayer(directories: ["configs", "configs/foo", "configs/bar", "configs/baz"], files: [
                ("configs/foo/catalog.json", Data(#"{"schema":"olm.package","name":"foo","v":1}"#.utf8)),
                ("configs/bar/catalog.json", Data(#"{"schema":"olm.package","name":"bar"}"#.utf8)),
                ("configs/baz/catalog.json", Data(#"{"schema":"olm.package","name":"baz"}"#.utf8)),
                ("usr/bin/opm", Data("binary".utf8)),
            ])
            // The upper layer replaces foo and deletes bar; hostile names try to escape.
            let upper = try DeterministicLayer(directories: [], files: [
                ("configs/foo/catalog.json", Data(#"{"schema":"olm.package","name":"foo","v":2}"#.utf8)),
                ("configs/../escape.json", Data("out".utf8)),
                ("configs/x/../../../../tmp/ferry-escape.json", Data("out".utf8)),
            ], whiteouts: ["configs/bar"])
            var layers: [Descriptor] = []
            for layer in [lower, upper] {
                let pushed = try await client.pushBlob(layer.compressed, in: repository)
                layers.append(Descriptor(mediaType: .ociLayerGzip, digest: pushed.digest, size: pushed.size))
            }
            let config = Data("""
                {"architecture":"amd64","os":"linux","config":{"Labels":{"operators.operatorframework.io.index.configs.v1":"/configs"}},\
                "rootfs":{"type":"layers","diff_ids":["\(lower.diffID)","\(upper.diffID)"]}}
                """.utf8)
            let configDescriptor = try await client.pushBlob(config, in: repository)
            let manifest = try ManifestDocument(encoding: .image(ImageManifest(
                schemaVersion: 2, mediaType: .ociImageManifest,
                config: Descriptor(mediaType: .ociImageConfig, digest: configDescriptor.digest, size: configDescriptor.size),
                layers: layers)))
            let reference = try ImageReference(parsing: "\(registry.host)/\(repository):v1")
            try await client.pushManifest(manifest, to: reference)

            let target = lab.root.appendingPathComponent("extract/catalog-config")
            let extracted = try await CatalogImageReader(scratchDirectory: lab.root.appendingPathComponent("scratch"))
                .extract(.registry(client, reference), into: target)
            #expect(extracted.files == ["baz/catalog.json", "foo/catalog.json"])
            #expect(String(decoding: try Data(contentsOf: target.appendingPathComponent("foo/catalog.json")), as: UTF8.self).contains("\"v\":2"))
            #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("bar").path))
            #expect(extracted.skipped.count == 2, "\(extracted.skipped)")
            #expect(!FileManager.default.fileExists(atPath: target.deletingLastPathComponent().appendingPathComponent("escape.json").path))
            #expect(!FileManager.default.fileExists(atPath: "/tmp/ferry-escape.json"))
            #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("usr").path))
        }
    }

    @Test func withoutTheLabelTheCatalogIsReadFromConfigsWithANote() async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let client = RegistryClient(registry: registry.host)
            let repository = "test/unlabelled-index"
            let layer = try DeterministicLayer(directories: ["configs", "configs/foo"], files: [
                ("configs/foo/catalog.json", Data(#"{"schema":"olm.package","name":"foo"}"#.utf8)),
            ])
            let pushed = try await client.pushBlob(layer.compressed, in: repository)
            let config = try await client.pushBlob(Data(#"{"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["\#(layer.diffID)"]}}"#.utf8), in: repository)
            let manifest = try ManifestDocument(encoding: .image(ImageManifest(
                schemaVersion: 2, mediaType: .ociImageManifest,
                config: Descriptor(mediaType: .ociImageConfig, digest: config.digest, size: config.size),
                layers: [Descriptor(mediaType: .ociLayerGzip, digest: pushed.digest, size: pushed.size)])))
            let reference = try ImageReference(parsing: "\(registry.host)/\(repository):v1")
            try await client.pushManifest(manifest, to: reference)
            let extracted = try await CatalogImageReader(scratchDirectory: lab.root.appendingPathComponent("scratch"))
                .extract(.registry(client, reference), into: lab.root.appendingPathComponent("out"))
            #expect(extracted.files == ["foo/catalog.json"])
            #expect(extracted.notes.count == 1 && extracted.notes[0].contains("read from /configs"), "\(extracted.notes)")
        }
    }

    @Test func anImageWithoutTheCatalogLabelIsRefused() async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let images = try await ImageSeeder(registry: registry, lab: lab).seed([LabDataset.demo[0]])
            await #expect {
                _ = try await CatalogImageReader(scratchDirectory: lab.root.appendingPathComponent("scratch"))
                    .extract(.registry(RegistryClient(registry: registry.host), images[0].reference), into: lab.root.appendingPathComponent("out"))
            } throws: { error in
                "\(error)".contains("has no operators.operatorframework.io.index.configs.v1 label")
            }
        }
    }
}
