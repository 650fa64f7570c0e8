import Foundation
import RegistryLab
import Testing

@Suite("Token auth")
struct TokenAuthTests {
    static let user = "robot"
    static let password = "pa55word"

    /// Asks the registry's token server for a token, the way a client does after a Bearer challenge.
    static func tokenResponse(_ registry: LabRegistry, scopes: [String], authorization: String?,
                              service: String? = nil) throws -> RawResponse {
        let server = try #require(registry.tokenServer)
        var url = server.realm + "?service=" + (service ?? registry.tokenService ?? "")
        for scope in scopes {
            url += "&scope=" + (scope.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed) ?? scope)
        }
        return try RawHTTP.request("GET", url, headers: authorization.map { ["Authorization": $0] } ?? [:])
    }

    static func token(_ registry: LabRegistry, scopes: [String]) throws -> String {
        let response = try tokenResponse(registry, scopes: scopes, authorization: basicAuthorization(user, password))
        #expect(response.status == 200, "\(response.text)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        return try #require(object["token"] as? String)
    }

    static func decodeSegment(_ segment: Substring) throws -> [String: Any] {
        var base64 = segment.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let data = try #require(Data(base64Encoded: base64))
        return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("a token registry challenges with Bearer realm and service")
    func challenge() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry(.init(auth: .token(username: Self.user, password: Self.password)))
            let server = try #require(registry.tokenServer)
            #expect(registry.tokenService == registry.host)

            let base = try RawHTTP.request("GET", "\(registry.baseURL)/v2/")
            #expect(base.status == 401)
            let challenge = try #require(base.headers["www-authenticate"])
            #expect(challenge.hasPrefix("Bearer realm=\"\(server.realm)\""), "\(challenge)")
            #expect(challenge.contains("service=\"\(registry.host)\""), "\(challenge)")

            let tags = try RawHTTP.request("GET", "\(registry.baseURL)/v2/ns/app/tags/list")
            #expect(tags.status == 401)
            #expect(tags.headers["www-authenticate"]?.contains("scope=\"repository:ns/app:pull\"") == true)
        }
    }

    @Test("the token server issues tokens for good credentials only, granting every requested scope")
    func issuing() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry(.init(auth: .token(username: Self.user, password: Self.password)))
            let server = try #require(registry.tokenServer)
            let scopes = ["repository:ns/app:pull,push", "repository:ns/base:pull"]

            let good = try Self.tokenResponse(registry, scopes: scopes,
                                              authorization: basicAuthorization(Self.user, Self.password))
            #expect(good.status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(good.body)) as? [String: Any])
            let token = try #require(object["token"] as? String)
            #expect(object["access_token"] as? String == token)
            #expect(object["expires_in"] as? Int == 300)
            #expect(object["issued_at"] is String)

            let parts = token.split(separator: ".")
            #expect(parts.count == 3)
            let header = try Self.decodeSegment(parts[0])
            #expect(header["alg"] as? String == "ES256")
            #expect(header["typ"] as? String == "JWT")
            #expect((header["x5c"] as? [String])?.count == 1)
            let claims = try Self.decodeSegment(parts[1])
            #expect(claims["iss"] as? String == server.issuer)
            #expect(claims["aud"] as? String == registry.tokenService)
            #expect(claims["sub"] as? String == Self.user)
            let access = try #require(claims["access"] as? [[String: Any]])
            #expect(access.count == 2)
            #expect(access.first?["name"] as? String == "ns/app")
            #expect(access.first?["actions"] as? [String] == ["pull", "push"])
            #expect(access.last?["name"] as? String == "ns/base")
            // An ES256 JOSE signature is the raw 64-byte r‖s: 86 base64url characters.
            #expect(parts[2].count == 86)

            let wrong = try Self.tokenResponse(registry, scopes: scopes,
                                               authorization: basicAuthorization(Self.user, "guess"))
            #expect(wrong.status == 401)
            #expect(wrong.text.contains("UNAUTHORIZED"))
            let anonymous = try Self.tokenResponse(registry, scopes: scopes, authorization: nil)
            #expect(anonymous.status == 401)
            let unknownService = try Self.tokenResponse(registry, scopes: scopes,
                                                        authorization: basicAuthorization(Self.user, Self.password),
                                                        service: "elsewhere")
            #expect(unknownService.status == 401)

            #expect(server.issuedTokenCount == 1)
            #expect(server.requests().map(\.status) == [200, 401, 401, 401])
            #expect(server.requests().first?.scopes == scopes)
        }
    }

    @Test("the registry accepts the token and enforces its scopes and audience")
    func registryAcceptsToken() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry(.init(auth: .token(username: Self.user, password: Self.password)))
            let other = try await lab.startRegistry(.init(auth: .token(username: "other", password: "x")))
            #expect(registry.tokenServer === other.tokenServer, "one token server per lab")

            let token = try Self.token(registry, scopes: ["repository:ns/app:pull,push"])
            let bearer = ["Authorization": "Bearer \(token)"]
            #expect(try RawHTTP.request("GET", "\(registry.baseURL)/v2/", headers: bearer).status == 200)
            try pushBlob(patternBytes(2000), repository: "ns/app", baseURL: registry.baseURL, headers: bearer)

            // Pull-only: the registry refuses to start an upload.
            let pullOnly = try Self.token(registry, scopes: ["repository:ns/app:pull"])
            let upload = try RawHTTP.request("POST", "\(registry.baseURL)/v2/ns/app/blobs/uploads/",
                                             headers: ["Authorization": "Bearer \(pullOnly)"])
            #expect(upload.status == 401)

            // A token minted for one registry (its audience) is worthless at another.
            #expect(try RawHTTP.request("GET", "\(other.baseURL)/v2/", headers: bearer).status == 401)
            let forged = "Bearer " + token.dropLast(4) + (token.hasSuffix("AAAA") ? "BBBB" : "AAAA")
            #expect(try RawHTTP.request("GET", "\(registry.baseURL)/v2/", headers: ["Authorization": forged]).status == 401)
        }
    }

    @Test("tokenLifetime makes tokens expire at the registry after that many seconds")
    func expiry() async throws {
        try await withLab { lab in
            let server = try lab.startTokenServer()
            server.tokenLifetime = 2
            let registry = try await lab.startRegistry(.init(auth: .token(username: Self.user, password: Self.password)))
            let response = try Self.tokenResponse(registry, scopes: [],
                                                  authorization: basicAuthorization(Self.user, Self.password))
            let object = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            #expect(object["expires_in"] as? Int == 2)
            let bearer = ["Authorization": "Bearer \(try #require(object["token"] as? String))"]
            #expect(try RawHTTP.request("GET", "\(registry.baseURL)/v2/", headers: bearer).status == 200)
            try await Task.sleep(for: .milliseconds(3100))
            let expired = try RawHTTP.request("GET", "\(registry.baseURL)/v2/", headers: bearer)
            #expect(expired.status == 401, "\(expired.text)")
        }
    }
}
