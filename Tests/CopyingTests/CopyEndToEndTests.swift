import Copying
import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

@Suite("Copy end to end against real registries")
struct CopyEndToEndTests {
    @Test("a seeded set with indexes and shared layers lands byte-identical, each blob moved once")
    func copiesWholeGraphs() async throws {
        try await withLab { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let images = try await ImageSeeder(registry: upstream, lab: lab).seed(LabDataset.demo)
            let plan = try tasks(for: images, into: mirror.host)

            let report = await Copier(settings: copySettings()).run(plan)
            #expect(report.failed.isEmpty, "\(report.failed)")
            #expect(report.copied == images.count)

            // Every manifest — roots and index children — reads back with the upstream's bytes.
            for (image, task) in zip(images, plan) {
                let root = "\(task.destination.repository)@\(image.digest)"
                #expect(try await skopeoManifestDigest(root) == image.digest)
                #expect(try await skopeoManifestDigest(task.destination.description) == image.digest)
                for child in image.manifests {
                    #expect(try await skopeoManifestDigest("\(task.destination.repository)@\(child)") == child)
                }
            }

            // Each unique blob crossed the wire once; repositories that share it got a mount.
            let uniqueBlobs = images.reduce(into: Set<Digest>()) { $0.formUnion($1.blobs) }
            let placements = Set(zip(images, plan).flatMap { image, task in image.blobs.map { "\(task.destination.repository.path)|\($0)" } })
            #expect(report.blobsUploaded == uniqueBlobs.count)
            #expect(report.blobsUploaded + report.blobsMounted + report.blobsSkipped == placements.count)
            #expect(report.blobsMounted > 0)
            let sizes = images.reduce(into: [Digest: Int64]()) { $0.merge($1.blobSizes) { a, _ in a } }
            #expect(report.bytesUploaded == sizes.values.reduce(0, +))
            #expect(report.manifestsPushed == images.reduce(0) { $0 + $1.manifests.count })

            // The no-op re-run moves nothing and pushes nothing.
            let again = await Copier(settings: copySettings()).run(plan)
            #expect(again.skipped == images.count)
            #expect(again.blobsUploaded == 0 && again.blobsMounted == 0 && again.manifestsPushed == 0)
        }
    }

    @Test("a digest-only source gets the sha256-<hex> tag and keeps its digest")
    func digestOnlySource() async throws {
        try await withLab { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let image = try await ImageSeeder(registry: upstream, lab: lab).seed(LabDataset.demo[5])
            let source = image.reference.withTag(nil).withDigest(image.digest)
            let task = CopyTask(source: source, destination: try RegistryLocation(parsing: "\(mirror.host)/m").destination(for: source))
            #expect(task.destination.tag == "sha256-\(image.digest.encoded)")

            let report = await Copier(settings: copySettings()).run([task])
            #expect(report.failed.isEmpty, "\(report.failed)")
            #expect(try await skopeoManifestDigest(task.destination.description) == image.digest)
        }
    }

    @Test("one missing image fails alone; the others are copied and the report names it")
    func oneFailureDoesNotStopOthers() async throws {
        try await withLab { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let images = try await ImageSeeder(registry: upstream, lab: lab).seed(Array(LabDataset.demo.prefix(2)))
            var plan = try tasks(for: images, into: mirror.host)
            let missing = try ImageReference(parsing: "\(upstream.host)/no/such-image:1.0")
            plan.insert(CopyTask(source: missing, destination: try ImageReference(parsing: "\(mirror.host)/mirror/no/such-image:1.0")), at: 1)

            let report = await Copier(settings: copySettings()).run(plan)
            #expect(report.copied == 2)
            #expect(report.failed.count == 1)
            let failure = try #require(report.failed.first)
            #expect(failure.source == missing.description)
            #expect(failure.error?.contains(upstream.host) == true)
            #expect(failure.error?.contains("no/such-image") == true)
            #expect(failure.error?.contains("not found") == true)
        }
    }
}
