import Distribution
import Foundation
import OCI
import Planning
import RegistryLab
import Testing

/// A release payload layer read as tar and container runtimes apply it (issue 12, items 4 and
/// 11): of two entries of one path the last is read, and paths no file system takes are skipped
/// (the payload reader writes nothing, it keeps only the files it wants).
struct ReleasePayloadLayerEntryTests {
    /// An uncompressed tar of `entries` in order (duplicates kept); a path of 100 bytes or more
    /// gets a pax `path` record.
    static func tar(_ entries: [(String, Data)]) -> Data {
        func header(_ path: String, type: UInt8, size: Int) -> Data {
            var block = [UInt8](repeating: 0, count: 512)
            func put(_ text: String, at offset: Int, width: Int) {
                for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
            }
            func octal(_ value: Int, at offset: Int, width: Int) {
                let digits = String(value, radix: 8)
                put(String(repeating: "0", count: width - 1 - digits.count) + digits, at: offset, width: width - 1)
            }
            put(path, at: 0, width: 99)
            octal(0o644, at: 100, width: 8)
            octal(0, at: 108, width: 8)
            octal(0, at: 116, width: 8)
            octal(size, at: 124, width: 12)
            octal(0, at: 136, width: 12)
            put("        ", at: 148, width: 8)
            block[156] = type
            put("ustar", at: 257, width: 6)
            put("00", at: 263, width: 2)
            let digits = String(block.reduce(0) { $0 + Int($1) }, radix: 8)
            put(String(repeating: "0", count: 6 - digits.count) + digits, at: 148, width: 6)
            block[154] = 0
            block[155] = UInt8(ascii: " ")
            return Data(block)
        }
        func padding(_ count: Int) -> Data { Data(count: (512 - count % 512) % 512) }
        var output = Data()
        for (path, data) in entries {
            if path.utf8.count >= 100 {
                // "LEN path=PATH\n", LEN counting itself.
                let rest = " path=\(path)\n".utf8.count
                var length = rest + 1
                while String(length).count + rest != length { length += 1 }
                let record = Data("\(length) path=\(path)\n".utf8)
                output += header("PaxHeader", type: UInt8(ascii: "x"), size: record.count) + record + padding(record.count)
            }
            output += header(path, type: UInt8(ascii: "0"), size: data.count) + data + padding(data.count)
        }
        return output + Data(count: 1024)
    }

    static func imageReferences(version: String, digest: Digest) -> Data {
        Data("""
            {"kind":"ImageStream","apiVersion":"image.openshift.io/v1","metadata":{"name":"\(version)"},
             "spec":{"tags":[{"name":"cli","from":{"kind":"DockerImage","name":"quay.io/openshift-release-dev/ocp-v4.0-art-dev@\(digest)"}}]}}
            """.utf8)
    }

    @Test func theLastEntryOfImageReferencesIsReadAndUnwritablePathsAreSkipped() async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let client = RegistryClient(registry: registry.host)
            let repository = "test/duplicate-payload"
            let stale = Digest.sha256(Data("stale component".utf8))
            let real = Digest.sha256(Data("real component".utf8))
            let deep = Array(repeating: "d", count: 2000).joined(separator: "/")
            let layer = Self.tar([
                // A stale copy first, the real one last: tar and runtimes keep the last.
                ("release-manifests/image-references", Self.imageReferences(version: "4.99.0-stale", digest: stale)),
                ("release-manifests/\(String(repeating: "n", count: 5000))", Data("x".utf8)),
                ("release-manifests/\(deep)/image-references", Data("x".utf8)),
                ("release-manifests/release-metadata", Data(#"{"kind":"cincinnati-metadata-v0","version":"4.99.0-stale"}"#.utf8)),
                ("release-manifests/image-references", Self.imageReferences(version: "4.99.0", digest: real)),
                ("release-manifests/release-metadata", Data(#"{"kind":"cincinnati-metadata-v0","version":"4.99.0"}"#.utf8)),
            ])
            let pushed = try await client.pushBlob(layer, in: repository)
            let config = try await client.pushBlob(Data("""
                {"architecture":"amd64","os":"linux","config":{},"rootfs":{"type":"layers","diff_ids":["\(Digest.sha256(layer))"]}}
                """.utf8), in: repository)
            let manifest = try ManifestDocument(encoding: .image(ImageManifest(
                schemaVersion: 2, mediaType: .ociImageManifest,
                config: Descriptor(mediaType: .ociImageConfig, digest: config.digest, size: config.size),
                layers: [Descriptor(mediaType: .ociLayer, digest: pushed.digest, size: pushed.size)])))
            let reference = try ImageReference(parsing: "\(registry.host)/\(repository):4.99.0")
            try await client.pushManifest(manifest, to: reference)

            let reader = ReleasePayloadReader(client: client, scratchDirectory: lab.root.appendingPathComponent("scratch"))
            let manifests = try await reader.read(reference)
            #expect(manifests.version == "4.99.0")
            #expect(manifests.components.map(\.image.digest) == [real])
            #expect(manifests.releaseMetadata.map { String(decoding: $0, as: UTF8.self).contains(#""4.99.0""#) } == true)
        }
    }
}
