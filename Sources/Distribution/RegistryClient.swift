import Foundation
import OCI
import Transport

/// Speaks the OCI distribution API (Docker Registry HTTP API v2) to one registry host.
///
/// The client pings `/v2/` once to learn the scheme and the auth challenge, then attaches
/// anonymous, basic or bearer credentials to every request. Bearer tokens are cached per scope
/// set and refreshed once on expiry or on a 401. Requests are retried on 408/429/5xx and on
/// connection failures with exponential backoff and jitter, honouring `Retry-After`.
/// Shared mutable state (endpoint, tokens) lives in an actor; the client itself is immutable.
public final class RegistryClient: Sendable {
    /// `host[:port]` as written in image references.
    public let registry: String
    let settings: RegistrySettings
    let credentials: CredentialStore
    let transport: CurlEngine
    let tls: TLSSettings
    let state = ClientState()
    let health = HostHealth()

    public init(registry: String, settings: RegistrySettings = RegistrySettings(), credentials: CredentialStore = .none,
                transport: CurlEngine = .shared) {
        self.registry = registry
        self.settings = settings
        self.credentials = credentials
        self.transport = transport
        self.tls = settings.tls(for: registry)
    }

    // MARK: endpoint

    struct Endpoint: Sendable {
        var baseURL: String
        var challenge: AuthChallenge?
    }

    /// Pings the registry once (concurrent callers share the ping).
    /// - Throws: at once, the host's error once it is down (``HostHealth``).
    func endpoint() async throws -> Endpoint {
        if let down = health.down { throw down }
        return try await state.endpoint { try await self.ping() }
    }

    private func ping() async throws -> Endpoint {
        let loopback = isLoopback(registry)
        // Loopback registries are usually plain HTTP, and a TLS one answers a plain request with
        // a 400 at once, so HTTP goes first there. Elsewhere HTTPS comes first, and plain HTTP only
        // when verification is off, as containers/image does.
        let schemes = loopback ? ["http", "https"] : settings.tlsVerify ? ["https"] : ["https", "http"]
        var lastError: (any Error)?
        // Docker Hub's API is not served at docker.io itself.
        let host = registry == "docker.io" || registry == "index.docker.io" ? "registry-1.docker.io" : registry
        for (position, scheme) in schemes.enumerated() {
            let base = "\(scheme)://\(host)"
            let fallbackLeft = position < schemes.count - 1
            var probe = HTTPRequest(.get, base + "/v2/", tls: tls)
            do {
                let response: HTTPResponse
                if fallbackLeft {
                    // One quick try: a server speaking the other protocol may answer with garbage
                    // or not at all. The last scheme gets the retries.
                    probe.timeout = loopback ? .seconds(3) : .seconds(15)
                    response = try await transport.perform(probe)
                } else {
                    response = try await performWithRetry(probe)
                }
                health.noteAnswer()
                if response.status == 401 {
                    let challenges = response.headers.values("WWW-Authenticate").compactMap(AuthChallenge.parse)
                    return Endpoint(baseURL: base, challenge: challenges.first { $0.scheme == .bearer } ?? challenges.first)
                }
                if response.isSuccess { return Endpoint(baseURL: base, challenge: nil) }
                lastError = RegistryError(.protocolViolation, registry: registry, status: response.status,
                                          message: "GET \(base)/v2/ did not answer like a registry",
                                          hint: "check the host and port; the registry API must be served at /v2/")
            } catch let error as TransportError {
                lastError = error
                // A server that speaks TLS but is not trusted must not be tried in plain HTTP.
                if error.isCertificateProblem { break }
            }
        }
        if let error = lastError as? TransportError, error.isHostFailure { throw hostDown(error) }
        if let error = lastError as? RegistryError { throw error }
        guard let error = lastError as? TransportError else { throw CancellationError() }
        if error.isCertificateProblem {
            throw RegistryError(.certificate, registry: registry, message: "TLS certificate not trusted: \(error.message)",
                                hint: "trust the registry's CA: put it in /etc/containers/certs.d/\(registry)/ca.crt or pass --src-cert-dir/--dest-cert-dir DIR; "
                                    + "or, only for a test registry, turn verification off with --src-tls-verify=false/--dest-tls-verify=false")
        }
        throw RegistryError(.unreachable, registry: registry, message: "cannot reach the registry: \(error.message)",
                            hint: schemes.count > 1 ? "check that the registry runs and the host and port are right"
                                : "check that the registry runs and the host and port are right; a plain-HTTP registry needs --src-tls-verify=false or --dest-tls-verify=false")
    }

