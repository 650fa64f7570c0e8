import Distribution
import Foundation
import ImageSet
import OCI
import Planning
import Workspace

/// A release payload the selection chose (from the update graph, or `platform.release`).
struct ReleaseToMirror: Sendable, Hashable {
    var version: String?
    /// `amd64`, `arm64`, ..., or `multi`.
    var architecture: String
    var payload: ImageReference
}

/// Turns chosen release payloads into images to mirror: each payload's signatures are verified,
/// its `release-manifests/` read (and kept under `hold-release/`), and the payload and its
/// component images named as oc-mirror names them (spec §4.4, §4.5, §4.8).
struct ReleaseCollector: Sendable {
    var naming: DestinationNaming
    var sources: RegistryClientPool
    var workspace: Workspace
    /// nil: `--ignore-release-signature`.
    var verifier: ReleaseSignatureVerifier?
    var kubeVirtContainer: Bool
    /// `platform.platforms`: copied out of multi-architecture payloads and components.
    var platforms: [Platform]?
    /// Looks up the payloads' sigstore signatures; nil: `--ignore-release-signature`.
    var sigstore: AttachmentFinder?
    /// What one payload's manifests may take out of its layers (`--max-extract-size`).
    var maxExtractBytes: Int64 = ExtractionBudget.defaultLimit

    struct Result: Sendable {
        var images: [CollectedImage] = []
        var signatures: [ReleaseSignature] = []
        /// One line per release that could not be collected.
        var failures: [String] = []
        /// Things a person should know (a cached signature fetched again), one line each.
        var warnings: [String] = []
    }

    func collect(_ releases: [ReleaseToMirror]) async -> Result {
        var result = Result()
        for release in releases {
            do {
                let (images, signatures, notes) = try await collect(release)
                result.images += images
                result.signatures += signatures
                result.warnings += notes
            } catch {
                result.failures.append("\(release.version.map { "release \($0) " } ?? "")(\(release.architecture)) \(release.payload): \(error)")
            }
        }
        return result
    }

    private func collect(_ release: ReleaseToMirror) async throws -> ([CollectedImage], [ReleaseSignature], [String]) {
        let client = sources.client(for: release.payload.repository.registry)
        // Pin the payload: signatures and clusters name it by digest.
        var payload = release.payload
        if payload.digest == nil {
            guard let digest = try await client.manifestDigest(payload) else {
                throw PlanningError("manifest not found; check the release image name")
            }
            payload = payload.withDigest(digest)
        }
        guard let digest = payload.digest else { throw PlanningError("no digest") }
        var signatures: [ReleaseSignature] = []
        var notes: [String] = []
        var publishedTag: String?
        if let verifier {
            let verified = try await verifier.signatures(for: digest, payload: payload.description)
            signatures = verified.signatures
            notes = verified.notes
            publishedTag = signatures.compactMap { try? ImageReference(parsing: $0.dockerReference).tag }.first
        }
        let scratch = workspace.url("hold-release/.scratch")
        let manifests = try await ReleasePayloadReader(client: client, scratchDirectory: scratch, maxExtractBytes: maxExtractBytes)
            .read(payload, architecture: release.architecture == "multi" ? nil : release.architecture)
        let version = release.version ?? manifests.version
        let tag = publishedTag ?? release.payload.tag
            ?? ReleaseNaming.releaseTag(payload: ImageReference(repository: payload.repository, tag: nil, digest: digest),
                                        version: version, architecture: release.architecture)
        try keep(manifests, tag: tag, payload: payload)
        let payloadDestination = try ReleaseNaming.payloadDestination(releaseTag: tag, naming: naming)
        try await requireSigstoreSignature(payload: payload, digest: digest, destination: payloadDestination, version: version)

        let filter = release.architecture == "multi" ? platforms : nil
        var images = [CollectedImage(source: ImageReference(repository: payload.repository, tag: nil, digest: digest),
                                     destination: payloadDestination,
                                     origin: .release, platforms: filter)]
        for component in manifests.components {
            images.append(CollectedImage(source: component.image,
                                         destination: try ReleaseNaming.componentDestination(releaseTag: tag, component: component.name,
                                                                                             naming: naming),
                                         origin: .releaseContent, platforms: filter))
        }
        if kubeVirtContainer {
            for (name, image) in try kubeVirtImages(manifests.bootImages, architecture: release.architecture, payload: payload) {
                images.append(CollectedImage(source: image,
                                             destination: try ReleaseNaming.componentDestination(releaseTag: tag, component: name,
                                                                                                 naming: naming),
                                             origin: .kubeVirt))
            }
        }
        return (images, signatures, notes)
    }

