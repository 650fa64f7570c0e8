import Copying
import Foundation
import MirrorKit
import Planning
import Workspace

/// The end-of-run report of `ferry -c`: per origin kind, the dry-run's delta or the copy's
/// figures, failures with their reasons, and where the files went.
enum MirrorReportFormatter {
    static func summary(_ outcome: MirrorOutcome, workspace: Workspace) -> String {
        var text = ""
        if !outcome.blocked.isEmpty || outcome.duplicatesDropped > 0 {
            text += "Selected \(outcome.selected.count) images (\(outcome.blocked.count) blocked by blockedImages, "
                + "\(outcome.duplicatesDropped) duplicates dropped)\n"
        }
        for failure in outcome.collectionFailures {
            text += "FAILED " + failure.split(separator: "\n").joined(separator: "\n  ") + "\n"
        }
        text += skippedLines(outcome)
        if let plan = outcome.plan {
            let summary = plan.summary
            text += "Dry run: \(summary.images) images: \(summary.imagesToMirror) to mirror, "
                + "\(summary.imagesAlreadyMirrored) already mirrored, \(summary.imagesFailed) unreadable\n"
            text += "Would push \(summary.manifestsToPush) manifests; upload \(summary.blobsToUpload) blobs "
                + "(\(ByteFormat.string(summary.bytesToUpload))), mount \(summary.blobsToMount), "
                + "\(summary.blobsPresent) already in place\n"
            let unreadable = plan.images.filter { $0.status == .failed }
            for (error, images) in FailureGroups.group(unreadable, error: { $0.error ?? "unknown error" }) {
                guard images.count > 1 else {
                    let image = images[0]
                    text += "UNREADABLE \(image.image.source)\n" + indent(image.error)
                    if let users = outcome.operatorUses[image.image.source.description] { text += "  needed by \(users.description)\n" }
                    continue
                }
                // One cause (a registry that is down): said once, the images listed under it.
                text += "UNREADABLE \(images.count) images, all for the same reason:\n" + indent(error)
                for image in images {
                    text += "  - \(image.image.source)\n"
                    if let users = outcome.operatorUses[image.image.source.description] { text += "    needed by \(users.description)\n" }
                }
            }
        }
        if let report = outcome.copyReport {
            let signatures = outcome.signatureReport
            text += ReportFormatter.summary(report, neededBy: { outcome.operatorUses[$0.source]?.description },
                                            attachments: (signatures.attachmentCount - signatures.attachmentsAlreadyThere,
                                                          signatures.attachmentsAlreadyThere, signatures.attachmentsFailed))
        }
        for origin in ImageOrigin.allCases {
            let landed = outcome.landedByOrigin[origin] ?? 0
            let failed = outcome.failedByOrigin[origin] ?? 0
            guard landed + failed > 0 else { continue }
            let already = outcome.alreadyMirroredByOrigin[origin] ?? 0
            if outcome.dryRun {
                text += "\(origin.displayName)s: \(landed - already) to mirror, \(already) already mirrored, \(failed) unreadable\n"
            } else {
                text += "\(origin.displayName)s: \(landed) / \(landed + failed) mirrored (\(landed - already) copied, "
                    + "\(already) already there), \(failed) failed\n"
            }
        }
        text += signatureLines(outcome.signatureReport, dryRun: outcome.dryRun, workspace: workspace)
        if !outcome.noLongerSelected.isEmpty {
            text += "No longer selected since the last successful run (\(outcome.noLongerSelected.count)):\n"
            for image in outcome.noLongerSelected { text += "  \(image.source) -> \(image.destination)\n" }
        }
        for problem in outcome.replayProblems { text += "CLUSTER RESOURCE CHECK FAILED: \(problem)\n" }
        if !outcome.files.isEmpty {
            text += "Wrote under \(workspace.root.path):\n" + outcome.files.map { "  \($0)\n" }.joined()
        }
        return text
    }

