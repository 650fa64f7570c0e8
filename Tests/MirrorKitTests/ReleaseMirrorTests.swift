import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import Planning
import RegistryLab
import Testing
import Workspace

/// `mirror.platform` end to end: the lab's synthetic OpenShift upstream (update graph, payloads,
/// components, signatures) mirrored with `MirrorToMirror`.
@Suite(.serialized) struct ReleaseMirrorTests {
    struct Lab {
        var lab: RegistryLab
        var upstream: OpenShiftUpstream
        var mirror: LabRegistry

        func config(_ body: String, name: String = "isc.yaml") throws -> String {
            let path = lab.root.appendingPathComponent(name).path
            try ("kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n" + body)
                .write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        /// `labKey: false` gives no release key, so the default applies (Red Hat's, on hosts without
        /// OCP_SIGNATURE_VERIFICATION_PK).
        func run(_ config: String, workspace: String = "ws", dryRun: Bool = false, ignoreSignatures: Bool = false,
                 labKey: Bool = true, graphBaseImage: String? = nil,
                 attachments: AttachmentOptions = AttachmentOptions(),
                 log: @escaping @Sendable (String) -> Void = { _ in }) async throws -> (MirrorOutcome, Workspace) {
            let space = Workspace(root: lab.root.appendingPathComponent(workspace).appendingPathComponent("working-dir"))
            let options = MirrorOptions(
                configPath: config, workspace: space, destination: try RegistryLocation(parsing: "docker://\(mirror.host)/ocp"),
                dryRun: dryRun,
                copy: CopySettings(parallelImages: 4, parallelLayers: 4, source: RegistrySettings(retry: fastRetry),
                                   destination: RegistrySettings(retry: fastRetry)),
                releases: ReleaseOptions(updateURL: upstream.graphURL, signatureURL: upstream.signatureBaseURL,
                                         signatureKey: labKey ? upstream.publicKeyPath.path : nil, ignoreSignatures: ignoreSignatures,
                                         graphDataURL: upstream.graphDataURL, graphBaseImage: graphBaseImage),
                attachments: attachments)
            return (try await MirrorToMirror(options: options, log: log).run(), space)
        }

        func mirrorDigest(_ reference: String) async throws -> Digest? {
            try await RegistryClient(registry: mirror.host).manifestDigest(try ImageReference(parsing: reference))
        }
    }

    static func with(_ body: (Lab) async throws -> Void) async throws {
        try await RegistryLab.with { lab in
            let registry = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            try await OpenShiftUpstream.with(lab: lab, registry: registry) { upstream in
                try await body(Lab(lab: lab, upstream: upstream, mirror: mirror))
            }
        }
    }

    @Test func aChannelRangeLandsWithComponentsSignaturesAndClusterResources() async throws {
        try await Self.with { lab in
            let config = try lab.config("""
                  platform:
                    channels:
                    - name: stable-4.18
                      minVersion: 4.18.1
                      maxVersion: 4.18.3
                """)
            let chosen = ["4.18.1", "4.18.2", "4.18.3"].compactMap { lab.upstream.release($0) }
            #expect(chosen.count == 3)

            // Dry-run: every payload and component, nothing pushed.
            let (dry, workspace) = try await lab.run(config, dryRun: true)
            let plan = try #require(dry.plan)
            #expect(dry.collectionFailures.isEmpty, "\(dry.collectionFailures)")
            let components = chosen.reduce(0) { $0 + $1.components.count }
            #expect(plan.summary.imagesToMirror == chosen.count + components)
            #expect(plan.images.filter { $0.image.origin == .release && $0.image.attachment == nil }.count == 3)
            let mapping = try #require(read(workspace, "dry-run/mapping.txt"))
            #expect(mapping.contains("=docker://\(lab.mirror.host)/ocp/openshift/release-images:4.18.2-x86_64\n"), "\(mapping)")
            #expect(read(workspace, "hold-release/release-selection.txt")?.contains("4.18.3") == true)

            // The real run: payloads and every component at the mirror, by oc-mirror's names.
            let (run, _) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures) \(run.copyReport?.failed ?? [])")
            #expect(run.replayProblems.isEmpty, "\(run.replayProblems)")
            for release in chosen {
                #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:\(release.tag)") == release.payloadDigest)
                for (name, digest) in release.components {
                    #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release:\(release.tag)-\(name)") == digest,
                            "\(release.version) \(name)")
                }
            }
            // Cluster resources: release IDMS (payloads by tag too) and the signature ConfigMap.
            let idms = try #require(read(workspace, "cluster-resources/idms-oc-mirror.yaml"))
            #expect(idms.contains("name: idms-release-0"))
            #expect(idms.contains("- \(lab.mirror.host)/ocp/openshift/release-images"))
            let configMap = try #require(read(workspace, "cluster-resources/signature-configmap.yaml"))
            for release in chosen {
                #expect(configMap.contains("sha256-\(release.payloadDigest.encoded)-1: "))
            }
            #expect(FileManager.default.fileExists(atPath: workspace.url("signatures/sha256-\(chosen[0].payloadDigest.encoded)/signature-1").path))

