import Foundation
import OCI
import Transport

/// Moves one blob from a source registry into a destination registry as a stream: the source
/// GET feeds the destination upload through a bounded buffer, hashed on the way. No temp file,
/// no whole blob in memory, and the upload is only completed when the bytes matched the digest.
public enum BlobRelay {
    /// Copies `blob` from `sourceRepository` on `source` to `destinationRepository` on `destination`.
    ///
    /// Upload style: POST, then one monolithic PUT with the body (two requests, the fewest the
    /// protocol allows). If the registry rejects that (some require PATCH), the blob is sent as one
    /// streamed PATCH followed by an empty PUT. A failed attempt (reset, 5xx, corrupted bytes)
    /// restarts the stream in a fresh upload session, up to the destination's retry limit.
    /// - Parameter session: an upload already opened (by a mount answered with 202).
    public static func copy(_ blob: Descriptor, from source: RegistryClient, repository sourceRepository: String,
                            to destination: RegistryClient, repository destinationRepository: String,
                            session: UploadSession? = nil, progress: ByteCounter? = nil) async throws {
        let policy = destination.settings.retry
        var session = session
        var chunked = false
        var attempt = 0
        while true {
            attempt += 1
            try Task.checkCancellation()
            let upload: UploadSession
            if let opened = session {
                upload = opened
                session = nil
            } else {
                upload = try await destination.startUpload(in: destinationRepository)
            }
            var download = try await source.authorizedRequest(.get, "/v2/\(sourceRepository)/blobs/\(blob.digest)",
                                                              scopes: [.pull(sourceRepository)])
            download.minimumRate = source.settings.minimumTransferRate
            var headers = HTTPHeaders()
            headers.set("Content-Type", "application/octet-stream")
            let target: HTTPRequest
            if chunked {
                headers.set("Content-Range", "0-\(max(0, blob.size - 1))")
                target = try await destination.authorizedRequest(.patch, upload.location, headers: headers, body: .relayed,
                                                                 scopes: [.push(destinationRepository)])
            } else {
                target = try await destination.authorizedRequest(.put, upload.completionURL(blob.digest), headers: headers,
                                                                 body: .relayed, scopes: [.push(destinationRepository)])
            }
            let result = try await destination.transport.relay(download: download, upload: target, digest: blob.digest,
                                                               size: blob.size, progress: progress)

            // The download decides first: a source problem explains a stopped upload.
            switch result.download {
            case .failure(let error):
                if error.isTransient, attempt < policy.maxAttempts {   // corrupted bytes count as transient
                    try await Task.sleep(for: policy.delay(afterAttempt: attempt))
                    continue
                }
                if error.kind == .contentMismatch {
                    throw RegistryError(.corrupt, registry: source.registry, repository: sourceRepository, subject: blob.digest.description,
                                        message: error.message, hint: "the bytes were damaged in transit or the source registry stores corrupt content; nothing was committed at the destination")
                }
                throw source.unreachable(error, repository: sourceRepository, subject: blob.digest.description)
            case .success(let response) where !response.isSuccess:
                if response.status == 401 { await source.state.forgetToken(TokenKey(scopes: [.pull(sourceRepository)])) }
                if RetryPolicy.retryableStatuses.contains(response.status) || response.status == 401, attempt < policy.maxAttempts {
                    try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: response.headers["Retry-After"]))
                    continue
                }
                throw RegistryError.from(status: response.status, body: response.body, registry: source.registry,
                                         repository: sourceRepository, subject: blob.digest.description, operation: "blob GET")
            case .success:
                break
            }

            switch result.upload {
            case .failure(let error):
                if error.isTransient, attempt < policy.maxAttempts {
                    try await Task.sleep(for: policy.delay(afterAttempt: attempt))
                    continue
                }
                throw destination.unreachable(error, repository: destinationRepository, subject: blob.digest.description)
            case .success(let response):
                if chunked, response.status == 202 {
                    // The streamed PATCH landed; close the session with an empty PUT carrying the digest.
                    let closing = try destination.session(from: response, repository: destinationRepository, digest: blob.digest)
                    let done = try await destination.blobRequest(.put, closing.completionURL(blob.digest), scopes: [.push(destinationRepository)],
                                                                 repository: destinationRepository, digest: blob.digest)
                    if done.status == 201 { return }
                    throw RegistryError.from(status: done.status, body: done.body, registry: destination.registry,
                                             repository: destinationRepository, subject: blob.digest.description, operation: "blob upload (PATCH) commit")
                }
                if response.status == 201 { return }
                if response.status == 401 { await destination.state.forgetToken(TokenKey(scopes: [.push(destinationRepository)])) }
                if RetryPolicy.retryableStatuses.contains(response.status) || response.status == 401, attempt < policy.maxAttempts {
                    try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: response.headers["Retry-After"]))
                    continue
                }
                if !chunked, [400, 405, 411, 413, 415, 501].contains(response.status) {
                    // Some registries (JFrog) refuse a monolithic PUT: stream a PATCH instead.
                    chunked = true
                    continue
                }
                throw RegistryError.from(status: response.status, body: response.body, registry: destination.registry,
                                         repository: destinationRepository, subject: blob.digest.description,
                                         operation: chunked ? "blob upload (PATCH)" : "blob upload")
            }
        }
    }
}