    static func writeJSON(_ outcome: MirrorOutcome) {
        var object: [String: Any] = ["event": "mirror-summary", "dryRun": outcome.dryRun, "exitCode": outcome.exitCode,
                                     "selected": outcome.selected.count, "blocked": outcome.blocked.count,
                                     "files": outcome.files, "noLongerSelected": outcome.noLongerSelected.map(\.destination),
                                     "releaseFailures": outcome.collectionFailures,
                                     "skippedImages": outcome.skippedAdditionalImages,
                                     "skippedOperatorImages": outcome.skippedOperatorImages]
        if let plan = outcome.plan {
            let summary = plan.summary
            object["plan"] = ["images": summary.images, "toMirror": summary.imagesToMirror,
                              "alreadyMirrored": summary.imagesAlreadyMirrored, "unreadable": summary.imagesFailed,
                              "manifestsToPush": summary.manifestsToPush, "blobsToUpload": summary.blobsToUpload,
                              "bytesToUpload": summary.bytesToUpload, "blobsToMount": summary.blobsToMount]
        }
        let signatures = outcome.signatureReport
        object["signatures"] = ["attachments": signatures.attachmentCount, "alreadyThere": signatures.attachmentsAlreadyThere,
                                "failed": signatures.attachmentsFailed, "referrerIndexes": signatures.referrerIndexes,
                                "missing": signatures.missing.count, "missingFailed": signatures.missing.filter(\.failed).count]
        if let report = outcome.copyReport {
            object["copied"] = report.copied
            object["skipped"] = report.skipped
            object["failed"] = report.failed.count
            object["bytesUploaded"] = report.bytesUploaded
        }
        JSONEventWriter.emit(object)
    }

    /// The additional images left out for problems in their entries, one line each, and a count
    /// of everything skipped pointing at `skipped-images.txt`.
    static func skippedLines(_ outcome: MirrorOutcome) -> String {
        let additional = outcome.skippedAdditionalImages.count
        let operators = outcome.skippedOperatorImages
        guard additional + operators > 0 else { return "" }
        var text = outcome.skippedAdditionalImages.map { "SKIPPED additional image \($0)\n" }.joined()
        let counts = [additional > 0 ? "\(additional) additional image\(additional == 1 ? "" : "s")" : nil,
                      operators > 0 ? "\(operators) operator image\(operators == 1 ? "" : "s")" : nil].compactMap { $0 }
        text += "Skipped, not mirrored: \(counts.joined(separator: ", ")) (see \(SkippedImagesReport.path))\n"
        return text
    }

    /// Signatures and referrers in the mirror, and the images without a usable signature.
    static func signatureLines(_ report: SignatureReport, dryRun: Bool, workspace: Workspace) -> String {
        var text = ""
        if report.attachmentCount + report.attachmentsFailed > 0 {
            let kinds = Attachment.Kind.allCases.compactMap { kind -> String? in
                guard let count = report.attachments[kind], count > 0 else { return nil }
                let name = switch kind {
                case .signature: "signature"
                case .attestation: "attestation"
                case .sbom: "SBOM"
                case .referrer: "referrer"
                }
                return "\(count) \(name)\(count == 1 ? "" : "s")"
            }.joined(separator: ", ")
            let moving = report.attachmentCount - report.attachmentsAlreadyThere
            text += "signatures and referrers: \(kinds.isEmpty ? "none" : kinds) (\(moving) \(dryRun ? "to mirror" : "copied"), "
                + "\(report.attachmentsAlreadyThere) already there), \(report.attachmentsFailed) \(dryRun ? "unreadable" : "failed")"
            if report.referrerIndexes > 0 {
                text += "; \(report.referrerIndexes) referrers fallback index\(report.referrerIndexes == 1 ? "" : "es") "
                    + (dryRun ? "to write" : "written")
            }
            text += "\n"
        }
        if !report.missing.isEmpty {
            let failed = report.missing.filter(\.failed).count
            let file = dryRun ? "\(Workspace.dryRun)/missing-signatures.txt" : "\(Workspace.logs)/missing-signatures.txt"
            text += "images without a usable signature: \(report.missing.count)"
                + (failed > 0 ? " (\(failed) failed: --signature-policy require)" : "") + " (see \(file))\n"
        }
        return text
    }

    /// The one line a run stopped by a signal ends with (instead of the full report): what landed,
    /// what did not, and the log that lists each image.
    static func stopped(_ outcome: MirrorOutcome, signal: String, workspace: Workspace) -> String {
        var line: String
        if let report = outcome.copyReport {
            line = ReportFormatter.stopped(report, signal: signal).trimmingCharacters(in: .newlines)
        } else {
            line = "\(signal): stopped while collecting images; nothing was copied; run again to mirror"
        }
        if let log = outcome.files.first(where: { $0.hasPrefix("\(Workspace.logs)/ferry-") }) {
            line += "; log: \(workspace.url(log).path)"
        }
        return line + "\n"
    }

    /// `  LINE\n` for each line of `text` (an error and its hint under a FAILED line).
    static func indent(_ text: String?) -> String {
        (text ?? "unknown error").split(separator: "\n").map { "  \($0)\n" }.joined()
    }
}
