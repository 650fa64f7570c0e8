import Foundation
import RegistryLab
import Testing

@Suite("skopeo against lab registries")
struct SkopeoTests {
    /// Writes a one-layer OCI image layout tagged `v1` into `directory`.
    static func writeTinyImage(to directory: URL) throws {
        let blobs = directory.appendingPathComponent("blobs/sha256")
        try FileManager.default.createDirectory(at: blobs, withIntermediateDirectories: true)
        func store(_ bytes: [UInt8]) throws -> (digest: String, size: Int) {
            let digest = try sha256Digest(bytes)
            try Data(bytes).write(to: blobs.appendingPathComponent(String(digest.dropFirst("sha256:".count))))
            return (digest, bytes.count)
        }
        // An empty tar archive: two 512-byte zero blocks.
        let layer = try store([UInt8](repeating: 0, count: 1024))
        let config = try store(Array("""
            {"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":["\(layer.digest)"]}}
            """.utf8))
        let manifest = try store(Array("""
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(config.digest)","size":\(config.size)},\
            "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\(layer.digest)","size":\(layer.size)}]}
            """.utf8))
        try Data("""
            {"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "digest":"\(manifest.digest)","size":\(manifest.size),"annotations":{"org.opencontainers.image.ref.name":"v1"}}]}
            """.utf8).write(to: directory.appendingPathComponent("index.json"))
        try Data(#"{"imageLayoutVersion":"1.0.0"}"#.utf8).write(to: directory.appendingPathComponent("oci-layout"))
    }

    @Test("skopeo copies an image into a TLS + token registry using the lab's cert dir and --dest-creds")
    func copyIntoTokenRegistry() async throws {
        try await withLab { lab in
            let registry = try await lab.startRegistry(.init(tls: true, auth: .token(username: "mirror", password: "m1rr0r")))
            let server = try #require(registry.tokenServer)
            let work = lab.root.appendingPathComponent("skopeo-test")
            let layout = work.appendingPathComponent("layout")
            try Self.writeTinyImage(to: layout)
            let policy = work.appendingPathComponent("policy.json")
            try Data(#"{"default":[{"type":"insecureAcceptAnything"}]}"#.utf8).write(to: policy)
            let certDirectory = try #require(registry.certDirectory)
            let destination = "docker://\(registry.host)/lab/tiny:v1"

            let copied = try await runTool("skopeo", [
                "--policy", policy.path, "copy", "--quiet",
                "--dest-creds", "mirror:m1rr0r", "--dest-cert-dir", certDirectory.path,
                "oci:\(layout.path):v1", destination,
            ], timeout: 60)
            #expect(copied.status == 0, "\(copied.error)")
            #expect(server.issuedTokenCount > 0)
            #expect(server.requests().contains { $0.scopes.contains("repository:lab/tiny:pull,push") && $0.status == 200 })

            let inspected = try await runTool("skopeo", [
                "--policy", policy.path, "inspect", "--raw",
                "--creds", "mirror:m1rr0r", "--cert-dir", certDirectory.path, destination,
            ], timeout: 60)
            #expect(inspected.status == 0, "\(inspected.error)")
            #expect(inspected.output.contains("\"schemaVersion\":2"))

            let refused = try await runTool("skopeo", [
                "--policy", policy.path, "inspect", "--raw",
                "--creds", "mirror:wrong", "--cert-dir", certDirectory.path, destination,
            ], timeout: 60)
            #expect(refused.status != 0)
        }
    }
}
