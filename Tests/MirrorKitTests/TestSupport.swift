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

/// Runs a program (an absolute path, or a tool found on PATH) to completion, waiting on a GCD
/// thread so that the cooperative pool (2 threads on a 2-core machine) stays free for the other tests.
func runProgram(_ program: String, _ arguments: [String]) async throws -> ToolOutput {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async { continuation.resume(with: Result { try runBlocking(program, arguments) }) }
    }
}

private func runBlocking(_ program: String, _ arguments: [String]) throws -> ToolOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: program.hasPrefix("/") ? program : "/usr/bin/env")
    process.arguments = program.hasPrefix("/") ? arguments : [program] + arguments
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    nonisolated(unsafe) var errData = Data()
    let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    return ToolOutput(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
}

var ferryBinary: String {
    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for candidate in [directory, directory.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("ferry").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return FileManager.default.currentDirectoryPath + "/.build/debug/ferry"
}

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
