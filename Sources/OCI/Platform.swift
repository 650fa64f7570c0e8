/// The platform an image runs on: `os/architecture[/variant]`, as in an index entry.
///
/// Values are kept as written (`amd64`, `arm64`, `v8`); matching is exact, as oc-mirror's is.
/// Source: opencontainers/image-spec `image-index.md` (platform object).
public struct Platform: Hashable, Sendable, Codable, CustomStringConvertible {
    /// CPU architecture, such as `amd64`, `arm64`, `ppc64le`, `s390x`.
    public var architecture: String
    /// Operating system, such as `linux` or `windows`.
    public var os: String
    /// CPU variant, such as `v8` for `arm64`.
    public var variant: String?
    /// OS version (JSON `os.version`), used by Windows images.
    public var osVersion: String?
    /// OS features (JSON `os.features`).
    public var osFeatures: [String]?

    /// Creates a platform.
    public init(os: String, architecture: String, variant: String? = nil) {
        self.os = os
        self.architecture = architecture
        self.variant = variant
    }

    /// Parses `"os/architecture"` or `"os/architecture/variant"`, such as `"linux/arm64/v8"`.
    /// - Throws: `.invalidPlatform` quoting `text` when a part is missing, empty or holds spaces.
    public init(parsing text: String) throws(OCIError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let hint = "expected os/architecture[/variant], e.g. linux/amd64 or linux/arm64/v8"
        guard parts.count == 2 || parts.count == 3 else {
            throw OCIError(.invalidPlatform, "invalid platform \(quoted(text)): \(hint)")
        }
        for part in parts {
            guard !part.isEmpty else {
                throw OCIError(.invalidPlatform, "invalid platform \(quoted(text)): empty part; \(hint)")
            }
            guard !part.contains(where: { $0.isWhitespace }) else {
                throw OCIError(.invalidPlatform, "invalid platform \(quoted(text)): whitespace in \(quoted(part)); \(hint)")
            }
        }
        self.init(os: String(parts[0]), architecture: String(parts[1]), variant: parts.count == 3 ? String(parts[2]) : nil)
    }

    /// `"os/architecture"` or `"os/architecture/variant"`.
    public var description: String {
        if let variant {
            return "\(os)/\(architecture)/\(variant)"
        }
        return "\(os)/\(architecture)"
    }

    private enum CodingKeys: String, CodingKey {
        case architecture
        case os
        case variant
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }
}
