import Copying
import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

/// An index that names one child many times: the child is read once, not once per mention.
@Suite("Index children")
struct RepeatedIndexChildTests {
    @Test("a child named 1,000 times is read once, and the index lands whole")
    func aRepeatedChildIsReadOnce() async throws {
        try await withLab { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let image = try await ImageSeeder(registry: upstream, lab: lab).seed([LabDataset.demo[0]])[0]
            let client = RegistryClient(registry: upstream.host)
            let child = try await client.fetchManifest(image.reference)
            let descriptor = Descriptor(mediaType: child.mediaType, digest: child.digest, size: Int64(child.bytes.count),
                                        platform: Platform(os: "linux", architecture: "amd64"))
            let index = try ManifestDocument(encoding: .index(ImageIndex(manifests: Array(repeating: descriptor, count: 1_000))))
            let indexReference = try ImageReference(parsing: "\(upstream.host)/\(image.reference.repository.path):repeated")
            try await client.pushManifest(index, to: indexReference)

            let proxy = try lab.startFaultProxy(upstream: upstream)
            let source = try ImageReference(parsing: "\(proxy.host)/\(image.reference.repository.path):repeated")
            let root = try RegistryLocation(parsing: "\(mirror.host)/mirror")
            let report = await Copier(settings: copySettings()).run([CopyTask(source: source, destination: root.destination(for: source))])
            #expect(report.failed.isEmpty, "\(report.failed)")
            let childReads = proxy.requests().filter { $0.method == "GET" && $0.path.hasSuffix("/manifests/\(child.digest)") }
            #expect(childReads.count == 1, "\(childReads.count) reads of the child")
            let landed = try await RegistryClient(registry: mirror.host).manifestDigest(root.destination(for: source))
            #expect(landed == index.digest)
        }
    }
}
