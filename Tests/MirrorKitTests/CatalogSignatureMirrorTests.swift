import Distribution
import Foundation
import MirrorKit
import OCI
import Planning
import RegistryLab
import Testing

/// Signatures of operator content: the lab signs every bundle and foo's operator images, leaves
/// the other operands unsigned, and gives foo's agent 0.3 an SBOM, an attestation and a `.att`.
@Suite(.serialized) struct CatalogSignatureMirrorTests {
    @Test func bundlesAndOperandsLandWithTheirSignaturesAndTheUnsignedAreListedWithTheirBundles() async throws {
        try await CatalogMirrorTests.with { lab in
            let catalog = try #require(lab.upstream.redHatIndex("v4.18"))
            let config = try lab.config("""
                  operators:
                  - catalog: \(catalog.reference)
                    packages:
                    - name: foo
                    - name: bar
                """)
            let (run, workspace) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures) \(run.copyReport?.failed ?? [])")
            let content = run.selected.filter { $0.origin == .operatorBundle || $0.origin == .operatorRelatedImage }
            #expect(!content.isEmpty)
            let signed = Set(lab.upstream.supplyChain.signatures.compactMap(\.signedImage.digest))
            let client = RegistryClient(registry: lab.mirror.host)
            var unsigned = Set<Digest>()
            for image in content {
                let digest = try #require(image.source.digest, "\(image.source)")
                guard signed.contains(digest) else {
                    unsigned.insert(digest)
                    continue
                }
                let tag = ImageReference(repository: image.destination.repository, tag: "sha256-\(digest.encoded).sig", digest: nil)
                let expected = try #require(lab.upstream.supplyChain.signature(for: digest)).manifest.digest
                #expect(try await client.manifestDigest(tag) == expected, "\(image.source)")
            }
            #expect(!unsigned.isEmpty && unsigned.count < content.count)
            // Exactly the unsigned images are listed, each with the bundles that need it.
            #expect(Set(run.signatureReport.missing.map(\.digest)) == unsigned)
            #expect(run.signatureReport.missing.allSatisfy { $0.neededBy.hasPrefix("(Operator bundles: [") && !$0.failed })
            let file = try #require(read(workspace, "logs/missing-signatures.txt"))
            #expect(file.split(separator: "\n").filter { !$0.hasPrefix("#") }.count == unsigned.count)
            // foo's agent carries referrers and a .att, mirrored beside it.
            let referrers = lab.upstream.supplyChain.referrers
            var checked = 0
            for referrer in referrers {
                guard let destination = content.first(where: { $0.source.digest == referrer.subject.digest })?.destination else { continue }
                let pinned = ImageReference(repository: destination.repository, tag: nil, digest: referrer.descriptor.digest)
                #expect(try await client.manifestDigest(pinned) == referrer.descriptor.digest)
                checked += 1
            }
            #expect(checked == 2, "the kept bundles name foo's agent 0.3, which has an SBOM and an attestation")
            #expect(run.signatureReport.attachments[.attestation, default: 0] >= 1)
        }
    }
}
