import Foundation
import Testing
@testable import Distribution

@Suite("Auth challenges, retry timing, error bodies")
struct ProtocolParsingTests {
    @Test("WWW-Authenticate challenges", arguments: [
        (#"Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull""#,
         "bearer", ["realm": "https://auth.example.com/token", "service": "registry.example.com", "scope": "repository:a/b:pull"]),
        (#"Basic realm="Registry Realm""#, "basic", ["realm": "Registry Realm"]),
        (#"bearer realm="https://q.io/v2/auth", service="q.io""#, "bearer", ["realm": "https://q.io/v2/auth", "service": "q.io"]),
        (#"Bearer realm="https://x/token",scope="repository:a:pull,push""#, "bearer", ["realm": "https://x/token", "scope": "repository:a:pull,push"]),
        (#"Bearer realm="https://x/t\"q",error="invalid_token""#, "bearer", ["realm": #"https://x/t"q"#, "error": "invalid_token"]),
        ("Basic", "basic", [:]),
    ])
    func challenges(header: String, scheme: String, parameters: [String: String]) throws {
        let challenge = try #require(AuthChallenge.parse(header))
        switch challenge.scheme {
        case .bearer: #expect(scheme == "bearer")
        case .basic: #expect(scheme == "basic")
        case .other(let name): Issue.record("unexpected scheme \(name)")
        }
        #expect(challenge.parameters == parameters)
    }

    @Test("an unknown scheme is kept as such")
    func otherScheme() throws {
        let challenge = try #require(AuthChallenge.parse(#"Negotiate realm="x""#))
        #expect(challenge.scheme == .other("negotiate"))
        #expect(AuthChallenge.parse("") == nil)
    }

    @Test("token scopes: push asks for pull too; the key ignores order and duplicates")
    func scopes() {
        #expect(AccessScope.push("ns/app").text == "repository:ns/app:pull,push")
        #expect(AccessScope.pull("ns/app").text == "repository:ns/app:pull")
        let a = TokenKey(scopes: [.push("b"), .pull("a"), .pull("a")])
        let b = TokenKey(scopes: [.pull("a"), .push("b")])
        #expect(a == b)
        #expect(a.scopes.map(\.text) == ["repository:a:pull", "repository:b:pull,push"])
    }

    @Test("Retry-After in seconds and as an HTTP date")
    func retryAfter() throws {
        #expect(RetryPolicy.parseRetryAfter("3") == .seconds(3))
        #expect(RetryPolicy.parseRetryAfter(" 0 ") == .zero)
        #expect(RetryPolicy.parseRetryAfter("soon") == nil)
        let now = Date(timeIntervalSince1970: 1_700_000_000)   // Tue, 14 Nov 2023 22:13:20 GMT
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:30 GMT", now: now) == .seconds(10))
        #expect(RetryPolicy.parseRetryAfter("Tue, 14 Nov 2023 22:13:00 GMT", now: now) == .zero)
    }

    @Test("backoff grows, stays within jitter, honours and caps Retry-After")
    func backoff() {
        let policy = RetryPolicy(baseDelay: .milliseconds(100), multiplier: 2, maxDelay: .seconds(1), jitter: 0.2)
        for attempt in 1...3 {
            let expected = 0.1 * pow(2, Double(attempt - 1))
            let delay = policy.delay(afterAttempt: attempt)
            let seconds = Double(delay.components.seconds) + Double(delay.components.attoseconds) / 1e18
            #expect(seconds >= expected * 0.8 - 1e-9 && seconds <= expected * 1.2 + 1e-9)
        }
        #expect(policy.delay(afterAttempt: 10) <= .seconds(1))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "0.5") == .milliseconds(500))
        #expect(policy.delay(afterAttempt: 1, retryAfter: "120") == .seconds(1))
        #expect(RetryPolicy.retryableStatuses.isSuperset(of: [408, 429, 500, 502, 503, 504]))
        #expect(!RetryPolicy.retryableStatuses.contains(404) && !RetryPolicy.retryableStatuses.contains(401))
    }

    @Test("registry error bodies become errors that name where and why, with a hint")
    func errors() {
        let body = Data(#"{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown","detail":{}}]}"#.utf8)
        let notFound = RegistryError.from(status: 404, body: body, registry: "r.example:5000", repository: "ns/app",
                                          subject: "1.0", operation: "manifest GET")
        #expect(notFound.kind == .notFound)
        #expect(notFound.description.hasPrefix("r.example:5000/ns/app:1.0: manifest GET: not found (HTTP 404 MANIFEST_UNKNOWN)"))
        #expect(notFound.description.contains("hint:"))

        let digest = "sha256:" + String(repeating: "a", count: 64)
        let denied = RegistryError.from(status: 403, body: Data("<html>no</html>".utf8), registry: "r", repository: "x",
                                        subject: digest, operation: "blob HEAD")
        #expect(denied.kind == .denied)
        #expect(denied.description.hasPrefix("r/x@\(digest): blob HEAD: access denied (HTTP 403)"))
        #expect(RegistryError.from(status: 429, body: Data(), registry: "r", repository: nil, subject: nil, operation: "x").isTransient)
        #expect(RegistryError.from(status: 503, body: Data(), registry: "r", repository: nil, subject: nil, operation: "x").kind == .serverError)
        #expect(!RegistryError.from(status: 401, body: Data(), registry: "r", repository: nil, subject: nil, operation: "x").isTransient)
    }
}
