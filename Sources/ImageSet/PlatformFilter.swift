import OCI

/// One entry of a `platforms:` list, `{os, architecture}`: copy only these platforms out of a
/// manifest list (sparse mirroring).
/// Source: oc-mirror `type_platform.go` (`InstancePlatformFilter`).
public struct PlatformFilter: Hashable, Sendable {
    /// `os`, such as `linux`.
    public var os: String
    /// `architecture`, such as `amd64`.
    public var architecture: String
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates a filter entry.
    public init(os: String, architecture: String, mark: SourceMark) {
        self.os = os
        self.architecture = architecture
        self.mark = mark
    }

    /// As an OCI platform, for ``OCI/Platform/isSelected(by:)``.
    public var platform: Platform { Platform(os: os, architecture: architecture) }
}

extension Array where Element == PlatformFilter {
    /// The filter for ``OCI/Platform/isSelected(by:)``: nil (keep every platform) when empty,
    /// as oc-mirror treats an empty `platforms:` as no filter.
    public var selection: [Platform]? {
        isEmpty ? nil : map(\.platform)
    }
}
