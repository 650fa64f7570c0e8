import Distribution
import Foundation
import OCI
import Planning
import RegistryLab
import Testing

/// Issue 12, item 11: a catalog layer with a path no file system takes (a 5,000-byte name, a
/// path 2,000 folders deep) is refused with a message naming the image, the layer, the entry
/// (shortened) and the limit, never Foundation's `NSCocoaErrorDomain` text; such paths outside
/// the catalog directory are skipped without being written.
@Suite(.serialized) struct HostileEntryPathTests {
    /// Extracts a catalog image whose one layer holds a good catalog plus `hostile` (a file path).
    func extract(hostile: String, _ check: (Result<CatalogImageReader.Extracted, any Error>, ImageReference, Digest, URL) throws -> Void) async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let client = RegistryClient(registry: registry.host)
            let layer = try DeterministicLayer(directories: ["configs", "configs/foo"], files: [
                ("configs/foo/catalog.json", Data(#"{"schema":"olm.package","name":"foo"}"#.utf8)),
                (hostile, Data(#"{"schema":"olm.package","name":"bar"}"#.utf8)),
            ])
            let repository = "test/hostile-paths"
            let pushed = try await client.pushBlob(layer.compressed, in: repository)
            let config = try await client.pushBlob(Data("""
                {"architecture":"amd64","os":"linux","config":{"Labels":{"operators.operatorframework.io.index.configs.v1":"/configs"}},\
                "rootfs":{"type":"layers","diff_ids":["\(layer.diffID)"]}}
                """.utf8), in: repository)
            let manifest = try ManifestDocument(encoding: .image(ImageManifest(
                schemaVersion: 2, mediaType: .ociImageManifest,
                config: Descriptor(mediaType: .ociImageConfig, digest: config.digest, size: config.size),
                layers: [Descriptor(mediaType: .ociLayerGzip, digest: pushed.digest, size: pushed.size)])))
            let reference = try ImageReference(parsing: "\(registry.host)/\(repository):v1")
            try await client.pushManifest(manifest, to: reference)
            let target = lab.root.appendingPathComponent("extract/catalog-config")
            let reader = CatalogImageReader(scratchDirectory: lab.root.appendingPathComponent("scratch"))
            let result: Result<CatalogImageReader.Extracted, any Error>
            do {
                result = .success(try await reader.extract(.registry(client, reference), into: target))
            } catch {
                result = .failure(error)
            }
            try check(result, reference, pushed.digest, target)
        }
    }

    func expectRefused(_ result: Result<CatalogImageReader.Extracted, any Error>, reference: ImageReference, layer: Digest,
                       saying phrases: [String]) {
        guard case .failure(let error) = result else {
            Issue.record("the hostile entry was accepted")
            return
        }
        let text = "\(error)"
        print("refused: \(text)")
        #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("Code=") && !text.contains("couldn’t"), "\(text)")
        #expect(text.contains(reference.description), "\(text)")
        #expect(text.contains(layer.description), "\(text)")
        #expect(text.count < 600, "the entry is shortened: \(text.count) characters")
        for phrase in phrases { #expect(text.contains(phrase), "\(text)") }
    }

    @Test func aFileNameOf5000BytesIsRefusedByNameAndLimit() async throws {
        let name = String(repeating: "n", count: 5000)
        try await extract(hostile: "configs/foo/\(name).json") { result, reference, layer, _ in
            expectRefused(result, reference: reference, layer: layer,
                          saying: ["configs/foo/nnnn", "…", "(5017 bytes)", "a name of 5005 bytes, more than the 255 a file name may have"])
        }
    }

    @Test func aPath2000FoldersDeepIsRefusedByDepthAndLimit() async throws {
        let deep = "configs/" + Array(repeating: "d", count: 2000).joined(separator: "/") + "/catalog.json"
        try await extract(hostile: deep) { result, reference, layer, target in
            expectRefused(result, reference: reference, layer: layer,
                          saying: ["configs/d/d/d", "…", "it is 2002 levels deep, more than the 64 an extracted path may be"])
            #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("d/d/d").path))
        }
    }

    @Test func hostilePathsOutsideTheCatalogAreSkippedUnwritten() async throws {
        let deep = "usr/" + Array(repeating: "d", count: 2000).joined(separator: "/") + "/" + String(repeating: "n", count: 5000)
        try await extract(hostile: deep) { result, _, _, target in
            let extracted = try result.get()
            #expect(extracted.files == ["foo/catalog.json"])
            #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("usr").path))
        }
    }
}
