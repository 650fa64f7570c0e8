import Distribution
import Foundation
import OCI

/// Attaches OCI 1.1 referrers (SBOMs, attestations) to images in a lab registry.
///
/// Each referrer is an OCI image manifest with `artifactType`, the empty config
/// (`application/vnd.oci.empty.v1+json`, the 2 bytes `{}`), one layer and a `subject` naming the
/// image; it is pushed by digest only. Distribution 2.8 has no referrers API
/// (`GET /v2/<repo>/referrers/<digest>` is a plain 404), so the attacher also maintains what the
/// distribution spec calls the referrers tag schema: the tag `sha256-<hex of the subject>` holds
/// an OCI index listing every referrer's descriptor with its `artifactType` and annotations.
///
/// Attaching reads that index, adds the new entry and pushes it back: attaches to one subject
/// must not run concurrently (the second would drop the first's entry).
public struct ReferrerAttacher: Sendable {
    /// The empty JSON object, the config of artifacts that have none.
    public static let emptyConfig = Data("{}".utf8)
    /// Its descriptor: `application/vnd.oci.empty.v1+json`, sha256:44136fa3…, 2 bytes.
    public static let emptyConfigDescriptor = Descriptor(mediaType: .ociEmpty, digest: .sha256(emptyConfig), size: 2)

    public let client: RegistryClient

    public init(client: RegistryClient) { self.client = client }

    /// `sha256-<hex>`: the fallback tag whose index lists the referrers of `subject`.
    public static func fallbackTag(for subject: Digest) -> String {
        "\(subject.algorithm.rawValue)-\(subject.encoded)"
    }

    /// Pushes `artifact` as a referrer of `subject` (the subject manifest's media type, digest
    /// and size) in `repository`, then adds it to the fallback index. Attaching the same
    /// artifact twice leaves one entry.
    @discardableResult
    public func attach(_ artifact: ReferrerArtifact, to subject: Descriptor, in repository: RepositoryName) async throws
        -> AttachedReferrer {
        let manifest = try ManifestDocument(encoding: .image(ImageManifest(
            artifactType: artifact.artifactType,
            config: Self.emptyConfigDescriptor,
            layers: [Descriptor(mediaType: artifact.layerMediaType, digest: .sha256(artifact.content),
                                size: Int64(artifact.content.count))],
            subject: Descriptor(mediaType: subject.mediaType, digest: subject.digest, size: subject.size),
            annotations: artifact.annotations.isEmpty ? nil : artifact.annotations)))
        // The index may only name manifests the repository has, so the referrer goes first.
        try await BuiltImagePusher(client: client).push(BuiltImage(
            repository: repository.path, manifest: manifest, blobs: [Self.emptyConfig, artifact.content], tags: []))

        var entry = manifest.descriptor
        entry.artifactType = artifact.artifactType
        entry.annotations = artifact.annotations.isEmpty ? nil : artifact.annotations
        var index = try await fallbackIndex(of: subject.digest, in: repository) ?? ImageIndex(manifests: [])
        if !index.manifests.contains(where: { $0.digest == entry.digest }) {
            index.manifests.append(entry)
            let tagged = ImageReference(repository: repository, tag: Self.fallbackTag(for: subject.digest), digest: nil)
            try await client.pushManifest(try ManifestDocument(encoding: .index(index)), to: tagged)
        }
        return AttachedReferrer(subject: ImageReference(repository: repository, tag: nil, digest: subject.digest),
                                descriptor: entry, manifest: manifest)
    }

    /// Reads the subject's manifest for its descriptor, then attaches as above.
    /// - Parameter subject: an image by digest (or by tag, resolved now).
    @discardableResult
    public func attach(_ artifact: ReferrerArtifact, to subject: ImageReference) async throws -> AttachedReferrer {
        let document = try await client.fetchManifest(subject)
        return try await attach(artifact, to: document.descriptor, in: subject.repository)
    }

    /// The index under the subject's fallback tag, or nil when there is none yet.
    public func fallbackIndex(of subject: Digest, in repository: RepositoryName) async throws -> ImageIndex? {
        let tagged = ImageReference(repository: repository, tag: Self.fallbackTag(for: subject), digest: nil)
        do {
            let document = try await client.fetchManifest(tagged)
            guard let index = document.index else {
                throw LabError.unsupported("\(tagged) holds an image manifest, not a referrers index")
            }
            return index
        } catch let error as RegistryError where error.kind == .notFound {
            return nil
        }
    }
}
