import Foundation
import OCI
import Transport

/// What the OCI 1.1 referrers API answered for one subject.
public enum ReferrersAnswer: Sendable, Equatable {
    /// The registry serves the API: these manifests name the subject (possibly none).
    case listed([Descriptor])
    /// The registry has no referrers API (a 404, which the spec forbids a registry that has one
    /// to send): referrers, if any, are in the fallback tag `sha256-<hex>`.
    case unsupported
}

extension RegistryClient {
    /// The referrers of `digest` in `repository` through `GET /v2/<name>/referrers/<digest>`.
    /// A paginated answer (`Link: <…>; rel="next"`) is followed to its end.
    public func referrers(of digest: Digest, in repository: String) async throws -> ReferrersAnswer {
        var target = "/v2/\(repository)/referrers/\(digest)"
        var found: [Descriptor] = []
        var pages = 0
        while true {
            pages += 1
            var headers = HTTPHeaders()
            headers.set("Accept", MediaType.ociImageIndex.rawValue)
            let response = try await exchange(.get, target, headers: headers, scopes: [.pull(repository)], repository: repository,
                                              subject: digest.description, maxResponseBytes: 8 << 20)
            if response.status == 404 || response.status == 405 { return pages == 1 ? .unsupported : .listed(found) }
            guard response.isSuccess else {
                throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: repository,
                                         subject: digest.description, operation: "referrers GET")
            }
            do {
                found += try JSONDecoder().decode(ImageIndex.self, from: response.body).manifests
            } catch {
                throw RegistryError(.protocolViolation, registry: registry, repository: repository, subject: digest.description,
                                    message: "the referrers API answered with something that is not an image index: \(error)",
                                    hint: "a proxy may be rewriting the answer; check the registry's version")
            }
            guard pages < 100, let next = response.headers["Link"].flatMap(Self.nextPage) else { return .listed(found) }
            target = next
        }
    }

    /// The media type, digest and size a reference resolves to, or nil when the registry does
    /// not have it; a HEAD, with the bytes read only when the registry does not say.
    public func manifestDescriptor(_ reference: ImageReference) async throws -> Descriptor? {
        guard let response = try await headManifest(reference) else { return nil }
        let declared = response.headers["Content-Type"].map(MediaType.init(contentType:))
        if let text = response.headers["Docker-Content-Digest"], let digest = Digest(text),
           let length = response.headers["Content-Length"].flatMap({ Int64($0) }), let declared, declared.isManifest {
            return Descriptor(mediaType: declared, digest: digest, size: length)
        }
        return try await fetchManifest(reference).descriptor
    }

    /// A small blob read whole into memory (a signature payload, a config), checked against its
    /// digest and size; refused when it is larger than `limit`.
    public func fetchSmallBlob(_ blob: Descriptor, from repository: String, limit: Int64 = 4 << 20) async throws -> Data {
        guard blob.size <= limit else {
            throw RegistryError(.rejected, registry: registry, repository: repository, subject: blob.digest.description,
                                message: "blob of \(blob.size) bytes is larger than the \(limit) bytes read into memory here")
        }
        let response = try await exchange(.get, "/v2/\(repository)/blobs/\(blob.digest)", scopes: [.pull(repository)],
                                          repository: repository, subject: blob.digest.description,
                                          maxResponseBytes: Int(blob.size) + 1)
        guard response.isSuccess else {
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: repository,
                                     subject: blob.digest.description, operation: "blob GET")
        }
        let digest = Digest.compute(blob.digest.algorithm, response.body)
        guard digest == blob.digest, Int64(response.body.count) == blob.size else {
            throw RegistryError(.corrupt, registry: registry, repository: repository, subject: blob.digest.description,
                                message: "read \(response.body.count) bytes hashing to \(digest), expected \(blob.size) bytes of \(blob.digest)",
                                hint: "the registry or a proxy altered the content; run again")
        }
        return response.body
    }

    /// The target of `Link: <URL>; rel="next"`.
    static func nextPage(_ link: String) -> String? {
        for part in link.split(separator: ",") where part.contains("rel=\"next\"") {
            guard let open = part.firstIndex(of: "<"), let close = part.firstIndex(of: ">"), open < close else { continue }
            return String(part[part.index(after: open)..<close])
        }
        return nil
    }
}
