import Copying
import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

/// Faults injected by a proxy in front of a real registry: what retries can recover, the copy
/// recovers; what they cannot, fails that image alone and commits nothing corrupt.
@Suite("Copy under injected faults")
struct FaultToleranceTests {
    @Test("500, 503, 429 with Retry-After, cut and corrupted bodies from the source: the copy completes intact")
    func sourceFaultsRecover() async throws {
        try await withLab { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let images = try await ImageSeeder(registry: upstream, lab: lab).seed(Array(LabDataset.demo.prefix(3)))
            let proxy = try lab.startFaultProxy(upstream: upstream)
            proxy.add(FaultRule(method: "GET", pathContains: "/manifests/", times: 2, action: .status(500)))
            proxy.add(FaultRule(method: "GET", pathContains: "/manifests/", times: 1, action: .status(502)))
            proxy.add(FaultRule(method: "GET", pathContains: "/blobs/", times: 2, action: .status(503)))
            proxy.add(FaultRule(method: "GET", pathContains: "/blobs/", times: 1,
                                action: .status(429, headers: ["Retry-After": "1"], body: #"{"errors":[{"code":"TOOMANYREQUESTS","message":"slow down"}]}"#)))
            proxy.add(FaultRule(method: "GET", pathContains: "/blobs/", times: 2, action: .cutResponseBody(afterBytes: 70_000)))
            proxy.add(FaultRule(method: "GET", pathContains: "/blobs/", times: 2, action: .corruptResponseBody(atOffset: 4_096)))
            proxy.add(FaultRule(method: "GET", pathContains: "/blobs/", times: 1, action: .closeWithoutResponse))

            // The same images, read through the proxy.
            let root = try RegistryLocation(parsing: "\(mirror.host)/mirror")
            let plan = try images.map { image in
                let source = try ImageReference(parsing: "\(proxy.host)/\(image.reference.repository.path):\(image.reference.tag!)")
                return CopyTask(source: source, destination: root.destination(for: source))
            }
            let report = await Copier(settings: copySettings()).run(plan)
            #expect(report.failed.isEmpty, "\(report.failed)")
            #expect(proxy.faultsInjected == 11)
            for (image, task) in zip(images, plan) {
                #expect(try await skopeoManifestDigest(task.destination.description) == image.digest)
                // Every blob at the destination is intact (distribution re-hashes on read).
                let client = RegistryClient(registry: mirror.host)
                for blob in image.blobs {
                    #expect(try await client.blobExists(blob, in: task.destination.repository.path))
                }
            }
            let blobCheck = try await runTool("skopeo", ["copy", "--src-tls-verify=false", "docker://\(plan[0].destination)",
                                                   "dir:\(lab.root.appendingPathComponent("check").path)"], check: false)
            #expect(blobCheck.status == 0, "skopeo verifies every blob digest on pull: \(blobCheck.text)")
        }
    }

    @Test("a blob corrupted on every attempt fails its image, is never committed, and the others still land")
    func persistentCorruptionIsNeverCommitted() async throws {
        try await withLab { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let images = try await ImageSeeder(registry: upstream, lab: lab).seed([LabDataset.demo[0], LabDataset.demo[6]])
            let victim = try #require(images[0].blobSizes.max { $0.value < $1.value }?.key)
            let proxy = try lab.startFaultProxy(upstream: upstream)
            proxy.add(FaultRule(method: "GET", pathContains: "/blobs/\(victim)", times: 1_000, action: .corruptResponseBody(atOffset: 1_000)))
            let sources = try images.map { try ImageReference(parsing: "\(proxy.host)/\($0.reference.repository.path):\($0.reference.tag!)") }
            let root = try RegistryLocation(parsing: "\(mirror.host)/m")
            let report = await Copier(settings: copySettings()).run(sources.map { CopyTask(source: $0, destination: root.destination(for: $0)) })

            #expect(report.copied == 1)
            let failure = try #require(report.failed.first)
            #expect(failure.source == sources[0].description)
            #expect(failure.error?.contains(victim.description) == true, "\(failure.error ?? "")")
            #expect(failure.error?.contains("does not match its digest") == true, "\(failure.error ?? "")")
            let client = RegistryClient(registry: mirror.host)
            let repository = root.destination(for: sources[0]).repository.path
            #expect(try await client.blobExists(victim, in: repository) == false)
            #expect(try await client.manifestDigest(root.destination(for: sources[0])) == nil, "no manifest without its blobs")
        }
    }

    @Test("destination faults: a refused monolithic PUT falls back to a streamed PATCH; 503 on manifest PUT is retried")
    func destinationFaultsRecover() async throws {
        try await withLab { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let image = try await ImageSeeder(registry: upstream, lab: lab).seed(LabDataset.demo[2])
            let proxy = try lab.startFaultProxy(upstream: mirror)
            // The upload PUT carries "digest=" in its query; the first one is refused as JFrog does.
            proxy.add(FaultRule(method: "PUT", pathContains: "digest=", times: 1,
                                action: .status(405, body: #"{"errors":[{"code":"UNSUPPORTED","message":"use PATCH"}]}"#)))
            proxy.add(FaultRule(method: "PUT", pathContains: "/manifests/", times: 2, action: .status(503)))
            let task = CopyTask(source: image.reference,
                                destination: try RegistryLocation(parsing: "\(proxy.host)/m").destination(for: image.reference))
            let report = await Copier(settings: copySettings(parallelLayers: 1)).run([task])
            #expect(report.failed.isEmpty, "\(report.failed)")
            #expect(proxy.faultsInjected == 3)
            #expect(proxy.requests().contains { $0.method == "PATCH" && $0.status == 202 })
            #expect(try await skopeoManifestDigest("\(mirror.host)/m/\(image.reference.repository.path):1.0") == image.digest)
        }
    }
}
