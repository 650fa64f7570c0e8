import Distribution
import OCI

/// What one image needs at the destination, learned before any blob moves: the manifests to
/// push (children first, the root last) and the blobs they name. Knowing the bytes of each image
/// lets the copiers take the largest first, so a big layer does not trail alone at the end.
struct ImagePlan: Sendable {
    struct Manifest: Sendable {
        var document: ManifestDocument
        /// Where it is pushed: by digest for index children, under the tag for the root.
        var target: ImageReference
    }

    var task: CopyTask
    var digest: Digest
    var manifests: [Manifest]

    /// Unique blobs named by the manifests to push, in first-seen order.
    var blobs: [Descriptor] {
        var seen = Set<Digest>()
        return manifests.flatMap(\.document.blobs).filter { seen.insert($0.digest).inserted }
    }

    /// An upper bound of the bytes this image moves.
    var bytes: Int64 { blobs.reduce(0) { $0 + $1.size } }
}

/// The outcome of planning one image.
enum PlannedImage: Sendable {
    /// The destination tag already carries the source digest.
    case mirrored(digest: Digest)
    case copy(ImagePlan)
    case failed(digest: Digest?, error: String)
}
