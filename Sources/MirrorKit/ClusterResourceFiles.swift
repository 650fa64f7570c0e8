import ClusterResources
import Foundation
import OCI
import Planning

/// The IDMS/ITMS for the images that landed, and the replay check: the files are read back
/// and, for every landed source, the references a cluster node would try through them must
/// include one the mirror holds (known without the network: what this run copied or found).
struct ClusterResourceFiles {
    var files: [String: Data] = [:]
    var replayProblems: [String] = []
    var warnings: [String] = []

    /// - Parameter catalogTemplates: destination of a catalog → its `targetCatalogSourceTemplate` path.
    static func make(landed: [LandedImage], signatures: [ReleaseSignature] = [], graphImage: ImageReference? = nil,
                     catalogTemplates: [String: String] = [:], maxNestedPaths: Int) async -> ClusterResourceFiles {
        var result = ClusterResourceFiles()
        // updateService.yaml: the graph image, and the repository the payloads landed in.
        if let graphImage, let payloads = landed.first(where: { $0.image.origin == .release })?.image.destination.repository {
            do {
                let file = try UpdateServiceResource.file(graphImage: graphImage, releases: payloads)
                result.files[file.name] = Data(file.bytes)
            } catch {
                result.replayProblems.append("cannot write the UpdateService: \(error)")
            }
        }
        // CatalogSource and ClusterCatalog for every catalog that landed.
        for catalog in landed where catalog.image.origin == .operatorCatalog {
            do {
                let templatePath = catalogTemplates[catalog.image.destination.description]
                let template = templatePath.flatMap { FileManager.default.contents(atPath: $0) }.map { String(decoding: $0, as: UTF8.self) }
                if let templatePath, template == nil {
                    result.warnings.append("cannot read the CatalogSource template \(templatePath); a plain CatalogSource was written")
                }
                let source = try CatalogSourceResource.file(catalog: catalog.image.destination, template: template, templatePath: templatePath)
                if let problem = source.templateProblem { result.warnings.append(problem) }
                result.files[source.file.name] = Data(source.file.bytes)
                let cluster = try ClusterCatalogResource.file(catalog: catalog.image.destination)
                result.files[cluster.name] = Data(cluster.bytes)
            } catch {
                result.replayProblems.append("cannot write the catalog resources of \(catalog.image.destination): \(error)")
            }
        }
        // The signature ConfigMap: signatures of payloads that landed.
        let payloads = Set(landed.filter { $0.image.origin == .release }.map(\.digest))
        do {
            for file in try SignatureConfigMap.files(signatures.filter { payloads.contains($0.digest) }.map {
                SignatureConfigMap.Signature(digest: $0.digest, index: $0.index, raw: $0.raw)
            }) {
                result.files[file.name] = Data(file.bytes)
            }
        } catch {
            result.replayProblems.append("cannot write the signature ConfigMap: \(error)")
        }
        // Catalogs and the graph image get CatalogSource / UpdateService instead (spec §6.1).
        // Signatures and referrers live in their image's repository: no rules of their own.
        let attachments = landed.filter { $0.image.attachment != nil }
        let images = landed.filter { $0.image.origin != .operatorCatalog && $0.image.origin != .graph && $0.image.attachment == nil }
        let mirrored = images.map {
            MirroredImage(source: $0.image.source, destination: $0.image.destination, category: category(of: $0.image.origin),
                          isReleasePayload: $0.image.origin == .release)
        }
        let sets = ImageMirrorSetGenerator(forceRepositoryScope: maxNestedPaths > 0).mirrorSets(for: mirrored)
        let generated: [ClusterResourceFile]
        do {
            generated = try sets.files()
        } catch {
            result.replayProblems.append("cannot write the IDMS/ITMS: \(error)")
            return result
        }
        for file in generated { result.files[file.name] = Data(file.bytes) }

        // Replay from the text as written, so the check covers exactly what a cluster gets.
        let reread: ImageMirrorSets
        do {
            reread = try ImageMirrorSets(idmsYAML: generated.first { $0.name == MirrorSetKind.digest.fileName }?.contents,
                                         itmsYAML: generated.first { $0.name == MirrorSetKind.tag.fileName }?.contents)
        } catch {
            result.replayProblems.append("the generated IDMS/ITMS do not read back: \(error)")
            return result
        }
        var present = Set<String>()
        for image in images + attachments {
            let repository = image.image.destination.repository
            if let tag = image.image.destination.tag { present.insert("\(repository):\(tag)") }
            present.insert("\(repository)@\(image.digest)")
        }
        // ITMS maps repositories, not tags: a source pulled by a tag that `targetTag` renamed
        // cannot be redirected. That is the user's choice, so it is a warning, not a failure.
        let renamed = mirrored.filter { $0.source.digest == nil && $0.source.tag != $0.destination.tag }
        result.warnings = renamed.map {
            "\($0.source) is mirrored as \($0.destination) (targetTag): a cluster pulling it by the tag \($0.source.tag ?? "")"
                + " finds no such tag in the mirror (an ImageTagMirrorSet maps repositories, not tags); refer to it by digest or by the new tag"
        }
        let checked = mirrored.filter { !renamed.contains($0) }
        let known = present
        let problems = await reread.rules.unreachableImages(checked) { reference in
            if let digest = reference.digest { return known.contains("\(reference.repository)@\(digest)") }
            return reference.tag.map { known.contains("\(reference.repository):\($0)") } ?? false
        }
        result.replayProblems += problems.map(\.description)
        result.replayProblems += payloadSignatureProblems(images: images, attachments: attachments, rules: reread.rules, present: known)
        return result
    }

    /// A 4.21+ node verifies the payload's sigstore signature where it pulls the payload from:
    /// `sha256-<hex>.sig` in the mirror repository the IDMS sends it to. Every payload whose
    /// signature landed must have it there.
    private static func payloadSignatureProblems(images: [LandedImage], attachments: [LandedImage], rules: MirrorRules,
                                                 present: Set<String>) -> [String] {
        let signed = Set(attachments.compactMap { $0.image.attachment?.kind == .signature ? $0.image.attachment?.subject : nil })
        var problems: [String] = []
        for payload in images where payload.image.origin == .release && signed.contains(payload.digest) {
            let source = ImageReference(repository: payload.image.source.repository, tag: nil, digest: payload.digest)
            let candidates = rules.mirrors(for: source)
            guard let pulled = candidates.first(where: { present.contains("\($0.repository)@\(payload.digest)") }) else { continue }
            let tag = Attachment.cosignTag(.signature, of: payload.digest) ?? ""
            if !present.contains("\(pulled.repository):\(tag)") {
                problems.append("\(source): a node following the IDMS pulls the release payload from \(pulled.repository), "
                    + "where its sigstore signature \(pulled.repository):\(tag) is not; 4.21+ clusters refuse the payload")
            }
        }
        return problems
    }

    private static func category(of origin: ImageOrigin) -> MirrorCategory {
        switch origin {
        case .release, .releaseContent, .kubeVirt, .graph: .release
        case .operatorBundle, .operatorRelatedImage, .operatorCatalog: .operator
        case .additional, .helm: .generic
        }
    }
}
