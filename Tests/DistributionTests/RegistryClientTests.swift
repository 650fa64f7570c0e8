import Foundation
import OCI
import RegistryLab
import Testing
@testable import Distribution

@Suite("Registry client against lab registries and scripted corner cases")
struct RegistryClientTests {
    let fast = RetryPolicy(maxAttempts: 4, baseDelay: .milliseconds(10), maxDelay: .seconds(1))

    @Test("bearer tokens are cached per scope and renewed after they expire")
    func tokenCacheAndRenewal() async throws {
        let lab = try RegistryLab()
        defer { lab.shutdown() }
        let registry = try await lab.startRegistry(RegistryOptions(auth: .token(username: "u", password: "pw-1")))
        registry.tokenServer?.tokenLifetime = 300
        let tokens = try #require(registry.tokenServer)
        let client = RegistryClient(registry: registry.host, settings: RegistrySettings(retry: fast),
                                    credentials: CredentialStore([registry.host: Credential(username: "u", password: "pw-1", source: "test")]))
        let blob = Data("hello".utf8)
        let pushed = try await client.pushBlob(blob, in: "ns/app")
        let afterPush = tokens.issuedTokenCount
        for _ in 0..<10 { #expect(try await client.blobExists(pushed.digest, in: "ns/app")) }
        #expect(tokens.issuedTokenCount == afterPush, "ten HEADs with one scope reuse one token")

        // A short-lived token for another scope: used once, expired, renewed.
        tokens.tokenLifetime = 2
        #expect(try await client.blobExists(pushed.digest, in: "ns/other") == false)
        let beforeExpiry = tokens.issuedTokenCount
        #expect(beforeExpiry == afterPush + 1)
        try await Task.sleep(for: .seconds(3))   // the registry now rejects that token
        #expect(try await client.blobExists(pushed.digest, in: "ns/other") == false)
        #expect(tokens.issuedTokenCount == beforeExpiry + 1)
        #expect(tokens.requests().allSatisfy { $0.username == "u" })
    }

    @Test("a TLS registry is trusted through a certs.d-style directory (HOST:PORT/ca.crt) and refused without it")
    func certsDirectory() async throws {
        let lab = try RegistryLab()
        defer { lab.shutdown() }
        let registry = try await lab.startRegistry(RegistryOptions(tls: true))
        let roots = [try lab.certsDirectory().path]
        let trusted = RegistryClient(registry: registry.host, settings: RegistrySettings(certsDirectoryRoots: roots, retry: fast))
        let pushed = try await trusted.pushBlob(Data("over TLS".utf8), in: "ns/app")
        #expect(try await trusted.blobExists(pushed.digest, in: "ns/app"))

        let untrusted = RegistryClient(registry: registry.host, settings: RegistrySettings(certsDirectoryRoots: [], retry: fast))
        do {
            _ = try await untrusted.blobExists(pushed.digest, in: "ns/app")
            Issue.record("an untrusted certificate was accepted")
        } catch let error as RegistryError {
            #expect(error.kind == .certificate)
            #expect(error.description.contains(registry.host))
            #expect(error.hint?.contains("/etc/containers/certs.d/\(registry.host)/ca.crt") == true)
        }

        let insecure = RegistryClient(registry: registry.host, settings: RegistrySettings(tlsVerify: false, certsDirectoryRoots: [], retry: fast))
        #expect(try await insecure.blobExists(pushed.digest, in: "ns/app"))
    }

    @Test("a manifest HEAD without Docker-Content-Digest falls back to GET and hashes the bytes")
    func missingDigestHeader() async throws {
        let manifest = Array(#"{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a","size":2},"layers":[]}"#.utf8)
        let server = try ScriptedServer { request in
            switch (request.method, request.target) {
            case ("GET", "/v2/"): return .init(status: 200, body: Array("{}".utf8))
            case (_, "/v2/ns/app/manifests/1.0"):
                return .init(status: 200, headers: [("Content-Type", "application/vnd.oci.image.manifest.v1+json")], body: manifest)
            default: return .init(status: 404)
            }
        }
        defer { server.stop() }
        let client = RegistryClient(registry: server.host, settings: RegistrySettings(retry: fast))
        let reference = try ImageReference(parsing: "\(server.host)/ns/app:1.0")
        #expect(try await client.manifestDigest(reference) == Digest.sha256(manifest))
        #expect(server.requests().map(\.method).suffix(2) == ["HEAD", "GET"])
    }

    @Test("a redirected blob GET does not carry the registry's Authorization to the other host")
    func redirectDropsAuthorization() async throws {
        let storage = try ScriptedServer { _ in .init(status: 200, body: Array("blob-bytes".utf8)) }
        defer { storage.stop() }
        let registry = try ScriptedServer { request in
            if request.headers["authorization"] == nil {
                return .init(status: 401, headers: [("WWW-Authenticate", #"Basic realm="scripted""#)])
            }
            if request.target == "/v2/" { return .init(status: 200) }
            // Redirect to "localhost" on another port: another host as far as credentials go.
            let port = storage.host.split(separator: ":").last!
            return .init(status: 307, headers: [("Location", "http://localhost:\(port)/storage/blob?sig=abc")])
        }
        defer { registry.stop() }
        let client = RegistryClient(registry: registry.host, settings: RegistrySettings(retry: fast),
                                    credentials: CredentialStore([registry.host: Credential(username: "u", password: "secret", source: "test")]))
        let response = try await client.send(.get, "/v2/ns/app/blobs/sha256:\(String(repeating: "b", count: 64))", scopes: [.pull("ns/app")])
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == "blob-bytes")
        #expect(registry.requests().last?.headers["authorization"]?.hasPrefix("Basic ") == true)
        let atStorage = try #require(storage.requests().first)
        #expect(atStorage.target == "/storage/blob?sig=abc")
        #expect(atStorage.headers["authorization"] == nil)
    }

    @Test("upload Locations: relative ones are resolved against the registry; a mount answered 202 continues as an upload")
    func uploadLocations() async throws {
        let digest = Digest.sha256(Data("x".utf8))
        let server = try ScriptedServer { request in
            switch (request.method, request.target) {
            case ("GET", "/v2/"): return .init(status: 200)
            case ("POST", "/v2/ns/app/blobs/uploads/"):
                return .init(status: 202, headers: [("Location", "/v2/ns/app/blobs/uploads/u-1?_state=abc")])
            case ("POST", let target) where target.hasPrefix("/v2/ns/app/blobs/uploads/?mount="):
                // Not mountable (Harbor, Quay without the blob): an ordinary session, path-relative.
                return .init(status: 202, headers: [("Location", "uploads/u-2")])
            default: return .init(status: 404)
            }
        }
        defer { server.stop() }
        let client = RegistryClient(registry: server.host, settings: RegistrySettings(retry: fast))

        let session = try await client.startUpload(in: "ns/app")
        #expect(session.location == "http://\(server.host)/v2/ns/app/blobs/uploads/u-1?_state=abc")
        #expect(session.completionURL(digest) == "http://\(server.host)/v2/ns/app/blobs/uploads/u-1?_state=abc&digest=\(digest)")

        guard case .uploadStarted(let opened) = try await client.mountBlob(digest, into: "ns/app", from: "other/repo") else {
            Issue.record("a 202 mount must continue as an upload")
            return
        }
        #expect(opened.location == "http://\(server.host)/v2/ns/app/blobs/uploads/uploads/u-2")
        #expect(opened.completionURL(digest).hasSuffix("/uploads/u-2?digest=\(digest)"))
        #expect(server.requests().last?.target == "/v2/ns/app/blobs/uploads/?mount=\(digest)&from=other/repo")
    }

    @Test("an unreachable registry is reported with its host and a hint, after the retries")
    func unreachable() async throws {
        let client = RegistryClient(registry: "127.0.0.1:1", settings: RegistrySettings(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(5))))
        do {
            _ = try await client.blobExists(Digest.sha256(Data()), in: "a/b")
            Issue.record("expected an error")
        } catch let error as RegistryError {
            #expect(error.kind == .unreachable)
            #expect(error.description.contains("127.0.0.1:1"))
            #expect(error.hint != nil)
        }
    }

    @Test("a blob uploaded from a file lands whole; a file whose bytes do not match the digest is refused and nothing is committed")
    func uploadFromFile() async throws {
        let lab = try RegistryLab()
        defer { lab.shutdown() }
        let registry = try await lab.startRegistry()
        let client = RegistryClient(registry: registry.host, settings: RegistrySettings(retry: fast))
        // Larger than one curl read buffer, so the file is read in several pieces.
        let content = Data((0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ ($0 >> 12)) })
        let file = lab.root.appendingPathComponent("blob.bin")
        try content.write(to: file)
        let blob = Descriptor(mediaType: "application/octet-stream", digest: .sha256(content), size: Int64(content.count))
        try await client.uploadBlob(blob, fromFile: file.path, in: "ns/files")
        let back = lab.root.appendingPathComponent("back.bin")
        try await client.downloadBlob(blob, from: "ns/files", to: back.path)
        #expect(try Data(contentsOf: back) == content)

        // Same size, one byte changed, uploaded as the original into a repository without it: the
        // registry checks the digest and refuses.
        var damaged = content
        damaged[damaged.count / 2] ^= 0xFF
        try damaged.write(to: file)
        let refused = await #expect(throws: RegistryError.self) { try await client.uploadBlob(blob, fromFile: file.path, in: "ns/damaged") }
        #expect(refused?.description.contains("DIGEST_INVALID") == true,
                "\(String(describing: refused))")
        #expect(try await client.blobExists(blob.digest, in: "ns/damaged") == false)
        // A file shorter than the descriptor says is never sent as a short blob.
        try content.prefix(1000).write(to: file)
        let short = Descriptor(mediaType: "application/octet-stream", digest: .sha256(content.prefix(1000) + Data("y".utf8)),
                               size: Int64(content.count))
        // ... and not retried as if the network had failed: the file will not grow by itself. The
        // proxy logs each PUT, finished or cut short.
        let proxy = try lab.startFaultProxy(upstream: registry)
        let patient = RegistryClient(registry: proxy.host,
                                     settings: RegistrySettings(retry: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(10))))
        let error = await #expect(throws: RegistryError.self) { try await patient.uploadBlob(short, fromFile: file.path, in: "ns/files") }
        #expect(error?.kind == .corrupt)
        #expect(error?.description.contains("ended after 1000 of") == true, "\(String(describing: error))")
        // The proxy logs a cut-short request when its thread sees the connection end, which may be
        // a moment after the client gave up: wait for the first PUT's entry, then count them all.
        func puts() -> Int { proxy.requests().filter { $0.method == "PUT" && $0.path.contains("/v2/ns/files/blobs/uploads/") }.count }
        for _ in 0..<500 where puts() == 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(puts() == 1, "\(proxy.requests())")
        #expect(try await client.blobExists(short.digest, in: "ns/files") == false)
    }

