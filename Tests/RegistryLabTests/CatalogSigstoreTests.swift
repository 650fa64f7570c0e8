import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

@Suite("Operator-catalog upstream: cosign signatures and referrers")
struct CatalogSigstoreTests {
    @Test("every bundle and foo's operator lists have a verifying .sig; bar's and baz's operands and foo's others none")
    func signatures() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let upstream = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
            let publicKey = try String(contentsOf: upstream.cosignPublicKeyPath, encoding: .utf8)
            let otherKey = try String(contentsOf: upstream.cosignOtherPublicKeyPath, encoding: .utf8)
            let client = ImageSeeder(registry: registry, lab: lab).client

            let fooOperators = Set(upstream.bundles.filter { $0.package == "foo" }
                .compactMap { $0.relatedImages.first { $0.name == "manager" }?.reference })
            #expect(fooOperators.count == 7)
            for image in fooOperators {
                #expect(try await client.fetchManifest(image).mediaType == .dockerManifestList)
            }
            let expected = Set(upstream.bundles.map(\.image)).union(fooOperators)
            #expect(upstream.bundles.count == 17)
            #expect(Set(upstream.supplyChain.signedImages) == expected)
            #expect(upstream.supplyChain.signatures.count == 24)
            for signature in upstream.supplyChain.signatures {
                let image = signature.signedImage
                let stored = try StoredCosignSignature(tag: signature.tag, repository: image.repository.path, registry: registry)
                #expect(stored.verifies(withPublicKeyPEM: publicKey), "\(image)")
                #expect(!stored.verifies(withPublicKeyPEM: otherKey))
                #expect(stored.signedDigest == image.digest?.description)
                #expect(stored.dockerReference == image.repository.description)
            }

            let unsigned = upstream.operandImages.filter { !fooOperators.contains($0) }
            #expect(unsigned.contains { $0.repository.path == "bar/bar-rhel9-operator" })
            #expect(unsigned.contains { $0.repository.path == "baz/baz-exporter-rhel9" })
            #expect(unsigned.contains { $0.repository.path == "foo/foo-agent-rhel9" })
            for image in unsigned {
                let digest = try #require(image.digest)
                #expect(upstream.supplyChain.signature(for: digest) == nil)
                let response = try LabRegistryReader.manifest("sha256-\(digest.encoded).sig", repository: image.repository.path,
                                                              registry: registry)
                #expect(response.status == 404, "\(image)")
            }

            // A fault on a bundle's .sig, then the good one back.
            let bundle = try #require(upstream.bundle(named: "foo.v0.3.2")?.image)
            let bundleDigest = try #require(bundle.digest)
            let tag = "sha256-\(bundleDigest.encoded).sig"
            try await upstream.setSigstoreFault(.otherKey, for: bundleDigest)
            #expect(try !StoredCosignSignature(tag: tag, repository: bundle.repository.path, registry: registry)
                .verifies(withPublicKeyPEM: publicKey))
            try await upstream.setSigstoreFault(nil, for: bundleDigest)
            #expect(try StoredCosignSignature(tag: tag, repository: bundle.repository.path, registry: registry)
                .verifies(withPublicKeyPEM: publicKey))

            let inspected = try await runTool("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(bundle.repository):\(tag)"])
            #expect(inspected.status == 0, "\(inspected.error)")
        }
    }

    @Test("foo-agent 0.3 carries an SBOM and an in-toto attestation (fallback index) and a .att; signing: false pushes none")
    func referrersAndOptOut() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let upstream = try await OperatorCatalogUpstream.seed(lab: lab, registry: registry)
            let agent = try #require(upstream.bundle(named: "foo.v0.3.2")?.relatedImages.first { $0.name == "agent" }?.reference)
            let digest = try #require(agent.digest)
            #expect(agent.repository.path == "foo/foo-agent-rhel9")
            #expect(upstream.bundle(named: "foo.v0.3.0")?.operandImages.contains(agent) == true)
            #expect(upstream.supplyChain.imagesWithReferrers == [agent])
            #expect(upstream.supplyChain.attestedImages == [agent])
            let referrers = upstream.supplyChain.referrers(of: digest)
            #expect(referrers.map(\.artifactType) == ["application/spdx+json", "application/vnd.in-toto+json"])

            let index = try LabRegistryReader.manifest("sha256-\(digest.encoded)", repository: agent.repository.path, registry: registry)
            #expect(index.status == 200)
            let entries = try #require(try jsonObject(index.body)["manifests"] as? [[String: Any]])
            #expect(entries.map { $0["digest"] as? String } == referrers.map(\.descriptor.digest.description))
            #expect(entries.map { $0["artifactType"] as? String } == ["application/spdx+json", "application/vnd.in-toto+json"])
            #expect(try tagList(agent.repository.path, registry: registry)
                == ["sha256-\(digest.encoded)", "sha256-\(digest.encoded).att"])

            // Seeded into another registry without signing: no .sig, .att or fallback tags at all.
            let other = try await lab.startRegistry()
            let unsigned = try await OperatorCatalogUpstream.seed(lab: lab, registry: other, signing: false)
            #expect(unsigned.supplyChain == SupplyChainArtifacts())
            let bundle = try #require(unsigned.bundle(named: "foo.v0.3.2")?.image)
            #expect(try tagList(bundle.repository.path, registry: other).isEmpty)
            #expect(try tagList("foo/foo-agent-rhel9", registry: other).isEmpty)
        }
    }
}
