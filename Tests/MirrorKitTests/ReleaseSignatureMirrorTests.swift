import ClusterResources
import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import Planning
import RegistryLab
import Testing
import Workspace

/// Sigstore signatures of releases end to end: the lab's upstream signs 4.18.x and 4.21.0
/// payloads (and their cluster-version-operator images) with a lab cosign key, leaves 4.17.x
/// and 4.21.1 unsigned, and gives 4.18's etcd image an SBOM and an attestation as referrers.
@Suite(.serialized) struct ReleaseSignatureMirrorTests {
    typealias Lab = ReleaseMirrorTests.Lab

    static func with(_ body: (Lab) async throws -> Void) async throws {
        try await ReleaseMirrorTests.with(body)
    }

    @Test func a421ReleaseLandsWithItsSignaturesWhereANodeFollowingTheIDMSLooks() async throws {
        try await Self.with { lab in
            let release = try #require(lab.upstream.release("4.21.0"))
            let payloadSignature = try #require(lab.upstream.supplyChain.signature(for: release.payloadDigest))
            let cvo = try #require(release.components["cluster-version-operator"])
            let cvoSignature = try #require(lab.upstream.supplyChain.signature(for: cvo))
            let config = try lab.rangeConfig("stable-4.21", min: "4.21.0", max: "4.21.0")

            let (dry, _) = try await lab.run(config, dryRun: true)
            #expect(dry.exitCode == 0, "\(dry.collectionFailures)")
            let plan = try #require(dry.plan)
            let planned = plan.images.filter { $0.image.attachment?.kind == .signature }
            #expect(Set(planned.map(\.digest)) == [payloadSignature.manifest.digest, cvoSignature.manifest.digest])

            let (run, workspace) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures) \(run.copyReport?.failed ?? [])")
            #expect(run.replayProblems.isEmpty, "\(run.replayProblems)")
            #expect(run.signatureReport.attachments[.signature] == 2)
            // The payload's signature, found the way a node finds it: through the generated IDMS.
            let idms = try #require(read(workspace, "cluster-resources/idms-oc-mirror.yaml"))
            let rules = try ImageMirrorSets(idmsYAML: idms, itmsYAML: nil).rules
            let pulled = rules.mirrors(for: release.payloadByDigest)
            let tag = "sha256-\(release.payloadDigest.encoded).sig"
            var found: Digest?
            for candidate in pulled where try await lab.mirrorDigest("\(candidate)") == release.payloadDigest {
                found = try await lab.skopeoDigest("\(candidate.repository):\(tag)")
                break
            }
            #expect(found == payloadSignature.manifest.digest, "tried \(pulled)")
            #expect(try await lab.skopeoDigest("\(lab.mirror.host)/ocp/openshift/release:sha256-\(cvo.encoded).sig")
                    == cvoSignature.manifest.digest)
            // Exactly the unsigned components are listed; the record lists the signatures.
            let unsigned = Set(release.components.filter { $0.key != "cluster-version-operator" }.values)
            #expect(Set(run.signatureReport.missing.map(\.digest)) == unsigned)
            #expect(run.signatureReport.missing.allSatisfy { $0.image.origin == .releaseContent && !$0.failed })
            #expect(read(workspace, "logs/missing-signatures.txt")?.contains(release.payloadDigest.description) == false)
            let record = try #require(try workspace.lastRun())
            #expect(record.images.filter { $0.attachment == "signature" }.count == 2)
            #expect(record.images.contains { $0.subject == release.payloadDigest.description && $0.destination.hasSuffix(":\(tag)") })

