import Distribution
import Foundation
import MirrorKit
import OCI
import RegistryLab
import Testing

/// The dry-run reads an index's children as the copy does: a child the index names many times is
/// read once, and the plan counts it once.
@Suite("Index children in the dry-run")
struct RepeatedIndexChildDryRunTests {
    @Test("a child named 1,000 times is read once by the dry-run and planned once")
    func aRepeatedChildIsReadOnce() async throws {
        try await MirrorLab.with { lab in
            let image = lab.seededImage("ubi9/ubi-minimal:9.4")
            let client = RegistryClient(registry: lab.upstream.host)
            let child = try await client.fetchManifest(image.reference)
            let descriptor = Descriptor(mediaType: child.mediaType, digest: child.digest, size: Int64(child.bytes.count),
                                        platform: Platform(os: "linux", architecture: "amd64"))
            let index = try ManifestDocument(encoding: .index(ImageIndex(manifests: Array(repeating: descriptor, count: 1_000))))
            try await client.pushManifest(index, to: try ImageReference(parsing: "\(lab.upstream.host)/ubi9/ubi-minimal:repeated"))

            let proxy = try lab.lab.startFaultProxy(upstream: lab.upstream)
            let config = lab.lab.root.appendingPathComponent("repeated.yaml").path
            try ("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n  additionalImages:\n"
                + "    - name: \(proxy.host)/ubi9/ubi-minimal:repeated\n").write(toFile: config, atomically: true, encoding: .utf8)
            let outcome = try await lab.run(config: config, workspace: lab.workspace(), dryRun: true)
            let plan = try #require(outcome.plan)
            #expect(plan.summary.imagesFailed == 0)
            let childReads = proxy.requests().filter { $0.path.hasSuffix("/manifests/\(child.digest)") }
            #expect(childReads.count == 1, "\(childReads.count) requests for the child")
            // The index and its one distinct child: two manifests to push, not 1,001.
            #expect(plan.summary.manifestsToPush == 2, "\(plan.summary)")
        }
    }
}
