import Distribution
import Foundation
import OCI
import Synchronization

/// Whether an image has a sigstore signature upstream, as far as this run could tell.
public enum SignatureState: Sendable, Hashable {
    /// A signature is there (cosign's `.sig` tag, or a sigstore bundle referrer); no key applied.
    case signed
    /// A `.sig` verified with a `--signature-key` that applies to the image.
    case verified
    /// None upstream.
    case missing
    /// There is one, but it does not verify with the keys that apply to the image.
    case refused(String)
    /// The lookup failed (the registry did not answer it).
    case unknown(String)
    /// Not looked up (`--remove-signatures`, a layout or a built image).
    case notLookedUp

    /// True when a signature lands with the image.
    public var isPresent: Bool {
        switch self {
        case .signed, .verified: true
        default: false
        }
    }

    /// Why an image is listed as lacking a signature; nil when it has one or was not looked up.
    public var problem: String? {
        switch self {
        case .signed, .verified, .notLookedUp: nil
        case .missing: "no sigstore signature upstream"
        case .refused(let reason): "signature refused: \(reason)"
        case .unknown(let reason): "could not look for a signature: \(reason)"
        }
    }
}

/// What was found beside one image: the attachments to mirror after it, and its signature.
public struct FoundAttachments: Sendable {
    /// The image (its destination is where its attachments land).
    public var image: CollectedImage
    /// Its manifest digest (an index's for a multi-platform image).
    public var digest: Digest
    /// Signatures, attestations, SBOMs and referrers of the image and of its index's children,
    /// each a `CollectedImage` with `attachment` set, pinned by digest.
    public var attachments: [CollectedImage] = []
    /// The signature of `digest` itself (what a node pulling the image verifies).
    public var signature: SignatureState = .notLookedUp
    /// Problems with the children's attachments (refused signatures, failed lookups), for the log.
    public var notes: [String] = []
}

/// Looks up, for images about to be mirrored, what hangs beside them upstream: cosign's
/// `sha256-<hex>.sig` / `.att` / `.sbom` tags and OCI 1.1 referrers (through the referrers API,
/// else the fallback tag `sha256-<hex>`), for the image and each child of its index that is
/// copied. Signatures are checked against `--signature-key` where a key applies. Nothing is
/// pushed; lookups of one digest are made once per run.
public struct AttachmentFinder: Sendable {
    public let sources: RegistryClientPool
    public let options: AttachmentOptions
    /// Images looked up at once.
    public var parallelism: Int
    private let cache = LookupCache()

    public init(sources: RegistryClientPool, options: AttachmentOptions, parallelism: Int = 16) {
        self.sources = sources
        self.options = options
        self.parallelism = parallelism
    }

    /// Whether anything is looked up beside `image`.
    public func looksUp(_ image: CollectedImage) -> Bool {
        guard image.sourceLayout == nil, image.attachment == nil, image.origin != .graph else { return false }
        return lookupCosign(image) || options.referrers != .none
    }

    private func lookupCosign(_ image: CollectedImage) -> Bool {
        options.cosignTags || image.origin == .release
    }

    /// Looks up every image (`parallelism` at a time); the result keeps the order of `images`.
    public func find(_ images: [(image: CollectedImage, digest: Digest)]) async -> [FoundAttachments] {
        let found = Mutex<[Int: FoundAttachments]>([:])
        try? await forEachConcurrently(Array(images.enumerated()), limit: parallelism) { index, entry in
            let result = await find(entry.image, digest: entry.digest)
            found.withLock { $0[index] = result }
        }
        return found.withLock { all in images.indices.compactMap { all[$0] } }
    }

