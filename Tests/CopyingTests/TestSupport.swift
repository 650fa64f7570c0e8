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

/// Runs a program from PATH (or an absolute path) to completion, off the cooperative pool.
/// - Parameter check: throw when it exits with a non-zero status.
@discardableResult
func runTool(_ tool: String, _ arguments: [String], environment: [String: String]? = nil, check: Bool = true) async throws -> ToolOutput {
    let output = try await LabProcess.run(tool, arguments, environment: environment)
    let result = ToolOutput(status: output.status, stdout: output.stdout, stderr: output.stderr)
    if check, result.status != 0 {
        throw ToolFailure(description: "\(tool) \(arguments.joined(separator: " ")) exited \(result.status): \(result.text)")
    }
    return result
}

/// The `ferry` binary built next to this test bundle.
var ferryBinary: String { LabProcess.builtProduct("ferry") }

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
