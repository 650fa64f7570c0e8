import Copying
import Distribution
import Foundation
import OCI
import Planning
import Synchronization
import Workspace

/// Signatures, attestations, SBOMs and referrers: looked up beside every image before it is
/// copied (the copier's gate; the dry-run's plan), judged by `--signature-policy`, and mirrored
/// after the images, into each image's own repository.
extension MirrorToMirror {
    /// The policy's verdict on one image: nil lets it through; a reason fails it. Release
    /// payloads follow the release rule (4.21+ fail in collection), not the policy.
    func policyRefusal(_ found: FoundAttachments) -> String? {
        guard options.attachments.policy == .require, found.image.origin != .release,
              let problem = found.signature.problem else { return nil }
        return "\(problem) (--signature-policy require); sign the image upstream, or mirror it with --signature-policy best-effort"
    }

    /// Who needs an image, for `missing-signatures.txt`.
    func neededBy(_ image: CollectedImage, uses: [String: OperatorUse]) -> String {
        if let use = uses[image.source.description] { return use.description }
        if let requestedAt = image.requestedAt { return "requested at \(requestedAt)" }
        switch image.origin {
        case .release, .releaseContent, .kubeVirt: return "release \(image.destination.tag ?? image.destination.description)"
        default: return image.origin.displayName
        }
    }

    /// Adds the images' signature states to the report and returns the attachments to mirror
    /// (each once) of the images that the policy lets through.
    func attachments(of found: [FoundAttachments], uses: [String: OperatorUse],
                     into report: inout SignatureReport) -> [CollectedImage] {
        var attachments: [CollectedImage] = []
        var seen = Set<String>()
        for entry in found {
            let refused = policyRefusal(entry) != nil
            if let problem = entry.signature.problem {
                report.missing.append(SignatureReport.Missing(image: entry.image, digest: entry.digest, problem: problem,
                                                              neededBy: neededBy(entry.image, uses: uses), failed: refused))
            }
            report.notes += entry.notes
            guard !refused else { continue }
            for attachment in entry.attachments where seen.insert("\(attachment.source) \(attachment.destination)").inserted {
                attachments.append(attachment)
            }
        }
        report.notes = Array(Set(report.notes)).sorted()
        return attachments
    }

    /// `logs/missing-signatures.txt` of a run (the dry-run's goes with its other files), or its
    /// removal when nothing is missing, so it never outlives its run.
    func writeMissingSignatures(_ report: SignatureReport) throws(MirrorError) {
        let path = "\(Workspace.logs)/missing-signatures.txt"
        do {
            if report.missing.isEmpty {
                try? FileManager.default.removeItem(at: options.workspace.url(path))
            } else {
                try options.workspace.write(report.missingText, to: path)
            }
        } catch {
            throw MirrorError(error.description)
        }
    }

    /// Logs the signature summary lines a person needs during the run.
    func logSignatures(_ report: SignatureReport, dryRun: Bool) {
        for note in report.notes { log("warning: \(note)") }
        guard !report.missing.isEmpty else { return }
        let failed = report.missing.filter(\.failed).count
        let file = dryRun ? "\(Workspace.dryRun)/missing-signatures.txt" : "\(Workspace.logs)/missing-signatures.txt"
        log("warning: \(report.missing.count) image(s) have no usable sigstore signature upstream"
            + (failed > 0 ? " (\(failed) fail under --signature-policy require)" : "")
            + "; see \(options.workspace.url(file).path)")
    }
}

extension MirrorToMirror {
    /// `repository:tag` of every image (not attachment) the run puts in the mirror.
    static func imageTags(_ images: [CollectedImage]) -> Set<String> {
        Set(images.compactMap { image in image.destination.tag.map { "\(image.destination.repository):\($0)" } })
    }

    /// Referrers that landed, grouped by the repository and subject whose fallback index lists them.
    static func referrerGroups(_ attachments: [CollectedImage]) -> [ReferrerIndexes.Group] {
        var groups: [String: ReferrerIndexes.Group] = [:]
        var order: [String] = []
        for image in attachments {
            guard let attachment = image.attachment, attachment.kind == .referrer, let descriptor = attachment.descriptor else { continue }
            let key = "\(image.destination.repository)@\(attachment.subject)"
            if groups[key] == nil {
                order.append(key)
                groups[key] = ReferrerIndexes.Group(repository: image.destination.repository, subject: attachment.subject)
            }
            if !(groups[key]?.referrers.contains { $0.digest == descriptor.digest } ?? true) {
                groups[key]?.referrers.append(descriptor)
            }
        }
        return order.compactMap { groups[$0] }
    }
}
