import OCI

/// An architecture as the update service names it (`arch=` in a graph query), with the names the
/// same architecture has in payload tags and in CoreOS stream metadata.
public enum OpenShiftArchitecture: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    case amd64
    case arm64
    /// A release whose payload is an index over the single-architecture payloads.
    case multi

    /// The suffix of the payload tag: `4.18.2-x86_64`, `4.18.2-aarch64`, `4.18.2-multi`.
    public var payloadTagSuffix: String {
        switch self {
        case .amd64: "x86_64"
        case .arm64: "aarch64"
        case .multi: "multi"
        }
    }

    /// The key under `architectures` in the CoreOS stream (`x86_64`, `aarch64`); nil for `multi`.
    public var coreOSName: String? {
        switch self {
        case .amd64: "x86_64"
        case .arm64: "aarch64"
        case .multi: nil
        }
    }

    /// The platform of a single-architecture payload; nil for `multi`.
    public var platform: Platform? {
        switch self {
        case .amd64: Platform(os: "linux", architecture: "amd64")
        case .arm64: Platform(os: "linux", architecture: "arm64")
        case .multi: nil
        }
    }

    public var description: String { rawValue }
}
