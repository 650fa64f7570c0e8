import Foundation
import OCI
import Planning
import RegistryLab
import Testing

/// `OCILayout` on a layout skopeo wrote from a lab catalog (an independent writer).
struct OCILayoutTests {
    @Test func aCatalogCopiedIntoALayoutReadsBackByTagWithItsDigests() async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let upstream = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
            let catalog = try #require(upstream.redHatIndex("v4.18"))
            let layoutPath = lab.root.appendingPathComponent("layout").path
            let output = try await runProgram("skopeo", ["copy", "--all", "--preserve-digests", "--src-tls-verify=false",
                                                      "docker://\(catalog.reference)", "oci:\(layoutPath):v4.18"])
            #expect(output.status == 0, "\(output.stderr)")

            let layout = try OCILayout(path: layoutPath)
            let index = try layout.manifest(tag: "v4.18")
            #expect(index.digest == catalog.digest)
            let children = try #require(index.index?.manifests)
            #expect(children.count == 2)
            let child = try layout.manifest(children[0].digest)
            #expect(child.image?.layers.isEmpty == false)
            #expect(throws: PlanningError.self) { try layout.manifest(tag: "v9") }
            // A damaged blob is refused.
            let config = try #require(child.image?.config)
            try Data("tampered".utf8).write(to: layout.path(of: config.digest))
            #expect(throws: PlanningError.self) { try layout.blob(config.digest, limit: 1 << 20) }
        }
    }

    @Test func aDirectoryThatIsNotALayoutIsRefused() throws {
        #expect(throws: PlanningError.self) { try OCILayout(path: FileManager.default.temporaryDirectory.path) }
    }
}
