import Foundation
import OCI
import RegistryLab
import Testing
@testable import Distribution

/// A host that cannot be connected to is down for the client's run: later operations fail at
/// once with the same error and one hint that fits the cause.
struct HostDownTests {
    let policy = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(10), maxDelay: .seconds(1))

    @Test func aRefusedHostIsDownAfterItsFirstFailureAndEveryLaterCallGetsTheSameError() async throws {
        // A port that was just listening and is closed now: connections are refused.
        let server = try ScriptedServer { _ in ScriptedServer.Response(status: 200) }
        let host = server.host
        server.stop()
        let client = RegistryClient(registry: host, settings: RegistrySettings(retry: policy))
        var errors: [String] = []
        for repository in ["a/one", "b/two", "c/three"] {
            do {
                _ = try await client.manifestDigest(try ImageReference(parsing: "\(host)/\(repository):1"))
                Issue.record("\(repository): no error from a closed port")
            } catch let error as RegistryError {
                #expect(error.kind == .unreachable)
                errors.append(error.description)
            }
        }
        #expect(client.health.down != nil)
        #expect(Set(errors).count == 1, "\(errors)")
        #expect(errors[0].contains("nothing accepts connections at \(host)"), "\(errors[0])")
        #expect(!errors[0].contains("tls-verify"), "\(errors[0])")
    }

    @Test func aNameThatDoesNotResolveGetsTheNameResolutionHint() async throws {
        let client = RegistryClient(registry: "registry.invalid", settings: RegistrySettings(retry: policy))
        do {
            _ = try await client.manifestDigest(try ImageReference(parsing: "registry.invalid/app/web:1"))
            Issue.record("registry.invalid resolved")
        } catch let error as RegistryError {
            #expect(error.kind == .unreachable)
            #expect(error.hint?.contains("the name registry.invalid does not resolve on this machine") == true, "\(error)")
            // The TLS flags cannot help with a name that does not resolve.
            #expect(!error.description.contains("tls-verify"), "\(error)")
        }
        #expect(client.health.down != nil)
    }

    /// A host that answered earlier in the run is not marked down by a passing error the
    /// registry itself gives (a 404 is an answer).
    @Test func aHostThatAnswersIsNeverDown() async throws {
        let server = try ScriptedServer { _ in ScriptedServer.Response(status: 404) }
        defer { server.stop() }
        let client = RegistryClient(registry: server.host, settings: RegistrySettings(retry: policy))
        _ = try? await client.manifestDigest(try ImageReference(parsing: "\(server.host)/app/web:1"))
        #expect(client.health.down == nil)
        #expect(client.health.hasAnswered)
    }
}
