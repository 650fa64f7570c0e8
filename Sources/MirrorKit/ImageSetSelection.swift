import Foundation
import ImageSet
import OCI
import Planning

/// The images an ImageSetConfiguration selects, named for the destination, and its
/// `blockedImages`; `mirror.platform` and `mirror.operators` are kept for `ReleaseCollector`
/// and `CatalogCollector`. A configuration that asks for helm charts is refused before anything
/// moves, naming the section, rather than mirrored in part. An additional image with a problem of
/// its own (the loader's skipped entries, a destination that cannot be named) is skipped, and
/// the rest goes on.
struct ImageSetSelection {
    var images: [CollectedImage]
    /// Additional images left out, one line each: `FILE:LINE:COLUMN: path: NAME: why`.
    var skipped: [String]
    var blocked: BlockedImages
    /// `mirror.platform`, resolved later (it needs the network).
    var platform: ReleaseSelection
    /// `mirror.operators`, resolved later.
    var operators: [ImageSet.OperatorCatalog]

    static func load(path: String, naming: DestinationNaming, log: @Sendable (String) -> Void) throws(MirrorError) -> ImageSetSelection {
        let loaded: Loaded<ImageSetConfiguration>
        do {
            loaded = try ImageSetLoader.loadImageSetConfiguration(path: path)
        } catch {
            throw MirrorError(error.description, exitCode: 1)
        }
        for warning in loaded.warnings { log("warning: \(warning)") }
        let content = loaded.value.mirror
        try refuseUnsupported(content, path: path)
        if !content.samples.isEmpty {
            log("warning: \(content.samples[0].mark): mirror.samples is not implemented (as in oc-mirror); ignored")
        }

        var images: [CollectedImage] = []
        // The loader has warned about each of its skipped entries already.
        var skipped = content.skippedImages.map(\.description)
        for entry in content.additionalImages {
            do {
                let destination = try naming.destination(for: entry.reference, targetRepo: entry.targetRepo, targetTag: entry.targetTag)
                images.append(CollectedImage(source: entry.reference, destination: destination, origin: .additional,
                                             platforms: entry.platforms.selection, requestedAt: entry.mark.description))
            } catch {
                let line = "\(entry.mark): \(entry.name): cannot name its destination: \(error.message)"
                log("warning: \(line); this image is skipped")
                skipped.append(line)
            }
        }
        let blocked: BlockedImages
        do {
            blocked = try BlockedImages(content.blockedImages.map { .init($0.pattern, location: $0.mark.description) })
        } catch {
            // The loader has compiled every pattern already; this is only reached if it did not.
            throw MirrorError("\(path): blockedImages: \(error)")
        }
        return ImageSetSelection(images: images, skipped: skipped, blocked: blocked, platform: content.platform,
                                 operators: content.operators)
    }

    /// Sections Ferry does not mirror (helm charts).
    private static func refuseUnsupported(_ content: ImageSetContent, path: String) throws(MirrorError) {
        guard !content.helm.repositories.isEmpty || !content.helm.local.isEmpty else { return }
        let at = content.helm.repositories.first?.mark.description ?? content.helm.local.first?.mark.description ?? path
        throw MirrorError("\(at): mirror.helm: helm chart mirroring is not supported by this version of Ferry yet"
            + "\n  hint: remove the section to mirror the rest of the configuration now (nothing was copied)", exitCode: 16)
    }
}
