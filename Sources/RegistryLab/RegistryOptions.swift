/// How a lab registry is set up.
public struct RegistryOptions: Sendable, Equatable {
    /// Who may talk to the registry.
    public enum Auth: Sendable, Equatable {
        /// Anyone, anonymously.
        case none
        /// HTTP basic auth against an htpasswd file holding this one user.
        case basic(username: String, password: String)
        /// Bearer tokens from the lab's `TokenServer`, which issues them for this one user.
        case token(username: String, password: String)

        /// The username and password, if the registry requires any.
        public var credentials: (username: String, password: String)? {
            switch self {
            case .none: return nil
            case .basic(let username, let password), .token(let username, let password): return (username, password)
            }
        }
    }

    /// HTTPS with a certificate for 127.0.0.1 and localhost signed by the lab's CA.
    public var tls: Bool = false
    /// Who may talk to the registry.
    public var auth: Auth = .none
    /// Whether manifests and blobs may be deleted (`storage.delete.enabled`).
    public var deleteEnabled: Bool = false

    /// Options for a registry; the defaults give plain HTTP, no auth and no deletion.
    public init(tls: Bool = false, auth: Auth = .none, deleteEnabled: Bool = false) {
        self.tls = tls
        self.auth = auth
        self.deleteEnabled = deleteEnabled
    }
}