    // MARK: sending

    /// Sends a request to the registry with credentials for `scopes`, retrying transient failures.
    /// - Parameter target: a path starting with `/v2/` or an absolute URL (an upload `Location`).
    func send(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = HTTPHeaders(), body: RequestBody = .none,
              scopes: [AccessScope], maxResponseBytes: Int = 16 << 20, responseFile: String? = nil,
              minimumRate: TransferRate = .stall) async throws -> HTTPResponse {
        var request = try await authorizedRequest(method, target, headers: headers, body: body, scopes: scopes,
                                                  maxResponseBytes: maxResponseBytes)
        request.responseFile = responseFile
        request.minimumRate = minimumRate
        var renewed = false
        var current = request
        while true {
            let response = try await performWithRetry(current)
            if response.status == 401, !renewed, try await endpoint().challenge?.scheme == .bearer {
                // The token may have expired in flight: fetch a new one once.
                renewed = true
                await state.forgetToken(TokenKey(scopes: scopes))
                current = try await authorizedRequest(method, target, headers: headers, body: body, scopes: scopes,
                                                      maxResponseBytes: maxResponseBytes)
                current.responseFile = responseFile
                current.minimumRate = minimumRate
                continue
            }
            return response
        }
    }

    /// A request with the right URL and Authorization header, for callers that hand it to the
    /// transport themselves (a relay).
    func authorizedRequest(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = HTTPHeaders(),
                           body: RequestBody = .none, scopes: [AccessScope],
                           maxResponseBytes: Int = 16 << 20) async throws -> HTTPRequest {
        let endpoint = try await endpoint()   // throws at once for a host that is down
        let url = target.hasPrefix("http://") || target.hasPrefix("https://") ? target : endpoint.baseURL + target
        var request = HTTPRequest(method, url, headers: headers, body: body, tls: tls, maxResponseBytes: maxResponseBytes)
        if let authorization = try await authorization(endpoint: endpoint, scopes: scopes) {
            request.headers.set("Authorization", authorization)
        }
        return request
    }

