import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

@Suite("OpenShift upstream: cosign signatures, referrers and the 4.21 channel")
struct OpenShiftSigstoreTests {
    static let signedVersions: Set<String> = ["4.18.1", "4.18.2", "4.18.3", "4.21.0"]

    @Test("4.18.x and 4.21.0 payloads (each architecture and multi) and their cluster-version-operator have a verifying .sig; 4.17.x and 4.21.1 none")
    func signedPayloads() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                let set = upstream.releaseSet
                #expect(set.sigstoreUnsignedVersions == ["4.21.1"])
                #expect(set.releases.map(\.version).filter(set.isSigstoreSigned) == ["4.18.1", "4.18.2", "4.18.3", "4.21.0"])
                let publicKey = try String(contentsOf: upstream.cosignPublicKeyPath, encoding: .utf8)
                let otherKey = try String(contentsOf: upstream.cosignOtherPublicKeyPath, encoding: .utf8)
                #expect(publicKey.hasPrefix("-----BEGIN PUBLIC KEY-----") && publicKey != otherKey)

                // Exactly these images are signed.
                let signedReleases = upstream.releases.filter { Self.signedVersions.contains($0.version) }
                #expect(signedReleases.count == 12)
                var expected = Set(signedReleases.map(\.payloadByDigest))
                for release in signedReleases where release.architecture != .multi {
                    expected.insert(try #require(release.componentReference("cluster-version-operator")))
                }
                #expect(expected.count == 20)
                #expect(Set(upstream.supplyChain.signedImages) == expected)
                #expect(upstream.supplyChain.signatures.count == 20)

                for signature in upstream.supplyChain.signatures {
                    let image = signature.signedImage
                    let repository = image.repository.path
                    let stored = try StoredCosignSignature(tag: "sha256-\(try #require(image.digest).encoded).sig",
                                                           repository: repository, registry: registry)
                    #expect(Data(stored.manifest) == signature.manifest.bytes, "\(image)")
                    #expect(stored.verifies(withPublicKeyPEM: publicKey), "\(image)")
                    #expect(!stored.verifies(withPublicKeyPEM: otherKey))
                    #expect(stored.signedDigest == image.digest?.description)
                    #expect(stored.dockerReference == "\(registry.host)/\(repository)")
                }

                // Unsigned: 4.17.x (older than sigstore signing), 4.21.1 (deliberately), the broken payloads, other components.
                let unsigned = upstream.releases.filter { !Self.signedVersions.contains($0.version) }
                #expect(Set(unsigned.map(\.version)) == ["4.17.5", "4.17.8", "4.21.1"])
                var unsignedImages = (unsigned + [upstream.brokenPayload, upstream.whitedOutPayload]).map(\.payloadByDigest)
                unsignedImages += unsigned.compactMap { $0.componentReference("cluster-version-operator") }
                unsignedImages += signedReleases.compactMap { $0.componentReference("console") }
                for image in unsignedImages {
                    let digest = try #require(image.digest)
                    #expect(upstream.supplyChain.signature(for: digest) == nil)
                    let response = try LabRegistryReader.manifest("sha256-\(digest.encoded).sig", repository: image.repository.path,
                                                                  registry: registry)
                    #expect(response.status == 404, "\(image)")
                }

                // 4.21.1 keeps its GPG signature.
                let unsignedPayload = try #require(upstream.release("4.21.1"))
                #expect(try RawHTTP.request("GET", upstream.signatureURL(for: unsignedPayload.payloadDigest)).status == 200)

                let multi = try #require(upstream.release("4.21.0", .multi))
                let inspected = try await runTool("skopeo", ["inspect", "--raw", "--tls-verify=false",
                                                             "docker://\(multi.payload.repository):sha256-\(multi.payloadDigest.encoded).sig"])
                #expect(inspected.status == 0, "\(inspected.error)")
                #expect(inspected.output.contains("application/vnd.dev.cosign.simplesigning.v1+json"))
            }
        }
    }

    @Test("etcd of 4.18 (amd64) carries an SBOM and an in-toto attestation in its fallback index, and a .att")
    func referrers() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                let etcd = try #require(upstream.release("4.18.1")?.componentReference("etcd"))
                let digest = try #require(etcd.digest)
                #expect(upstream.release("4.18.3")?.componentReference("etcd") == etcd)
                #expect(upstream.supplyChain.imagesWithReferrers == [etcd])
                let referrers = upstream.supplyChain.referrers(of: digest)
                #expect(referrers.map(\.artifactType) == ["application/spdx+json", "application/vnd.in-toto+json"])
                #expect(upstream.supplyChain.attestedImages == [etcd])

                let index = try LabRegistryReader.manifest("sha256-\(digest.encoded)", repository: etcd.repository.path, registry: registry)
                #expect(index.status == 200)
                let entries = try #require(try jsonObject(index.body)["manifests"] as? [[String: Any]])
                #expect(entries.map { $0["digest"] as? String } == referrers.map(\.descriptor.digest.description))
                #expect(entries.map { $0["artifactType"] as? String } == referrers.map(\.artifactType))
                for referrer in referrers {
                    let manifest = try LabRegistryReader.manifest(referrer.descriptor.digest.description, repository: etcd.repository.path,
                                                                  registry: registry)
                    let subject = try #require(try jsonObject(manifest.body)["subject"] as? [String: Any])
                    #expect(subject["digest"] as? String == digest.description)
                    #expect(subject["mediaType"] as? String == "application/vnd.docker.distribution.manifest.v2+json")
                }
                let att = try LabRegistryReader.manifest("sha256-\(digest.encoded).att", repository: etcd.repository.path, registry: registry)
                #expect(att.status == 200)
            }
        }
    }

    @Test("setSigstoreFault swaps a payload's .sig for another digest's or another key's, and nil restores it; stable-4.21 is served")
    func faultsAndGraph() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                let publicKey = try String(contentsOf: upstream.cosignPublicKeyPath, encoding: .utf8)
                let otherKey = try String(contentsOf: upstream.cosignOtherPublicKeyPath, encoding: .utf8)
                let release = try #require(upstream.release("4.18.3", .amd64))
                let other = try #require(upstream.release("4.18.2", .amd64)).payloadDigest
                let tag = "sha256-\(release.payloadDigest.encoded).sig"
                let path = release.payload.repository.path
                let good = try StoredCosignSignature(tag: tag, repository: path, registry: registry)

                try await upstream.setSigstoreFault(.signsOtherDigest(other), for: release.payloadDigest)
                let swapped = try StoredCosignSignature(tag: tag, repository: path, registry: registry)
                #expect(swapped.verifies(withPublicKeyPEM: publicKey))
                #expect(swapped.signedDigest == other.description)

                try await upstream.setSigstoreFault(.otherKey, for: release.payloadDigest)
                let otherKeyed = try StoredCosignSignature(tag: tag, repository: path, registry: registry)
                #expect(otherKeyed.signedDigest == release.payloadDigest.description)
                #expect(!otherKeyed.verifies(withPublicKeyPEM: publicKey))
                #expect(otherKeyed.verifies(withPublicKeyPEM: otherKey))

                try await upstream.setSigstoreFault(nil, for: release.payloadDigest)
                #expect(try StoredCosignSignature(tag: tag, repository: path, registry: registry).manifest == good.manifest)
                // The record keeps the good signature throughout.
                #expect(upstream.supplyChain.signature(for: release.payloadDigest)?.manifest.bytes == Data(good.manifest))

                let unsigned = try #require(upstream.release("4.21.1")).payloadDigest
                await #expect(throws: LabError.self) { try await upstream.setSigstoreFault(.otherKey, for: unsigned) }

                // The 4.21 channel over HTTP: its own two releases, one edge, nothing from 4.18.
                let graph = try RawHTTP.request("GET", upstream.graphURL(channel: "stable-4.21"), headers: ["Accept": "application/json"])
                #expect(graph.status == 200)
                let object = try jsonObject(graph.body)
                let nodes = try #require(object["nodes"] as? [[String: Any]])
                #expect(nodes.compactMap { $0["version"] as? String } == ["4.21.1", "4.21.0"])
                #expect(nodes.compactMap { $0["payload"] as? String }
                    == ["4.21.1", "4.21.0"].compactMap { upstream.release($0)?.payloadByDigest.description })
                #expect(object["edges"] as? [[Int]] == [[1, 0]])
                let old = try jsonObject(try RawHTTP.request("GET", upstream.graphURL(channel: "stable-4.18")).body)
                let oldVersions = (old["nodes"] as? [[String: Any]] ?? []).compactMap { $0["version"] as? String }
                #expect(!oldVersions.contains { $0.hasPrefix("4.21") })
                #expect(upstream.channels.map(\.name) == ["stable-4.17", "stable-4.18", "stable-4.21", "candidate-4.18"])
            }
        }
    }
}
