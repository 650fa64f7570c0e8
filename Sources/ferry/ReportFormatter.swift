import Copying
import Foundation
import Synchronization

/// The end-of-run summary a person reads.
enum ReportFormatter {
    /// - Parameters:
    ///   - neededBy: for a failed image, what needs it (the operator bundles), if known.
    ///   - attachments: of the report's images, the signatures and referrers copied beside them
    ///     (counted apart, as the dry-run counts them).
    static func summary(_ report: CopyReport, neededBy: (ImageOutcome) -> String? = { _ in nil },
                        attachments: (copied: Int, skipped: Int, failed: Int) = (0, 0, 0)) -> String {
        var text = String(format: report.seconds < 10 ? "Images: %d copied, %d already mirrored, %d failed (%.2f s)\n"
                                                        : "Images: %d copied, %d already mirrored, %d failed (%.1f s)\n",
                          report.copied - attachments.copied, report.skipped - attachments.skipped,
                          report.failed.count - attachments.failed, report.seconds)
        text += "Blobs: \(report.blobsUploaded) uploaded (\(ByteFormat.string(report.bytesUploaded))), "
            + "\(report.blobsMounted) mounted (\(ByteFormat.string(report.bytesMounted))), "
            + "\(report.blobsSkipped) already present (\(ByteFormat.string(report.bytesSkipped)))\n"
        text += "Manifests pushed: \(report.manifestsPushed)\n"
        if report.seconds > 0, report.bytesUploaded > 0 {
            text += "Throughput: \(ByteFormat.string(Int64(Double(report.bytesUploaded) / report.seconds)))/s\n"
        }
        for (error, failures) in FailureGroups.group(report.failed, error: { $0.error ?? "unknown error" }) {
            guard failures.count > 1 else {
                let failure = failures[0]
                text += "FAILED \(failure.source) -> \(failure.destination)\n"
                if let users = neededBy(failure) { text += "  needed by \(users)\n" }
                text += MirrorReportFormatter.indent(error)
                continue
            }
            // One cause (a registry that is down): said once, the images listed under it.
            text += "FAILED \(failures.count) images, all for the same reason:\n" + MirrorReportFormatter.indent(error)
            for failure in failures {
                text += "  - \(failure.source) -> \(failure.destination)\n"
                if let users = neededBy(failure) { text += "    needed by \(users)\n" }
            }
        }
        return text
    }
}

extension ReportFormatter {
    /// The one line a run stopped by a signal ends with: what landed, what did not, what moved.
    static func stopped(_ report: CopyReport, signal: String) -> String {
        let landed = report.copied + report.skipped
        let total = report.images.count
        let failed = report.failed.count - report.interrupted
        let line = "\(signal): stopped: \(landed) of \(total) image(s) landed (\(report.copied) copied, \(report.skipped) already mirrored), "
            + "\(total - landed) did not (\(report.interrupted) interrupted, \(failed) failed); "
            + "\(report.blobsUploaded) blob(s) uploaded (\(ByteFormat.string(report.bytesUploaded)))"
        return line + "; run again to finish\n"
    }
}

/// `--log-format json`: one JSON object per line on stdout.
enum JSONEventWriter {
    static func write(_ event: CopyEvent) {
        var object: [String: Any] = [:]
        switch event {
        case .imageFinished(let outcome):
            object = ["event": "image", "source": outcome.source, "destination": outcome.destination,
                      "status": outcome.status.rawValue]
            if let digest = outcome.digest { object["digest"] = digest }
            if let error = outcome.error { object["error"] = error }
        case .blobFinished(let digest, let repository, let outcome, let size):
            object = ["event": "blob", "digest": digest, "repository": repository, "size": size]
            switch outcome {
            case .alreadyPresent: object["action"] = "skipped"
            case .nonDistributable: object["action"] = "non-distributable"
            case .mounted(let from): object["action"] = "mounted"; object["from"] = from
            case .uploaded: object["action"] = "uploaded"
            }
        }
        emit(object)
    }

    static func writeSummary(_ report: CopyReport) {
        emit(["event": "summary", "copied": report.copied, "skipped": report.skipped, "failed": report.failed.count,
              "blobsUploaded": report.blobsUploaded, "blobsMounted": report.blobsMounted, "blobsSkipped": report.blobsSkipped,
              "bytesUploaded": report.bytesUploaded, "bytesMounted": report.bytesMounted, "bytesSkipped": report.bytesSkipped,
              "manifestsPushed": report.manifestsPushed, "seconds": report.seconds])
    }

    /// Events come from concurrent image tasks; one writer at a time keeps lines whole.
    private static let output = Mutex(())

    static func emit(_ object: [String: Any]) {
        guard var data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        data.append(0x0A)
        output.withLock { _ in FileHandle.standardOutput.write(data) }
    }
}