    /// Sends with retries on transport failures and retryable statuses.
    ///
    /// A host that has not answered yet in this run gets only `firstContactAttempts` tries when
    /// its name does not resolve or nothing accepts the connection: that is almost always a
    /// wrong name or a stopped registry, not a blip. Once it has answered, a later outage gets
    /// every retry (a registry restarting).
    /// - Throws: at once, the host's error once it is down.
    func performWithRetry(_ request: HTTPRequest) async throws -> HTTPResponse {
        let policy = settings.retry
        var attempt = 0
        while true {
            attempt += 1
            if let down = health.down { throw down }
            do {
                let response = try await transport.perform(request)
                health.noteAnswer()
                if RetryPolicy.retryableStatuses.contains(response.status), attempt < policy.maxAttempts {
                    try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: response.headers["Retry-After"]))
                    continue
                }
                return response
            } catch let error as TransportError where error.isTransient && attempt < policy.maxAttempts {
                if error.isHostFailure, !health.hasAnswered, attempt >= policy.firstContactAttempts { throw error }
                try await Task.sleep(for: policy.delay(afterAttempt: attempt))
            }
        }
    }

    /// `send`, with a transport failure that outlived its retries turned into a registry error
    /// naming the repository and the digest or tag.
    func exchange(_ method: HTTPMethod, _ target: String, headers: HTTPHeaders = HTTPHeaders(), body: RequestBody = .none,
                  scopes: [AccessScope], repository: String, subject: String?,
                  maxResponseBytes: Int = 1 << 20, responseFile: String? = nil,
                  minimumRate: TransferRate = .stall) async throws -> HTTPResponse {
        do {
            return try await send(method, target, headers: headers, body: body, scopes: scopes, maxResponseBytes: maxResponseBytes,
                                  responseFile: responseFile, minimumRate: minimumRate)
        } catch let error as TransportError where error.kind == .responseTooLarge {
            // The registry answered; its answer is too large. Not a connection problem.
            let limit = maxResponseBytes >= 1 << 20 ? "\(maxResponseBytes >> 20) MiB" : "\(maxResponseBytes >> 10) KiB"
            throw RegistryError(.rejected, registry: registry, repository: repository, subject: subject,
                                message: "\(method.rawValue) \(TransportError.redacted(target)): the answer is larger than \(limit), "
                                    + "Ferry's limit for it",
                                hint: "a manifest or index is normally a few KiB (containers/image refuses one over 4 MiB); "
                                    + "check what this reference names at the registry")
        } catch let error as TransportError {
            throw unreachable(error, repository: repository, subject: subject)
        }
    }

    /// Turns a transport failure that outlived its retries into a registry error; a host that
    /// cannot be connected to is marked down (``hostDown(_:)``).
    func unreachable(_ error: TransportError, repository: String?, subject: String?) -> RegistryError {
        if error.isHostFailure { return hostDown(error) }
        if error.isTooSlow {
            return RegistryError(.unreachable, registry: registry, repository: repository, subject: subject,
                                 message: "the transfer stayed below its minimum rate and was cut, on every try: \(error.message)",
                                 hint: "the registry sends too slowly (\(settings.minimumTransferRate) for blobs, "
                                    + "--min-transfer-rate); check the network path to \(registry), or lower --min-transfer-rate")
        }
        if error.kind == .localFile {
            return RegistryError(.corrupt, registry: registry, repository: repository, subject: subject, message: error.message,
                                 hint: "the local file behind this upload is missing or shorter than its descriptor says; nothing was committed")
        }
        return RegistryError(error.isCertificateProblem ? .certificate : .unreachable, registry: registry, repository: repository,
                      subject: subject, message: error.message,
                      hint: "the registry stopped answering; run again when it is back (finished work is kept)")
    }

    /// Marks the host down for the rest of the run and returns the one error every operation
    /// on it reports from now on: no repository or digest in it, so a report can show the
    /// images it stopped under one message and one hint.
    func hostDown(_ error: TransportError) -> RegistryError {
        // The name without its port (`[::1]:5000` keeps its brackets' content).
        let host = registry.hasPrefix("[") ? String(registry.dropFirst().prefix { $0 != "]" })
            : registry.split(separator: ":").first.map(String.init) ?? registry
        let hint = error.isNameResolutionFailure
            ? "the name \(host) does not resolve on this machine: check its spelling, DNS or /etc/hosts, and the proxy "
                + "settings (HTTPS_PROXY, NO_PROXY); nothing more is sent to it in this run"
            : "nothing accepts connections at \(registry): check that the registry runs, that the host and port are right and "
                + "that no firewall refuses them; nothing more is sent to it in this run"
        return health.markDown(RegistryError(.unreachable, registry: registry,
                                             message: "cannot reach the registry: \(error.message)", hint: hint))
    }

    // MARK: auth

    private func authorization(endpoint: Endpoint, scopes: [AccessScope]) async throws -> String? {
        guard let challenge = endpoint.challenge else { return nil }
        switch challenge.scheme {
        case .basic:
            return credential(for: scopes)?.basicAuthorization
        case .bearer:
            let key = TokenKey(scopes: scopes)
            let token = try await state.token(for: key) { try await self.fetchToken(challenge: challenge, key: key) }
            return "Bearer \(token)"
        case .other(let name):
            throw RegistryError(.protocolViolation, registry: registry, message: "unsupported authentication scheme \"\(name)\"",
                                hint: "Ferry supports anonymous, Basic and Bearer-token registries")
        }
    }

    private func credential(for scopes: [AccessScope]) -> Credential? {
        if let first = scopes.first, let name = try? RepositoryName(registry: registry, path: first.repository),
           let credential = credentials.credential(for: name) {
            return credential
        }
        return credentials.credential(forRegistry: registry)
    }

    private func fetchToken(challenge: AuthChallenge, key: TokenKey) async throws -> CachedToken {
        guard let realm = challenge.realm, var components = URLComponents(string: realm) else {
            throw RegistryError(.protocolViolation, registry: registry, message: "bearer challenge without a usable realm",
                                hint: "the registry's auth configuration is broken; tell its operator")
        }
        var items = components.queryItems ?? []
        if let service = challenge.service { items.append(URLQueryItem(name: "service", value: service)) }
        // One scope parameter per repository: the mount source's pull rides along with the push.
        items += key.scopes.map { URLQueryItem(name: "scope", value: $0.text) }
        components.queryItems = items
        // URLComponents leaves ":" and "," alone, which token servers accept.
        var request = HTTPRequest(.get, components.string ?? realm, tls: realm.hasPrefix("https") ? tls : TLSSettings())
        let credential = credential(for: key.scopes)
        if let credential { request.headers.set("Authorization", credential.basicAuthorization) }
        let response: HTTPResponse
        do {
            response = try await performWithRetry(request)
        } catch let error as TransportError {
            throw RegistryError(.unreachable, registry: registry, message: "cannot reach the token service \(TransportError.redacted(realm)): \(error.message)",
                                hint: "the registry delegates authentication to that service; check that this host can reach it")
        }
        guard response.isSuccess else {
            let who = credential.map { "\($0)" } ?? "anonymous access"
            throw RegistryError(.unauthorized, registry: registry, repository: key.scopes.first?.repository, status: response.status,
                                diagnostics: RegistryDiagnostic.decode(response.body),
                                message: "the token service refused \(who)",
                                hint: credential == nil ? "the registry requires credentials: add them for \(registry) to an auth file (--authfile)"
                                    : "check the username and password for \(registry) in \(credential!.source)")
        }
        struct TokenBody: Decodable { var token: String?; var access_token: String?; var expires_in: Int? }
        guard let body = try? JSONDecoder().decode(TokenBody.self, from: response.body),
              let token = body.token ?? body.access_token, !token.isEmpty else {
            throw RegistryError(.protocolViolation, registry: registry, message: "the token service answered without a token",
                                hint: "the registry's auth service is misbehaving; tell its operator")
        }
        // Tokens without a lifetime last 60 s (distribution spec); renew 10 s early.
        let lifetime = max(10, body.expires_in ?? 60)
        return CachedToken(value: token, expires: ContinuousClock.now + .seconds(lifetime - min(10, lifetime / 2)))
    }
}

