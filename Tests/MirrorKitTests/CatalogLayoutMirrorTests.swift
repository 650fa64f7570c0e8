import Distribution
import Foundation
import MirrorKit
import OCI
import Planning
import RegistryLab
import Testing
import Transport
import Workspace

/// `oci://` catalogs: a lab catalog written into an OCI layout by skopeo (an independent writer),
/// then mirrored from the layout, filtered and whole.
@Suite(.serialized) struct CatalogLayoutMirrorTests {
    /// Copies the lab's Red Hat index into `<lab>/<directory>` as a layout, tag `v4.18`.
    static func layout(_ lab: CatalogMirrorTests.Lab, directory: String) async throws -> String {
        let catalog = try #require(lab.upstream.redHatIndex("v4.18"))
        let path = lab.lab.root.appendingPathComponent(directory).path
        let output = try await runProgram("skopeo", ["copy", "--all", "--preserve-digests", "--src-tls-verify=false",
                                                  "docker://\(catalog.reference)", "oci:\(path):v4.18"])
        try #require(output.status == 0, "\(output.stderr)")
        return path
    }

    @Test func aFilteredLayoutCatalogIsRebuiltIntoTheMirrorWithItsBundles() async throws {
        try await CatalogMirrorTests.with { lab in
            let path = try await Self.layout(lab, directory: "operator-index-layout")
            let catalog = try #require(lab.upstream.redHatIndex("v4.18"))
            let config = try lab.config("""
                  operators:
                  - catalog: oci://\(path)
                    packages:
                    - name: foo
                """)
            let foo = try #require(catalog.package("foo"))
            let head = try #require(foo.channel(foo.defaultChannel)?.head.flatMap { foo.bundle(named: $0) })
            // Spec §5.6: the layout directory's name, tag `latest`.
            let target = try ImageReference(parsing: "\(lab.mirror.host)/ocp/operator-index-layout:latest")

            let (dry, workspace) = try await lab.run(config, dryRun: true)
            #expect(dry.collectionFailures.isEmpty, "\(dry.collectionFailures)")
            let line = "oci://\(path)=docker://\(target)\n"
            #expect(read(workspace, "dry-run/mapping.txt")?.contains(line) == true, "\(read(workspace, "dry-run/mapping.txt") ?? "")")
            #expect(read(workspace, "dry-run/missing.txt")?.contains(line) == true)
            let planned = try #require(dry.plan?.images.first { $0.image.origin == .operatorCatalog })
            #expect(planned.status == .missing)
            // Every base layer of both platforms counts as bytes to upload (the mirror is empty).
            #expect((dry.plan?.summary.bytesToUpload ?? 0) > 0)

            let (run, _) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures) \(run.copyReport?.failed ?? [])")
            #expect(run.replayProblems.isEmpty, "\(run.replayProblems)")
            #expect(try await lab.mirrorDigest(target) == planned.digest)
            let index = try await RegistryClient(registry: lab.mirror.host).fetchManifest(target)
            #expect(index.index?.manifests.count == 2)
            // Read back from the mirror: only foo is inside; its head bundle and operands landed.
            let extracted = lab.lab.root.appendingPathComponent("read-back")
            _ = try await CatalogImageReader(scratchDirectory: lab.lab.root.appendingPathComponent("scratch"))
                .extract(.registry(RegistryClient(registry: lab.mirror.host), target), into: extracted)
            #expect(try FileBasedCatalog.load(from: extracted).packageNames == ["foo"])
            #expect(try await lab.mirrorDigest(try lab.mirrored(head.image)) != nil)
            for operand in head.operandImages {
                #expect(try await lab.mirrorDigest(try lab.mirrored(operand)) != nil, "\(operand)")
            }
            #expect(read(workspace, "cluster-resources/cs-operator-index-layout-latest.yaml")?.contains("image: \(target)") == true)
            // The run record names the layout as the source.
            #expect(read(workspace, "runs/last-success.json")?.contains("\"oci://\(path)\"") == true)
            // The bytes the rebuild sent are in the report.
            #expect((run.copyReport?.bytesUploaded ?? 0) > 0)

            // Nothing is left to move.
            let (after, _) = try await lab.run(config, dryRun: true)
            #expect(after.plan?.summary.imagesToMirror == 0)
            let (again, _) = try await lab.run(config)
            #expect(again.copyReport?.bytesUploaded == 0)
            #expect(try await lab.mirrorDigest(target) == planned.digest)
        }
    }

    @Test func aWholeLayoutCatalogNamedByTagKeepsItsDigest() async throws {
        try await CatalogMirrorTests.with { lab in
            let path = try await Self.layout(lab, directory: "layout")
            let catalog = try #require(lab.upstream.redHatIndex("v4.18"))
            let config = try lab.config("""
                  operators:
                  - catalog: oci://\(path):v4.18
                    full: true
                    targetCatalog: mirrored/redhat-index
                    targetTag: v1
                """)
            let (run, workspace) = try await lab.run(config)
            #expect(run.collectionFailures.isEmpty, "\(run.collectionFailures)")
            let target = try ImageReference(parsing: "\(lab.mirror.host)/ocp/mirrored/redhat-index:v1")
            #expect(try await lab.mirrorDigest(target) == catalog.digest)
            for bundle in catalog.bundles where bundle.brokenRelatedImages.isEmpty {
                #expect(try await lab.mirrorDigest(try lab.mirrored(bundle.image)) != nil, "\(bundle.name)")
            }
            #expect(read(workspace, "cluster-resources/cs-redhat-index-v1.yaml") != nil)
        }
    }

    @Test func aDamagedLayoutIsReportedWithTheBlobAndNothingIsPushed() async throws {
        try await CatalogMirrorTests.with { lab in
            let path = try await Self.layout(lab, directory: "damaged")
            let layout = try OCILayout(path: path)
            let index = try layout.manifest(tag: "v4.18")
            let child = try layout.manifest(try #require(index.index?.manifests.first?.digest))
            let layer = try #require(child.image?.layers.first)
            let file = layout.path(of: layer.digest)
            var bytes = try Data(contentsOf: file)
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: file)

            let config = try lab.config("""
                  operators:
                  - catalog: oci://\(path)
                    packages:
                    - name: foo
                """)
            let (run, _) = try await lab.run(config)
            #expect(run.exitCode & 4 == 4)
            #expect(run.collectionFailures.contains { $0.contains(layer.digest.description) && $0.contains("damaged") },
                    "\(run.collectionFailures)")
            // Nothing at all reached the mirror: no repository exists there.
            let listing = try await CurlEngine.shared.perform(HTTPRequest(.get, "\(lab.mirror.baseURL)/v2/_catalog"))
            #expect(listing.status == 200)
            #expect(String(decoding: listing.body, as: UTF8.self).contains(#""repositories":[]"#),
                    "\(String(decoding: listing.body, as: UTF8.self))")
        }
    }

    @Test func layoutPathsAndTags() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-layout-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("blobs/sha256"), withIntermediateDirectories: true)
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: root.appendingPathComponent("oci-layout"))
        let entry = { (tag: String) in
            #"{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:\#(String(repeating: "a", count: 64))","size":2,"annotations":{"org.opencontainers.image.ref.name":"\#(tag)"}}"#
        }
        try Data(#"{"schemaVersion":2,"manifests":[\#(entry("v1")),\#(entry("v2")),\#(entry("repo/name:v3"))]}"#.utf8)
            .write(to: root.appendingPathComponent("index.json"))

        let (whole, noTag) = try OCILayout.open(root.path)
        #expect(noTag == nil && whole.root.path == root.path)
        let (_, tag) = try OCILayout.open(root.path + ":v2")
        #expect(tag == "v2")
        // A ref.name may hold ':' and '/' itself (skopeo writes repo/name:tag).
        let (_, long) = try OCILayout.open(root.path + ":repo/name:v3")
        #expect(long == "repo/name:v3")
        // Two images and no tag: the error names the tags to choose from.
        #expect { try whole.entry(tag: nil) } throws: { "\($0)".contains("oci://\(root.path):v1") }
        #expect { try whole.entry(tag: "v3") } throws: { "\($0)".contains("v1, v2") }
        #expect { try OCILayout.open(root.path + "-missing") } throws: { "\($0)".contains("no such directory") }

        // Blobs: a short file and a FIFO are refused before anything reads them whole.
        let content = Data("layer bytes".utf8)
        let blob = Descriptor(mediaType: .ociLayerGzip, digest: .sha256(content), size: Int64(content.count))
        try content.prefix(4).write(to: whole.path(of: blob.digest))
        #expect { try whole.verifiedFile(blob) } throws: { "\($0)".contains("its descriptor says \(content.count)") }
        try content.write(to: whole.path(of: blob.digest))
        #expect(try whole.verifiedFile(blob) == whole.path(of: blob.digest))
        let fifo = Descriptor(mediaType: .ociLayerGzip, digest: .sha256(Data("fifo".utf8)), size: 4)
        #expect(mkfifo(whole.path(of: fifo.digest).path, 0o600) == 0)
        #expect { try whole.verifiedFile(fifo) } throws: { "\($0)".contains("not a regular file") }
        #expect { try whole.blob(fifo.digest, limit: 100) } throws: { "\($0)".contains("not a regular file") }
    }
}

extension CatalogLayoutMirrorTests {
    @Test func twoCatalogsLandingOnOneTagAreRefused() async throws {
        try await CatalogMirrorTests.with { lab in
            let path = try await Self.layout(lab, directory: "same")
            let config = try lab.config("""
                  operators:
                  - catalog: oci://\(path):v4.18
                    packages:
                    - name: foo
                  - catalog: oci://\(path)
                    packages:
                    - name: bar
                """)
            let (run, _) = try await lab.run(config, dryRun: true)
            #expect(run.collectionFailures.count == 1)
            #expect(run.collectionFailures.first?.contains("lands at \(lab.mirror.host)/ocp/same:latest, as the catalog at") == true,
                    "\(run.collectionFailures)")
        }
    }
}
