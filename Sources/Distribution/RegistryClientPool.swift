import Synchronization

/// One `RegistryClient` per registry host on one side of a run, so pings and tokens are shared
/// by every image that talks to that registry.
public final class RegistryClientPool: Sendable {
    private let settings: RegistrySettings
    private let credentials: CredentialStore
    private let clients = Mutex<[String: RegistryClient]>([:])

    public init(settings: RegistrySettings, credentials: CredentialStore) {
        self.settings = settings
        self.credentials = credentials
    }

    public func client(for registry: String) -> RegistryClient {
        clients.withLock { clients in
            if let client = clients[registry] { return client }
            let client = RegistryClient(registry: registry, settings: settings, credentials: credentials)
            clients[registry] = client
            return client
        }
    }
}
