import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import Planning
import RegistryLab
import Synchronization
import Testing
import Transport
import Workspace

/// `mirror.operators` end to end against the lab's synthetic catalogs.
@Suite(.serialized) struct CatalogMirrorTests {
    struct Lab {
        var lab: RegistryLab
        var upstream: OperatorCatalogUpstream
        var mirror: LabRegistry
        /// The registry `upstream` is seeded in.
        var upstreamRegistry: LabRegistry

        func config(_ body: String) throws -> String {
            let path = lab.root.appendingPathComponent("isc.yaml").path
            try ("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n" + body)
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func run(_ config: String, dryRun: Bool = false,
                 log: @escaping @Sendable (String) -> Void = { _ in }) async throws -> (MirrorOutcome, Workspace) {
            let space = Workspace(root: lab.root.appendingPathComponent("ws/working-dir"))
            let options = MirrorOptions(configPath: config, workspace: space,
                                        destination: try RegistryLocation(parsing: "docker://\(mirror.host)/ocp"), dryRun: dryRun,
                                        copy: CopySettings(parallelImages: 4, parallelLayers: 4, source: RegistrySettings(retry: fastRetry),
                                                           destination: RegistrySettings(retry: fastRetry)))
            return (try await MirrorToMirror(options: options, log: log).run(), space)
        }

        func mirrorDigest(_ reference: ImageReference) async throws -> Digest? {
            try await RegistryClient(registry: mirror.host).manifestDigest(reference)
        }

        /// Where the generic naming puts an upstream image in the mirror.
        func mirrored(_ image: ImageReference) throws -> ImageReference {
            try RegistryLocation(parsing: "\(mirror.host)/ocp").destination(for: image)
        }
    }

