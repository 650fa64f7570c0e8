import Foundation
import OCI
import Testing
@testable import Distribution

@Suite("Credentials from auth files")
struct CredentialStoreTests {
    func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    func temporaryFile(_ json: String) throws -> String {
        let path = NSTemporaryDirectory() + "ferry-auth-\(UUID().uuidString).json"
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("the most specific key wins: host/ns/repo, host/ns, host; legacy https://index.docker.io/v1/ keys count as docker.io")
    func specificity() throws {
        let path = try temporaryFile("""
        {"auths": {
          "quay.io": {"auth": "\(base64("any:host-pw"))"},
          "quay.io/team": {"auth": "\(base64("team:team-pw"))"},
          "quay.io/team/app": {"username": "app", "password": "app:pw:with:colons"},
          "https://index.docker.io/v1/": {"auth": "\(base64("hub:hub-pw"))"}
        }}
        """)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let store = try CredentialStore.load(authFile: path, environment: [:])
        func user(_ registry: String, _ path: String) throws -> String? {
            store.credential(for: try RepositoryName(registry: registry, path: path))?.username
        }
        #expect(try user("quay.io", "team/app") == "app")
        #expect(store.credential(for: try RepositoryName(registry: "quay.io", path: "team/app"))?.password == "app:pw:with:colons")
        #expect(try user("quay.io", "team/other") == "team")
        #expect(try user("quay.io", "team/app/deeper") == "app")
        #expect(try user("quay.io", "elsewhere/x") == "any")
        #expect(try user("docker.io", "library/nginx") == "hub")
        #expect(try user("index.docker.io", "library/nginx") == "hub")
        #expect(try user("registry.example.com", "x") == nil)
    }

    @Test("--authfile alone, else REGISTRY_AUTH_FILE alone, else XDG, ~/.config/containers, ~/.docker in order")
    func lookupOrder() throws {
        let home = NSTemporaryDirectory() + "ferry-home-\(UUID().uuidString)"
        let runtime = home + "/run"
        try FileManager.default.createDirectory(atPath: runtime + "/containers", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/.config/containers", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: home + "/.docker", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: home) }
        func write(_ path: String, _ user: String, hosts: [String] = ["r.io"]) throws {
            let auths = hosts.map { "\"\($0)\": {\"auth\": \"\(base64("\(user):pw"))\"}" }.joined(separator: ",")
            try "{\"auths\": {\(auths)}}".write(toFile: path, atomically: true, encoding: .utf8)
        }
        try write(runtime + "/containers/auth.json", "xdg")
        try write(home + "/.config/containers/auth.json", "config", hosts: ["r.io", "s.io"])
        try write(home + "/.docker/config.json", "docker", hosts: ["r.io", "s.io", "t.io"])
        let explicit = try temporaryFile(#"{"auths": {"r.io": {"auth": "\#(base64("explicit:pw"))"}}}"#)
        defer { try? FileManager.default.removeItem(atPath: explicit) }
        let repo = { (host: String) in try RepositoryName(registry: host, path: "a/b") }

        let environment = ["HOME": home, "XDG_RUNTIME_DIR": runtime]
        let defaults = try CredentialStore.load(environment: environment)
        #expect(defaults.credential(for: try repo("r.io"))?.username == "xdg")
        #expect(defaults.credential(for: try repo("s.io"))?.username == "config")
        #expect(defaults.credential(for: try repo("t.io"))?.username == "docker")

        let fromEnvironment = try CredentialStore.load(environment: environment.merging(["REGISTRY_AUTH_FILE": explicit]) { $1 })
        #expect(fromEnvironment.credential(for: try repo("r.io"))?.username == "explicit")
        #expect(fromEnvironment.credential(for: try repo("t.io")) == nil)

        let fromFlag = try CredentialStore.load(authFile: explicit, environment: environment)
        #expect(fromFlag.credential(for: try repo("r.io"))?.username == "explicit")
        #expect(fromFlag.credential(for: try repo("s.io")) == nil)
    }

    @Test("a broken auth file is an error naming the file and never its secrets")
    func brokenFiles() throws {
        let missing = "/nonexistent/auth.json"
        #expect(throws: CredentialError.self) { try CredentialStore.load(authFile: missing, environment: [:]) }
        let notJSON = try temporaryFile("{ not json")
        defer { try? FileManager.default.removeItem(atPath: notJSON) }
        do {
            _ = try CredentialStore.load(authFile: notJSON, environment: [:])
            Issue.record("expected an error")
        } catch let error as CredentialError {
            #expect(error.description.contains(notJSON))
            #expect(error.description.contains("hint:"))
        }
        let badAuth = try temporaryFile(#"{"auths": {"r.io": {"auth": "c2VjcmV0LXdpdGhvdXQtY29sb24="}}}"#)   // "secret-without-colon"
        defer { try? FileManager.default.removeItem(atPath: badAuth) }
        do {
            _ = try CredentialStore.load(authFile: badAuth, environment: [:])
            Issue.record("expected an error")
        } catch let error as CredentialError {
            #expect(error.description.contains("r.io"))
            #expect(!error.description.contains("secret-without-colon"))
        }
        // Valid JSON of the wrong shape is named as such, by key, never by value.
        let wrongType = try temporaryFile(#"{"auths": {"r.io": {"auth": 12345}}}"#)
        defer { try? FileManager.default.removeItem(atPath: wrongType) }
        do {
            _ = try CredentialStore.load(authFile: wrongType, environment: [:])
            Issue.record("expected an error")
        } catch let error as CredentialError {
            #expect(error.message == #""auths"."r.io"."auth" must be a string"#, "\(error)")
            #expect(!error.description.contains("12345"))
        }
        let credential = Credential(username: "u", password: "p4ss-w0rd", source: "/x/auth.json")
        #expect(!"\(credential)".contains("p4ss-w0rd"))
    }
}
