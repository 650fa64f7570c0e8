import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

@Suite("cosign signatures and OCI referrers on a seeded image")
struct CosignAndReferrerTests {
    /// `skopeo inspect --raw` of a reference in a plain-HTTP lab registry.
    static func skopeoRaw(_ reference: String) async throws -> ToolResult {
        try await runTool("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(reference)"], timeout: 60)
    }

    @Test("a .sig holds cosign's payload and manifest, verifies with cosign.pub (swift-crypto and openssl), and the faults do not")
    func signatures() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let seeder = ImageSeeder(registry: registry, lab: lab)
            let image = try await seeder.seed(SeedImage(repository: "lab/signed-app", tag: "v1", layers: [.unique(size: 4096)],
                                                        digestOnly: true))
            let other = try await seeder.seed(SeedImage(repository: "lab/signed-app", tag: "v2", layers: [.unique(size: 4096)],
                                                        digestOnly: true))
            #expect(image.reference.tag == nil && image.reference.digest == image.digest)
            #expect(image.descriptor.digest == image.digest && image.descriptor.mediaType == .ociImageManifest)
            #expect(try tagList("lab/signed-app", registry: registry).isEmpty)

            let signer = try CosignSigner(directory: lab.root.appendingPathComponent("cosign"))
            for (path, pem) in [(signer.publicKeyPath, signer.publicKeyPEM), (signer.otherPublicKeyPath, signer.otherPublicKeyPEM)] {
                let text = try String(contentsOf: path, encoding: .utf8)
                #expect(text == pem)
                #expect(text.hasPrefix("-----BEGIN PUBLIC KEY-----\n") && text.hasSuffix("-----END PUBLIC KEY-----\n"))
            }
            #expect(signer.publicKeyPEM != signer.otherPublicKeyPEM)
            #expect(signer.publicKeyPath.lastPathComponent == "cosign.pub")

            let repository = image.reference.repository
            let signature = try await signer.sign(image.digest, in: repository, client: seeder.client)
            let tag = "sha256-\(image.digest.encoded).sig"
            #expect(signature.tag == tag && CosignSigner.signatureTag(for: image.digest) == tag)
            #expect(signature.reference.description == "\(registry.host)/lab/signed-app:\(tag)")
            #expect(try tagList("lab/signed-app", registry: registry) == [tag])

            let stored = try StoredCosignSignature(tag: tag, repository: "lab/signed-app", registry: registry)
            #expect(Data(stored.manifest) == signature.manifest.bytes)
            #expect(stored.manifestObject["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")
            #expect((stored.manifestObject["config"] as? [String: Any])?["mediaType"] as? String
                == "application/vnd.oci.image.config.v1+json")
            let layers = try #require(stored.manifestObject["layers"] as? [[String: Any]])
            #expect(layers.count == 1)
            #expect(layers.first?["mediaType"] as? String == "application/vnd.dev.cosign.simplesigning.v1+json")
            #expect(String(decoding: stored.payload, as: UTF8.self)
                == CosignCheck.expectedPayload(dockerReference: "\(registry.host)/lab/signed-app", digest: image.digest.description))
            #expect(stored.payload == signature.payload && stored.signature == signature.signature)
            #expect(stored.verifies(withPublicKeyPEM: signer.publicKeyPEM))
            #expect(!stored.verifies(withPublicKeyPEM: signer.otherPublicKeyPEM))

            // An independent verifier: openssl reads cosign.pub as SubjectPublicKeyInfo and the DER signature.
            let work = lab.root.appendingPathComponent("openssl-verify")
            try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
            try stored.payload.write(to: work.appendingPathComponent("payload.json"))
            try stored.signature.write(to: work.appendingPathComponent("signature.der"))
            let verified = try await runTool("openssl", ["dgst", "-sha256", "-verify", signer.publicKeyPath.path, "-signature",
                                                         work.appendingPathComponent("signature.der").path,
                                                         work.appendingPathComponent("payload.json").path])
            #expect(verified.status == 0 && verified.output.contains("Verified OK"), "\(verified.output) \(verified.error)")
            let refused = try await runTool("openssl", ["dgst", "-sha256", "-verify", signer.otherPublicKeyPath.path, "-signature",
                                                        work.appendingPathComponent("signature.der").path,
                                                        work.appendingPathComponent("payload.json").path])
            #expect(refused.status != 0)

            // Another digest's payload under this digest's tag: it verifies, but vouches for the other image.
            let swapped = try await signer.sign(image.digest, in: repository, client: seeder.client,
                                                fault: .signsOtherDigest(other.digest))
            #expect(swapped.tag == tag && swapped.payloadDigest == other.digest)
            let storedSwap = try StoredCosignSignature(tag: tag, repository: "lab/signed-app", registry: registry)
            #expect(storedSwap.verifies(withPublicKeyPEM: signer.publicKeyPEM))
            #expect(storedSwap.signedDigest == other.digest.description)
            #expect(storedSwap.signedDigest != image.digest.description)

            // The right payload, signed with the other key: refused with cosign.pub.
            try await signer.sign(image.digest, in: repository, client: seeder.client, fault: .otherKey)
            let storedOther = try StoredCosignSignature(tag: tag, repository: "lab/signed-app", registry: registry)
            #expect(storedOther.signedDigest == image.digest.description)
            #expect(!storedOther.verifies(withPublicKeyPEM: signer.publicKeyPEM))
            #expect(storedOther.verifies(withPublicKeyPEM: signer.otherPublicKeyPEM))

            // The good one pushed back is served again, byte for byte.
            try await signer.push(signature, client: seeder.client)
            let restored = try StoredCosignSignature(tag: tag, repository: "lab/signed-app", registry: registry)
            #expect(restored.manifest == stored.manifest)

            let inspected = try await Self.skopeoRaw("\(registry.host)/lab/signed-app:\(tag)")
            #expect(inspected.status == 0, "\(inspected.error)")
            #expect(inspected.output.trimmingCharacters(in: .newlines) == String(decoding: signature.manifest.bytes, as: UTF8.self))
        }
    }

    @Test("a .att holds a DSSE envelope with an in-toto statement, predicateType annotated, its signature valid")
    func attestation() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let seeder = ImageSeeder(registry: registry, lab: lab)
            let image = try await seeder.seed(SeedImage(repository: "lab/attested", tag: "v1", layers: [.unique(size: 2048)]))
            let signer = try CosignSigner(directory: lab.root.appendingPathComponent("cosign"))
            let attestation = try await signer.attest(image.digest, in: image.reference.repository, client: seeder.client)
            let tag = "sha256-\(image.digest.encoded).att"
            #expect(attestation.tag == tag && CosignSigner.attestationTag(for: image.digest) == tag)
            #expect(try tagList("lab/attested", registry: registry) == ["v1", tag])

            let response = try LabRegistryReader.manifest(tag, repository: "lab/attested", registry: registry)
            #expect(response.status == 200)
            #expect(Data(response.body) == attestation.manifest.bytes)
            let manifest = try jsonObject(response.body)
            let layer = try #require((manifest["layers"] as? [[String: Any]])?.first)
            #expect(layer["mediaType"] as? String == "application/vnd.dsse.envelope.v1+json")
            let annotations = try #require(layer["annotations"] as? [String: String])
            #expect(annotations["predicateType"] == "https://slsa.dev/provenance/v0.2")

            let envelope = try jsonObject(try blobBytes(try #require(layer["digest"] as? String), repository: "lab/attested",
                                                        registry: registry))
            #expect(envelope["payloadType"] as? String == "application/vnd.in-toto+json")
            let encodedStatement = try #require(envelope["payload"] as? String)
            let statement = try #require(Data(base64Encoded: encodedStatement))
            let statementObject = try jsonObject(statement)
            #expect(statementObject["predicateType"] as? String == "https://slsa.dev/provenance/v0.2")
            let subject = try #require((statementObject["subject"] as? [[String: Any]])?.first)
            #expect((subject["digest"] as? [String: String])?["sha256"] == image.digest.encoded)
            let sig = try #require((envelope["signatures"] as? [[String: String]])?.first?["sig"])
            let pae = CosignCheck.pae(payloadType: "application/vnd.in-toto+json", payload: statement)
            let envelopeSignature = try #require(Data(base64Encoded: sig))
            #expect(CosignCheck.verify(signature: envelopeSignature, over: pae, publicKeyPEM: signer.publicKeyPEM))

            let inspected = try await Self.skopeoRaw("\(registry.host)/lab/attested:\(tag)")
            #expect(inspected.status == 0, "\(inspected.error)")
        }
    }

    @Test("referrers: pushed by digest with subject, artifactType and the empty config; the fallback tag's index keeps every entry")
    func referrers() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let seeder = ImageSeeder(registry: registry, lab: lab)
            let image = try await seeder.seed(SeedImage(repository: "lab/with-referrers", tag: "v1", layers: [.unique(size: 2048)],
                                                        platforms: ["linux/amd64", "linux/arm64"], digestOnly: true))
            let repository = image.reference.repository
            let attacher = ReferrerAttacher(client: seeder.client)
            let fallbackTag = "sha256-\(image.digest.encoded)"
            #expect(ReferrerAttacher.fallbackTag(for: image.digest) == fallbackTag)
            #expect(ReferrerAttacher.emptyConfigDescriptor.digest.description
                == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
            #expect(try await attacher.fallbackIndex(of: image.digest, in: repository) == nil)

            let sbom = try await attacher.attach(try .sbom(repository: "lab/with-referrers", digest: image.digest),
                                                 to: image.descriptor, in: repository)
            #expect(sbom.artifactType == "application/spdx+json" && sbom.fallbackTag == fallbackTag)
            #expect(try tagList("lab/with-referrers", registry: registry) == [fallbackTag])

            // The referrer manifest, by digest.
            let stored = try LabRegistryReader.manifest(sbom.descriptor.digest.description, repository: "lab/with-referrers",
                                                        registry: registry)
            #expect(stored.status == 200 && Data(stored.body) == sbom.manifest.bytes)
            let manifest = try jsonObject(stored.body)
            #expect(manifest["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json")
            #expect(manifest["artifactType"] as? String == "application/spdx+json")
            let config = try #require(manifest["config"] as? [String: Any])
            #expect(config["mediaType"] as? String == "application/vnd.oci.empty.v1+json")
            #expect(config["digest"] as? String == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a")
            #expect(config["size"] as? Int == 2)
            #expect(try blobBytes(config["digest"] as? String ?? "", repository: "lab/with-referrers", registry: registry)
                == Data("{}".utf8))
            let subject = try #require(manifest["subject"] as? [String: Any])
            #expect(subject["digest"] as? String == image.digest.description)
            #expect(subject["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
            #expect(subject["size"] as? Int == Int(image.descriptor.size))
            let layer = try #require((manifest["layers"] as? [[String: Any]])?.first)
            #expect(layer["mediaType"] as? String == "application/spdx+json")
            let document = try jsonObject(try blobBytes(layer["digest"] as? String ?? "", repository: "lab/with-referrers",
                                                        registry: registry))
            #expect(document["spdxVersion"] as? String == "SPDX-2.3")

            // A later attach (resolving the subject through the registry) keeps the first entry.
            let attestation = try await attacher.attach(try .inTotoAttestation(repository: "lab/with-referrers", digest: image.digest),
                                                        to: image.reference)
            #expect(attestation.artifactType == "application/vnd.in-toto+json")
            #expect(attestation.manifest.image?.subject == image.descriptor)
            let index = try LabRegistryReader.manifest(fallbackTag, repository: "lab/with-referrers", registry: registry)
            #expect(index.status == 200)
            #expect(index.headers["content-type"] == "application/vnd.oci.image.index.v1+json")
            let object = try jsonObject(index.body)
            #expect(object["mediaType"] as? String == "application/vnd.oci.image.index.v1+json")
            let entries = try #require(object["manifests"] as? [[String: Any]])
            #expect(entries.map { $0["digest"] as? String } == [sbom.descriptor.digest.description, attestation.descriptor.digest.description])
            #expect(entries.map { $0["artifactType"] as? String } == ["application/spdx+json", "application/vnd.in-toto+json"])
            #expect(entries.allSatisfy { $0["mediaType"] as? String == "application/vnd.oci.image.manifest.v1+json" })
            #expect(entries.map { $0["size"] as? Int } == [sbom.manifest.bytes.count, attestation.manifest.bytes.count])
            #expect((entries.last?["annotations"] as? [String: String])?["in-toto.io/predicate-type"] == "https://slsa.dev/provenance/v0.2")

            // Attaching the same artifact again adds nothing.
            try await attacher.attach(try .sbom(repository: "lab/with-referrers", digest: image.digest), to: image.descriptor,
                                      in: repository)
            let again = try #require(try await attacher.fallbackIndex(of: image.digest, in: repository))
            #expect(again.manifests == [sbom.descriptor, attestation.descriptor])

            // Distribution 2.8 has no referrers API: the fallback tag is the only way to find them.
            let api = try RawHTTP.request("GET", "\(registry.baseURL)/v2/lab/with-referrers/referrers/\(image.digest)")
            #expect(api.status == 404)

            let inspected = try await Self.skopeoRaw("\(registry.host)/lab/with-referrers:\(fallbackTag)")
            #expect(inspected.status == 0, "\(inspected.error)")
            #expect(inspected.output.trimmingCharacters(in: .newlines) == String(decoding: index.body, as: UTF8.self))
        }
    }
}
