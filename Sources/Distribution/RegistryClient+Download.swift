import Foundation
import OCI

extension RegistryClient {
    /// Downloads a blob into a file (streamed, never whole in memory) and checks it against its
    /// digest and size; a mismatch deletes the file and throws. For content Ferry reads itself
    /// (release payload layers, catalogs), not for copies, which stream registry to registry.
    public func downloadBlob(_ blob: Descriptor, from repository: String, to path: String) async throws {
        let response = try await exchange(.get, "/v2/\(repository)/blobs/\(blob.digest)", scopes: [.pull(repository)],
                                          repository: repository, subject: blob.digest.description, responseFile: path,
                                          minimumRate: settings.minimumTransferRate)
        guard response.isSuccess else {
            try? FileManager.default.removeItem(atPath: path)
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: repository,
                                     subject: blob.digest.description, operation: "blob GET")
        }
        // Hash what landed on disk, in chunks.
        guard let (digest, size) = DigestHasher.digest(ofFileAt: path, algorithm: blob.digest.algorithm) else {
            throw RegistryError(.corrupt, registry: registry, repository: repository, subject: blob.digest.description,
                                message: "the downloaded blob cannot be read back from \(path)")
        }
        guard digest == blob.digest, size == blob.size else {
            try? FileManager.default.removeItem(atPath: path)
            throw RegistryError(.corrupt, registry: registry, repository: repository, subject: blob.digest.description,
                                message: "downloaded \(size) bytes hashing to \(digest), expected \(blob.size) bytes of \(blob.digest)",
                                hint: "the registry or a proxy altered the content; run again")
        }
    }
}
