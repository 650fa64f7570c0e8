import Copying
import Distribution
import Foundation
import MirrorKit
import OCI
import RegistryLab
import Transport
import Workspace

/// Retries that do not slow the suite down: the same logic, millisecond waits.
let fastRetry = RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(20), maxDelay: .seconds(1))

/// A lab upstream seeded with the demo set, an empty mirror, and a scratch directory for
/// configurations and workspaces; all removed when `body` ends.
struct MirrorLab {
    var lab: RegistryLab
    var upstream: LabRegistry
    var mirror: LabRegistry
    var seeded: [SeededImage]

    static func with<T>(_ body: (MirrorLab) async throws -> T) async throws -> T {
        try await RegistryLab.with { lab in
            let upstream = try await lab.startRegistry()
            let mirror = try await lab.startRegistry()
            let seeded = try await ImageSeeder(registry: upstream, lab: lab).seed(LabDataset.demo)
            return try await body(MirrorLab(lab: lab, upstream: upstream, mirror: mirror, seeded: seeded))
        }
    }

    func seededImage(_ repositoryAndTag: String) -> SeededImage {
        seeded.first { "\($0.reference.repository.path):\($0.reference.tag ?? "")" == repositoryAndTag }!
    }

    /// Writes a configuration (with `${UPSTREAM}` / `${DIGEST repo:tag}` filled in); returns its path.
    func writeConfig(_ template: String, name: String = "isc.yaml") throws -> String {
        let path = lab.root.appendingPathComponent(name).path
        try ConfigTemplate.render(template, upstream: upstream.host, seeded: seeded).write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func workspace(_ name: String = "ws") -> Workspace {
        Workspace(root: lab.root.appendingPathComponent(name).appendingPathComponent("working-dir"))
    }

    func options(config: String, workspace: Workspace, namespace: String = "mirror", dryRun: Bool = false,
                 maxNestedPaths: Int = 0) throws -> MirrorOptions {
        MirrorOptions(configPath: config, workspace: workspace,
                      destination: try RegistryLocation(parsing: "docker://\(mirror.host)/\(namespace)"),
                      dryRun: dryRun, maxNestedPaths: maxNestedPaths,
                      copy: CopySettings(parallelImages: 4, parallelLayers: 4, source: RegistrySettings(retry: fastRetry),
                                         destination: RegistrySettings(retry: fastRetry)))
    }

    func run(config: String, workspace: Workspace, namespace: String = "mirror", dryRun: Bool = false,
             maxNestedPaths: Int = 0) async throws -> MirrorOutcome {
        try await MirrorToMirror(options: options(config: config, workspace: workspace, namespace: namespace,
                                                  dryRun: dryRun, maxNestedPaths: maxNestedPaths)).run()
    }

    /// The digest the mirror holds under a reference, or nil.
    func mirrorDigest(_ reference: String) async throws -> Digest? {
        try await RegistryClient(registry: mirror.host).manifestDigest(try ImageReference(parsing: reference))
    }

    /// Every repository of the mirror (distribution's catalog API).
    func mirrorRepositories() async throws -> [String] {
        let response = try await CurlEngine.shared.perform(HTTPRequest(.get, "\(mirror.baseURL)/v2/_catalog"))
        let object = try JSONSerialization.jsonObject(with: response.body) as? [String: Any]
        return (object?["repositories"] as? [String]) ?? []
    }
}

func read(_ workspace: Workspace, _ path: String) -> String? {
    FileManager.default.contents(atPath: workspace.url(path).path).map { String(decoding: $0, as: UTF8.self) }
}

struct ToolOutput {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs the `ferry` binary built next to this test bundle.
func runFerry(_ arguments: [String]) async throws -> ToolOutput {
    try await runProgram(ferryBinary, arguments)
}

/// Runs a program (an absolute path, or a tool found on PATH) to completion, off the cooperative pool.
func runProgram(_ program: String, _ arguments: [String]) async throws -> ToolOutput {
    let output = try await LabProcess.run(program, arguments)
    return ToolOutput(status: output.status, stdout: String(decoding: output.stdout, as: UTF8.self),
                      stderr: String(decoding: output.stderr, as: UTF8.self))
}

var ferryBinary: String { LabProcess.builtProduct("ferry") }

/// The demo configuration of the repository.
var demoConfigTemplate: String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("imageset-configs/additional-images.yaml")
    return String(decoding: FileManager.default.contents(atPath: url.path) ?? Data(), as: UTF8.self)
}

/// A golden file of `Golden/`, with `${MIRROR}` and `${UPSTREAM}` set to the lab's hosts.
func golden(_ name: String, _ lab: MirrorLab) -> String {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
    return String(decoding: FileManager.default.contents(atPath: url.path) ?? Data(), as: UTF8.self)
        .replacingOccurrences(of: "${MIRROR}", with: lab.mirror.host)
        .replacingOccurrences(of: "${UPSTREAM}", with: lab.upstream.host)
}
