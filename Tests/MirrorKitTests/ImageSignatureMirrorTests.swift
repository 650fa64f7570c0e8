import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import Planning
import RegistryLab
import Testing
import Workspace

/// Signatures and referrers of additional images: a signed image, an unsigned one, a
/// multi-platform image signed on its index and on one child, and a digest-only image with
/// referrers (whose fallback tag is the image's own name in the mirror).
@Suite(.serialized) struct ImageSignatureMirrorTests {
    struct Lab {
        var lab: RegistryLab
        var upstream: LabRegistry
        var mirror: LabRegistry
        var signer: CosignSigner
        var signed: SeededImage
        var unsigned: SeededImage
        var multi: SeededImage
        var digestOnly: SeededImage
        var referrers: [AttachedReferrer]

        func config() throws -> String {
            let path = lab.root.appendingPathComponent("isc.yaml").path
            try """
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: \(signed.reference)
                  - name: \(unsigned.reference)
                  - name: \(multi.reference)
                  - name: \(upstream.host)/team/scanner@\(digestOnly.digest)

                """.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func run(workspace: String = "ws", dryRun: Bool = false,
                 attachments: AttachmentOptions = AttachmentOptions()) async throws -> (MirrorOutcome, Workspace) {
            let space = Workspace(root: lab.root.appendingPathComponent(workspace).appendingPathComponent("working-dir"))
            let options = MirrorOptions(
                configPath: try config(), workspace: space,
                destination: try RegistryLocation(parsing: "docker://\(mirror.host)/mirror"), dryRun: dryRun,
                copy: CopySettings(parallelImages: 4, parallelLayers: 4, source: RegistrySettings(retry: fastRetry),
                                   destination: RegistrySettings(retry: fastRetry)),
                attachments: attachments)
            return (try await MirrorToMirror(options: options).run(), space)
        }

        func mirrorDigest(_ path: String, _ identifier: String) async throws -> Digest? {
            try await RegistryClient(registry: mirror.host).manifestDigest(try ImageReference(parsing: "\(mirror.host)/mirror/\(path)\(identifier)"))
        }
    }

    static func with(_ body: (Lab) async throws -> Void) async throws {
        try await RegistryLab.with { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let client = RegistryClient(registry: upstream.host)
            let seeder = ImageSeeder(client: client)
            let signed = try await seeder.seed(SeedImage(repository: "team/app", tag: "1.0", layers: [.unique(size: 2048)]))
            let unsigned = try await seeder.seed(SeedImage(repository: "team/tool", tag: "2.0", layers: [.unique(size: 2048)]))
            let multi = try await seeder.seed(SeedImage(repository: "team/multi", tag: "3.0", layers: [.unique(size: 1024)],
                                                        platforms: ["linux/amd64", "linux/arm64"]))
            let digestOnly = try await seeder.seed(SeedImage(repository: "team/scanner", tag: "unique-scanner", layers: [.unique(size: 1024)],
                                                             digestOnly: true))
            let signer = try CosignSigner(directory: lab.root.appendingPathComponent("cosign"))
            _ = try await signer.sign(signed.digest, in: signed.reference.repository, client: client)
            _ = try await signer.sign(multi.digest, in: multi.reference.repository, client: client)
            let child = try #require(multi.manifests.first { $0 != multi.digest })
            _ = try await signer.sign(child, in: multi.reference.repository, client: client)
            _ = try await signer.sign(digestOnly.digest, in: digestOnly.reference.repository, client: client)
            let subject = ImageReference(repository: digestOnly.reference.repository, tag: nil, digest: digestOnly.digest)
            let attacher = ReferrerAttacher(client: client)
            let referrers = [
                try await attacher.attach(try .sbom(repository: subject.repository.path, digest: digestOnly.digest), to: subject),
                try await attacher.attach(try .inTotoAttestation(repository: subject.repository.path, digest: digestOnly.digest), to: subject),
            ]
            try await body(Lab(lab: lab, upstream: upstream, mirror: mirror, signer: signer, signed: signed, unsigned: unsigned,
                               multi: multi, digestOnly: digestOnly, referrers: referrers))
        }
    }

