import Crypto
import Foundation

/// An in-process bearer-token server that CNCF distribution trusts through `auth.token`.
///
/// It listens on its own 127.0.0.1 port and serves `GET /token?service=…&scope=…&scope=…`.
/// Each registry that delegates to it is registered as a *service* (the lab uses the registry's
/// `host`, `127.0.0.1:PORT`, as the service name) with one username and password. A request with
/// matching HTTP basic credentials gets a token granting every action it asked for; a request
/// without credentials, with wrong ones, or for an unknown service gets `401` with a JSON error —
/// the lab's token registries are private, like the mirrors Ferry is meant for.
///
/// One request per connection, answered with `Connection: close` (see `LoopbackHTTPServer`).
public final class TokenServer: Sendable {
    /// `127.0.0.1:PORT` of the token server.
    public let host: String
    /// The URL registries send clients to (`auth.token.realm`).
    public var realm: String { "http://\(host)/token" }
    /// The `iss` claim; registries are configured with the same `auth.token.issuer`.
    public let issuer: String
    /// The PEM certificate that registries trust for token signatures (`auth.token.rootcertbundle`).
    public let signingCertificate: URL

    /// How long distribution adds to `exp` (and takes from `nbf`) to allow for clock skew.
    public static let registryLeeway = 60

    private let signer: TokenSigner
    private let server: LoopbackHTTPServer
    private let state: LabLocked<State>

    private struct State {
        var lifetime = 300
        var services: [String: (username: String, password: String)] = [:]
        var issued = 0
        var log: [TokenRequest] = []
    }

    /// One request the server answered, for assertions about what a client asked for.
    public struct TokenRequest: Sendable, Equatable {
        /// The `service` parameter.
        public var service: String
        /// The basic-auth username, or nil when the request carried no credentials.
        public var username: String?
        /// The `scope` parameters, in order.
        public var scopes: [String]
        /// The HTTP status the server answered with (200 when a token was issued).
        public var status: Int
    }

    /// Starts a token server signing with the EC P-256 key and certificate in the given PEM files.
    /// - Parameter tokenLifetime: seconds a token stays valid at the registry (see `tokenLifetime`).
    public init(signingKey keyFile: URL, signingCertificate certificateFile: URL, tokenLifetime: Int = 300) throws {
        let keyPEM = try String(contentsOf: keyFile, encoding: .utf8)
        let certificatePEM = try String(contentsOf: certificateFile, encoding: .utf8)
        let chain = LabPEM.certificateBodies(in: certificatePEM)
        guard !chain.isEmpty else { throw LabError.unsupported("no certificate in \(certificateFile.path)") }
        let signer = TokenSigner(key: try P256.Signing.PrivateKey(pemRepresentation: keyPEM), certificateChain: chain)
        var initial = State()
        initial.lifetime = tokenLifetime
        let state = LabLocked(initial)
        let issuer = "lab-issuer"
        let server = try LoopbackHTTPServer(name: "TokenServer", idleTimeout: 10) { connection, _ in
            TokenServer.serve(connection, signer: signer, issuer: issuer, state: state)
        }
        self.signer = signer
        self.state = state
        self.server = server
        self.signingCertificate = certificateFile
        self.issuer = issuer
        self.host = "127.0.0.1:\(server.port)"
    }

    /// Seconds after issue until the registry stops accepting a token; also the `expires_in` a client sees.
    ///
    /// Distribution allows 60 s of leeway past `exp`, so the `exp` claim is set to
    /// `issued + tokenLifetime − 60`: with a lifetime of 2 the registry really rejects the token
    /// about 2 s after issue (whole-second resolution), which lets a test exercise token refresh
    /// quickly. Such an `exp` can lie before `iat`; clients go by `expires_in`, not by decoding the JWT.
    public var tokenLifetime: Int {
        get { state.withLock { $0.lifetime } }
        set { state.withLock { $0.lifetime = max(1, newValue) } }
    }

    /// How many tokens have been issued so far, to see whether a client caches them.
    public var issuedTokenCount: Int { state.withLock { $0.issued } }

    /// Every request answered so far, in order.
    public func requests() -> [TokenRequest] { state.withLock { $0.log } }

    /// Lets clients of `service` (the registry's `auth.token.service`) obtain tokens with these credentials.
    public func register(service: String, username: String, password: String) {
        state.withLock { $0.services[service] = (username, password) }
    }

    /// Forgets a service registered with `register(service:username:password:)`.
    public func unregister(service: String) {
        _ = state.withLock { $0.services.removeValue(forKey: service) }
    }

