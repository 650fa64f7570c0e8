import Foundation
import RegistryLab
import Testing

@Suite("Fault proxy")
struct FaultProxyTests {
    @Test("requests pass through unchanged, uploads stream both ways and Location points at the proxy")
    func passThrough() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let proxy = try lab.startFaultProxy(upstream: registry)
            #expect(proxy.host != registry.host)
            #expect(proxy.baseURL == "http://\(proxy.host)")

            let direct = try RawHTTP.request("GET", "\(registry.baseURL)/v2/")
            let proxied = try RawHTTP.request("GET", "\(proxy.baseURL)/v2/")
            #expect(proxied.status == direct.status)
            #expect(proxied.body == direct.body)
            #expect(proxied.headers["docker-distribution-api-version"] == "registry/2.0")

            let started = try RawHTTP.request("POST", "\(proxy.baseURL)/v2/lab/pass/blobs/uploads/")
            #expect(started.status == 202)
            let location = try #require(started.headers["location"])
            #expect(location.hasPrefix("\(proxy.baseURL)/v2/lab/pass/blobs/uploads/"), "\(location)")
            #expect(!location.contains(registry.host))

            // 3 MiB: many buffer-fulls in each direction.
            let blob = patternBytes(3 << 20)
            let digest = try pushBlob(blob, repository: "lab/pass", baseURL: proxy.baseURL)
            let fetchedDirect = try RawHTTP.request("GET", "\(registry.baseURL)/v2/lab/pass/blobs/\(digest)")
            #expect(fetchedDirect.body == blob, "the registry stored exactly what went through the proxy")
            let fetchedProxied = try RawHTTP.request("GET", "\(proxy.baseURL)/v2/lab/pass/blobs/\(digest)")
            #expect(fetchedProxied.status == 200)
            #expect(fetchedProxied.body == blob)
            #expect(fetchedProxied.headers["docker-content-digest"] == digest)

