import Copying
import Distribution
import Foundation
import OCI
import RegistryLab
import Testing

/// A fresh lab for one test, always shut down (see `RegistryLab.with`).
func withLab<T>(_ body: (RegistryLab) async throws -> T) async throws -> T {
    try await RegistryLab.with(body)
}

/// Retries that do not slow the suite down: the same logic, millisecond waits.
let fastRetry = RetryPolicy(maxAttempts: 6, baseDelay: .milliseconds(20), maxDelay: .seconds(2))

func copySettings(source: RegistrySettings = RegistrySettings(retry: fastRetry),
                  destination: RegistrySettings = RegistrySettings(retry: fastRetry),
                  credentials: CredentialStore = .none, parallelImages: Int = 4, parallelLayers: Int = 4) -> CopySettings {
    CopySettings(parallelImages: parallelImages, parallelLayers: parallelLayers, source: source, destination: destination,
                 credentials: credentials)
}

/// The oc-mirror style copy plan of seeded images into `registry/namespace`.
func tasks(for images: [SeededImage], into host: String, namespace: String = "mirror") throws -> [CopyTask] {
    let root = try RegistryLocation(parsing: "\(host)/\(namespace)")
    return images.map { CopyTask(source: $0.reference, destination: root.destination(for: $0.reference)) }
}

/// skopeo, as an independent reader: the SHA-256 of the raw manifest bytes it reads back.
func skopeoManifestDigest(_ reference: String, extraArguments: [String] = ["--tls-verify=false"]) async throws -> Digest {
    let output = try await runTool("skopeo", ["inspect", "--raw"] + extraArguments + ["docker://\(reference)"])
    return Digest.sha256(output.stdout)
}

struct ToolOutput {
    var status: Int32
    var stdout: Data
    var stderr: Data
    var text: String { String(decoding: stdout, as: UTF8.self) + String(decoding: stderr, as: UTF8.self) }
}

struct ToolFailure: Error, CustomStringConvertible {
    var description: String
}

/// Runs a program from PATH (or an absolute path) to completion, waiting on a GCD thread: a
/// blocked wait must not hold one of the cooperative pool's threads (2 on a 2-core machine),
/// or every other test's lab registry seems not to start.
@discardableResult
func runTool(_ tool: String, _ arguments: [String], environment: [String: String]? = nil, check: Bool = true) async throws -> ToolOutput {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            continuation.resume(with: Result { try runToolBlocking(tool, arguments, environment: environment, check: check) })
        }
    }
}

private func runToolBlocking(_ tool: String, _ arguments: [String], environment: [String: String]?, check: Bool) throws -> ToolOutput {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : "/usr/bin/env")
    process.arguments = tool.hasPrefix("/") ? arguments : [tool] + arguments
    if let environment { process.environment = environment }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes while the tool runs, so a chatty tool cannot fill one and block.
    nonisolated(unsafe) var errData = Data()
    let reader = Thread { errData = err.fileHandleForReading.readDataToEndOfFile() }
    reader.start()
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    while !reader.isFinished { usleep(1000) }
    let result = ToolOutput(status: process.terminationStatus, stdout: outData, stderr: errData)
    if check, result.status != 0 {
        throw ToolFailure(description: "\(tool) \(arguments.joined(separator: " ")) exited \(result.status): \(result.text)")
    }
    return result
}

/// The `ferry` binary built next to this test bundle.
var ferryBinary: String {
    let directory = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    for candidate in [directory, directory.deletingLastPathComponent()] {
        let path = candidate.appendingPathComponent("ferry").path
        if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    return FileManager.default.currentDirectoryPath + "/.build/debug/ferry"
}

/// Writes a containers-auth.json with the given `host: (user, password)` entries.
func writeAuthFile(_ entries: [String: (String, String)], in directory: URL) throws -> String {
    var auths: [String: [String: String]] = [:]
    for (host, (user, password)) in entries {
        auths[host] = ["auth": Data("\(user):\(password)".utf8).base64EncodedString()]
    }
    let path = directory.appendingPathComponent("auth-\(UUID().uuidString).json").path
    try JSONSerialization.data(withJSONObject: ["auths": auths]).write(to: URL(fileURLWithPath: path))
    return path
}