struct TokenKey: Hashable, Sendable {
    let scopes: [AccessScope]
    init(scopes: [AccessScope]) { self.scopes = Array(Set(scopes)).sorted() }
}

struct CachedToken: Sendable {
    var value: String
    var expires: ContinuousClock.Instant
}

/// The mutable part of a client: the resolved endpoint and the token cache.
actor ClientState {
    private var endpointTask: Task<RegistryClient.Endpoint, any Error>?
    private var tokens: [TokenKey: Task<CachedToken, any Error>] = [:]

    func endpoint(_ ping: @escaping @Sendable () async throws -> RegistryClient.Endpoint) async throws -> RegistryClient.Endpoint {
        if let endpointTask { return try await endpointTask.value }
        let task = Task { try await ping() }
        endpointTask = task
        do {
            return try await task.value
        } catch {
            endpointTask = nil   // a later call may ping again
            throw error
        }
    }

    /// A valid token for the key, fetched once however many callers ask at the same time.
    func token(for key: TokenKey, fetch: @escaping @Sendable () async throws -> CachedToken) async throws -> String {
        if let task = tokens[key] {
            if let token = try? await task.value, token.expires > .now { return token.value }
            if tokens[key] == task { tokens[key] = nil }
        }
        if let task = tokens[key] { return try await task.value.value }
        let task = Task { try await fetch() }
        tokens[key] = task
        do {
            return try await task.value.value
        } catch {
            if tokens[key] == task { tokens[key] = nil }
            throw error
        }
    }

    func forgetToken(_ key: TokenKey) { tokens[key] = nil }
}
