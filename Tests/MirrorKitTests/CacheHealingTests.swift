import Foundation
import MirrorKit
import OCI
import RegistryLab
import Synchronization
import Testing
import Workspace

/// The workspace's caches heal themselves: a damaged extracted catalog or cached release
/// signature is noticed, fetched again from its source, and said once.
@Suite(.serialized) struct CatalogCacheHealingTests {
    /// The kept extraction's record, as JSON.
    struct Record: Decodable {
        struct File: Decodable {
            var path: String
            var size: Int64
            var digest: String
        }
        var files: [String]
        var contents: [File]?
    }

    @Test func aDamagedExtractedCatalogIsExtractedAgainWithOneWarning() async throws {
        try await CatalogMirrorTests.with { test in
            let catalog = try #require(test.upstream.redHatIndex("v4.18"))
            let config = try test.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    packages:
                    - name: foo
                """)
            let (first, workspace) = try await test.run(config, dryRun: true)
            #expect(first.exitCode == 0, "\(first.collectionFailures)")
            let base = "operator-catalogs/redhat-operator-index/\(catalog.digest.encoded.prefix(16))"
            let recordText = try #require(read(workspace, "\(base)/catalog-config.json"))
            let record = try JSONDecoder().decode(Record.self, from: Data(recordText.utf8))
            let contents = record.contents ?? []
            #expect(contents.map(\.path) == record.files, "the record holds each file's size and digest")
            let name = try #require(record.files.first { $0.hasPrefix("foo/") } ?? record.files.first)
            #expect(contents.allSatisfy { $0.digest.hasPrefix("sha256:") && $0.size > 0 })
            let file = workspace.url("\(base)/catalog-config/\(name)")
            let original = try Data(contentsOf: file)
            #expect(original.count > 10)

            /// Damages the kept extraction, runs again: the run succeeds, the file is as the
            /// image holds it, and the warnings about the cache are returned.
            func runAfter(_ damage: () throws -> Void) async throws -> [String] {
                try damage()
                let lines = Mutex<[String]>([])
                let (again, _) = try await test.run(config, dryRun: true, log: { line in lines.withLock { $0.append(line) } })
                #expect(again.exitCode == 0, "\(again.collectionFailures)")
                #expect(try Data(contentsOf: file) == original)
                return lines.withLock { $0 }.filter { $0.contains("cached extraction") }
            }

            // Truncated: one warning naming the file, the workspace place and the image.
            let truncated = try await runAfter { try original.prefix(original.count / 2).write(to: file) }
            #expect(truncated.count == 1, "\(truncated)")
            let warning = try #require(truncated.first)
            #expect(warning.hasPrefix("warning: "), "\(warning)")
            #expect(warning.contains(workspace.url("\(base)/catalog-config").path), "\(warning)")
            #expect(warning.contains("\(name): \(original.count / 2) bytes instead of \(original.count)"), "\(warning)")
            #expect(warning.contains("extracted again from \(catalog.reference.withDigest(catalog.digest))"), "\(warning)")

            // Garbled, same size: the digest tells.
            let garbled = try await runAfter {
                var bytes = original
                bytes[bytes.startIndex] = UInt8(ascii: "x")
                try bytes.write(to: file)
            }
            #expect(garbled.count == 1 && garbled[0].contains("\(name): digest differs"), "\(garbled)")

            // A file that is not part of the extraction (the catalog loader would read it).
            let added = try await runAfter {
                try Data(#"{"schema":"olm.package","name":"foo"}"#.utf8).write(to: workspace.url("\(base)/catalog-config/stray.json"))
            }
            #expect(added.count == 1 && added[0].contains("stray.json: not part of the extraction"), "\(added)")
            #expect(!FileManager.default.fileExists(atPath: workspace.url("\(base)/catalog-config/stray.json").path))

            // The record itself garbled.
            let badRecord = try await runAfter { try Data("{\"catalogDig".utf8).write(to: workspace.url("\(base)/catalog-config.json")) }
            #expect(badRecord.count == 1 && badRecord[0].contains("its record catalog-config.json cannot be read"), "\(badRecord)")

            // A record of an earlier Ferry (no digests) is not trusted: extracted again, without a
            // warning (nothing was wrong with it as far as anyone can tell), and recorded with digests.
            let files = String(decoding: try JSONEncoder().encode(record.files), as: UTF8.self)
            let older = try await runAfter {
                try Data(#"{"catalogDigest":"\#(catalog.digest)","configsPath":"configs","files":\#(files),"notes":[]}"#.utf8)
                    .write(to: workspace.url("\(base)/catalog-config.json"))
                try original.prefix(original.count / 2).write(to: file)
            }
            #expect(older.isEmpty, "\(older)")
            let rewritten = try JSONDecoder().decode(Record.self, from: Data(try #require(read(workspace, "\(base)/catalog-config.json")).utf8))
            #expect(rewritten.contents?.map(\.digest) == contents.map(\.digest))

            // An intact extraction is used as it is: no warning.
            let intact = try await runAfter {}
            #expect(intact.isEmpty, "\(intact)")
        }
    }
}

@Suite(.serialized) struct SignatureCacheHealingTests {
    @Test func aDamagedCachedSignatureIsFetchedAgainWithOneWarning() async throws {
        try await ReleaseMirrorTests.with { lab in
            let release = try #require(lab.upstream.release("4.18.2"))
            let config = try lab.rangeConfig("stable-4.18", min: "4.18.2", max: "4.18.2")
            let (first, workspace) = try await lab.run(config, dryRun: true)
            #expect(first.exitCode == 0, "\(first.collectionFailures)")
            let cached = workspace.url("signatures/sha256-\(release.payloadDigest.encoded)/signature-1")
            let original = try Data(contentsOf: cached)

            for damage in ["truncated", "garbled"] {
                var bytes = original
                if damage == "truncated" {
                    bytes = bytes.prefix(bytes.count / 2)
                } else {
                    bytes[bytes.startIndex + bytes.count / 2] ^= 0xFF
                }
                try bytes.write(to: cached)
                let lines = Mutex<[String]>([])
                let (again, _) = try await lab.run(config, dryRun: true, log: { line in lines.withLock { $0.append(line) } })
                #expect(again.exitCode == 0, "\(damage): \(again.collectionFailures)")
                #expect(try Data(contentsOf: cached) == original, "\(damage)")
                let warnings = lines.withLock { $0 }.filter { $0.contains("signature-1") }
                #expect(warnings.count == 1, "\(damage): \(warnings)")
                let warning = try #require(warnings.first)
                #expect(warning.hasPrefix("warning: ") && warning.contains(cached.path), "\(warning)")
                #expect(warning.contains("fetched again from \(lab.upstream.signatureBaseURL)"), "\(warning)")
            }

            // An intact cached copy is used without a word.
            let lines = Mutex<[String]>([])
            let (third, _) = try await lab.run(config, dryRun: true, log: { line in lines.withLock { $0.append(line) } })
            #expect(third.exitCode == 0, "\(third.collectionFailures)")
            #expect(!lines.withLock { $0 }.contains { $0.contains("signature-1") }, "\(lines.withLock { $0 })")
        }
    }
}
