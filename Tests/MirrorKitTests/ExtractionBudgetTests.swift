import Distribution
import Foundation
import OCI
import Planning
import RegistryLab
import Testing

/// Layers built entry by entry, in the order given (duplicates kept), streamed through `gzip`
/// so that a layer inflating to gigabytes never is in the test's memory.
struct StreamingTarLayer {
    enum Content {
        case bytes(Data)
        /// `count` spaces, written 1 MiB at a time.
        case spaces(Int)
        case directory
        case symlink(String)
    }

    /// The gzip-compressed layer.
    let compressed: Data
    let diffID: Digest

    init(_ entries: [(String, Content)], in scratch: URL) throws {
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let tarFile = scratch.appendingPathComponent("layer-\(UUID().uuidString).tar.gz")
        let gzip = Process()
        gzip.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        gzip.arguments = ["-1", "-n", "-c"]
        let input = Pipe()
        _ = FileManager.default.createFile(atPath: tarFile.path, contents: nil)
        let output = try FileHandle(forWritingTo: tarFile)
        gzip.standardInput = input
        gzip.standardOutput = output
        try gzip.run()
        var hasher = DigestHasher()
        func emit(_ data: Data) {
            hasher.update(data)
            input.fileHandleForWriting.write(data)
        }
        let chunk = Data(repeating: UInt8(ascii: " "), count: 1 << 20)
        for (path, content) in entries {
            switch content {
            case .bytes(let data):
                emit(Self.header(path, type: "0", size: data.count))
                emit(data)
                emit(Data(count: (512 - data.count % 512) % 512))
            case .spaces(let count):
                emit(Self.header(path, type: "0", size: count))
                var left = count
                while left > 0 {
                    let n = min(left, chunk.count)
                    emit(n == chunk.count ? chunk : chunk.prefix(n))
                    left -= n
                }
                emit(Data(count: (512 - count % 512) % 512))
            case .directory:
                emit(Self.header(path, type: "5", size: 0))
            case .symlink(let target):
                emit(Self.header(path, type: "2", size: 0, link: target))
            }
        }
        emit(Data(count: 1024))
        try input.fileHandleForWriting.close()
        gzip.waitUntilExit()
        try output.close()
        compressed = try Data(contentsOf: tarFile)
        try FileManager.default.removeItem(at: tarFile)
        diffID = hasher.finalize()
    }

    /// A ustar header (paths under 100 bytes).
    static func header(_ path: String, type: Character, size: Int, link: String = "") -> Data {
        var block = [UInt8](repeating: 0, count: 512)
        func put(_ text: String, at offset: Int, width: Int) {
            for (index, byte) in text.utf8.prefix(width).enumerated() { block[offset + index] = byte }
        }
        func octal(_ value: Int, at offset: Int, width: Int) {
            let digits = String(value, radix: 8)
            put(String(repeating: "0", count: width - 1 - digits.count) + digits, at: offset, width: width - 1)
        }
        put(path, at: 0, width: 100)
        octal(type == "5" ? 0o755 : 0o644, at: 100, width: 8)
        octal(0, at: 108, width: 8)
        octal(0, at: 116, width: 8)
        octal(size, at: 124, width: 12)
        octal(0, at: 136, width: 12)
        put("        ", at: 148, width: 8)
        block[156] = UInt8(ascii: type.unicodeScalars.first!)
        put(link, at: 157, width: 100)
        put("ustar", at: 257, width: 6)
        put("00", at: 263, width: 2)
        let sum = block.reduce(0) { $0 + Int($1) }
        let digits = String(sum, radix: 8)
        put(String(repeating: "0", count: 6 - digits.count) + digits, at: 148, width: 6)
        block[154] = 0
        block[155] = UInt8(ascii: " ")
        return Data(block)
    }
}