            let seen = proxy.requests()
            #expect(seen.map(\.method) == ["GET", "POST", "POST", "PUT", "GET"])
            #expect(seen.map(\.status) == [200, 202, 202, 201, 200])
            #expect(seen[3].path.contains("digest=\(digest)"))
            #expect(proxy.faultsInjected == 0)
        }
    }

    @Test("chunked request bodies and Expect: 100-continue are forwarded")
    func chunkedAndExpectContinue() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let proxy = try lab.startFaultProxy(upstream: registry)
            let blob = patternBytes(200_000, seed: 7)
            let started = try RawHTTP.request("POST", "\(proxy.baseURL)/v2/lab/chunked/blobs/uploads/")
            let location = try #require(started.headers["location"])
            let patched = try RawHTTP.request("PATCH", location,
                                              chunks: [Array(blob[..<70_000]), Array(blob[70_000...])])
            #expect(patched.status == 202, "\(patched.text)")
            let next = try #require(patched.headers["location"])
            #expect(next.hasPrefix(proxy.baseURL))
            let digest = try sha256Digest(blob)
            let finished = try RawHTTP.request("PUT", "\(next)&digest=\(digest)", body: [], expectContinue: false)
            #expect(finished.status == 201, "\(finished.text)")
            #expect(try RawHTTP.request("GET", "\(registry.baseURL)/v2/lab/chunked/blobs/\(digest)").body == blob)

            // libcurl sends Expect: 100-continue with large bodies; the proxy must not leave it waiting.
            let other = patternBytes(100_000, seed: 8)
            let start2 = try RawHTTP.request("POST", "\(proxy.baseURL)/v2/lab/chunked/blobs/uploads/")
            let location2 = try #require(start2.headers["location"])
            let digest2 = try sha256Digest(other)
            let put = try RawHTTP.request("PUT", "\(location2)&digest=\(digest2)", body: other, expectContinue: true)
            #expect(put.status == 201, "\(put.text)")
            #expect(try RawHTTP.request("GET", "\(registry.baseURL)/v2/lab/chunked/blobs/\(digest2)").body == other)
        }
    }

    @Test("a status rule answers exactly `times` matching requests, then the registry answers again")
    func statusRule() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let proxy = try lab.startFaultProxy(upstream: registry)
            proxy.add(FaultRule(method: "GET", pathContains: "/v2/", times: 2,
                                action: .status(503, headers: ["Retry-After": "1"], body: "try later")))

            // A POST matches the path but not the method, so it passes.
            #expect(try RawHTTP.request("POST", "\(proxy.baseURL)/v2/lab/x/blobs/uploads/").status == 202)
            let first = try RawHTTP.request("GET", "\(proxy.baseURL)/v2/")
            #expect(first.status == 503)
            #expect(first.headers["retry-after"] == "1")
            #expect(first.text == "try later")
            #expect(try RawHTTP.request("GET", "\(proxy.baseURL)/v2/").status == 503)
            #expect(try RawHTTP.request("GET", "\(proxy.baseURL)/v2/").status == 200)
            #expect(try RawHTTP.request("GET", "\(proxy.baseURL)/v2/").status == 200)
            #expect(proxy.faultsInjected == 2)
            #expect(proxy.requests().map(\.status) == [202, 503, 503, 200, 200])

            // Answering HEAD, the rule announces its body's length but sends no body.
            proxy.add(FaultRule(method: "HEAD", times: 1, action: .status(404, body: "missing")))
            let head = try RawHTTP.request("HEAD", "\(proxy.baseURL)/v2/lab/x/blobs/sha256:00")
            #expect(head.status == 404)
            #expect(head.declaredLength == 7)
            #expect(head.body.isEmpty)
        }
    }

    @Test("a status rule on an upload drains the body and leaves later uploads intact")
    func statusRuleOnUpload() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let proxy = try lab.startFaultProxy(upstream: registry)
            proxy.add(FaultRule(method: "PUT", pathContains: "digest=", times: 1, action: .status(500)))
            let blob = patternBytes(500_000, seed: 3)
            #expect(throws: (any Error).self) { try pushBlob(blob, repository: "lab/retry", baseURL: proxy.baseURL) }
            let digest = try pushBlob(blob, repository: "lab/retry", baseURL: proxy.baseURL)
            #expect(try RawHTTP.request("GET", "\(registry.baseURL)/v2/lab/retry/blobs/\(digest)").body == blob)
            #expect(proxy.requests().map(\.status) == [202, 500, 202, 201])
        }
    }

    @Test("cutResponseBody closes the connection after that many body bytes")
    func cutBody() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let proxy = try lab.startFaultProxy(upstream: registry)
            let blob = patternBytes(300_000, seed: 11)
            let digest = try pushBlob(blob, repository: "lab/cut", baseURL: registry.baseURL)
            proxy.add(FaultRule(method: "GET", pathContains: "/blobs/", times: 1, action: .cutResponseBody(afterBytes: 1000)))

            let cut = try RawHTTP.request("GET", "\(proxy.baseURL)/v2/lab/cut/blobs/\(digest)")
            #expect(cut.status == 200)
            #expect(cut.declaredLength == blob.count, "the head still promises the whole body")
            #expect(cut.body.count == 1000)
            #expect(cut.body == Array(blob[..<1000]))

            let whole = try RawHTTP.request("GET", "\(proxy.baseURL)/v2/lab/cut/blobs/\(digest)")
            #expect(whole.body == blob, "the rule is spent after one hit")
            #expect(proxy.faultsInjected == 1)
        }
    }

    @Test("corruptResponseBody flips exactly the byte at the offset")
    func corruptBody() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let proxy = try lab.startFaultProxy(upstream: registry)
            let blob = patternBytes(200_000, seed: 12)
            let digest = try pushBlob(blob, repository: "lab/corrupt", baseURL: registry.baseURL)
            // Past the first 64 KiB buffer, to cover an offset inside a later piece.
            let offset = 150_001
            proxy.add(FaultRule(pathContains: digest, times: 1, action: .corruptResponseBody(atOffset: offset)))

            let corrupted = try RawHTTP.request("GET", "\(proxy.baseURL)/v2/lab/corrupt/blobs/\(digest)")
            #expect(corrupted.status == 200)
            #expect(corrupted.body.count == blob.count)
            let differing = zip(corrupted.body, blob).enumerated().filter { $0.element.0 != $0.element.1 }.map(\.offset)
            #expect(differing == [offset])
            #expect(corrupted.body[offset] == blob[offset] ^ 0xFF)
            #expect(try RawHTTP.request("GET", "\(proxy.baseURL)/v2/lab/corrupt/blobs/\(digest)").body == blob)
        }
    }

    @Test("closeWithoutResponse closes after reading the request; rules apply in order")
    func closeWithoutResponse() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            let proxy = try lab.startFaultProxy(upstream: registry)
            proxy.add(FaultRule(pathContains: "/v2/", times: 1, action: .closeWithoutResponse))
            proxy.add(FaultRule(pathContains: "/v2/", times: 1, action: .status(429)))
            #expect(try RawHTTP.send("GET", "\(proxy.baseURL)/v2/") == nil)
            #expect(try RawHTTP.request("GET", "\(proxy.baseURL)/v2/").status == 429)
            #expect(try RawHTTP.request("GET", "\(proxy.baseURL)/v2/").status == 200)
            #expect(proxy.requests().map(\.status) == [0, 429, 200])
            #expect(proxy.faultsInjected == 2)
        }
    }

    @Test("the proxy refuses a TLS upstream and stops answering after stop()")
    func limits() async throws {
        try await withLab { lab in
            let secure = try await lab.startRegistry(.init(tls: true))
            #expect(throws: LabError.self) { _ = try lab.startFaultProxy(upstream: secure) }

            let registry = try await lab.startRegistry()
            let proxy = try lab.startFaultProxy(upstream: registry)
            #expect(try RawHTTP.request("GET", "\(proxy.baseURL)/v2/").status == 200)
            proxy.stop()
            #expect(throws: (any Error).self) { _ = try RawHTTP.request("GET", "\(proxy.baseURL)/v2/") }
        }
    }
}
