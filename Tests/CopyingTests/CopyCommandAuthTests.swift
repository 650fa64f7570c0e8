import Foundation
import OCI
import RegistryLab
import Testing

/// `ferry copy` as a person runs it, against registries that want credentials or TLS.
@Suite("ferry copy with auth and TLS")
struct CopyCommandAuthTests {
    let basicPassword = "Basic-pw-8f3a1c"
    let tokenPassword = "Token-pw-2d9e7b"

    @Test("basic-auth source to bearer-token destination, and back, with --authfile")
    func basicAndTokenBothWays() async throws {
        try await withLab { lab in
            let basic = try await lab.startRegistry(RegistryOptions(auth: .basic(username: "alice", password: basicPassword)))
            let token = try await lab.startRegistry(RegistryOptions(auth: .token(username: "bob", password: tokenPassword)))
            let seeded = try await ImageSeeder(registry: basic, lab: lab).seed(LabDataset.demo[1])
            let authFile = try writeAuthFile([basic.host: ("alice", basicPassword), token.host: ("bob", tokenPassword)], in: lab.root)

            // basic → token
            let there = "\(token.host)/mirror/shop/frontend:1.0"
            let first = try await runTool(ferryBinary, ["copy", "--authfile", authFile, "docker://\(seeded.reference)", "docker://\(there)"], check: false)
            #expect(first.status == 0, "\(first.text)")
            #expect(try await skopeoManifestDigest(there, extraArguments: ["--tls-verify=false", "--creds", "bob:\(tokenPassword)"]) == seeded.digest)
            #expect(token.tokenServer!.issuedTokenCount > 0)

            // token → basic
            let back = "\(basic.host)/returned/frontend:1.0"
            let second = try await runTool(ferryBinary, ["copy", "--authfile", authFile, "docker://\(there)", "docker://\(back)"], check: false)
            #expect(second.status == 0, "\(second.text)")
            #expect(try await skopeoManifestDigest(back, extraArguments: ["--tls-verify=false", "--creds", "alice:\(basicPassword)"]) == seeded.digest)
            for output in [first, second] {
                #expect(!output.text.contains(basicPassword) && !output.text.contains(tokenPassword))
            }
        }
    }

    @Test("wrong credentials: a clear error naming the registry, and no password anywhere in the output")
    func wrongCredentials() async throws {
        try await withLab { lab in
            let upstream = try await lab.startRegistry()
            let basic = try await lab.startRegistry(RegistryOptions(auth: .basic(username: "alice", password: basicPassword)))
            let token = try await lab.startRegistry(RegistryOptions(auth: .token(username: "bob", password: tokenPassword)))
            let seeded = try await ImageSeeder(registry: upstream, lab: lab).seed(LabDataset.demo[0])
            let wrong = "Wrong-pw-77c1"
            let authFile = try writeAuthFile([basic.host: ("alice", wrong), token.host: ("bob", wrong)], in: lab.root)

            for (registry, expectation) in [(basic, "authentication required or refused"), (token, "the token service refused")] {
                let output = try await runTool(ferryBinary, ["copy", "--authfile", authFile, "--log-format", "text",
                                                       "docker://\(seeded.reference)", "docker://\(registry.host)/m/ubi:9.4"], check: false)
                #expect(output.status == 1)
                #expect(output.text.contains(registry.host), "\(output.text)")
                #expect(output.text.contains(expectation), "\(output.text)")
                #expect(output.text.contains("hint:"), "\(output.text)")
                #expect(!output.text.contains(wrong) && !output.text.contains(basicPassword) && !output.text.contains(tokenPassword))
            }

            // No credentials at all for a token registry: told to add some.
            let empty = try writeAuthFile([:], in: lab.root)
            let anonymous = try await runTool(ferryBinary, ["copy", "--authfile", empty, "docker://\(seeded.reference)",
                                                      "docker://\(token.host)/m/ubi:9.4"], check: false)
            #expect(anonymous.status == 1)
            #expect(anonymous.text.contains("requires credentials"), "\(anonymous.text)")
        }
    }

    @Test("TLS: trusted through a CA directory, refused with a clear message without it, accepted with verification off")
    func tlsTrust() async throws {
        try await withLab { lab in
            let tlsUpstream = try await lab.startRegistry(RegistryOptions(tls: true))
            let tlsMirror = try await lab.startRegistry(RegistryOptions(tls: true))
            let seeded = try await ImageSeeder(registry: tlsUpstream, lab: lab).seed(LabDataset.demo[0])
            let source = "docker://\(seeded.reference)"
            let sourceCA = try #require(tlsUpstream.certDirectory).path
            let mirrorCA = try #require(tlsMirror.certDirectory).path

            let untrusted = try await runTool(ferryBinary, ["copy", "--src-cert-dir", sourceCA, source, "docker://\(tlsMirror.host)/m/a:1"], check: false)
            #expect(untrusted.status == 1)
            #expect(untrusted.text.contains("certificate"), "\(untrusted.text)")
            #expect(untrusted.text.contains("--dest-cert-dir"), "\(untrusted.text)")
            #expect(untrusted.text.contains(tlsMirror.host))

            let trusted = try await runTool(ferryBinary, ["copy", "--src-cert-dir", sourceCA, "--dest-cert-dir", mirrorCA,
                                                    source, "docker://\(tlsMirror.host)/m/b:1"], check: false)
            #expect(trusted.status == 0, "\(trusted.text)")
            #expect(try await skopeoManifestDigest("\(tlsMirror.host)/m/b:1", extraArguments: ["--cert-dir", mirrorCA]) == seeded.digest)

            let insecure = try await runTool(ferryBinary, ["copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                                                     source, "docker://\(tlsMirror.host)/m/c:1"], check: false)
            #expect(insecure.status == 0, "\(insecure.text)")
        }
    }
}