/// Extraction bounded by `--max-extract-size`; the last entry of a path in a layer wins.
@Suite(.serialized) struct ExtractionBudgetTests {
    /// Pushes a catalog image of `layers` (bottom first) and returns its reference.
    static func pushCatalog(_ layers: [StreamingTarLayer], repository: String, client: RegistryClient,
                            host: String) async throws -> (ImageReference, [Digest]) {
        var descriptors: [Descriptor] = []
        for layer in layers {
            let pushed = try await client.pushBlob(layer.compressed, in: repository)
            descriptors.append(Descriptor(mediaType: .ociLayerGzip, digest: pushed.digest, size: pushed.size))
        }
        let diffIDs = layers.map { "\"\($0.diffID)\"" }.joined(separator: ",")
        let config = Data("""
            {"architecture":"amd64","os":"linux","config":{"Labels":{"operators.operatorframework.io.index.configs.v1":"/configs"}},\
            "rootfs":{"type":"layers","diff_ids":[\(diffIDs)]}}
            """.utf8)
        let configDescriptor = try await client.pushBlob(config, in: repository)
        let manifest = try ManifestDocument(encoding: .image(ImageManifest(
            schemaVersion: 2, mediaType: .ociImageManifest,
            config: Descriptor(mediaType: .ociImageConfig, digest: configDescriptor.digest, size: configDescriptor.size),
            layers: descriptors)))
        let reference = try ImageReference(parsing: "\(host)/\(repository):v1")
        try await client.pushManifest(manifest, to: reference)
        return (reference, descriptors.map(\.digest))
    }

