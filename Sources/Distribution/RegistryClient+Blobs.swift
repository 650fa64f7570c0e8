import Foundation
import OCI
import Transport

/// An upload session opened with POST: where to send the bytes.
public struct UploadSession: Sendable {
    public var repository: String
    /// Absolute URL from the registry's `Location` (relative ones are resolved).
    public var location: String

    /// The location with `digest=` added (it may already carry a query, such as distribution's `_state`).
    func completionURL(_ digest: Digest) -> String {
        location + (location.contains("?") ? "&" : "?") + "digest=\(digest)"
    }
}

/// What a cross-repository mount did.
public enum MountOutcome: Sendable {
    case mounted
    /// The registry could not mount and opened an ordinary upload instead (a 202).
    case uploadStarted(UploadSession)
}

extension RegistryClient {
    /// Whether the repository has the blob (HEAD).
    public func blobExists(_ digest: Digest, in repository: String) async throws -> Bool {
        let response = try await blobRequest(.head, "/v2/\(repository)/blobs/\(digest)", scopes: [.pull(repository)],
                                             repository: repository, digest: digest)
        switch response.status {
        case 200..<300: return true
        case 404: return false
        default:
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: repository,
                                     subject: digest.description, operation: "blob HEAD")
        }
    }

    /// Asks the registry to link a blob it holds in `source` into `repository` without moving bytes.
    /// Always sent with `from` (Quay refuses a bare mount) and with pull rights on `source` in the token.
    public func mountBlob(_ digest: Digest, into repository: String, from source: String) async throws -> MountOutcome {
        let scopes: [AccessScope] = source == repository ? [.push(repository)] : [.push(repository), .pull(source)]
        let response = try await blobRequest(.post, "/v2/\(repository)/blobs/uploads/?mount=\(digest)&from=\(source)",
                                             scopes: scopes, repository: repository, digest: digest)
        switch response.status {
        case 201:
            return .mounted
        case 202:
            return .uploadStarted(try session(from: response, repository: repository, digest: digest))
        default:
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: repository,
                                     subject: digest.description, operation: "blob mount from \(source)")
        }
    }

    /// Opens an upload session (POST).
    public func startUpload(in repository: String) async throws -> UploadSession {
        let response = try await blobRequest(.post, "/v2/\(repository)/blobs/uploads/", scopes: [.push(repository)],
                                             repository: repository, digest: nil)
        guard response.status == 202 else {
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: repository,
                                     subject: nil, operation: "blob upload start")
        }
        return try session(from: response, repository: repository, digest: nil)
    }

    /// Uploads a small blob held in memory (test fixtures, generated configs), as `upload` does.
    /// A blob that is already there is not sent again.
    /// - Parameters:
    ///   - progress: counts the bytes, when they were sent.
    ///   - session: an upload a refused mount opened already; the caller knows the blob is absent.
    @discardableResult
    public func pushBlob(_ data: Data, in repository: String, progress: ByteCounter? = nil,
                         session: UploadSession? = nil) async throws -> Descriptor {
        let digest = Digest.sha256(data)
        let descriptor = Descriptor(mediaType: "application/octet-stream", digest: digest, size: Int64(data.count))
        if session == nil, try await blobExists(digest, in: repository) { return descriptor }
        try await upload(.bytes(data), as: descriptor, in: repository, what: "blob upload", session: session)
        progress?.add(Int64(data.count))
        return descriptor
    }

    /// Uploads a blob from a file without holding it in memory (blobs of an OCI layout), as
    /// `upload` does. The caller checks first whether the repository has the blob.
    /// - Parameter session: an upload a refused mount opened already.
    public func uploadBlob(_ blob: Descriptor, fromFile path: String, in repository: String,
                           session: UploadSession? = nil) async throws {
        try await upload(.file(path: path, length: blob.size), as: blob, in: repository, what: "blob upload from \(path)",
                         session: session)
    }

    /// POST, then one PUT with the body; a registry that refuses the monolithic PUT (JFrog) gets
    /// the body as one PATCH and an empty PUT. The registry checks the bytes against the digest
    /// and refuses a mismatch.
    private func upload(_ body: RequestBody, as blob: Descriptor, in repository: String, what: String,
                        session alreadyOpened: UploadSession?) async throws {
        var headers = HTTPHeaders()
        headers.set("Content-Type", "application/octet-stream")
        let opened: UploadSession
        if let alreadyOpened { opened = alreadyOpened } else { opened = try await startUpload(in: repository) }
        let response = try await exchange(.put, opened.completionURL(blob.digest), headers: headers, body: body,
                                          scopes: [.push(repository)], repository: repository, subject: blob.digest.description)
        if response.status == 201 { return }
        // 413 is left out: a PATCH of the same whole body would be too large as well.
        let refusesPut = [405, 411, 415, 501].contains(response.status) || (response.status == 400 && !Self.isDigestRefusal(response))
        guard refusesPut else {
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: repository,
                                     subject: blob.digest.description, operation: what)
        }
        let chunked = try await startUpload(in: repository)
        headers.set("Content-Range", "0-\(max(0, blob.size - 1))")
        let patched = try await exchange(.patch, chunked.location, headers: headers, body: body, scopes: [.push(repository)],
                                         repository: repository, subject: blob.digest.description)
        guard patched.status == 202 else {
            throw RegistryError.from(status: patched.status, body: patched.body, registry: registry, repository: repository,
                                     subject: blob.digest.description, operation: "\(what) (PATCH)")
        }
        let closing = try session(from: patched, repository: repository, digest: blob.digest)
        let done = try await blobRequest(.put, closing.completionURL(blob.digest), scopes: [.push(repository)],
                                         repository: repository, digest: blob.digest)
        guard done.status == 201 else {
            throw RegistryError.from(status: done.status, body: done.body, registry: registry, repository: repository,
                                     subject: blob.digest.description, operation: "\(what) (PATCH) commit")
        }
    }

    /// A 400 that names the digest: the bytes did not match, which a PATCH would not change.
    static func isDigestRefusal(_ response: HTTPResponse) -> Bool {
        String(decoding: response.body, as: UTF8.self).contains("DIGEST_INVALID")
    }

    func session(from response: HTTPResponse, repository: String, digest: Digest?) throws -> UploadSession {
        guard let location = response.headers["Location"], !location.isEmpty else {
            throw RegistryError(.protocolViolation, registry: registry, repository: repository, subject: digest?.description,
                                status: response.status, message: "the registry opened an upload without a Location header",
                                hint: "the registry does not follow the distribution API; tell its operator")
        }
        return UploadSession(repository: repository, location: absolute(location, relativeTo: response.effectiveURL))
    }

    /// Resolves a `Location` that may be absolute, host-relative ("/v2/…") or path-relative.
    func absolute(_ location: String, relativeTo base: String) -> String {
        if location.hasPrefix("http://") || location.hasPrefix("https://") { return location }
        guard let baseURL = URL(string: base), let resolved = URL(string: location, relativeTo: baseURL) else { return location }
        return resolved.absoluteString
    }

    /// A request about one blob (or upload); failures name the repository and digest.
    func blobRequest(_ method: HTTPMethod, _ target: String, body: RequestBody = .none, scopes: [AccessScope],
                     repository: String, digest: Digest?) async throws -> HTTPResponse {
        try await exchange(method, target, body: body, scopes: scopes, repository: repository, subject: digest?.description)
    }
}
