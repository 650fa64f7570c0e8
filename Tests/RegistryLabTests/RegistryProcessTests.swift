import Foundation
import Glibc
import RegistryLab
import Testing

@Suite("Registry processes")
struct RegistryProcessTests {
    @Test("a plain registry answers /v2/ with 200 and keeps its data under the lab root")
    func plainRegistry() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry()
            #expect(registry.scheme == "http")
            #expect(registry.host == "127.0.0.1:\(registry.port)")
            #expect(registry.baseURL == "http://127.0.0.1:\(registry.port)")
            let response = try RawHTTP.request("GET", "\(registry.baseURL)/v2/")
            #expect(response.status == 200)
            #expect(response.headers["docker-distribution-api-version"] == "registry/2.0")
            #expect(registry.storageDirectory.path.hasPrefix(lab.root.path))

            try pushBlob(patternBytes(1000), repository: "lab/plain", baseURL: registry.baseURL)
            let stored = FileManager.default.enumerator(atPath: registry.storageDirectory.path)?.allObjects ?? []
            #expect(stored.contains { ($0 as? String)?.hasSuffix("/data") == true }, "the blob lands in storageDirectory")
        }
    }

    @Test("deleteEnabled switches storage.delete on and off", arguments: [true, false])
    func deletion(enabled: Bool) async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry(.init(deleteEnabled: enabled))
            let digest = try pushBlob(patternBytes(500), repository: "lab/delete", baseURL: registry.baseURL)
            let response = try RawHTTP.request("DELETE", "\(registry.baseURL)/v2/lab/delete/blobs/\(digest)")
            #expect(response.status == (enabled ? 202 : 405), "\(response.text)")
        }
    }

    @Test("a basic-auth registry answers 401 without or with wrong credentials and 200 with the right ones")
    func basicAuth() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry(.init(auth: .basic(username: "alice", password: "s3cret")))
            let anonymous = try RawHTTP.request("GET", "\(registry.baseURL)/v2/")
            #expect(anonymous.status == 401)
            #expect(anonymous.headers["www-authenticate"]?.hasPrefix("Basic realm=") == true)
            let wrong = try RawHTTP.request("GET", "\(registry.baseURL)/v2/",
                                            headers: ["Authorization": basicAuthorization("alice", "nope")])
            #expect(wrong.status == 401)
            let right = try RawHTTP.request("GET", "\(registry.baseURL)/v2/",
                                            headers: ["Authorization": basicAuthorization("alice", "s3cret")])
            #expect(right.status == 200)
            // bcrypt cost 4 keeps the per-request password check cheap.
            let htpasswd = try String(contentsOf: registry.configFile.deletingLastPathComponent()
                .appendingPathComponent("htpasswd"), encoding: .utf8)
            #expect(htpasswd.hasPrefix("alice:$2y$04$"))
        }
    }

    @Test("stop() ends the process and is idempotent; shutdown() removes a temporary root")
    func stopAndShutdown() async throws {
        let lab = try RegistryLab()
        let first = try await lab.startRegistry()
        let second = try await lab.startRegistry()
        #expect(first.port != second.port)
        #expect(first.isRunning && second.isRunning)
        first.stop()
        first.stop()
        #expect(!first.isRunning)
        #expect(kill(first.processIdentifier, 0) != 0, "the process is gone")
        #expect(try RawHTTP.request("GET", "\(second.baseURL)/v2/").status == 200)
        lab.shutdown()
        #expect(!second.isRunning)
        #expect(kill(second.processIdentifier, 0) != 0)
        #expect(!FileManager.default.fileExists(atPath: lab.root.path))
        lab.shutdown()
        await #expect(throws: LabError.self) { _ = try await lab.startRegistry() }
    }

    @Test("a lab in a given root keeps the root and lays registries out under it")
    func explicitRoot() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("registrylab-test-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let lab = try RegistryLab(root: root)
        let registry = try await lab.startRegistry()
        let config = try String(contentsOf: registry.configFile, encoding: .utf8)
        #expect(config.contains("addr: \"127.0.0.1:\(registry.port)\""))
        #expect(config.contains("uploadpurging:\n      enabled: false"))
        #expect(registry.logFile.path.hasPrefix(root.path))
        lab.shutdown()
        #expect(FileManager.default.fileExists(atPath: root.path), "a caller-provided root is not deleted")
        #expect(!registry.isRunning)
    }
}
