import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import Planning
import RegistryLab
import Testing

/// Blobs the mirror holds in any repository are mounted, not uploaded, even when the workspace's
/// run record does not know them (issue 12 item 7): a mirror seeded by `ferry copy`, or one an
/// interrupted run left blobs in. The dry-run and the run agree on every figure.
@Suite("mount what the mirror holds")
struct MountWhatTheMirrorHoldsTests {
    @Test func aMirrorSeededByFerryCopyLendsItsLayersToTheRun() async throws {
        try await MirrorLab.with { lab in
            // `ferry copy` of two images into the fresh mirror, where `ferry -c` puts them too.
            let list = lab.lab.root.appendingPathComponent("images.txt").path
            try "\(lab.upstream.host)/shop/frontend:1.0\n\(lab.upstream.host)/shop/backend:1.0\n"
                .write(toFile: list, atomically: true, encoding: .utf8)
            let copied = try await runFerry(["copy", "--from-list", list, "docker://\(lab.mirror.host)/mirror"])
            #expect(copied.status == 0, "\(copied.stdout)\(copied.stderr)")

            // The configuration includes them and a third image on the same base, in another repository.
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/shop/frontend:1.0
                  - name: ${UPSTREAM}/shop/backend:1.0
                  - name: ${UPSTREAM}/shop/worker:1.0
                """)
            let workspace = lab.workspace()
            let held = ["shop/frontend:1.0", "shop/backend:1.0"].reduce(into: Set<Digest>()) { $0.formUnion(lab.seededImage($1).blobs) }
            let worker = lab.seededImage("shop/worker:1.0")
            let shared = worker.blobs.intersection(held)
            let fresh = worker.blobSizes.filter { !held.contains($0.key) }
            #expect(!shared.isEmpty)

            let dry = try await lab.run(config: config, workspace: workspace, dryRun: true)
            let plan = try #require(dry.plan)
            #expect(plan.summary.imagesAlreadyMirrored == 2)
            let workerRepository = try RepositoryName(registry: lab.mirror.host, path: "mirror/shop/worker")
            for digest in shared {
                #expect(plan.blobs.first { $0.digest == digest && $0.repository == workerRepository }?.action == .mount,
                        "the base layer the mirror holds in shop/frontend and shop/backend is a mount")
            }
            #expect(plan.summary.blobsToUpload == fresh.count)
            #expect(plan.summary.bytesToUpload == fresh.values.reduce(0, +))
            #expect(plan.summary.blobsToMount == shared.count)

            let run = try await lab.run(config: config, workspace: workspace)
            #expect(run.exitCode == 0)
            let report = try #require(run.copyReport)
            #expect(report.bytesUploaded == plan.summary.bytesToUpload)
            #expect(report.blobsUploaded == plan.summary.blobsToUpload)
            #expect(report.blobsMounted == plan.summary.blobsToMount)
            #expect(report.blobsSkipped == plan.summary.blobsPresent)
            let client = RegistryClient(registry: lab.mirror.host)
            for digest in worker.blobs {
                #expect(try await client.blobExists(digest, in: workerRepository.path))
            }
        }
    }

    @Test func blobsAnInterruptedRunLeftAreMountedAsTheDryRunSaid() async throws {
        try await MirrorLab.with { lab in
            // An interrupted run placed shop/frontend's blobs, but not its manifest.
            let frontend = lab.seededImage("shop/frontend:1.0")
            let upstream = RegistryClient(registry: lab.upstream.host)
            let mirror = RegistryClient(registry: lab.mirror.host)
            for (digest, size) in frontend.blobSizes {
                try await BlobRelay.copy(Descriptor(mediaType: "application/octet-stream", digest: digest, size: size),
                                         from: upstream, repository: "shop/frontend", to: mirror, repository: "mirror/shop/frontend")
            }
            // The images needing the shared base come first, and one copier takes them as they are
            // planned: the image holding it is planned last.
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/shop/worker:1.0
                  - name: ${UPSTREAM}/shop/backend:1.0
                  - name: ${UPSTREAM}/shop/frontend:1.0
                """)
            let workspace = lab.workspace()
            var options = try lab.options(config: config, workspace: workspace, dryRun: true)
            options.copy.parallelImages = 1
            let dry = try await MirrorToMirror(options: options).run()
            let plan = try #require(dry.plan)
            let needed = ["shop/worker:1.0", "shop/backend:1.0"].reduce(into: Set<Digest>()) { $0.formUnion(lab.seededImage($1).blobs) }
            let shared = frontend.blobs.intersection(needed)
            #expect(!shared.isEmpty)
            #expect(plan.blobs.filter { shared.contains($0.digest) && $0.action == .upload }.isEmpty,
                    "what the mirror holds in shop/frontend is mounted elsewhere")

            options.dryRun = false
            let run = try await MirrorToMirror(options: options).run()
            #expect(run.exitCode == 0)
            let report = try #require(run.copyReport)
            #expect(report.bytesUploaded == plan.summary.bytesToUpload)
            #expect(report.blobsUploaded == plan.summary.blobsToUpload)
            #expect(report.blobsMounted == plan.summary.blobsToMount)
            #expect(report.blobsSkipped == plan.summary.blobsPresent)
        }
    }
}
