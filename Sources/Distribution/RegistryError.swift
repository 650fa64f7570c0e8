import Foundation
import OCI

/// One entry of a registry's error body: `{"errors":[{"code":…,"message":…,"detail":…}]}`.
/// Source: opencontainers/distribution-spec `spec.md#error-codes`.
public struct RegistryDiagnostic: Sendable, Equatable, Decodable {
    public var code: String
    public var message: String?

    public init(code: String, message: String?) {
        self.code = code
        self.message = message
    }

    private struct Body: Decodable { var errors: [RegistryDiagnostic]? }

    /// The diagnostics in an error body; empty when the body is not the spec's JSON.
    static func decode(_ body: Data) -> [RegistryDiagnostic] {
        (try? JSONDecoder().decode(Body.self, from: body))?.errors ?? []
    }
}

/// A failed registry operation, with what a person needs to act on it: the registry, the
/// repository, the digest or tag, the HTTP status, the registry's own error codes and a hint.
/// Credentials never appear here.
public struct RegistryError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case unauthorized       // 401: no or wrong credentials
        case denied             // 403: credentials accepted, access refused
        case notFound           // manifest, blob or repository unknown
        case rejected           // 4xx the registry gave a reason for (invalid manifest, unsupported…)
        case rateLimited        // 429 after every retry
        case serverError        // 5xx after every retry
        case unreachable        // no HTTP answer (refused, reset, timeout) after every retry
        case certificate        // TLS trust failure
        case corrupt            // content did not match its digest or size
        case protocolViolation  // an answer the protocol does not allow
    }

    public var kind: Kind
    public var registry: String
    public var repository: String?
    /// The digest or tag concerned.
    public var subject: String?
    public var status: Int?
    public var diagnostics: [RegistryDiagnostic]
    public var message: String
    public var hint: String?

    public init(_ kind: Kind, registry: String, repository: String? = nil, subject: String? = nil, status: Int? = nil,
                diagnostics: [RegistryDiagnostic] = [], message: String, hint: String? = nil) {
        self.kind = kind
        self.registry = registry
        self.repository = repository
        self.subject = subject
        self.status = status
        self.diagnostics = diagnostics
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var where_ = registry
        if let repository { where_ += "/\(repository)" }
        if let subject { where_ += (Digest(subject) != nil ? "@" : ":") + subject }
        var text = "\(where_): \(message)"
        if let status { text += " (HTTP \(status)" + (diagnostics.isEmpty ? ")" : " \(diagnostics.map(\.code).joined(separator: ", ")))") }
        let details = diagnostics.compactMap(\.message).filter { !$0.isEmpty && !message.contains($0) }
        if !details.isEmpty { text += ": " + details.joined(separator: "; ") }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }

    /// Whether a later run may succeed without a person changing anything.
    public var isTransient: Bool {
        [.rateLimited, .serverError, .unreachable, .corrupt].contains(kind)
    }

    /// Builds the error for an HTTP answer that was not what the operation needed.
    static func from(status: Int, body: Data, registry: String, repository: String?, subject: String?,
                     operation: String) -> RegistryError {
        let diagnostics = RegistryDiagnostic.decode(body)
        let codes = Set(diagnostics.map(\.code))
        switch status {
        case 401:
            return RegistryError(.unauthorized, registry: registry, repository: repository, subject: subject, status: status,
                                 diagnostics: diagnostics, message: "\(operation): authentication required or refused",
                                 hint: "check the credentials for \(registry) in the auth file (--authfile, REGISTRY_AUTH_FILE, "
                                     + "${XDG_RUNTIME_DIR}/containers/auth.json, ~/.docker/config.json)")
        case 403:
            return RegistryError(.denied, registry: registry, repository: repository, subject: subject, status: status,
                                 diagnostics: diagnostics, message: "\(operation): access denied",
                                 hint: "the account is known but lacks permission on this repository; ask for pull (source) or push (destination) rights")
        case 404 where codes.isEmpty || !codes.isDisjoint(with: ["MANIFEST_UNKNOWN", "BLOB_UNKNOWN", "NAME_UNKNOWN", "NOT_FOUND"]):
            return RegistryError(.notFound, registry: registry, repository: repository, subject: subject, status: status,
                                 diagnostics: diagnostics, message: "\(operation): not found",
                                 hint: "check the repository path and tag or digest; the image may have been deleted upstream")
        case 429:
            return RegistryError(.rateLimited, registry: registry, repository: repository, subject: subject, status: status,
                                 diagnostics: diagnostics, message: "\(operation): rate limited",
                                 hint: "the registry throttled requests; lower --parallel-images / --parallel-layers or retry later")
        case 500...:
            return RegistryError(.serverError, registry: registry, repository: repository, subject: subject, status: status,
                                 diagnostics: diagnostics, message: "\(operation): registry server error",
                                 hint: "the registry failed; check its health and logs, then run again (finished work is kept)")
        default:
            return RegistryError(.rejected, registry: registry, repository: repository, subject: subject, status: status,
                                 diagnostics: diagnostics, message: "\(operation): rejected", hint: nil)
        }
    }
}
