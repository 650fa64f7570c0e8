import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import Planning
import RegistryLab
import Testing
import Workspace

/// `--image-timeout` holds while collecting too: a catalog image whose layers drip from the
/// upstream is given up after it, saying so. The drip (3 bytes/s) is above the stall floor set
/// here, so without the timeout the read would never end: the suite's time limit (generous, as
/// seeding the catalogs takes a while on a loaded machine) fails the test if that comes back.
@Suite("Image timeout while collecting", .timeLimit(.minutes(4)))
struct CollectionTimeoutTests {
    @Test("a catalog whose layers drip is given up after --image-timeout, naming the image and the setting")
    func aDrippingCatalogIsGivenUp() async throws {
        try await CatalogMirrorTests.with { lab in
            let catalog = try #require(lab.upstream.redHatIndex("v4.18"))
            let proxy = try lab.lab.startFaultProxy(upstream: lab.upstreamRegistry)
            proxy.add(FaultRule(method: "GET", pathContains: "/blobs/", times: 1_000,
                                action: .dripResponseBody(afterBytes: 100, interval: .milliseconds(300))))
            let source = "\(proxy.host)/\(catalog.reference.repository.path):\(catalog.reference.tag!)"
            let config = try lab.config("""
                  operators:
                  - catalog: \(source)
                    packages:
                    - name: foo
                """)
            let space = Workspace(root: lab.lab.root.appendingPathComponent("timeout/working-dir"))
            var copy = CopySettings(parallelImages: 4, parallelLayers: 4,
                                    source: RegistrySettings(retry: fastRetry, minimumTransferRate: .stall),
                                    destination: RegistrySettings(retry: fastRetry))
            copy.imageTimeout = .seconds(2)
            let options = MirrorOptions(configPath: config, workspace: space,
                                        destination: try RegistryLocation(parsing: "docker://\(lab.mirror.host)/ocp"),
                                        dryRun: true, copy: copy)
            let outcome = try await MirrorToMirror(options: options).run()
            #expect(outcome.exitCode & ImageOrigin.operatorCatalog.exitCodeBit != 0)
            let failure = try #require(outcome.collectionFailures.first, "the catalog was read in spite of the drip")
            #expect(failure.contains("reading the catalog image \(proxy.host)/\(catalog.reference.repository.path)"), "\(failure)")
            #expect(failure.contains("gave up after the image timeout of 2"), "\(failure)")
            #expect(failure.contains("--image-timeout"), "\(failure)")
            // Nothing half-extracted is left to be taken for a cache.
            let extracted = FileManager.default.enumerator(atPath: space.url("operator-catalogs").path)?
                .compactMap { $0 as? String }.filter { $0.hasSuffix("catalog-config.json") } ?? []
            #expect(extracted.isEmpty, "\(extracted)")
        }
    }
}
