import Foundation
import OCI
import Transport

extension RegistryClient {
    private var acceptHeader: String { MediaType.manifestAcceptList.map(\.rawValue).joined(separator: ", ") }

    /// The digest a tag or digest resolves to, or nil when the registry does not have it.
    /// Uses HEAD; when the registry omits `Docker-Content-Digest` (some do), falls back to GET
    /// and hashes the bytes.
    public func manifestDigest(_ reference: ImageReference) async throws -> Digest? {
        guard let response = try await headManifest(reference) else { return nil }
        if let header = response.headers["Docker-Content-Digest"], let digest = Digest(header) { return digest }
        if let digest = reference.digest { return digest }
        return try await fetchManifest(reference).digest
    }

    /// The answer to a manifest HEAD; nil when the registry does not have the manifest.
    func headManifest(_ reference: ImageReference) async throws -> HTTPResponse? {
        let path = reference.repository.path
        var headers = HTTPHeaders()
        headers.set("Accept", acceptHeader)
        let response = try await request(.head, "/v2/\(path)/manifests/\(reference.identifier)", headers: headers,
                                         scopes: [.pull(path)], reference: reference)
        if response.status == 404 { return nil }
        guard response.isSuccess else {
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: path,
                                     subject: reference.identifier, operation: "manifest HEAD")
        }
        return response
    }

    /// Reads a manifest's exact bytes. A reference with a digest is checked against it.
    public func fetchManifest(_ reference: ImageReference) async throws -> ManifestDocument {
        let path = reference.repository.path
        var headers = HTTPHeaders()
        headers.set("Accept", acceptHeader)
        let response = try await request(.get, "/v2/\(path)/manifests/\(reference.identifier)", headers: headers,
                                         scopes: [.pull(path)], reference: reference, maxResponseBytes: 8 << 20)
        guard response.isSuccess else {
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: path,
                                     subject: reference.identifier, operation: "manifest GET")
        }
        do {
            return try ManifestDocument(bytes: response.body,
                                        declaredMediaType: response.headers["Content-Type"].map(MediaType.init(contentType:)),
                                        expectedDigest: reference.digest)
        } catch {
            throw RegistryError(error.kind == .digestMismatch ? .corrupt : .rejected, registry: registry, repository: path,
                                subject: reference.identifier, message: error.message,
                                hint: error.kind == .unsupportedManifest ? nil : "the registry served a manifest Ferry cannot use")
        }
    }

    /// Pushes a manifest's exact bytes under a tag or digest.
    /// Registries that briefly do not see just-pushed children (Nexus, Quay) answer
    /// MANIFEST_BLOB_UNKNOWN / MANIFEST_UNKNOWN; those get a few short retries.
    public func pushManifest(_ document: ManifestDocument, to reference: ImageReference) async throws {
        let path = reference.repository.path
        var headers = HTTPHeaders()
        headers.set("Content-Type", document.mediaType.rawValue)
        var attempt = 0
        while true {
            attempt += 1
            let response = try await request(.put, "/v2/\(path)/manifests/\(reference.identifier)", headers: headers,
                                             body: .bytes(document.bytes), scopes: [.push(path)], reference: reference)
            if response.isSuccess {
                if let header = response.headers["Docker-Content-Digest"], let stored = Digest(header), stored != document.digest {
                    throw RegistryError(.corrupt, registry: registry, repository: path, subject: reference.identifier,
                                        message: "the registry stored the manifest as \(stored), not \(document.digest)",
                                        hint: "the registry rewrote the manifest; digests would not match the source (check its OCI/Docker settings)")
                }
                return
            }
            let codes = Set(RegistryDiagnostic.decode(response.body).map(\.code))
            if [400, 404].contains(response.status), !codes.isDisjoint(with: ["MANIFEST_BLOB_UNKNOWN", "MANIFEST_UNKNOWN", "BLOB_UNKNOWN"]),
               attempt < 3 {
                try await Task.sleep(for: .milliseconds(300 * attempt))
                continue
            }
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: path,
                                     subject: reference.identifier, operation: "manifest PUT")
        }
    }

    /// A request about one manifest; failures name the reference.
    func request(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = HTTPHeaders(), body: RequestBody = .none,
                 scopes: [AccessScope], reference: ImageReference, maxResponseBytes: Int = 1 << 20) async throws -> HTTPResponse {
        try await exchange(method, target, headers: headers, body: body, scopes: scopes, repository: reference.repository.path,
                           subject: reference.identifier, maxResponseBytes: maxResponseBytes)
    }
}
