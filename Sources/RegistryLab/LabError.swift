import Foundation

/// Why the lab could not do what was asked. The descriptions carry enough context
/// (command lines, log tails) to diagnose a failing test from its output alone.
public enum LabError: Error, CustomStringConvertible, Sendable {
    /// A required command-line tool is not on `PATH`.
    case toolNotFound(String)
    /// A helper tool (openssl, htpasswd) exited unsuccessfully.
    case toolFailed(command: String, status: Int32, output: String)
    /// A registry process exited or did not answer in time.
    case registryDidNotStart(reason: String, logTail: String)
    /// A socket call failed.
    case socket(call: String, errno: Int32)
    /// The lab was used after `shutdown()`.
    case shutDown
    /// The request cannot be satisfied with this configuration (e.g. a proxy in front of a TLS registry).
    case unsupported(String)
    /// Reading or parsing an HTTP message failed.
    case http(String)
    /// Building a layer archive with libarchive failed.
    case archive(String)

    public var description: String {
        switch self {
        case .toolNotFound(let tool):
            return "RegistryLab: `\(tool)` was not found on PATH"
        case .toolFailed(let command, let status, let output):
            return "RegistryLab: `\(command)` exited with status \(status): \(output)"
        case .registryDidNotStart(let reason, let logTail):
            return "RegistryLab: registry did not start: \(reason)\n--- registry log (tail) ---\n\(logTail)"
        case .socket(let call, let code):
            return "RegistryLab: \(call) failed: \(String(cString: strerror(code))) (errno \(code))"
        case .shutDown:
            return "RegistryLab: the lab has been shut down"
        case .unsupported(let what):
            return "RegistryLab: unsupported: \(what)"
        case .http(let what):
            return "RegistryLab: HTTP: \(what)"
        case .archive(let what):
            return "RegistryLab: layer archive: \(what)"
        }
    }
}
