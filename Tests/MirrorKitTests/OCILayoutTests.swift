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
            try #require(output.status == 0, "\(output.stderr)")

            let layout = try OCILayout(path: layoutPath)
            let index = try layout.manifest(tag: "v4.18")
            #expect(index.digest == catalog.digest)
            let children = try #require(index.index?.manifests)
            #expect(children.count == 2)
            let child = try layout.manifest(children[0].digest)
            #expect(child.image?.layers.isEmpty == false)
            #expect { try layout.manifest(tag: "v9") } throws: { "\($0)".contains("no image tagged v9 in index.json (it has v4.18)") }
            // A damaged blob (same size, one byte changed) is refused by its digest.
            let config = try #require(child.image?.config)
            var bytes = try Data(contentsOf: layout.path(of: config.digest))
            bytes[bytes.count / 2] ^= 0xFF
            try bytes.write(to: layout.path(of: config.digest))
            #expect { try layout.blob(config.digest, limit: 1 << 20) } throws: {
                "\($0)".contains("blob \(config.digest) does not match its digest")
            }
            #expect { try layout.verifiedFile(config) } throws: { "\($0)".contains("does not match its descriptor") }
        }
    }

    @Test func aDirectoryThatIsNotALayoutIsRefused() throws {
        #expect { try OCILayout(path: FileManager.default.temporaryDirectory.path) } throws: {
            "\($0)".contains("is not an OCI image layout")
        }
    }
}
