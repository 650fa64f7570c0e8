import Foundation
import OCI
import RegistryLab
import Testing
@testable import Distribution

/// A manifest over the size limit is refused as too large, naming the limit: the registry did
/// answer, so no hint about it having stopped.
struct OversizedAnswerTests {
    @Test func aManifestOverTheLimitIsRefusedAsTooLarge() async throws {
        let body = [UInt8](repeating: UInt8(ascii: " "), count: 9 << 20)
        let server = try ScriptedServer { request in
            if request.target == "/v2/" { return ScriptedServer.Response(status: 200) }
            return ScriptedServer.Response(status: 200, headers: [("Content-Type", "application/vnd.oci.image.manifest.v1+json")],
                                           body: body)
        }
        defer { server.stop() }
        let client = RegistryClient(registry: server.host,
                                    settings: RegistrySettings(retry: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10))))
        do {
            _ = try await client.fetchManifest(try ImageReference(parsing: "\(server.host)/big/manifest:1"))
            Issue.record("a 9 MiB manifest was accepted")
        } catch let error as RegistryError {
            #expect(error.kind == .rejected)
            #expect(error.description.contains("the answer is larger than 8 MiB, Ferry's limit for it"), "\(error)")
            #expect(!error.description.contains("stopped answering"), "\(error)")
            #expect(client.health.down == nil)
        }
    }
}
