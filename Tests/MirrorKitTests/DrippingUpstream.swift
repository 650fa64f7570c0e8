import Foundation
import MirrorKit
import OCI
import RegistryLab
import Testing

/// The demo set behind a proxy that drips the shared `base-os` layer (five images need it).
struct DrippingUpstream {
    var lab: MirrorLab
    var proxy: FaultProxy
    var victim: Digest

    init(_ lab: MirrorLab) throws {
        self.lab = lab
        proxy = try lab.lab.startFaultProxy(upstream: lab.upstream)
        let ubi = lab.seededImage("ubi9/ubi-minimal:9.4")
        victim = try #require(ubi.blobSizes.max { $0.value < $1.value }?.key)
        proxy.add(FaultRule(method: "GET", pathContains: "/blobs/\(victim)", times: 1_000,
                            action: .dripResponseBody(afterBytes: 100_000, interval: .milliseconds(300))))
    }

    /// The demo images, by the proxy's host.
    var sources: [String] {
        lab.seeded.map { "\(proxy.host)/\($0.reference.repository.path):\($0.reference.tag!)" }
    }

    /// An ImageSetConfiguration of the demo images as additional images, by the proxy's host.
    func writeConfig(_ name: String) throws -> String {
        let path = lab.lab.root.appendingPathComponent(name).path
        try ("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n  additionalImages:\n"
            + sources.map { "    - name: \($0)\n" }.joined())
            .write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Whether the dripping blob has been asked for (so the run is mid-transfer).
    var dripStarted: Bool {
        proxy.requests().contains { $0.method == "GET" && $0.path.contains("/blobs/\(victim)") }
    }
}

/// `ferry -c --image-timeout` over an upstream that drips a layer: the images that need it fail
/// once the timeout passes, saying so, and the run ends (it ran for minutes before the copier's
/// waits and transfers were made cancellable).
@Suite("ferry -c over a dripping upstream", .timeLimit(.minutes(1)))
struct DrippingMirrorRunTests {
    @Test("--image-timeout ends the run on time; the images that need the dripping layer fail saying so")
    func theImageTimeoutHolds() async throws {
        try await MirrorLab.with { lab in
            let dripping = try DrippingUpstream(lab)
            let config = try dripping.writeConfig("drip.yaml")
            let workspace = lab.workspace("drip")
            let result = try await runFerry(["-c", config, "--workspace", "file://\(workspace.root.deletingLastPathComponent().path)",
                                             "--image-timeout", "3s", "docker://\(lab.mirror.host)/mirror"])
            #expect(result.status == 8, "\(result.stderr)")
            #expect(result.stdout.contains("FAILED 5 images, all for the same reason:"), "\(result.stdout)")
            #expect(result.stdout.contains("gave up after the image timeout of 3"), "\(result.stdout)")
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/mirror/tools/multiarch:2.1") != nil)
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/mirror/ubi9/ubi-minimal:9.4") == nil)
        }
    }
}