            // A second run moves nothing.
            let (again, _) = try await lab.run(config)
            #expect(again.copyReport?.copied == 0)
            #expect(again.copyReport?.bytesUploaded == 0)
        }
    }

    @Test func graphTrueBuildsTheGraphImageAndTheUpdateService() async throws {
        try await Self.with { lab in
            let config = try lab.config("""
                  platform:
                    graph: true
                    channels:
                    - name: stable-4.18
                """)
            // Any image of the upstream serves as the base here (oc-mirror uses ubi9).
            let base = try #require(lab.upstream.release("4.18.3")?.componentReference("cli"))
            let (run, workspace) = try await lab.run(config, graphBaseImage: base.description)
            #expect(run.exitCode == 0, "\(run.collectionFailures)")
            let client = RegistryClient(registry: lab.mirror.host)
            let graph = try await client.fetchManifest(try ImageReference(parsing: "\(lab.mirror.host)/ocp/openshift/graph-image:latest"))
            let baseManifest = try await RegistryClient(registry: lab.upstream.upstreamHost).fetchManifest(base)
            let layers = try #require(graph.image?.layers)
            let baseLayers = try #require(baseManifest.image?.layers)
            #expect(Array(layers.dropLast()) == baseLayers)
            // The top layer holds the graph data under /var/lib/cincinnati-graph-data/.
            let file = lab.lab.root.appendingPathComponent("graph-layer.tar.gz")
            try await client.downloadBlob(try #require(layers.last), from: "ocp/openshift/graph-image", to: file.path)
            var paths: [String] = []
            try LayerArchiveReader(path: file.path).forEachEntry { paths.append($0.path); return true }
            #expect(paths.contains("var/lib/cincinnati-graph-data/channels/stable-4.18.yaml"), "\(paths)")
            let service = try #require(read(workspace, "cluster-resources/updateService.yaml"))
            #expect(service.contains("graphDataImage: \(lab.mirror.host)/ocp/openshift/graph-image:latest"))
            #expect(service.contains("releases: \(lab.mirror.host)/ocp/openshift/release-images"))
            #expect(run.alreadyMirroredByOrigin[.graph] == nil)

            // A re-run builds the same image and finds it in place: counted as already there.
            let (again, _) = try await lab.run(config, graphBaseImage: base.description)
            #expect(again.landedByOrigin[.graph] == 1)
            #expect(again.alreadyMirroredByOrigin[.graph] == 1)
        }
    }

    @Test func kubeVirtContainerAddsTheBootImagesKubeVirtImage() async throws {
        try await Self.with { lab in
            let release = try #require(lab.upstream.release("4.18.2"))
            let config = try lab.config("""
                  platform:
                    kubeVirtContainer: true
                    release: \(release.payload)
                """)
            let (run, _) = try await lab.run(config)
            #expect(run.exitCode == 0, "\(run.collectionFailures)")
            #expect(run.landedByOrigin[.kubeVirt] == 1)
            let expected = try #require(release.kubevirtDigest)
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release:\(release.tag)-kube-virt-container") == expected)
        }
    }

    @Test(arguments: ["missing", "corrupted", "otherDigest"])
    func aBadSignatureStopsItsRelease(fault: String) async throws {
        try await Self.with { lab in
            let release = try #require(lab.upstream.release("4.18.2"))
            let other = try #require(lab.upstream.release("4.18.1"))
            let chosen: OpenShiftSignatureFault = switch fault {
            case "missing": .missing
            case "corrupted": .corrupted
            default: .signsOtherDigest(other.payloadDigest)
            }
            try lab.upstream.setSignatureFault(chosen, for: release.payloadDigest)
            let config = try lab.config("""
                  platform:
                    channels:
                    - name: stable-4.18
                      minVersion: 4.18.1
                      maxVersion: 4.18.2
                """)
            let (run, workspace) = try await lab.run(config)
            #expect(run.exitCode & 2 == 2)
            let failure = try #require(run.collectionFailures.first)
            switch fault {
            case "missing": #expect(failure.contains("no signature for \(release.payloadDigest)"), "\(failure)")
            case "corrupted": #expect(failure.contains("does not verify"), "\(failure)")
            default: #expect(failure.contains("names \(other.payloadDigest)"), "\(failure)")
            }
            // The other release landed; cluster-resources/ was not written (not everything landed).
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:\(other.tag)") == other.payloadDigest)
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:\(release.tag)") == nil)
            #expect(read(workspace, "cluster-resources/idms-oc-mirror.yaml") == nil)

            // --ignore-release-signature mirrors it anyway.
            let (ignored, _) = try await lab.run(config, ignoreSignatures: true)
            #expect(ignored.exitCode == 0, "\(ignored.collectionFailures)")
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/ocp/openshift/release-images:\(release.tag)") == release.payloadDigest)
        }
    }

    /// Without a key, the lab's signatures are checked against the default key (Red Hat's built in,
    /// or the host's RHEL key file) and so refused: the default is in use and says which key it is.
    @Test func withoutAKeyOptionTheDefaultKeyIsUsedAndNamed() async throws {
        try await Self.with { lab in
            let expected = ReleaseVerificationKey.resolve(option: nil)
            let config = try lab.config("""
                  platform:
                    channels:
                    - name: stable-4.18
                      minVersion: 4.18.2
                      maxVersion: 4.18.2
                """)
            let (run, _) = try await lab.run(config, labKey: false)
            #expect(run.exitCode & 2 == 2)
            let failure = try #require(run.collectionFailures.first)
            #expect(failure.contains("does not verify against \(expected)"), "\(failure)")
        }
    }

    @Test func aPayloadWithoutImageReferencesIsAClearError() async throws {
        try await Self.with { lab in
            let config = try lab.config("""
                  platform:
                    release: \(lab.upstream.brokenPayload.payload)
                """)
            let (run, _) = try await lab.run(config, ignoreSignatures: true)
            #expect(run.exitCode == 2)
            let failure = try #require(run.collectionFailures.first)
            #expect(failure.contains("no release-manifests/image-references"), "\(failure)")

            // The dry-run counts it as one unreadable image in its totals and plan.json, as its
            // per-origin line does.
            let (dry, workspace) = try await lab.run(config, workspace: "dry", dryRun: true, ignoreSignatures: true)
            let plan = try #require(dry.plan)
            #expect(plan.summary.imagesFailed == 1)
            #expect(plan.summary.images == plan.summary.imagesToMirror + plan.summary.imagesAlreadyMirrored + 1)
            #expect(dry.failedByOrigin[.release] == 1)
            let json = try #require(read(workspace, "dry-run/plan.json"))
            #expect(json.contains("\"imagesFailed\" : 1"), "\(json.prefix(2000))")
            #expect(json.contains("no release-manifests/image-references"))
        }
    }
}
