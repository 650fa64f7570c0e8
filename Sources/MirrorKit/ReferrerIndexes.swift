import Distribution
import Foundation
import OCI
import Planning

/// The referrers fallback tag on a mirror without the OCI 1.1 referrers API (distribution 2.x,
/// Nexus): `sha256-<hex>` of the subject holds an image index listing its referrers, so that
/// tools find them (the OCI distribution spec's fallback). Kept consistent across runs: what the
/// tag lists already stays, new referrers are added, and the index is pushed only when it changes.
///
/// The same tag is what a digest-only image is named in its own repository (oc-mirror's
/// `sha256-<hex>`). Where both want it, the image keeps it: clusters and re-runs rely on that
/// tag, and taking it for an index would make every run move it back and forth. The referrers
/// are then in the mirror by digest, listed by a registry that has the referrers API.
struct ReferrerIndexes {
    /// The referrers of one subject in one destination repository.
    struct Group: Sendable {
        var repository: RepositoryName
        var subject: Digest
        var referrers: [Descriptor] = []
    }

    /// An index to push under the fallback tag.
    struct Write: Sendable {
        var repository: RepositoryName
        var subject: Digest
        var document: ManifestDocument

        var target: ImageReference {
            ImageReference(repository: repository, tag: Attachment.fallbackTag(of: subject), digest: nil)
        }
    }

    var destinations: RegistryClientPool

    /// The indexes to write for `groups`, and notes for the subjects whose tag an image keeps.
    /// - Parameter imageTags: `repository:tag` of every image this run puts in the mirror.
    func plan(_ groups: [Group], imageTags: Set<String>) async -> (writes: [Write], notes: [String]) {
        var writes: [Write] = []
        var notes: [String] = []
        var withAPI = Set<String>()
        var withoutAPI = Set<String>()
        for group in groups where !group.referrers.isEmpty {
            let client = destinations.client(for: group.repository.registry)
            let tag = Attachment.fallbackTag(of: group.subject)
            let keeps = "the tag \(group.repository):\(tag) holds an image (Ferry's and oc-mirror's name for a digest-only image), "
                + "so its \(group.referrers.count) referrer(s) are in the mirror by digest but not listed under that tag; "
                + "a registry with the OCI referrers API (distribution 3, Quay, Harbor) lists them"
            if imageTags.contains("\(group.repository):\(tag)") {
                notes.append(keeps)
                continue
            }
            do {
                // A registry with the referrers API indexes subjects itself: nothing to write.
                if !withoutAPI.contains(group.repository.registry) {
                    if withAPI.contains(group.repository.registry) { continue }
                    switch try await client.referrers(of: group.subject, in: group.repository.path) {
                    case .listed:
                        withAPI.insert(group.repository.registry)
                        continue
                    case .unsupported:
                        withoutAPI.insert(group.repository.registry)
                    }
                }
                let target = ImageReference(repository: group.repository, tag: tag, digest: nil)
                var listed: [Descriptor] = []
                if let current = try await client.manifestDescriptor(target) {
                    guard current.mediaType.isIndex, current.digest != group.subject else {
                        notes.append(keeps)
                        continue
                    }
                    listed = try await client.fetchManifest(ImageReference(repository: group.repository, tag: nil,
                                                                           digest: current.digest)).children
                }
                let known = Set(listed.map(\.digest))
                let added = group.referrers.filter { !known.contains($0.digest) }.sorted { $0.digest.description < $1.digest.description }
                guard !added.isEmpty else { continue }
                let document = try ManifestDocument(encoding: .index(ImageIndex(manifests: listed + added.map(Self.entry))))
                writes.append(Write(repository: group.repository, subject: group.subject, document: document))
            } catch {
                notes.append("cannot update the referrers fallback tag \(group.repository):\(tag): \(error)")
            }
        }
        return (writes, notes)
    }

    /// A referrer as an index lists it: media type, digest, size, artifact type and annotations.
    private static func entry(_ descriptor: Descriptor) -> Descriptor {
        Descriptor(mediaType: descriptor.mediaType, digest: descriptor.digest, size: descriptor.size,
                   annotations: descriptor.annotations, artifactType: descriptor.artifactType)
    }
}