    /// Looks up one image.
    /// - Parameter root: the image's manifest when the caller has read it (saves a request).
    public func find(_ image: CollectedImage, digest: Digest, root: ManifestDocument? = nil) async -> FoundAttachments {
        var result = FoundAttachments(image: image, digest: digest)
        guard looksUp(image) else { return result }
        let client = sources.client(for: image.source.repository.registry)
        var subjects = [digest]
        do {
            subjects += try await children(of: image, digest: digest, root: root, client: client)
        } catch {
            result.signature = .unknown("\(error)")
            return result
        }
        var seen = Set<Digest>()
        for subject in subjects where seen.insert(subject).inserted {
            let lookup = await lookUp(subject, of: image, client: client)
            result.attachments += lookup.attachments
            if subject == digest {
                result.signature = lookup.signature
            } else if case .refused(let reason) = lookup.signature {
                result.notes.append("\(image.source): the signature of its manifest \(subject) is not mirrored: \(reason)")
            }
            result.notes += lookup.errors.map { "\(image.source): manifest \(subject): \($0)" }
        }
        if !lookupCosign(image) { result.signature = .notLookedUp }
        return result
    }

    /// The children of an index the image copies (its platform filter applied); none for a manifest.
    private func children(of image: CollectedImage, digest: Digest, root: ManifestDocument?,
                          client: RegistryClient) async throws -> [Digest] {
        let pinned = ImageReference(repository: image.source.repository, tag: nil, digest: digest)
        var document = root
        if document == nil {
            guard let descriptor = try await client.manifestDescriptor(pinned) else {
                throw RegistryError(.notFound, registry: client.registry, repository: pinned.repository.path,
                                    subject: digest.description, message: "manifest not found")
            }
            guard descriptor.mediaType.isIndex else { return [] }
            document = try await client.fetchManifest(pinned)
        }
        guard let document, document.index != nil else { return [] }
        return (document.children(selectedBy: image.platforms) ?? []).map(\.digest)
    }

    /// What hangs beside one manifest digest of `image`'s source repository (made once per run).
    private func lookUp(_ subject: Digest, of image: CollectedImage, client: RegistryClient) async -> DigestLookup {
        let key = "\(image.source.repository)@\(subject) \(lookupCosign(image))"
        return await cache.value(for: key) {
            await self.lookUpUncached(subject, of: image, client: client)
        }.relocated(to: image)
    }

    private func lookUpUncached(_ subject: Digest, of image: CollectedImage, client: RegistryClient) async -> DigestLookup {
        let repository = image.source.repository
        var lookup = DigestLookup(subject: subject, sourceRepository: repository)
        if lookupCosign(image) {
            for kind in [Attachment.Kind.signature, .attestation, .sbom] {
                guard let tag = Attachment.cosignTag(kind, of: subject) else { continue }
                do {
                    guard let found = try await client.manifestDigest(ImageReference(repository: repository, tag: tag, digest: nil)) else {
                        if kind == .signature { lookup.signature = .missing }
                        continue
                    }
                    if kind == .signature {
                        lookup.signature = await check(signature: found, tag: tag, of: subject, image: image, client: client)
                        guard lookup.signature.isPresent else { continue }
                    }
                    lookup.found.append(DigestLookup.Found(attachment: Attachment(kind: kind, subject: subject), tag: tag, digest: found))
                } catch {
                    if kind == .signature { lookup.signature = .unknown("\(error)") } else { lookup.errors.append("\(tag): \(error)") }
                }
            }
        }
        if options.referrers != .none {
            do {
                for referrer in try await referrers(of: subject, in: repository, client: client) {
                    let isSigstoreBundle = referrer.artifactType?.hasPrefix("application/vnd.dev.sigstore.bundle") == true
                    if isSigstoreBundle, lookup.signature == .missing, !appliesKey(image) { lookup.signature = .signed }
                    guard options.referrers.admits(referrer.artifactType) else { continue }
                    lookup.found.append(DigestLookup.Found(
                        attachment: Attachment(kind: .referrer, subject: subject, artifactType: referrer.artifactType,
                                               descriptor: referrer),
                        tag: nil, digest: referrer.digest))
                }
            } catch {
                lookup.errors.append("referrers: \(error)")
            }
        }
        return lookup
    }

    private func appliesKey(_ image: CollectedImage) -> Bool {
        options.verifier?.applies(to: image.source) ?? false
    }

