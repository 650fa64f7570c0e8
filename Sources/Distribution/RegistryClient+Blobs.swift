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

    /// Uploads a small blob held in memory (test fixtures, generated configs): POST, then one PUT.
    /// A blob that is already there is not sent again.
    @discardableResult
    public func pushBlob(_ data: Data, in repository: String) async throws -> Descriptor {
        let digest = Digest.sha256(data)
        let descriptor = Descriptor(mediaType: "application/octet-stream", digest: digest, size: Int64(data.count))
        if try await blobExists(digest, in: repository) { return descriptor }
        let session = try await startUpload(in: repository)
        let response = try await blobRequest(.put, session.completionURL(digest), body: .bytes(data), scopes: [.push(repository)],
                                             repository: repository, digest: digest)
        guard response.status == 201 else {
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: repository,
                                     subject: digest.description, operation: "blob upload")
        }
        return descriptor
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
