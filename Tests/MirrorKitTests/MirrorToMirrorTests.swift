import Foundation
import MirrorKit
import OCI
import Planning
import RegistryLab
import Testing
import Workspace

/// The oc-mirror workflow end to end on lab registries, with `imageset-configs/additional-images.yaml`:
/// tag, digest, tag+digest and multi-arch sources, targetRepo/targetTag, blockedImages.
@Suite(.serialized) struct MirrorToMirrorTests {
    /// The six images the demo configuration selects (one more is blocked), and where they land.
    static func expectedMapping(_ lab: MirrorLab) -> [(source: String, destination: String, seeded: String)] {
        let up = lab.upstream.host
        let to = "\(lab.mirror.host)/mirror"
        let backend = lab.seededImage("shop/backend:1.0").digest
        let worker = lab.seededImage("shop/worker:1.1").digest
        return [
            ("\(up)/ubi9/ubi-minimal:9.4", "\(to)/ubi9/ubi-minimal:9.4", "ubi9/ubi-minimal:9.4"),
            ("\(up)/shop/frontend:1.0", "\(to)/shop/frontend:1.0", "shop/frontend:1.0"),
            ("\(up)/shop/backend@\(backend)", "\(to)/shop/backend:sha256-\(backend.encoded)", "shop/backend:1.0"),
            ("\(up)/shop/worker:1.1@\(worker)", "\(to)/shop/worker:1.1", "shop/worker:1.1"),
            ("\(up)/tools/multiarch:2.1", "\(to)/platform-tools/multiarch:2.1", "tools/multiarch:2.1"),
            ("\(up)/openshift/agent:3.0", "\(to)/openshift/agent:stable", "openshift/agent:3.0"),
        ]
    }

    @Test func dryRunThenMirrorThenNothingLeft() async throws {
        try await MirrorLab.with { lab in
            let config = try lab.writeConfig(demoConfigTemplate)
            let workspace = lab.workspace()
            let expected = Self.expectedMapping(lab)
            let selected = expected.map { lab.seededImage($0.seeded) }
            var uniqueBlobs: [Digest: Int64] = [:]
            for image in selected { uniqueBlobs.merge(image.blobSizes) { a, _ in a } }

            // 1. Dry-run into the empty mirror: everything is missing, every unique blob moves once.
            let first = try await lab.run(config: config, workspace: workspace, dryRun: true)
            let plan = try #require(first.plan)
            #expect(first.blocked.map(\.image.source.description) == ["\(lab.upstream.host)/shop/worker:1.0"])
            #expect(plan.summary.imagesToMirror == 6)
            #expect(plan.summary.imagesAlreadyMirrored == 0)
            #expect(plan.summary.bytesToUpload == uniqueBlobs.values.reduce(0, +))
            #expect(plan.summary.blobsToUpload == uniqueBlobs.count)
            #expect(plan.summary.manifestsToPush == selected.reduce(0) { $0 + $1.manifests.count })
            let mapping = expected.map { "docker://\($0.source)=docker://\($0.destination)\n" }.joined()
            #expect(read(workspace, "dry-run/mapping.txt") == mapping)
            #expect(read(workspace, "dry-run/missing.txt") == mapping)
            #expect(read(workspace, "dry-run/plan.json")?.contains("\"bytesToUpload\" : \(plan.summary.bytesToUpload)") == true)
            // A dry-run pushes nothing.
            #expect(try await lab.mirrorRepositories().isEmpty)

            // 2. The real run moves exactly what the dry-run announced.
            let run = try await lab.run(config: config, workspace: workspace)
            let report = try #require(run.copyReport)
            #expect(run.exitCode == 0)
            #expect(report.copied == 6)
            #expect(report.bytesUploaded == plan.summary.bytesToUpload)
            #expect(run.replayProblems.isEmpty)
            for entry in expected {
                let destination = try ImageReference(parsing: entry.destination)
                let tagOnly = ImageReference(repository: destination.repository, tag: destination.tag, digest: nil)
                #expect(try await lab.mirrorDigest(tagOnly.description) == lab.seededImage(entry.seeded).digest, "\(entry.destination)")
            }
            #expect(read(workspace, "runs/last-success.json")?.contains("\(lab.mirror.host)/mirror/openshift/agent:stable") == true)
            // IDMS: the two images given by digest (namespace scope shop/); ITMS: every image given
            // by tag, targetRepo in repository scope. Golden files, with the lab's hosts filled in.
            for name in ["idms-oc-mirror.yaml", "itms-oc-mirror.yaml"] {
                #expect(read(workspace, "cluster-resources/\(name)") == golden("demo-\(name)", lab), "\(name)")
                // The dry-run announced the same files.
                #expect(read(workspace, "dry-run/cluster-resources/\(name)") == golden("demo-\(name)", lab), "\(name)")
            }

            // 3. Dry-run again: nothing to move, missing.txt empty, nothing dropped from the last run.
            let again = try await lab.run(config: config, workspace: workspace, dryRun: true)
            let summary = try #require(again.plan?.summary)
            #expect(summary.imagesAlreadyMirrored == 6)
            #expect(summary.imagesToMirror == 0)
            #expect(summary.bytesToUpload == 0)
            #expect(read(workspace, "dry-run/missing.txt") == "")
            #expect(again.noLongerSelected.isEmpty)

            // 4. And a second real run copies nothing.
            let noop = try await lab.run(config: config, workspace: workspace)
            #expect(noop.copyReport?.skipped == 6)
            #expect(noop.copyReport?.bytesUploaded == 0)
        }
    }

