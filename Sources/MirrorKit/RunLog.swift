import Copying
import Planning

/// The files a real run leaves in `logs/`.
enum RunLog {
    /// One line per image: status, origin kind, source, destination, digest; errors indented.
    /// - Parameter interrupted: the run was stopped by a signal; the log says so first.
    static func text(report: CopyReport, images: [CollectedImage], interrupted: Bool = false) -> String {
        var origins: [String: ImageOrigin] = [:]
        for image in images { origins["\(image.source) \(image.destination)"] = image.origin }
        var text = interrupted ? "interrupted: the run was stopped before it finished; images marked interrupted did not land; run again to finish\n" : ""
        for outcome in report.images {
            let origin = origins["\(outcome.source) \(outcome.destination)"]?.rawValue ?? "-"
            text += "\(outcome.status.rawValue) \(origin) \(outcome.source) -> \(outcome.destination) \(outcome.digest ?? "-")\n"
            if let error = outcome.error {
                text += error.split(separator: "\n").map { "    \($0)\n" }.joined()
            }
        }
        text += "summary: \(report.copied) copied, \(report.skipped) already mirrored, \(report.failed.count) failed; "
            + "\(report.blobsUploaded) blobs uploaded (\(report.bytesUploaded) bytes), \(report.blobsMounted) mounted, "
            + "\(report.blobsSkipped) already present; \(report.manifestsPushed) manifests pushed\n"
        return text
    }

    /// The log of a run stopped while it collected images (nothing was copied).
    static func stoppedWhileCollecting(failures: [String]) -> String {
        "interrupted: the run was stopped while collecting images; nothing was copied; run again to mirror\n"
            + failures.map { "error collecting: " + $0.replacingOccurrences(of: "\n", with: " ") + "\n" }.joined()
    }

    /// `mirroring_errors_<stamp>.txt`, in oc-mirror's line format (spec §8.1): a bundle or operand
    /// image names the bundles and packages that need it. What failed before anything was copied
    /// (a release, a catalog, the graph image) comes first, each line saying which.
    static func errors(_ failures: [(CollectedImage, ImageOutcome)], collection: [String] = [],
                       uses: [String: OperatorUse] = [:]) -> String {
        collection.map { "error collecting: " + $0.replacingOccurrences(of: "\n", with: " ") + "\n" }.joined()
            + failures.map { image, outcome in
                "error mirroring image docker://\(image.source) " + (uses[image.source.description].map { "\($0.description) " } ?? "")
                    + "error: " + (outcome.error ?? "unknown error").replacingOccurrences(of: "\n", with: " ") + "\n"
            }.joined()
    }
}

extension CopyReport {
    /// Adds a later copy's images and figures (the catalogs, copied after their content).
    mutating func merge(_ other: CopyReport) {
        images += other.images
        blobsUploaded += other.blobsUploaded
        blobsMounted += other.blobsMounted
        blobsSkipped += other.blobsSkipped
        bytesUploaded += other.bytesUploaded
        bytesMounted += other.bytesMounted
        bytesSkipped += other.bytesSkipped
        manifestsPushed += other.manifestsPushed
        seconds += other.seconds
    }
}
