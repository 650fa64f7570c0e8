import Copying
import Distribution
import Foundation
import OCI
import RegistryLab
import Testing
import Transport

/// An upstream that sends a blob's first bytes and then drips one byte every 0.3 s: the image
/// timeout and the minimum transfer rate must end the copy on time, and nothing of the image
/// may be committed afterwards.
///
/// Without a bound each image would wait for the stall watchdog (a minute per try, on every
/// try): the suite's time limit fails these tests if that comes back.
@Suite("Copy from a dripping upstream", .timeLimit(.minutes(1)))
struct SlowDripTests {
    /// The demo image with the largest blob, its proxy and a mirror.
    func dripping(_ lab: RegistryLab) async throws -> (task: CopyTask, victim: Digest, mirror: LabRegistry) {
        let upstream = try await lab.startRegistry()
        let mirror = try await lab.startRegistry()
        let images = try await ImageSeeder(registry: upstream, lab: lab).seed([LabDataset.demo[0]])
        let image = images[0]
        let victim = try #require(image.blobSizes.max { $0.value < $1.value }?.key)
        let proxy = try lab.startFaultProxy(upstream: upstream)
        proxy.add(FaultRule(method: "GET", pathContains: "/blobs/\(victim)", times: 1_000,
                            action: .dripResponseBody(afterBytes: 100_000, interval: .milliseconds(300))))
        let source = try ImageReference(parsing: "\(proxy.host)/\(image.reference.repository.path):\(image.reference.tag!)")
        let root = try RegistryLocation(parsing: "\(mirror.host)/mirror")
        return (CopyTask(source: source, destination: root.destination(for: source)), victim, mirror)
    }

    @Test("--image-timeout stops the image's transfers at once and commits nothing of it")
    func theImageTimeoutHolds() async throws {
        try await withLab { lab in
            let (task, victim, mirror) = try await dripping(lab)
            var settings = copySettings()
            settings.imageTimeout = .seconds(3)
            let report = await Copier(settings: settings).run([task])
            let failure = try #require(report.failed.first)
            #expect(failure.error?.contains("gave up after the image timeout of 3") == true, "\(failure)")
            let client = RegistryClient(registry: mirror.host)
            #expect(try await client.blobExists(victim, in: task.destination.repository.path) == false)
            #expect(try await client.manifestDigest(task.destination) == nil)
        }
    }

    @Test("a transfer below the minimum rate is cut and retried, then the image fails saying so")
    func theMinimumRateHolds() async throws {
        try await withLab { lab in
            let (task, victim, mirror) = try await dripping(lab)
            let source = RegistrySettings(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(20)),
                                          minimumTransferRate: TransferRate(bytesPerSecond: 1024, windowSeconds: 3))
            let report = await Copier(settings: copySettings(source: source, destination: RegistrySettings(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(20))))).run([task])
            let failure = try #require(report.failed.first)
            #expect(failure.error?.contains("the transfer stayed below its minimum rate and was cut, on every try") == true, "\(failure)")
            #expect(failure.error?.contains("1 KiB/s over 3 s") == true, "\(failure)")
            let client = RegistryClient(registry: mirror.host)
            #expect(try await client.blobExists(victim, in: task.destination.repository.path) == false)
            #expect(try await client.manifestDigest(task.destination) == nil)
        }
    }
}