    /// Stops listening and closes open connections. Idempotent.
    public func stop() {
        server.stop()
    }

    // MARK: - Request handling (runs on the connection's thread)

    private static func serve(_ connection: SocketConnection, signer: TokenSigner, issuer: String, state: LabLocked<State>) {
        do {
            guard let headBytes = try connection.readHead() else { return }
            let request = try WireRequestHead(bytes: headBytes)
            // Token requests carry no body, but drain one (bounded) so the client sees our answer, not a reset.
            let framing = try request.bodyFraming
            if case .length(let count) = framing, count > 1 << 20 {
                try connection.writeResponse(status: 413, body: error("TOO_LARGE", "request body too large"))
                return
            }
            try connection.copyBody(framing) { _ in }

            guard request.path == "/token" else {
                try connection.writeResponse(status: 404, headers: json, body: error("NOT_FOUND", "no such endpoint"))
                return
            }
            guard request.method == "GET" else {
                try connection.writeResponse(status: 405, headers: json + [("Allow", "GET")],
                                             body: error("UNSUPPORTED", "only GET is supported"))
                return
            }
            let (status, body) = answer(request, signer: signer, issuer: issuer, state: state)
            var headers = json
            if status == 401 {
                headers.append(("WWW-Authenticate", "Basic realm=\"RegistryLab token server\""))
            }
            try connection.writeResponse(status: status, headers: headers, body: body)
        } catch {
            // The client went away or sent garbage; there is no one left to tell.
        }
    }

    private static let json = [("Content-Type", "application/json")]

    private static func error(_ code: String, _ message: String) -> [UInt8] {
        let object: [String: Any] = ["errors": [["code": code, "message": message]]]
        return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
    }

    private static func answer(_ request: WireRequestHead, signer: TokenSigner, issuer: String,
                               state: LabLocked<State>) -> (Int, [UInt8]) {
        let query = request.queryItems
        let service = query.first { $0.name == "service" }?.value ?? ""
        let scopes = query.filter { $0.name == "scope" }.flatMap { $0.value.split(separator: " ").map(String.init) }
        let credentials = basicCredentials(request.headers["Authorization"])

        let now = Int64(Date().timeIntervalSince1970)
        let decision = state.withLock { state -> (allowed: Bool, lifetime: Int) in
            let expected = state.services[service]
            let allowed = expected != nil && credentials != nil
                && credentials!.username == expected!.username && credentials!.password == expected!.password
            if allowed { state.issued += 1 }
            state.log.append(TokenRequest(service: service, username: credentials?.username, scopes: scopes,
                                          status: allowed ? 200 : 401))
            return (allowed, state.lifetime)
        }
        guard decision.allowed else {
            let message = credentials == nil ? "authentication required" : "invalid credentials for service \(service)"
            return (401, error("UNAUTHORIZED", message))
        }

        let claims = TokenSigner.Claims(
            iss: issuer, sub: credentials!.username, aud: service,
            exp: now + Int64(decision.lifetime - registryLeeway), nbf: now, iat: now,
            jti: UUID().uuidString, access: scopes.compactMap(access(from:)))
        guard let token = try? signer.sign(claims) else {
            return (500, error("UNKNOWN", "signing failed"))
        }
        let formatter = ISO8601DateFormatter()
        let body: [String: Any] = [
            "token": token, "access_token": token, "expires_in": decision.lifetime,
            "issued_at": formatter.string(from: Date(timeIntervalSince1970: TimeInterval(now))),
        ]
        return (200, Array((try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()))
    }

    /// Parses `type:name:actions`; the name may itself contain colons (e.g. a registry host with a port).
    static func access(from scope: String) -> TokenSigner.Access? {
        guard let firstColon = scope.firstIndex(of: ":"), let lastColon = scope.lastIndex(of: ":"),
              firstColon < lastColon else { return nil }
        let type = String(scope[..<firstColon])
        let name = String(scope[scope.index(after: firstColon)..<lastColon])
        let actions = scope[scope.index(after: lastColon)...].split(separator: ",").map(String.init)
        guard !type.isEmpty, !name.isEmpty, !actions.isEmpty else { return nil }
        return TokenSigner.Access(type: type, name: name, actions: actions)
    }

    static func basicCredentials(_ header: String?) -> (username: String, password: String)? {
        guard let header, header.count > 6, header.prefix(6).lowercased() == "basic " else { return nil }
        let encoded = header.dropFirst(6).trimmingCharacters(in: .whitespaces)
        guard let data = Data(base64Encoded: encoded), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
}