    @Test func dryRunAgainstAnOlderImageSetShowsExactlyTheDelta() async throws {
        try await MirrorLab.with { lab in
            let workspace = lab.workspace()
            let older = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/ubi9/ubi-minimal:9.4
                  - name: ${UPSTREAM}/shop/frontend:1.0
                  - name: ${UPSTREAM}/shop/worker:1.0
                """, name: "older.yaml")
            let first = try await lab.run(config: older, workspace: workspace)
            #expect(first.exitCode == 0)

            let newer = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/shop/frontend:1.0
                  - name: ${UPSTREAM}/shop/worker:1.0
                  - name: ${UPSTREAM}/shop/worker:1.1
                  - name: ${UPSTREAM}/shop/backend:1.0
                """, name: "newer.yaml")
            let dry = try await lab.run(config: newer, workspace: workspace, dryRun: true)
            let plan = try #require(dry.plan)
            // Exactly the new images and the blobs the mirror does not hold anywhere.
            let held = ["ubi9/ubi-minimal:9.4", "shop/frontend:1.0", "shop/worker:1.0"]
                .reduce(into: Set<Digest>()) { $0.formUnion(lab.seededImage($1).blobs) }
            var newBlobs: [Digest: Int64] = [:]
            for name in ["shop/worker:1.1", "shop/backend:1.0"] {
                for (digest, size) in lab.seededImage(name).blobSizes where !held.contains(digest) { newBlobs[digest] = size }
            }
            #expect(plan.summary.imagesToMirror == 2)
            #expect(plan.summary.imagesAlreadyMirrored == 2)
            #expect(plan.images.filter { $0.status == .missing }.map(\.image.source.repository.path).sorted()
                == ["shop/backend", "shop/worker"])
            #expect(plan.summary.bytesToUpload == newBlobs.values.reduce(0, +))
            #expect(plan.summary.blobsToUpload == newBlobs.count)
            #expect(dry.noLongerSelected.map(\.destination) == ["\(lab.mirror.host)/mirror/ubi9/ubi-minimal:9.4"])

            // The real run moves what the dry-run said, no more.
            let run = try await lab.run(config: newer, workspace: workspace)
            #expect(run.exitCode == 0)
            #expect(run.copyReport?.bytesUploaded == plan.summary.bytesToUpload)

            // The same workspace used for another mirror: the record of this one says nothing
            // about what that one no longer selects.
            let elsewhere = try await lab.run(config: newer, workspace: workspace, namespace: "other", dryRun: true)
            #expect(elsewhere.noLongerSelected.isEmpty, "\(elsewhere.noLongerSelected.map(\.destination))")
        }
    }

    @Test func maxNestedPathsFoldsDestinations() async throws {
        try await MirrorLab.with { lab in
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/ubi9/ubi-minimal:9.4
                  - name: ${UPSTREAM}/tools/multiarch:2.1
                """)
            let workspace = lab.workspace()
            let outcome = try await lab.run(config: config, workspace: workspace, namespace: "ocp/mirror", maxNestedPaths: 2)
            #expect(outcome.exitCode == 0)
            // ocp/mirror/ubi9/ubi-minimal has 4 components: keep 1, join the other 3.
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/mirror-ubi9-ubi-minimal:9.4")
                == lab.seededImage("ubi9/ubi-minimal:9.4").digest)
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/mirror-tools-multiarch:2.1")
                == lab.seededImage("tools/multiarch:2.1").digest)
            #expect(outcome.replayProblems.isEmpty)
            // Folded paths no longer end with the source path: repository scope, whole names.
            let itms = try #require(read(workspace, "cluster-resources/itms-oc-mirror.yaml"))
            #expect(itms.contains("""
                  - mirrors:
                    - \(lab.mirror.host)/ocp/mirror-ubi9-ubi-minimal
                    source: \(lab.upstream.host)/ubi9/ubi-minimal
                """), "\(itms)")
        }
    }
}

/// `platforms:` on an additional image: only those children move. The index is kept as it is
/// (clusters pull it by its digest), which distribution 2.x refuses as a sparse index.
@Suite(.serialized) struct PlatformFilterTests {
    @Test func onlyTheChosenPlatformIsPlannedAndASparseIndexRefusalIsExplained() async throws {
        try await MirrorLab.with { lab in
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/openshift/agent:3.0
                    platforms:
                    - os: linux
                      architecture: arm64
                """)
            let workspace = lab.workspace()
            let plan = try #require(try await lab.run(config: config, workspace: workspace, dryRun: true).plan)
            let image = try #require(plan.images.first)
            // The arm64 child, then the index: 2 of the 4 manifests.
            #expect(image.manifests.map { $0.platform?.architecture ?? "index" } == ["arm64", "index"])
            let childBlobs = Set(image.manifests[0].blobs.map(\.digest))
            #expect(plan.summary.bytesToUpload == lab.seededImage("openshift/agent:3.0").blobSizes
                .filter { childBlobs.contains($0.key) }.values.reduce(0, +))

            let run = try await lab.run(config: config, workspace: workspace)
            #expect(run.exitCode == 8)
            let error = try #require(run.copyReport?.failed.first?.error)
            #expect(error.contains("sparse index"), "\(error)")
        }
    }
}
