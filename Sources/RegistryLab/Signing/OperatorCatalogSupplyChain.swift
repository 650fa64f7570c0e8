import Distribution
import OCI

/// Signs and attaches what the catalog set says (`sigstoreSignsBundles`,
/// `sigstoreSignedOperatorPackages`, `referrerOperand`) once the catalog images are pushed.
enum OperatorCatalogSupplyChain {
    static func seed(_ content: OperatorCatalogContent, set: OperatorCatalogSet, signer: CosignSigner,
                     client: RegistryClient) async throws -> SupplyChainArtifacts {
        let pushed = Dictionary(content.bundles.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        // The pushed image of an operand, found through a bundle that names it (one image per repository there).
        func image(of operand: OperatorCatalogSet.Operand, in definition: OperatorCatalogSet.Bundle) -> ImageReference? {
            pushed[definition.name]?.operandImages.first { $0.repository.path == operand.repository }
        }

        var subjects: [ImageReference] = set.sigstoreSignsBundles ? content.bundles.map(\.image) : []
        for definition in set.bundles where set.sigstoreSignedOperatorPackages.contains(definition.package) {
            subjects += definition.operands.filter { $0.placement == .managerContainer }.compactMap { image(of: $0, in: definition) }
        }
        var seen = Set<Digest>()
        subjects = subjects.filter { $0.digest.map { seen.insert($0).inserted } ?? false }
        var artifacts = SupplyChainArtifacts(signatures: try await signer.sign(subjects, client: client))

        guard let operand = set.referrerOperand else { return artifacts }
        let named = set.bundles.lazy.compactMap { definition in
            definition.operands.first { $0.repository == operand.repository && $0.revision == operand.revision }
                .flatMap { image(of: $0, in: definition) }
        }
        guard let reference = named.first, let digest = reference.digest,
              let subject = (content.images + content.indexes).first(where: { $0.manifest.digest == digest })?.manifest else {
            throw LabError.unsupported("no bundle names the referrer operand \(operand.repository) \(operand.revision)")
        }
        let attacher = ReferrerAttacher(client: client)
        // One after the other: each attach rewrites the subject's fallback index.
        for artifact in [try ReferrerArtifact.sbom(repository: operand.repository, digest: digest),
                         try ReferrerArtifact.inTotoAttestation(repository: operand.repository, digest: digest)] {
            artifacts.referrers.append(try await attacher.attach(artifact, to: subject.descriptor, in: reference.repository))
        }
        artifacts.attestations.append(try await signer.attest(digest, in: reference.repository, client: client))
        return artifacts
    }
}
