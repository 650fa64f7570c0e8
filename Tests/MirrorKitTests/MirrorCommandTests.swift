import Foundation
import OCI
import RegistryLab
import Testing
import Workspace

/// `ferry -c ...` as a user runs it: messages, exit codes, and what a failed run leaves alone.
@Suite(.serialized) struct MirrorCommandTests {
    /// A first good run, so each failure below has cluster resources it must leave intact.
    func mirroredWorkspace(_ lab: MirrorLab) async throws -> (config: String, workspace: Workspace, resources: [String: Data]) {
        let config = try lab.writeConfig("""
            kind: ImageSetConfiguration
            apiVersion: mirror.openshift.io/v2alpha1
            mirror:
              additionalImages:
              - name: ${UPSTREAM}/ubi9/ubi-minimal:9.4
              - name: ${UPSTREAM}/shop/backend@${DIGEST shop/backend:1.0}
            """, name: "good.yaml")
        let workspace = lab.workspace()
        let result = try await runFerry(["-c", config, "--workspace", "file://\(workspace.root.path)", "docker://\(lab.mirror.host)/mirror"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        return (config, workspace, try clusterResources(workspace))
    }

    func clusterResources(_ workspace: Workspace) throws -> [String: Data] {
        let directory = workspace.url(Workspace.clusterResources)
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path) {
            files[name] = FileManager.default.contents(atPath: directory.appendingPathComponent(name).path)
        }
        return files
    }

    @Test func aBrokenConfigIsReportedWithItsPositionAndExitsOne() async throws {
        try await MirrorLab.with { lab in
            let (_, workspace, before) = try await mirroredWorkspace(lab)
            #expect(before.count == 2)
            let broken = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/ubi9/ubi-minimal
                  - nme: ${UPSTREAM}/shop/frontend:1.0
                """, name: "broken.yaml")
            let result = try await runFerry(["-c", broken, "--workspace", "file://\(workspace.root.path)", "docker://\(lab.mirror.host)/mirror"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("\(broken):5:11: mirror.additionalImages[0].name:"), "\(result.stderr)")
            #expect(result.stderr.contains("\(broken):6:5: mirror.additionalImages[1].nme: unknown field 'nme'; did you mean 'name'?"), "\(result.stderr)")
            #expect(result.stderr.contains("did you mean 'name'?"), "\(result.stderr)")
            #expect(try clusterResources(workspace) == before)
        }
    }

    @Test func aMissingImageFailsItsKindAndKeepsEarlierClusterResources() async throws {
        try await MirrorLab.with { lab in
            let (_, workspace, before) = try await mirroredWorkspace(lab)
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/ubi9/ubi-minimal:9.4
                  - name: ${UPSTREAM}/shop/backend@${DIGEST shop/backend:1.0}
                  - name: ${UPSTREAM}/shop/frontend:9.9
                """, name: "missing.yaml")
            let result = try await runFerry(["-c", config, "--workspace", "file://\(workspace.root.path)", "--retry-times", "1",
                                       "docker://\(lab.mirror.host)/mirror"])
            // Bit 8: additional images failed (oc-mirror's exit-code bitmask).
            #expect(result.status == 8, "\(result.stdout)\(result.stderr)")
            #expect(result.stdout.contains("FAILED \(lab.upstream.host)/shop/frontend:9.9"), "\(result.stdout)")
            #expect(result.stdout.contains("additional images: 2 / 3 mirrored (0 copied, 2 already there), 1 failed"), "\(result.stdout)")
            #expect(try clusterResources(workspace) == before)
            let logs = try FileManager.default.contentsOfDirectory(atPath: workspace.url(Workspace.logs).path)
            #expect(logs.contains { $0.hasPrefix("mirroring_errors_") })
            #expect(logs.contains { $0.hasPrefix("cluster-resources-") })
        }
    }

    @Test func anUnreachableRegistryIsNamedAndKeepsEarlierClusterResources() async throws {
        try await MirrorLab.with { lab in
            let (config, workspace, before) = try await mirroredWorkspace(lab)
            // A loopback port where nothing listens.
            let result = try await runFerry(["-c", config, "--workspace", "file://\(workspace.root.path)", "--retry-times", "1",
                                       "docker://127.0.0.1:9/mirror"])
            // The mirror is tried before anything is collected: one message, exit 1.
            #expect(result.status == 1, "\(result.stdout)\(result.stderr)")
            #expect(result.stderr.contains("the mirror registry 127.0.0.1:9 cannot be used"), "\(result.stderr)")
            #expect(result.stderr.components(separatedBy: "hint:").count == 2, "\(result.stderr)")
            #expect(try clusterResources(workspace) == before)
        }
    }

    @Test func unsupportedSectionsAreRefusedBeforeAnythingMoves() async throws {
        try await MirrorLab.with { lab in
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  helm:
                    repositories:
                    - name: charts
                      url: https://charts.example.com
                  additionalImages:
                  - name: ${UPSTREAM}/ubi9/ubi-minimal:9.4
                """)
            let workspace = lab.workspace()
            let result = try await runFerry(["-c", config, "--workspace", "file://\(workspace.root.path)", "docker://\(lab.mirror.host)/mirror"])
            #expect(result.status == 16)
            #expect(result.stderr.contains("\(config):6:7: mirror.helm: helm chart mirroring is not supported"), "\(result.stderr)")
            #expect(try await lab.mirrorRepositories().isEmpty)
        }
    }

    @Test func v2FlagAndMirrorSubcommandAreOptional() async throws {
        try await MirrorLab.with { lab in
            let config = try lab.writeConfig("""
                kind: ImageSetConfiguration
                apiVersion: mirror.openshift.io/v2alpha1
                mirror:
                  additionalImages:
                  - name: ${UPSTREAM}/shop/frontend:1.0
                """)
            let workspace = lab.workspace()
            let result = try await runFerry(["--v2", "-c", config, "--workspace", "file://\(workspace.root.path)", "--dry-run",
                                       "docker://\(lab.mirror.host)/mirror"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout.contains("Dry run: 1 images: 1 to mirror"), "\(result.stdout)")
            #expect(read(workspace, "dry-run/missing.txt") == "docker://\(lab.upstream.host)/shop/frontend:1.0=docker://\(lab.mirror.host)/mirror/shop/frontend:1.0\n")
        }
    }
}
