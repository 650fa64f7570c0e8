import OCI

/// What a run would do, image by image and blob by blob, learned by reading the source
/// manifests and asking the destination what it has (nothing is pushed). The dry-run writes
/// it out; its summary answers "what will this window move?".
public struct MirrorPlan: Sendable, Codable {
    public var images: [ResolvedImage]
    public var blobs: [PlannedBlob]
    /// What failed before any image of it could be listed (a release payload that cannot be
    /// read, a catalog that cannot be pulled), for a person; each counts as one unreadable
    /// image in the summary, as the run's per-origin figures count it.
    public var unreadableBeforePlanning: [String]

    public init(images: [ResolvedImage], blobs: [PlannedBlob], unreadableBeforePlanning: [String] = []) {
        self.images = images
        self.blobs = blobs
        self.unreadableBeforePlanning = unreadableBeforePlanning
    }

    public var summary: PlanSummary { PlanSummary(self) }
}

/// One collected image and what the destination lacks of it.
public struct ResolvedImage: Sendable, Codable {
    public enum Status: String, Sendable, Codable {
        /// The destination tag already holds the source digest.
        case mirrored
        /// Something must be pushed.
        case missing
        /// The source could not be read (the reason is in `error`).
        case failed
    }

    public var image: CollectedImage
    public var status: Status
    /// The source manifest digest (the index digest for a multi-platform image).
    public var digest: Digest?
    /// Manifests to push, children before their index.
    public var manifests: [PlannedManifest]
    public var error: String?

    public init(image: CollectedImage, status: Status, digest: Digest? = nil,
                manifests: [PlannedManifest] = [], error: String? = nil) {
        self.image = image
        self.status = status
        self.digest = digest
        self.manifests = manifests
        self.error = error
    }
}

public struct PlannedManifest: Sendable, Codable, Hashable {
    public var digest: Digest
    public var mediaType: MediaType
    public var size: Int64
    /// The platform an index gives this child; nil for the root.
    public var platform: Platform?
    /// Blobs this manifest names (config and layers).
    public var blobs: [Descriptor]

    public init(digest: Digest, mediaType: MediaType, size: Int64, platform: Platform?, blobs: [Descriptor]) {
        self.digest = digest
        self.mediaType = mediaType
        self.size = size
        self.platform = platform
        self.blobs = blobs
    }
}

/// One blob at one destination repository, and how it would get there.
public struct PlannedBlob: Sendable, Codable, Hashable {
    public enum Action: String, Sendable, Codable {
        /// The repository has it.
        case present
        /// Another repository of the registry has it, or gets it first in this run: a mount.
        case mount
        /// It must be streamed from the source: the bytes that move.
        case upload
        /// A foreign layer that stays at its own URLs.
        case skip
    }

    public var digest: Digest
    public var size: Int64
    public var repository: RepositoryName
    public var action: Action

    public init(digest: Digest, size: Int64, repository: RepositoryName, action: Action) {
        self.digest = digest
        self.size = size
        self.repository = repository
        self.action = action
    }
}

/// The figures of a plan; with the previous run's record, also what is no longer selected.
public struct PlanSummary: Sendable, Codable, Equatable {
    public var images = 0
    public var imagesToMirror = 0
    public var imagesAlreadyMirrored = 0
    public var imagesFailed = 0
    public var manifestsToPush = 0
    public var blobsToUpload = 0
    public var bytesToUpload: Int64 = 0
    public var blobsToMount = 0
    public var blobsPresent = 0
    public var bytesPresent: Int64 = 0
    public var byOrigin: [String: Int] = [:]
    /// Signatures, attestations, SBOMs and referrers beside the images (not counted in `images`):
    /// how many, how many the mirror lacks, and how many could not be read.
    public var attachments = 0
    public var attachmentsToMirror = 0
    public var attachmentsFailed = 0

    public init() {}

    public init(_ plan: MirrorPlan) {
        images = plan.unreadableBeforePlanning.count
        imagesFailed = plan.unreadableBeforePlanning.count
        for image in plan.images {
            manifestsToPush += image.manifests.count
            if image.image.attachment != nil {
                attachments += 1
                if image.status == .missing { attachmentsToMirror += 1 }
                if image.status == .failed { attachmentsFailed += 1 }
                continue
            }
            images += 1
            byOrigin[image.image.origin.rawValue, default: 0] += 1
            switch image.status {
            case .mirrored: imagesAlreadyMirrored += 1
            case .missing: imagesToMirror += 1
            case .failed: imagesFailed += 1
            }
        }
        for blob in plan.blobs {
            switch blob.action {
            case .upload:
                blobsToUpload += 1
                bytesToUpload += blob.size
            case .mount: blobsToMount += 1
            case .present:
                blobsPresent += 1
                bytesPresent += blob.size
            case .skip: break
            }
        }
    }
}