    @Test("a registry that refuses a monolithic PUT gets the blob as a PATCH, from memory and from a file alike")
    func uploadFallsBackToPatch() async throws {
        let lab = try RegistryLab()
        defer { lab.shutdown() }
        let registry = try await lab.startRegistry()
        let proxy = try lab.startFaultProxy(upstream: registry)
        // The first upload PUT of each blob is refused, as JFrog does.
        let refusal = FaultRule(method: "PUT", pathContains: "digest=", times: 1,
                                action: .status(405, body: #"{"errors":[{"code":"UNSUPPORTED","message":"use PATCH"}]}"#))
        proxy.add(refusal)
        let client = RegistryClient(registry: proxy.host, settings: RegistrySettings(retry: fast))
        let inMemory = Data("pushed from memory".utf8)
        try await client.pushBlob(inMemory, in: "ns/patch")
        proxy.add(refusal)
        let content = Data("uploaded from a file".utf8)
        let file = lab.root.appendingPathComponent("patch.bin")
        try content.write(to: file)
        let blob = Descriptor(mediaType: "application/octet-stream", digest: .sha256(content), size: Int64(content.count))
        try await client.uploadBlob(blob, fromFile: file.path, in: "ns/patch")
        #expect(proxy.faultsInjected == 2)
        #expect(proxy.requests().filter { $0.method == "PATCH" && $0.status == 202 }.count == 2)
        let direct = RegistryClient(registry: registry.host)
        #expect(try await direct.blobExists(.sha256(inMemory), in: "ns/patch"))
        #expect(try await direct.blobExists(blob.digest, in: "ns/patch"))
    }
}