    @Test func bestEffortListsExactlyTheUnsignedImagesAndMirrorsEverySignature() async throws {
        try await Self.with { lab in
            let (dry, _) = try await lab.run(dryRun: true)
            #expect(dry.exitCode == 0)
            let (run, workspace) = try await lab.run()
            #expect(run.exitCode == 0, "\(run.copyReport?.failed ?? [])")
            #expect(run.signatureReport.missing.map(\.digest) == [lab.unsigned.digest])
            let missing = try #require(read(workspace, "logs/missing-signatures.txt"))
            #expect(missing.contains("docker://\(lab.unsigned.reference)\t\(lab.unsigned.digest)\tadditional image\tno sigstore signature upstream\trequested at "),
                    "\(missing)")
            // Every signature upstream, child's included, lands under its tag with its digest.
            let child = try #require(lab.multi.manifests.first { $0 != lab.multi.digest })
            let upstreamClient = RegistryClient(registry: lab.upstream.host)
            for (image, subject) in [(lab.signed, lab.signed.digest), (lab.multi, lab.multi.digest), (lab.multi, child)] {
                let tag = "sha256-\(subject.encoded).sig"
                let expected = try await upstreamClient.manifestDigest(ImageReference(repository: image.reference.repository, tag: tag, digest: nil))
                #expect(try await lab.mirrorDigest(image.reference.repository.path, ":\(tag)") == expected, "\(image.reference) \(subject)")
            }
            // The dry-run's figures are the run's.
            let plan = try #require(dry.plan)
            #expect(plan.summary.bytesToUpload == run.copyReport?.bytesUploaded)
            #expect(plan.summary.blobsToUpload == run.copyReport?.blobsUploaded)
            #expect(plan.summary.manifestsToPush == run.copyReport?.manifestsPushed)
            #expect(plan.summary.attachments == run.signatureReport.attachmentCount)
            let (again, _) = try await lab.run()
            #expect(again.copyReport?.copied == 0)
            #expect(again.copyReport?.manifestsPushed == 0)
            #expect(again.signatureReport.referrerIndexes == 0)
        }
    }

    @Test func requireFailsTheUnsignedImagesWithoutCopyingThem() async throws {
        try await Self.with { lab in
            let policy = AttachmentOptions(policy: .require)
            let (dry, _) = try await lab.run(dryRun: true, attachments: policy)
            #expect(dry.exitCode == 8)
            #expect(dry.plan?.images.filter { $0.status == .failed }.map(\.digest) == [lab.unsigned.digest])
            let (run, workspace) = try await lab.run(attachments: policy)
            #expect(run.exitCode == 8)
            #expect(run.copyReport?.failed.map(\.digest) == [lab.unsigned.digest.description])
            #expect(run.copyReport?.failed.first?.error?.contains("--signature-policy require") == true)
            #expect(try await lab.mirrorDigest("team/tool", ":2.0") == nil)
            #expect(try await lab.mirrorDigest("team/app", ":1.0") == lab.signed.digest)
            #expect(read(workspace, "logs/missing-signatures.txt")?.contains("FAILED (--signature-policy require)") == true)
            // Under best-effort the same image lands.
            let (relaxed, _) = try await lab.run(workspace: "ws-relaxed")
            #expect(relaxed.exitCode == 0)
        }
    }

    @Test func aDigestOnlyImageKeepsItsTagAndItsReferrersLandByDigest() async throws {
        try await Self.with { lab in
            let tag = "sha256-\(lab.digestOnly.digest.encoded)"
            let (run, _) = try await lab.run()
            #expect(run.exitCode == 0, "\(run.copyReport?.failed ?? [])")
            #expect(try await lab.mirrorDigest("team/scanner", ":\(tag)") == lab.digestOnly.digest)
            for referrer in lab.referrers {
                #expect(try await lab.mirrorDigest("team/scanner", "@\(referrer.descriptor.digest)") == referrer.descriptor.digest)
            }
            #expect(try await lab.mirrorDigest("team/scanner", ":\(tag).sig") != nil)
            #expect(run.signatureReport.referrerIndexes == 0)
            #expect(run.signatureReport.notes.contains { $0.contains("team/scanner:\(tag) holds an image") }, "\(run.signatureReport.notes)")
            // Re-runs move nothing and leave the tag with the image: no back and forth.
            for _ in 0..<2 {
                let (again, _) = try await lab.run()
                #expect(again.copyReport?.copied == 0)
                #expect(again.copyReport?.manifestsPushed == 0)
                #expect(try await lab.mirrorDigest("team/scanner", ":\(tag)") == lab.digestOnly.digest)
            }
        }
    }

    @Test func aSignatureMadeWithAnotherKeyIsNotMirroredWhenAKeyIsGiven() async throws {
        try await Self.with { lab in
            // The signer's second key signs team/app again; only its own key is given.
            let client = RegistryClient(registry: lab.upstream.host)
            _ = try await lab.signer.sign(lab.signed.digest, in: lab.signed.reference.repository, client: client, fault: .otherKey)
            let keyring = try SignatureKeyring(arguments: ["\(lab.upstream.host)/team=\(lab.signer.publicKeyPath.path)"])
            let (run, _) = try await lab.run(attachments: AttachmentOptions(verifier: keyring))
            #expect(run.exitCode == 0)
            let refused = run.signatureReport.missing.first { $0.digest == lab.signed.digest }
            #expect(refused?.problem.hasPrefix("signature refused") == true, "\(run.signatureReport.missing)")
            #expect(try await lab.mirrorDigest("team/app", ":sha256-\(lab.signed.digest.encoded).sig") == nil)
            // The multi-platform image's signatures verify and land.
            #expect(try await lab.mirrorDigest("team/multi", ":sha256-\(lab.multi.digest.encoded).sig") != nil)
        }
    }
}