    /// From 4.21 a cluster's default `openshift` ClusterImagePolicy makes CRI-O verify the
    /// payload's sigstore signature, found beside it in the mirror; without one a disconnected
    /// cluster cannot update to the release (from 4.22 not even install it). So a 4.21+ payload
    /// without a usable signature upstream fails its release; older ones are listed (the
    /// signature report) and land.
    private func requireSigstoreSignature(payload: ImageReference, digest: Digest, destination: ImageReference,
                                          version: String?) async throws {
        guard let sigstore, Self.enforcesSigstore(version) else { return }
        let image = CollectedImage(source: ImageReference(repository: payload.repository, tag: nil, digest: digest),
                                   destination: destination, origin: .release)
        let found = await sigstore.find(image, digest: digest)
        guard let problem = found.signature.problem else { return }
        let tag = Attachment.cosignTag(.signature, of: digest) ?? ""
        throw PlanningError("\(problem) (\(payload.repository):\(tag)); clusters of \(version.map { "release \($0)" } ?? "this release") "
            + "verify the payload's sigstore signature (the default ClusterImagePolicy \"openshift\") and would refuse it"
            + "\n  hint: mirror it anyway with --ignore-release-signature (the cluster then needs its own policy), "
            + "or check that the release's signature tag exists upstream")
    }

    /// True for 4.21 and later, and for a version that cannot be read (the safe side).
    static func enforcesSigstore(_ version: String?) -> Bool {
        guard let version else { return true }
        let parts = version.split(separator: ".").prefix(2).map { Int($0.prefix { $0.isNumber }) }
        guard parts.count == 2, let major = parts[0], let minor = parts[1] else { return true }
        return major > 4 || (major == 4 && minor >= 21)
    }

    /// `hold-release/<repository>/<tag>/release-manifests/…`, oc-mirror's place for them (spec §3.1).
    private func keep(_ manifests: ReleaseManifests, tag: String, payload: ImageReference) throws {
        let base = "hold-release/\(payload.repository.path.split(separator: "/").last ?? "release")/\(tag)/release-manifests"
        if let data = manifests.releaseMetadata { try workspace.write(data, to: "\(base)/release-metadata") }
        if let data = manifests.bootImages { try workspace.write(data, to: "\(base)/0000_50_installer_coreos-bootimages.yaml") }
        let lines = manifests.components.map { "\($0.name) \($0.image)\n" }.joined()
        try workspace.write(lines, to: "\(base)/components.txt")
    }

    /// The KubeVirt container of `0000_50_installer_coreos-bootimages.yaml` (spec §4.5):
    /// `data.stream` is JSON; `architectures.<x86_64|s390x>.images.kubevirt.digest-ref`.
    private func kubeVirtImages(_ bootImages: Data?, architecture: String,
                                payload: ImageReference) throws -> [(String, ImageReference)] {
        guard let bootImages else {
            throw PlanningError("kubeVirtContainer: the payload has no release-manifests/0000_50_installer_coreos-bootimages.yaml")
        }
        let root = try YAMLReader.parse(String(decoding: bootImages, as: UTF8.self), fileName: "0000_50_installer_coreos-bootimages.yaml")
        guard let stream = root?.value(at: ["data", "stream"])?.text,
              let json = try JSONSerialization.jsonObject(with: Data(stream.utf8)) as? [String: Any],
              let architectures = json["architectures"] as? [String: Any] else {
            throw PlanningError("kubeVirtContainer: no data.stream architectures in the boot images ConfigMap")
        }
        let wanted = architecture == "multi" ? ["x86_64", "s390x"] : [ReleaseNaming.suffix(architecture)]
        var found: [(String, ImageReference)] = []
        for arch in wanted {
            guard let images = (architectures[arch] as? [String: Any])?["images"] as? [String: Any],
                  let kubevirt = images["kubevirt"] as? [String: Any], let reference = kubevirt["digest-ref"] as? String else { continue }
            let name = wanted.count > 1 ? "kube-virt-container-\(arch)" : "kube-virt-container"
            found.append((name, try ImageReference(parsing: reference)))
        }
        guard !found.isEmpty else {
            throw PlanningError("kubeVirtContainer: the boot images ConfigMap names no KubeVirt image for \(wanted.joined(separator: ", "))")
        }
        return found
    }
}