            // The dry-run's figures equal the run's, and a second run moves nothing.
            #expect(plan.summary.bytesToUpload == run.copyReport?.bytesUploaded)
            #expect(plan.summary.manifestsToPush == run.copyReport?.manifestsPushed)
            let (again, _) = try await lab.run(config)
            #expect(again.copyReport?.copied == 0)
            #expect(again.copyReport?.manifestsPushed == 0)
            #expect(again.signatureReport.attachmentsAlreadyThere == 2)
        }
    }

    @Test func a421PayloadWithoutASignatureFailsItsReleaseUnlessIgnored() async throws {
        try await Self.with { lab in
            let release = try #require(lab.upstream.release("4.21.1"))
            #expect(lab.upstream.supplyChain.signature(for: release.payloadDigest) == nil)
            let config = try lab.rangeConfig("stable-4.21", min: "4.21.1", max: "4.21.1")

            let (run, _) = try await lab.run(config)
            #expect(run.exitCode & 2 == 2)
            let failure = try #require(run.collectionFailures.first)
            #expect(failure.contains("4.21.1") && failure.contains("no sigstore signature upstream"), "\(failure)")
            #expect(failure.contains("--ignore-release-signature"))
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:\(release.tag)") == nil)

            let (ignored, workspace) = try await lab.run(config, workspace: "ws-ignored", ignoreSignatures: true)
            #expect(ignored.exitCode == 0, "\(ignored.collectionFailures)")
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:\(release.tag)") == release.payloadDigest)
            let missing = try #require(read(workspace, "logs/missing-signatures.txt"))
            #expect(missing.contains("\t\(release.payloadDigest)\trelease payload\tno sigstore signature upstream\t"), "\(missing)")
        }
    }

    @Test func anOlderPayloadWithoutASignatureLandsAndIsListed() async throws {
        try await Self.with { lab in
            let release = try #require(lab.upstream.release("4.17.8"))
            let config = try lab.rangeConfig("stable-4.17", min: "4.17.8", max: "4.17.8")
            let (run, workspace) = try await lab.run(config, attachments: AttachmentOptions(policy: .require))
            // Release payloads follow the release rule in both modes; components follow the policy.
            #expect(run.collectionFailures.isEmpty, "\(run.collectionFailures)")
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:\(release.tag)") == release.payloadDigest)
            let payload = run.signatureReport.missing.first { $0.image.origin == .release }
            #expect(payload?.digest == release.payloadDigest)
            #expect(payload?.failed == false)
            let components = run.signatureReport.missing.filter { $0.image.origin == .releaseContent }
            #expect(components.count == release.components.count)
            #expect(components.allSatisfy { $0.failed })
            #expect(run.exitCode & 2 == 2)
            let missing = try #require(read(workspace, "logs/missing-signatures.txt"))
            #expect(missing.contains("FAILED (--signature-policy require)"))
        }
    }

    @Test func aSignatureOverAnotherDigestOrByAnotherKeyIsRefusedWhenAKeyIsGiven() async throws {
        try await Self.with { lab in
            let release = try #require(lab.upstream.release("4.21.0"))
            let keyring = try SignatureKeyring(arguments: [lab.upstream.cosignPublicKeyPath.path])
            let config = try lab.rangeConfig("stable-4.21", min: "4.21.0", max: "4.21.0")
            let verified = AttachmentOptions(verifier: keyring)

            let (dry, _) = try await lab.run(config, dryRun: true, attachments: verified)
            #expect(dry.exitCode == 0, "\(dry.collectionFailures)")
            // The payload's and the CVO's signatures verify; only unsigned components are listed.
            #expect(dry.signatureReport.missing.allSatisfy { $0.problem == "no sigstore signature upstream" },
                    "\(dry.signatureReport.missing)")
            #expect(dry.signatureReport.missing.count == release.components.count - 1)

            let other = try #require(lab.upstream.release("4.18.3"))
            _ = try await lab.upstream.setSigstoreFault(.signsOtherDigest(other.payloadDigest), for: release.payloadDigest)
            let (wrongDigest, _) = try await lab.run(config, workspace: "ws-digest", attachments: verified)
            #expect(wrongDigest.exitCode & 2 == 2)
            let digestFailure = wrongDigest.collectionFailures.joined(separator: "\n")
            #expect(digestFailure.contains("signature refused") && digestFailure.contains(other.payloadDigest.description), "\(digestFailure)")
            // Without a key the signature is mirrored as it is.
            let (unchecked, _) = try await lab.run(config, workspace: "ws-unchecked", dryRun: true)
            #expect(unchecked.exitCode == 0, "\(unchecked.collectionFailures)")
            #expect(unchecked.plan?.images.contains { $0.image.attachment?.subject == release.payloadDigest } == true)

            _ = try await lab.upstream.setSigstoreFault(.otherKey, for: release.payloadDigest)
            let (wrongKey, _) = try await lab.run(config, workspace: "ws-key", attachments: verified)
            #expect(wrongKey.exitCode & 2 == 2)
            #expect(wrongKey.collectionFailures.joined().contains("signature refused"), "\(wrongKey.collectionFailures)")
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:\(release.tag)") == nil)
        }
    }

    @Test func referrersLandByDigestAndTheFallbackTagListsThemAcrossRuns() async throws {
        try await Self.with { lab in
            let release = try #require(lab.upstream.release("4.18.2"))
            let etcd = try #require(release.components["etcd"])
            let referrers = lab.upstream.supplyChain.referrers(of: etcd)
            #expect(referrers.count == 2)
            let config = try lab.rangeConfig("stable-4.18", min: "4.18.2", max: "4.18.2")

            let (dry, _) = try await lab.run(config, dryRun: true)
            #expect(dry.signatureReport.referrerIndexes == 1)
            let (run, _) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures) \(run.copyReport?.failed ?? [])")
            #expect(run.signatureReport.attachments[.referrer] == 2)
            #expect(run.signatureReport.attachments[.attestation] == 1)
            #expect(run.signatureReport.referrerIndexes == 1)
            let client = RegistryClient(registry: lab.mirror.host)
            let repository = try RepositoryName(registry: lab.mirror.host, path: "ocp/openshift/release")
            for referrer in referrers {
                #expect(try await client.manifestDigest(ImageReference(repository: repository, tag: nil, digest: referrer.descriptor.digest))
                        == referrer.descriptor.digest)
            }
            let fallback = ImageReference(repository: repository, tag: "sha256-\(etcd.encoded)", digest: nil)
            let index = try await client.fetchManifest(fallback)
            #expect(Set(index.children.map(\.digest)) == Set(referrers.map(\.descriptor.digest)))
            #expect(Set(index.children.compactMap(\.artifactType)) == Set(referrers.map(\.artifactType)))
            #expect(try await lab.skopeoDigest("\(fallback)") == index.digest)

            // A second run writes nothing; a new referrer upstream is added beside the others.
            let (again, _) = try await lab.run(config)
            #expect(again.signatureReport.referrerIndexes == 0)
            #expect(again.copyReport?.manifestsPushed == 0)
            let upstreamClient = RegistryClient(registry: lab.upstream.upstreamHost)
            let componentRepository = try #require(release.componentReference("etcd")).repository
            let added = try await ReferrerAttacher(client: upstreamClient).attach(
                ReferrerArtifact(artifactType: "application/vnd.example.scan+json", layerMediaType: MediaType(rawValue: "application/json"),
                                 content: Data("{\"findings\":[]}".utf8)),
                to: ImageReference(repository: componentRepository, tag: nil, digest: etcd))
            let (third, _) = try await lab.run(config)
            #expect(third.signatureReport.referrerIndexes == 1)
            let updated = try await client.fetchManifest(fallback)
            #expect(Set(updated.children.map(\.digest)) == Set(referrers.map(\.descriptor.digest) + [added.descriptor.digest]))
            #expect(Array(updated.children.prefix(2)) == Array(index.children))

            // --referrers none leaves them out; a type filter keeps that type only.
            let (none, _) = try await lab.run(config, workspace: "ws-none", dryRun: true,
                                              attachments: AttachmentOptions(referrers: .none))
            #expect(none.plan?.images.contains { $0.image.attachment?.kind == .referrer } == false)
            let (typed, _) = try await lab.run(config, workspace: "ws-typed", dryRun: true,
                                               attachments: AttachmentOptions(referrers: .types(["application/spdx+json"])))
            #expect(typed.plan?.images.compactMap { $0.image.attachment?.artifactType } == ["application/spdx+json"])
        }
    }

    @Test func removeSignaturesKeepsOnlyThePayloadsSignatures() async throws {
        try await Self.with { lab in
            // 4.18.2: its payload and CVO image are signed, its etcd image has a .att and two referrers.
            let release = try #require(lab.upstream.release("4.18.2"))
            let config = try lab.rangeConfig("stable-4.18", min: "4.18.2", max: "4.18.2")
            let (dry, _) = try await lab.run(config, dryRun: true, attachments: AttachmentOptions(cosignTags: false))
            let attachments = try #require(dry.plan).images.compactMap(\.image.attachment)
            #expect(attachments.filter { $0.kind == .signature }.map(\.subject) == [release.payloadDigest])
            #expect(!attachments.contains { $0.kind == .attestation })
            #expect(attachments.filter { $0.kind == .referrer }.count == 2)
            // Only release payloads are looked up for cosign tags, and this one is signed.
            #expect(dry.signatureReport.missing.isEmpty, "\(dry.signatureReport.missing)")
        }
    }
}

extension ReleaseMirrorTests.Lab {
    /// A configuration mirroring `channel` from `min` to `max`.
    func rangeConfig(_ channel: String, min: String, max: String) throws -> String {
        try config("""
              platform:
                channels:
                - name: \(channel)
                  minVersion: \(min)
                  maxVersion: \(max)
            """, name: "isc-\(channel)-\(min)-\(max).yaml")
    }

    /// The digest the mirror holds under a reference, read by skopeo (an independent client).
    func skopeoDigest(_ reference: String) async throws -> Digest? {
        let output = try await runProgram("skopeo", ["inspect", "--raw", "--tls-verify=false", "docker://\(reference)"])
        guard output.status == 0 else { return nil }
        return Digest.compute(.sha256, Data(output.stdout.utf8))
    }
}
