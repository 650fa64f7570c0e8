import Foundation
import RegistryLab
import Testing
import Workspace

/// A host that does not resolve or refuses connections is down for the run after its first
/// failures: every image from it fails at once, reported under one message and one hint.
///
/// These runs use Ferry's default retries. Per image they would cost about 17 s each (six
/// attempts with backoff), four images at a time, so the forty images below would take about
/// three minutes; the time limit fails the test if that comes back.
@Suite(.serialized) struct UnreachableHostTests {
    static let count = 40

    @Test(.timeLimit(.minutes(1)))
    func aDryRunOverImagesFromAHostThatDoesNotResolveEndsAtOnceWithOneHint() async throws {
        try await MirrorLab.with { lab in
            // `.invalid` never resolves (RFC 6761).
            let images = (1...Self.count).map { "  - name: registry.invalid/app/image-\($0):1.0" }.joined(separator: "\n")
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/shop/frontend:1.0
                \(images)
                """)
            let workspace = lab.workspace()
            let result = try await runFerry(["-c", config, "--workspace", "file://\(workspace.root.path)", "--dry-run",
                                             "docker://\(lab.mirror.host)/mirror"])
            #expect(result.stdout.contains("Dry run: \(Self.count + 1) images: 1 to mirror, 0 already mirrored, \(Self.count) unreadable"),
                    "\(result.stdout)")
            #expect(result.stdout.contains("UNREADABLE \(Self.count) images, all for the same reason:\n  registry.invalid: cannot reach the registry"),
                    "\(result.stdout)")
            // One hint, naming the name resolution, not the TLS flags (they cannot help).
            #expect(result.stdout.components(separatedBy: "does not resolve on this machine").count == 2, "\(result.stdout)")
            #expect(!result.stdout.contains("tls-verify"), "\(result.stdout)")
            #expect(result.stdout.contains("  - registry.invalid/app/image-\(Self.count):1.0\n"), "\(result.stdout)")
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aRunOverImagesFromAHostThatRefusesConnectionsFailsThemAtOnceUnderOneMessage() async throws {
        try await MirrorLab.with { lab in
            // A loopback port where nothing listens, as the source of forty images.
            let images = (1...Self.count).map { "  - name: 127.0.0.1:9/app/image-\($0):1.0" }.joined(separator: "\n")
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/shop/frontend:1.0
                \(images)
                """)
            let workspace = lab.workspace()
            let result = try await runFerry(["-c", config, "--workspace", "file://\(workspace.root.path)",
                                             "docker://\(lab.mirror.host)/mirror"])
            #expect(result.status == 8, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("FAILED \(Self.count) images, all for the same reason:\n  127.0.0.1:9: cannot reach the registry"),
                    "\(result.stdout)")
            #expect(result.stdout.components(separatedBy: "nothing accepts connections at 127.0.0.1:9").count == 2, "\(result.stdout)")
            #expect(try await lab.mirrorDigest("\(lab.mirror.host)/mirror/shop/frontend:1.0") != nil)
        }
    }

    /// The mirror is tried before anything is collected: a wrong password is one message.
    @Test func wrongMirrorCredentialsAreOneMessageBeforeAnyWork() async throws {
        try await RegistryLab.with { lab in
            let mirror = try await lab.startRegistry(RegistryOptions(auth: .token(username: "u", password: "right")))
            let auth = lab.root.appendingPathComponent("auth.json")
            let encoded = Data("u:pw-Wr0ng-9x".utf8).base64EncodedString()
            try #"{"auths": {"\#(mirror.host)": {"auth": "\#(encoded)"}}}"#.write(to: auth, atomically: true, encoding: .utf8)
            let config = lab.root.appendingPathComponent("isc.yaml")
            let images = (1...Self.count).map { "  - name: registry.invalid/app/image-\($0):1.0" }.joined(separator: "\n")
            try "kind: ImageSetConfiguration\napiVersion: mirror.openshift.io/v2alpha1\nmirror:\n  additionalImages:\n\(images)\n"
                .write(to: config, atomically: true, encoding: .utf8)
            let result = try await runFerry(["-c", config.path, "--workspace", "file://\(lab.root.appendingPathComponent("ws").path)",
                                             "--authfile", auth.path, "docker://\(mirror.host)/mirror"])
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("the mirror registry \(mirror.host) cannot be used"), "\(result.stderr)")
            #expect(result.stderr.contains("the token service refused user \"u\""), "\(result.stderr)")
            #expect(!result.stdout.contains("FAILED"), "\(result.stdout)")
            #expect(!(result.stdout + result.stderr).contains("pw-Wr0ng-9x") && !(result.stdout + result.stderr).contains(encoded))
        }
    }
}