    /// Bytes of the regular files under `directory`.
    static func bytesOnDisk(under directory: URL) -> Int64 {
        var total: Int64 = 0
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.fileSizeKey, .isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            let values = try? url.resourceValues(forKeys: [.fileSizeKey, .isRegularFileKey])
            if values?.isRegularFile == true { total += Int64(values?.fileSize ?? 0) }
        }
        return total
    }

    /// Six files of spaces, `fileMiB` each, in one small gzip layer: refused with an error
    /// naming the image, the layer and the setting, with no more than `budget` on disk.
    func refusesAnInflatingLayer(fileMiB: Int, budget: Int64?) async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let client = RegistryClient(registry: registry.host)
            var entries: [(String, StreamingTarLayer.Content)] = [("configs", .directory), ("configs/foo", .directory),
                ("configs/foo/catalog.json", .bytes(Data(#"{"schema":"olm.package","name":"foo"}"#.utf8)))]
            for index in 1...6 { entries.append(("configs/foo/spaces-\(index).json", .spaces(fileMiB << 20))) }
            let layer = try StreamingTarLayer(entries, in: lab.root.appendingPathComponent("build"))
            #expect(layer.compressed.count < 6 * (fileMiB << 20) / 100, "the layer inflates: \(layer.compressed.count) bytes compressed")
            let (reference, digests) = try await Self.pushCatalog([layer], repository: "test/inflating-index", client: client, host: registry.host)
            let target = lab.root.appendingPathComponent("extract/catalog-config")
            let reader = budget.map { CatalogImageReader(scratchDirectory: lab.root.appendingPathComponent("scratch"), maxExtractBytes: $0) }
                ?? CatalogImageReader(scratchDirectory: lab.root.appendingPathComponent("scratch"))
            let limit = budget ?? ExtractionBudget.defaultLimit
            await #expect {
                _ = try await reader.extract(.registry(client, reference), into: target)
            } throws: { error in
                let text = "\(error)"
                print("refused: \(text)")
                return text.contains(reference.description) && text.contains(digests[0].description)
                    && text.contains("--max-extract-size") && text.contains(ByteSize.format(limit))
            }
            let written = Self.bytesOnDisk(under: target)
            #expect(written <= limit, "\(written) bytes written, more than the \(limit) budget")
            #expect(written > 0)
        }
    }

    @Test func anInflatingLayerIsRefusedWithinTheBudget() async throws {
        try await refusesAnInflatingLayer(fileMiB: 3, budget: 8 << 20)
    }

    /// The issue's case at full size (six 300 MiB files, the default 1 GiB budget); writes 1 GiB,
    /// so only with FERRY_BIG_HOSTILE_LAYER=1 (for measuring peak memory).
    @Test(.enabled(if: ProcessInfo.processInfo.environment["FERRY_BIG_HOSTILE_LAYER"] != nil))
    func aGigabyteInflatingLayerIsRefusedAtTheDefaultBudget() async throws {
        try await refusesAnInflatingLayer(fileMiB: 300, budget: nil)
    }

    @Test func theLastEntryOfAPathInALayerWins() async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let client = RegistryClient(registry: registry.host)
            let build = lab.root.appendingPathComponent("build")
            let lower = try StreamingTarLayer([
                ("configs", .directory), ("configs/bar", .directory),
                ("configs/bar/catalog.json", .bytes(Data(#"{"schema":"olm.package","name":"bar","v":"lower"}"#.utf8))),
                ("configs/gone", .directory),
                ("configs/gone/catalog.json", .bytes(Data(#"{"schema":"olm.package","name":"gone"}"#.utf8))),
            ], in: build)
            let upper = try StreamingTarLayer([
                ("configs", .directory), ("configs/foo", .directory),
                // A stale copy, then the real one: the real one is read.
                ("configs/foo/catalog.json", .bytes(Data(#"{"schema":"olm.package","name":"foo","v":"stale"}"#.utf8))),
                ("configs/foo/catalog.json", .bytes(Data(#"{"schema":"olm.package","name":"foo","v":"real"}"#.utf8))),
                // A whiteout hides the lower layer's file, not this layer's own copy after it.
                ("configs/bar/.wh.catalog.json", .bytes(Data())),
                ("configs/bar/catalog.json", .bytes(Data(#"{"schema":"olm.package","name":"bar","v":"upper"}"#.utf8))),
                // A file replaced by a link is gone (links are not extracted).
                ("configs/qux", .directory),
                ("configs/qux/catalog.json", .bytes(Data(#"{"schema":"olm.package","name":"qux"}"#.utf8))),
                ("configs/qux/catalog.json", .symlink("/etc/passwd")),
                // A file at a directory's path hides the lower layer's directory.
                ("configs/gone", .bytes(Data("not a directory".utf8))),
            ], in: build)
            let (reference, _) = try await Self.pushCatalog([lower, upper], repository: "test/duplicate-index", client: client, host: registry.host)
            let target = lab.root.appendingPathComponent("extract/catalog-config")
            let extracted = try await CatalogImageReader(scratchDirectory: lab.root.appendingPathComponent("scratch"))
                .extract(.registry(client, reference), into: target)
            #expect(extracted.files == ["bar/catalog.json", "foo/catalog.json", "gone"], "\(extracted.files)")
            func text(_ path: String) throws -> String {
                String(decoding: try Data(contentsOf: target.appendingPathComponent(path)), as: UTF8.self)
            }
            #expect(try text("foo/catalog.json").contains(#""v":"real""#))
            #expect(try text("bar/catalog.json").contains(#""v":"upper""#))
            #expect(!FileManager.default.fileExists(atPath: target.appendingPathComponent("qux/catalog.json").path))
            #expect(extracted.skipped.contains { $0.hasPrefix("configs/qux/catalog.json") }, "\(extracted.skipped)")
        }
    }

    @Test func sizesAreReadAsSettingsWriteThem() {
        #expect(ByteSize.parse("1GiB") == 1 << 30)
        #expect(ByteSize.parse("512MiB") == 512 << 20)
        #expect(ByteSize.parse("512Mi") == 512 << 20)
        #expect(ByteSize.parse("2G") == 2 << 30)
        #expect(ByteSize.parse("1GB") == 1_000_000_000)
        #expect(ByteSize.parse("4096") == 4096)
        #expect(ByteSize.parse("1.5GiB") == nil)
        #expect(ByteSize.parse("GiB") == nil)
        #expect(ByteSize.parse("1 parsec") == nil)
        #expect(ByteSize.format(1 << 30) == "1 GiB")
        #expect(ByteSize.format(8 << 20) == "8 MiB")
        #expect(ByteSize.format(1000) == "1000 bytes")
    }
}
