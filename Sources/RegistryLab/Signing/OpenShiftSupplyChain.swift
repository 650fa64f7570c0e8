import Distribution
import OCI

/// Signs and attaches what the release set says (`sigstoreSignedMinors`,
/// `sigstoreUnsignedVersions`, `sigstoreSignedComponents`, `referrerComponent`) once the
/// OpenShift images are pushed: a `.sig` beside every payload manifest and multi index of a
/// cosign-signed release and beside its signed components, referrers and a `.att` on one component.
enum OpenShiftSupplyChain {
    static func seed(_ content: OpenShiftContent, set: OpenShiftReleaseSet, signer: CosignSigner,
                     client: RegistryClient) async throws -> SupplyChainArtifacts {
        let signedReleases = content.releases.filter { set.isSigstoreSigned($0.version) }
        var subjects: [ImageReference] = signedReleases.map(\.payloadByDigest)
        for release in signedReleases where release.architecture != .multi {
            subjects += set.sigstoreSignedComponents.compactMap { release.componentReference($0) }
        }
        var seen = Set<Digest>()
        subjects = subjects.filter { $0.digest.map { seen.insert($0).inserted } ?? false }
        var artifacts = SupplyChainArtifacts(signatures: try await signer.sign(subjects, client: client))

        if let component = set.referrerComponent,
           let release = signedReleases.first(where: { $0.architecture == .amd64 }),
           let image = release.componentReference(component) {
            guard let subject = content.componentImages.first(where: { $0.manifest.digest == image.digest })?.manifest else {
                throw LabError.unsupported("no built image for \(component) of \(release.version)")
            }
            let attacher = ReferrerAttacher(client: client)
            let path = image.repository.path
            // One after the other: each attach rewrites the subject's fallback index.
            for artifact in [try ReferrerArtifact.sbom(repository: path, digest: subject.digest),
                             try ReferrerArtifact.inTotoAttestation(repository: path, digest: subject.digest)] {
                artifacts.referrers.append(try await attacher.attach(artifact, to: subject.descriptor, in: image.repository))
            }
            artifacts.attestations.append(try await signer.attest(subject.digest, in: image.repository, client: client))
        }
        return artifacts
    }

}
