import Foundation
import OCI

extension RegistryClient {
    /// Tries the registry before any real work: it answers (TLS trusted, host up), and the
    /// credentials for `repository` are accepted (a token for pull and push where the registry
    /// uses tokens; `GET /v2/` with them otherwise). A mirror run calls this first, so a wrong
    /// password or an untrusted certificate is one message, not one per image at the end.
    /// - Throws: ``RegistryError`` (`.unreachable`, `.certificate`, `.unauthorized`, …) with its hint.
    public func checkAccess(repository: String) async throws {
        let response = try await exchange(.get, "/v2/", scopes: [.push(repository)],
                                          repository: repository, subject: nil)
        if response.status == 401 || response.status == 403 {
            throw RegistryError.from(status: response.status, body: response.body, registry: registry, repository: repository,
                                     subject: nil, operation: "signing in")
        }
    }
}