    /// A `.sig` found upstream: mirrored as it is, or, where a key applies, only if it verifies.
    private func check(signature digest: Digest, tag: String, of subject: Digest, image: CollectedImage,
                       client: RegistryClient) async -> SignatureState {
        guard let verifier = options.verifier, verifier.applies(to: image.source) else { return .signed }
        let repository = image.source.repository
        do {
            let document = try await client.fetchManifest(ImageReference(repository: repository, tag: nil, digest: digest))
            var payloads: [Digest: Data] = [:]
            for layer in document.image?.layers ?? [] where layer.mediaType == CosignSignatureVerifier.signatureMediaType {
                payloads[layer.digest] = try await client.fetchSmallBlob(layer, from: repository.path, limit: 1 << 20)
            }
            if let reason = verifier.refusal(of: document, payloads: payloads, subject: subject, image: image.source) {
                return .refused("\(repository):\(tag): \(reason)")
            }
            return .verified
        } catch {
            return .unknown("\(repository):\(tag): \(error)")
        }
    }

    /// The referrers of `subject`: the registry's referrers API, else the index under the
    /// fallback tag. A fallback tag that holds the subject itself (a mirror's tag for a
    /// digest-only image) or no index lists nothing.
    private func referrers(of subject: Digest, in repository: RepositoryName, client: RegistryClient) async throws -> [Descriptor] {
        if !cache.lacksReferrersAPI(repository.registry) {
            switch try await client.referrers(of: subject, in: repository.path) {
            case .listed(let descriptors): return descriptors.filter { $0.digest != subject }
            case .unsupported: cache.noteLacksReferrersAPI(repository.registry)
            }
        }
        let fallback = ImageReference(repository: repository, tag: Attachment.fallbackTag(of: subject), digest: nil)
        guard let descriptor = try await client.manifestDescriptor(fallback), descriptor.digest != subject,
              descriptor.mediaType.isIndex else { return [] }
        let document = try await client.fetchManifest(ImageReference(repository: repository, tag: nil, digest: descriptor.digest))
        return document.children.filter { $0.digest != subject }
    }
}

/// What was found for one manifest digest in one source repository.
struct DigestLookup: Sendable {
    struct Found: Sendable {
        var attachment: Attachment
        /// cosign's tag; nil for a referrer.
        var tag: String?
        var digest: Digest
    }

    var subject: Digest
    var sourceRepository: RepositoryName
    var found: [Found] = []
    var signature: SignatureState = .notLookedUp
    var errors: [String] = []
    /// Set by `relocated(to:)`.
    var attachments: [CollectedImage] = []

    /// The attachments as images landing beside `image`: cosign tags under the same tag, referrers
    /// by digest alone (a tag of their own would be another image's fallback tag).
    func relocated(to image: CollectedImage) -> DigestLookup {
        var copy = self
        copy.attachments = found.map { item in
            let destination = ImageReference(repository: image.destination.repository, tag: item.tag,
                                             digest: item.tag == nil ? item.digest : nil)
            return CollectedImage(source: ImageReference(repository: sourceRepository, tag: item.tag, digest: item.digest),
                                  destination: destination, origin: image.origin, requestedAt: image.requestedAt,
                                  attachment: item.attachment)
        }
        return copy
    }
}

/// Lookups made once per run, and registries found to lack the referrers API.
final class LookupCache: Sendable {
    private let lookups = Mutex<[String: Task<DigestLookup, Never>]>([:])
    private let withoutReferrersAPI = Mutex<Set<String>>([])

    func value(for key: String, _ make: @escaping @Sendable () async -> DigestLookup) async -> DigestLookup {
        let task = lookups.withLock { all in
            if let running = all[key] { return running }
            let task = Task { await make() }
            all[key] = task
            return task
        }
        return await task.value
    }

    func lacksReferrersAPI(_ registry: String) -> Bool { withoutReferrersAPI.withLock { $0.contains(registry) } }

    func noteLacksReferrersAPI(_ registry: String) { _ = withoutReferrersAPI.withLock { $0.insert(registry) } }
}
