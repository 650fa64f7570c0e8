import Foundation
import MirrorKit
import OCI
import Testing
import Workspace

/// One bad additional image does not sink the configuration: it is skipped, listed in
/// `skipped-images.txt` (dry-run and real run alike), counted in the exit code (bit 8, as
/// oc-mirror), and the rest is mirrored with its cluster resources and run record.
@Suite(.serialized) struct SkippedAdditionalImageTests {
    @Test func theRestIsMirroredAndTheBadOnesAreListed() async throws {
        try await MirrorLab.with { lab in
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/shop/frontend:1.0
                  - name: ${UPSTREAM}/shop/backend:1.0
                    targetRepo: "invalid:@tag"
                  - name: ${UPSTREAM}/shop/worker
                """)
            let workspace = lab.workspace()
            let expectedLines = [
                "additional-image \(config):6:5: mirror.additionalImages[1]: \(lab.upstream.host)/shop/backend:1.0: targetRepo: "
                    + "invalid targetRepo 'invalid:@tag': a repository path takes no tag or digest (set targetTag for the tag)",
                "additional-image \(config):8:5: mirror.additionalImages[2]: \(lab.upstream.host)/shop/worker: name: "
                    + "invalid image reference \"\(lab.upstream.host)/shop/worker\": no tag or digest (there is no implicit :latest); add :TAG or @sha256:DIGEST",
            ]

            // The dry-run plans the good image and lists the bad ones.
            let dry = try await lab.run(config: config, workspace: workspace, dryRun: true)
            #expect(dry.plan?.summary.imagesToMirror == 1)
            #expect(dry.skippedAdditionalImages.count == 2)
            #expect(dry.exitCode == 8)
            #expect(dry.files.contains("skipped-images.txt"))
            let listed = try #require(read(workspace, "skipped-images.txt"))
            #expect(listed.split(separator: "\n").dropFirst().map(String.init) == expectedLines, "\(listed)")

            // The real run mirrors the good one, and keeps cluster resources and the run record.
            let run = try await lab.run(config: config, workspace: workspace)
            #expect(run.copyReport?.copied == 1)
            #expect(run.copyReport?.failed.isEmpty == true)
            #expect(run.exitCode == 8)
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/mirror/shop/frontend:1.0") == lab.seededImage("shop/frontend:1.0").digest)
            #expect(try await lab.mirrorRepositories() == ["mirror/shop/frontend"])
            #expect(read(workspace, "cluster-resources/itms-oc-mirror.yaml")?.contains("source: \(lab.upstream.host)/shop\n") == true)
            #expect(read(workspace, "runs/last-success.json") != nil)
            #expect(read(workspace, "skipped-images.txt")?.split(separator: "\n").dropFirst().map(String.init) == expectedLines)

            // Fixed, the next run has nothing to skip and the list is gone.
            let fixed = try lab.writeConfig("""
                kind: ImageSetConfiguration
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/shop/frontend:1.0
                """, name: "fixed.yaml")
            let again = try await lab.run(config: fixed, workspace: workspace)
            #expect(again.exitCode == 0)
            #expect(again.skippedAdditionalImages.isEmpty)
            #expect(read(workspace, "skipped-images.txt") == nil)
        }
    }

    @Test func theCommandLineWarnsAtThePositionAndSummarises() async throws {
        try await MirrorLab.with { lab in
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/shop/frontend:1.0
                  - name: ${UPSTREAM}/shop/backend:1.0
                    targetTag: "-bad"
                """)
            let workspace = lab.workspace()
            let result = try await runFerry(["-c", config, "--workspace", "file://\(workspace.root.path)", "--dry-run",
                                             "docker://\(lab.mirror.host)/mirror"])
            #expect(result.status == 8, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("warning: \(config):6:16: mirror.additionalImages[1].targetTag: invalid targetTag '-bad'"),
                    "\(result.stderr)")
            #expect(result.stdout.contains("SKIPPED additional image \(config):5:5: mirror.additionalImages[1]: \(lab.upstream.host)/shop/backend:1.0: targetTag:"),
                    "\(result.stdout)")
            #expect(result.stdout.contains("Skipped, not mirrored: 1 additional image (see skipped-images.txt)"), "\(result.stdout)")
            #expect(result.stdout.contains("Dry run: 1 images: 1 to mirror"), "\(result.stdout)")
        }
    }
}