    /// - Parameter deleteEnabled: whether the upstream and the mirror accept DELETE (tests that
    ///   take content away between runs).
    static func with(deleteEnabled: Bool = false, _ body: (Lab) async throws -> Void) async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry(RegistryOptions(deleteEnabled: deleteEnabled))
            let mirror = try await lab.startRegistry(RegistryOptions(deleteEnabled: deleteEnabled))
            let upstream = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
            try await body(Lab(lab: lab, upstream: upstream, mirror: mirror, upstreamRegistry: registry))
        }
    }

    @Test func twoPackagesAreFilteredRebuiltAndAudited() async throws {
        try await Self.with { lab in
            let catalog = try #require(lab.upstream.redHatIndex("v4.18"))
            let config = try lab.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    packages:
                    - name: foo
                    - name: bar
                """)
            let foo = try #require(catalog.package("foo"))
            let bar = try #require(catalog.package("bar"))
            let heads = [foo, bar].compactMap { package in
                package.channel(package.defaultChannel)?.head.flatMap { package.bundle(named: $0) }
            }
            #expect(heads.count == 2)

            let (dry, workspace) = try await lab.run(config, dryRun: true)
            #expect(dry.collectionFailures.isEmpty, "\(dry.collectionFailures)")
            let mapping = try #require(read(workspace, "dry-run/mapping.txt"))
            #expect(mapping.contains("=docker://\(lab.mirror.host)/ocp/redhat/redhat-operator-index:v4.18\n"), "\(mapping)")
            // The rebuilt catalog is missing, with the digest the real run will give it.
            #expect(read(workspace, "dry-run/missing.txt")?.contains("=docker://\(lab.mirror.host)/ocp/redhat/redhat-operator-index:v4.18\n") == true)
            let planned = try #require(dry.plan?.images.first { $0.image.origin == .operatorCatalog })
            #expect(planned.status == .missing)
            #expect(try await lab.mirrorDigest(try lab.mirrored(heads[0].image)) == nil)

            let (run, _) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures) \(run.copyReport?.failed ?? [])")
            #expect(run.replayProblems.isEmpty, "\(run.replayProblems)")
            // Every head bundle and every image it declares, at the mirror.
            for bundle in heads {
                #expect(try await lab.mirrorDigest(try lab.mirrored(bundle.image)) != nil, "\(bundle.name)")
                for related in bundle.relatedImages {
                    guard let reference = related.reference else { continue }
                    #expect(try await lab.mirrorDigest(try lab.mirrored(reference)) != nil, "\(bundle.name) \(related.image)")
                }
            }
            // Every operand their CSVs name, declared or not, is at the mirror.
            for bundle in heads {
                for operand in bundle.operandImages {
                    #expect(try await lab.mirrorDigest(try lab.mirrored(operand)) != nil, "\(bundle.name) \(operand)")
                }
            }
            // The operand only a CSV names was found by the audit and mirrored too.
            // (foo's head is one of the bundles that under-declare it.)
            #expect(heads.contains { head in lab.upstream.underDeclaringBundles.contains { $0.name == head.name } })
            #expect(try await lab.mirrorDigest(try lab.mirrored(lab.upstream.underDeclaredOperand)) != nil)
            #expect(read(workspace, "operator-catalogs/operand-audit.txt")?.contains(lab.upstream.underDeclaredOperand.description) == true)
            // The rebuilt catalog: both platforms, only foo and bar inside.
            let rebuilt = try ImageReference(parsing: "\(lab.mirror.host)/ocp/redhat/redhat-operator-index:v4.18")
            let index = try await RegistryClient(registry: lab.mirror.host).fetchManifest(rebuilt)
            #expect(index.index?.manifests.count == 2)
            let extracted = lab.lab.root.appendingPathComponent("rebuilt-configs")
            _ = try await CatalogImageReader(scratchDirectory: lab.lab.root.appendingPathComponent("scratch"))
                .extract(.registry(RegistryClient(registry: lab.mirror.host), rebuilt), into: extracted)
            #expect(try FileBasedCatalog.load(from: extracted).packageNames == ["bar", "foo"])
            // Read back from the mirror, the catalog is byte for byte the filtered one in the workspace.
            let filteredDirectory = try #require(FileManager.default.enumerator(atPath: workspace.url("operator-catalogs").path)?
                .compactMap { $0 as? String }.first { $0.hasSuffix("/filtered-catalog") })
            let filtered = workspace.url("operator-catalogs/\(filteredDirectory)")
            let files = try #require(FileManager.default.subpaths(atPath: filtered.path)).filter { $0.hasSuffix(".json") }.sorted()
            #expect(files == ["bar/catalog.json", "foo/catalog.json"])
            for file in files {
                #expect(FileManager.default.contents(atPath: extracted.appendingPathComponent(file).path)
                    == FileManager.default.contents(atPath: filtered.appendingPathComponent(file).path), "\(file)")
            }
            // CatalogSource and ClusterCatalog (golden text); IDMS operator entries.
            #expect(read(workspace, "cluster-resources/cs-redhat-operator-index-v4-18.yaml") == """
                apiVersion: operators.coreos.com/v1alpha1
                kind: CatalogSource
                metadata:
                  annotations:
                    createdBy: ferry
                  name: cs-redhat-operator-index-v4-18
                  namespace: openshift-marketplace
                spec:
                  image: \(lab.mirror.host)/ocp/redhat/redhat-operator-index:v4.18
                  sourceType: grpc

                """)
            #expect(read(workspace, "cluster-resources/cc-redhat-operator-index-v4-18.yaml") == """
                apiVersion: olm.operatorframework.io/v1
                kind: ClusterCatalog
                metadata:
                  annotations:
                    createdBy: ferry
                  name: cc-redhat-operator-index-v4-18
                spec:
                  source:
                    image:
                      ref: \(lab.mirror.host)/ocp/redhat/redhat-operator-index:v4.18
                    type: Image

                """)
            #expect(read(workspace, "cluster-resources/idms-oc-mirror.yaml")?.contains("name: idms-operator-0") == true)

            // The dry-run had built the same catalog: same digest, and now nothing is missing.
            let before = try await lab.mirrorDigest(rebuilt)
            #expect(before == planned.digest)
            let (after, _) = try await lab.run(config, dryRun: true)
            #expect(after.plan?.summary.imagesToMirror == 0)
            #expect(read(workspace, "dry-run/missing.txt") == "")
            // The run's report counts the rebuilt catalog: its image, and its manifests (the
            // index and one per platform) among those pushed.
            let reported = run.copyReport?.images.first { $0.destination == rebuilt.description }
            #expect(reported?.status == .copied && reported?.digest == before?.description, "\(String(describing: reported))")
            #expect((run.copyReport?.manifestsPushed ?? 0) >= heads.count + 3)
            // A second run moves nothing, pushes no manifest (not even the catalog's), and gives
            // the same catalog digest.
            let (again, _) = try await lab.run(config)
            #expect(again.copyReport?.bytesUploaded == 0)
            #expect(again.copyReport?.manifestsPushed == 0)
            #expect(again.copyReport?.copied == 0)
            #expect(again.copyReport?.images.first { $0.destination == rebuilt.description }?.status == .skipped)
            #expect(again.alreadyMirroredByOrigin[.operatorCatalog] == 1)
            #expect(try await lab.mirrorDigest(rebuilt) == before)
        }
    }

    @Test func aFullCatalogWithoutPackagesIsMirroredAsItIs() async throws {
        try await Self.with { lab in
            let catalog = try #require(lab.upstream.catalog("redhat/certified-operator-index", tag: "v4.18"))
            let config = try lab.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    full: true
                """)
            let (run, workspace) = try await lab.run(config)
            #expect(run.collectionFailures.isEmpty, "\(run.collectionFailures)")
            // Unchanged: the same digest, under its tag.
            #expect(try await lab.mirrorDigest(try ImageReference(parsing: "\(lab.mirror.host)/ocp/redhat/certified-operator-index:v4.18"))
                == catalog.digest)
            for bundle in catalog.bundles where bundle.brokenRelatedImages.isEmpty {
                #expect(try await lab.mirrorDigest(try lab.mirrored(bundle.image)) != nil, "\(bundle.name)")
            }
            #expect(read(workspace, "cluster-resources/cs-certified-operator-index-v4-18.yaml") != nil)
        }
    }

    @Test func aCatalogIsNotPushedWhenOneOfItsBundlesDoesNotLand() async throws {
        try await Self.with(deleteEnabled: true) { test in
            let registry = test.upstreamRegistry
            let mirror = test.mirror
            let upstream = test.upstream
            let catalog = try #require(upstream.redHatIndex("v4.18"))
            let foo = try #require(catalog.package("foo"))
            let head = try #require(foo.channel(foo.defaultChannel)?.head.flatMap { foo.bundle(named: $0) })
            // The head bundle disappears upstream after the catalog was published.
            let gone = try #require(head.image.digest)
            let response = try await CurlEngine.shared.perform(
                HTTPRequest(.delete, "\(registry.baseURL)/v2/\(head.image.repository.path)/manifests/\(gone)"))
            #expect(response.status == 202)
            let config = try test.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    packages:
                    - name: foo
                """)
            let (run, workspace) = try await test.run(config)
            #expect(run.exitCode & 4 == 4)
            #expect(run.collectionFailures.contains { $0.contains("not pushed") }, "\(run.collectionFailures)")
            // The errors file names the bundle and package the failed image breaks, as oc-mirror's does.
            let errorsFile = try #require(run.files.first { $0.contains("mirroring_errors_") })
            let errors = try #require(read(workspace, errorsFile))
            #expect(errors.contains("error mirroring image docker://\(head.image) (Operator bundles: [\(head.name)] - Operators: [foo]) error: "),
                    "\(errors)")
            #expect(errors.contains("error collecting: ") && errors.contains("redhat-operator-index:v4.18 not pushed"), "\(errors)")
            // No catalog in the mirror offers the missing bundle.
            #expect(try await test.mirrorDigest(try ImageReference(parsing: "\(mirror.host)/ocp/redhat/redhat-operator-index:v4.18")) == nil)
        }
    }

    @Test func aSecondRunReadsTheCatalogFromTheWorkspaceNotFromUpstream() async throws {
        try await Self.with(deleteEnabled: true) { test in
            let registry = test.upstreamRegistry
            let upstream = test.upstream
            let catalog = try #require(upstream.redHatIndex("v4.18"))
            let config = try test.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    packages:
                    - name: foo
                """)
            let (first, workspace) = try await test.run(config)
            #expect(first.exitCode == 0, "\(first.collectionFailures)")
            let firstAudit = read(workspace, "operator-catalogs/operand-audit.txt")
            #expect(firstAudit != nil)
            // Every layer of the catalog's platform images and of the bundle images disappears upstream.
            let client = RegistryClient(registry: registry.host)
            func deleteLayers(of reference: ImageReference) async throws -> Int {
                let root = try await client.fetchManifest(reference)
                var images = [root]
                for child in root.index?.manifests ?? [] {
                    images.append(try await client.fetchManifest(ImageReference(repository: reference.repository, tag: nil, digest: child.digest)))
                }
                var deleted = 0
                for image in images {
                    for layer in image.image?.layers ?? [] {
                        let response = try await CurlEngine.shared.perform(
                            HTTPRequest(.delete, "\(registry.baseURL)/v2/\(reference.repository.path)/blobs/\(layer.digest)"))
                        if response.status == 202 { deleted += 1 }
                    }
                }
                return deleted
            }
            #expect(try await deleteLayers(of: catalog.reference) > 0)
            // The kept bundles are the ones whose audit the workspace keeps.
            let kept = upstream.bundles.filter {
                $0.package == "foo" && read(workspace, "operator-catalogs/bundle-audits/sha256-\($0.image.digest?.encoded ?? "?").json") != nil
            }
            #expect(!kept.isEmpty)
            for bundle in kept {
                #expect(try await deleteLayers(of: bundle.image) > 0)
            }
            #expect(read(workspace, "operator-catalogs/redhat-operator-index/\(catalog.digest.encoded.prefix(16))/catalog-config.json") != nil)
            let lines = Mutex<[String]>([])
            let (again, _) = try await test.run(config, log: { line in lines.withLock { $0.append(line) } })
            #expect(again.exitCode == 0, "\(again.collectionFailures)")
            #expect(again.copyReport?.bytesUploaded == 0)
            // The audits came from the workspace: none failed for want of the bundle layers, and they found the same.
            #expect(!lines.withLock { $0 }.contains { $0.contains("operand audit not done") }, "\(lines.withLock { $0 })")
            #expect(read(workspace, "operator-catalogs/operand-audit.txt") == firstAudit)
        }
    }

    @Test func catalogsOnOneBaseImageMountItsLayersInsteadOfUploadingThemTwice() async throws {
        try await Self.with { lab in
            // Both catalogs are built on the same opm layer (linux/amd64); they land in two repositories.
            let redhat = try #require(lab.upstream.redHatIndex("v4.18"))
            let certified = try #require(lab.upstream.catalog("redhat/certified-operator-index", tag: "v4.18"))
            let config = try lab.config("""
                  operators:
                  - catalog: \(redhat.reference)
                    packages:
                    - name: foo
                  - catalog: \(certified.reference)
                    packages:
                    - name: qux
                """)
            let (dryRun, _) = try await lab.run(config, dryRun: true)
            let plan = try #require(dryRun.plan)
            let certifiedRepository = try lab.mirrored(certified.reference).repository
            let mounts = plan.blobs.filter { $0.repository == certifiedRepository && $0.action == .mount }
            #expect(!mounts.isEmpty, "the shared base layer is planned as a mount")

            let (run, _) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures)")
            // Exact: the mounted layer moved no bytes, in the plan and in the run alike; and the
            // run's figures, rebuilt catalogs included, are the plan's.
            #expect(run.copyReport?.bytesUploaded == plan.summary.bytesToUpload)
            #expect(run.copyReport?.blobsUploaded == plan.summary.blobsToUpload)
            #expect(run.copyReport?.blobsMounted == plan.summary.blobsToMount)
            #expect(run.copyReport?.manifestsPushed == plan.summary.manifestsToPush)
            #expect(run.copyReport?.blobsSkipped == plan.summary.blobsPresent)
            // The copier also copies the signatures and referrers beside the images.
            #expect(run.copyReport.map { $0.copied + $0.skipped } == plan.summary.images + plan.summary.attachments)
            #expect(plan.summary.attachments == run.signatureReport.attachmentCount)
            let client = RegistryClient(registry: lab.mirror.host)
            for blob in mounts {
                #expect(try await client.blobExists(blob.digest, in: certifiedRepository.path))
            }
            let rebuilt = try await CatalogImageReader(scratchDirectory: lab.lab.root.appendingPathComponent("scratch"))
                .extract(.registry(client, try lab.mirrored(certified.reference)), into: lab.lab.root.appendingPathComponent("read-certified"))
            #expect(!rebuilt.files.isEmpty)
        }
    }

    @Test func aStaleMountHintInTheRecordIsAnUploadInTheDryRunAndInTheRun() async throws {
        try await Self.with(deleteEnabled: true) { test in
            let registry = test.upstreamRegistry
            let mirror = test.mirror
            let upstream = test.upstream
            let redhat = try #require(upstream.redHatIndex("v4.18"))
            let certified = try #require(upstream.catalog("redhat/certified-operator-index", tag: "v4.18"))
            // The first run puts the certified catalog, and the opm layer it shares with the Red Hat
            // index, in the mirror; the run record names the certified repository for it.
            let first = try test.config("""
                  operators:
                  - catalog: \(certified.reference)
                    packages:
                    - name: qux
                """)
            #expect(try await test.run(first).0.exitCode == 0)
            let opm = try #require(try await RegistryClient(registry: registry.host).fetchManifest(certified.reference).image?.layers.first)
            let certifiedRepository = try test.mirrored(certified.reference).repository.path
            // Then the layer goes from that repository: the record's hint is stale.
            let deleted = try await CurlEngine.shared.perform(
                HTTPRequest(.delete, "\(mirror.baseURL)/v2/\(certifiedRepository)/blobs/\(opm.digest)"))
            #expect(deleted.status == 202)
            let second = try test.config("""
                  operators:
                  - catalog: \(redhat.reference)
                    packages:
                    - name: foo
                """)
            let (dryRun, _) = try await test.run(second, dryRun: true)
            let plan = try #require(dryRun.plan)
            let redhatRepository = try test.mirrored(redhat.reference).repository
            #expect(plan.blobs.contains { $0.digest == opm.digest && $0.repository == redhatRepository && $0.action == .upload },
                    "a hint a HEAD does not confirm is no mount")
            let (run, _) = try await test.run(second)
            #expect(run.exitCode == 0, "\(run.collectionFailures)")
            #expect(run.copyReport?.bytesUploaded == plan.summary.bytesToUpload)
            #expect(try await RegistryClient(registry: mirror.host).blobExists(opm.digest, in: redhatRepository.path))
        }
    }

    @Test func aFilterThatKeepsNoPackageIsAnErrorNamingTheMissingOnes() async throws {
        try await Self.with { test in
            let catalog = try #require(test.upstream.redHatIndex("v4.18"))
            let config = try test.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    packages:
                    - name: no-such-operator
                """)
            for dryRun in [true, false] {
                let (run, _) = try await test.run(config, dryRun: dryRun)
                #expect(run.exitCode & 4 == 4)
                let failure = run.collectionFailures.first { $0.contains("the filter keeps no package of this catalog") }
                #expect(failure?.contains(#"package "no-such-operator" is not in the catalog"#) == true, "\(run.collectionFailures)")
                #expect(run.plan?.images.contains { $0.status == .failed } != true, "not an unreadable image")
            }
        }
    }

    @Test func aFilteredCatalogNamedByDigestIsTaggedWithTheDigestItIsRebuiltAs() async throws {
        try await Self.with { test in
            let catalog = try #require(test.upstream.redHatIndex("v4.18"))
            let byDigest = ImageReference(repository: catalog.reference.repository, tag: nil, digest: catalog.digest)
            let config = try test.config("""
                  operators:
                  - catalog: \(byDigest)
                    packages:
                    - name: foo
                """)
            let (dry, workspace) = try await test.run(config, dryRun: true)
            let planned = try #require(dry.plan?.images.first { $0.image.origin == .operatorCatalog })
            let rebuilt = try #require(planned.digest)
            #expect(rebuilt != catalog.digest)
            // As oc-mirror: sha256-<rebuilt digest>, not the digest of the original it no longer is.
            let tag = "sha256-" + rebuilt.encoded
            let target = try ImageReference(parsing: "\(test.mirror.host)/ocp/redhat/redhat-operator-index:\(tag)")
            #expect(planned.image.destination == target)
            #expect(read(workspace, "dry-run/mapping.txt")?.contains("=docker://\(target)\n") == true)

            let (run, _) = try await test.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures)")
            #expect(try await test.mirrorDigest(target) == rebuilt)
            // Named by the first 12 characters of the tag (spec §6.2).
            let catalogSource = "cluster-resources/cs-redhat-operator-index-\(tag.prefix(12)).yaml"
            #expect(read(workspace, catalogSource)?.contains("image: \(target)\n") == true, "\(run.files)")
            // The next run finds it in place and does not take it for something no longer selected.
            let (again, _) = try await test.run(config)
            #expect(again.copyReport?.manifestsPushed == 0)
            #expect(again.noLongerSelected.isEmpty, "\(again.noLongerSelected.map(\.destination))")
        }
    }

    @Test func oneCatalogFilteredTwoWaysGivesTwoCatalogs() async throws {
        try await Self.with { lab in
            let catalog = try #require(lab.upstream.redHatIndex("v4.18"))
            let config = try lab.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    targetTag: foo-only
                    packages:
                    - name: foo
                  - catalog: \(catalog.reference)
                    targetTag: bar-only
                    packages:
                    - name: bar
                """)
            let (run, _) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures)")
            for (tag, package) in [("foo-only", "foo"), ("bar-only", "bar")] {
                let rebuilt = try ImageReference(parsing: "\(lab.mirror.host)/ocp/redhat/redhat-operator-index:\(tag)")
                let extracted = lab.lab.root.appendingPathComponent("read-\(tag)")
                _ = try await CatalogImageReader(scratchDirectory: lab.lab.root.appendingPathComponent("scratch"))
                    .extract(.registry(RegistryClient(registry: lab.mirror.host), rebuilt), into: extracted)
                #expect(try FileBasedCatalog.load(from: extracted).packageNames == [package])
            }
        }
    }

    @Test func explainPrintsWhyEachBundleWasKept() async throws {
        try await Self.with { lab in
            let catalog = try #require(lab.upstream.redHatIndex("v4.18"))
            let config = try lab.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    packages:
                    - name: foo
                """)
            let space = Workspace(root: lab.lab.root.appendingPathComponent("explain/working-dir"))
            let options = MirrorOptions(configPath: config, workspace: space,
                                        destination: try RegistryLocation(parsing: "docker://\(lab.mirror.host)/ocp"), dryRun: true,
                                        releases: ReleaseOptions(explain: true))
            let lines = Mutex<[String]>([])
            _ = try await MirrorToMirror(options: options, log: { line in lines.withLock { $0.append(line) } }).run()
            let printed = lines.withLock { $0.joined(separator: "\n") }
            let foo = try #require(catalog.package("foo"))
            let head = try #require(foo.channel(foo.defaultChannel)?.head)
            #expect(printed.contains("catalog \(catalog.reference)"), "\(printed)")
            #expect(printed.contains(head), "\(printed)")
            // What is printed is the whole explanation the workspace keeps, reasons included.
            let explained = try #require(FileManager.default.enumerator(atPath: space.url("operator-catalogs").path)?
                .compactMap { $0 as? String }.first { $0.hasSuffix("/filter-explain.txt") })
            let text = try #require(read(space, "operator-catalogs/\(explained)"))
            #expect(!text.isEmpty && printed.contains(text))
        }
    }

    @Test func aRelatedImageWithoutTagOrDigestIsReportedAndSkipped() async throws {
        try await Self.with { lab in
            let catalog = try #require(lab.upstream.redHatIndex("v4.18"))
            let config = try lab.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    packages:
                    - name: baz
                      minVersion: 1.0.0
                """)
            let (run, workspace) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures)")
            let skipped = try #require(read(workspace, "operator-catalogs/skipped-images.txt"))
            #expect(skipped.contains(lab.upstream.brokenBundle.name), "\(skipped)")
            #expect(skipped.contains(lab.upstream.brokenRelatedImage.image), "\(skipped)")
            // The root list, one place for every skipped image, has the same line.
            let all = try #require(read(workspace, "skipped-images.txt"))
            #expect(all.split(separator: "\n").contains { $0.hasPrefix("operator ") && $0.contains(lab.upstream.brokenRelatedImage.image) },
                    "\(all)")
        }
    }
}
