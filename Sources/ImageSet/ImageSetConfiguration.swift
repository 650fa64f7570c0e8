/// An ImageSetConfiguration: what to mirror (spec §1.2).
/// Source: oc-mirror `internal/pkg/api/v2alpha1/type_config.go`.
public struct ImageSetConfiguration: Hashable, Sendable {
    /// The only `kind` accepted.
    public static let kind = "ImageSetConfiguration"

    /// `apiVersion` as written, nil when absent (only `kind` is checked, as in oc-mirror).
    public var apiVersion: String?
    /// Archive chunk size in GiB (`archiveSize`); nil when absent (oc-mirror then uses 500).
    public var archiveSize: Int64?
    /// The `mirror:` section.
    public var mirror: ImageSetContent

    /// Creates a configuration.
    public init(apiVersion: String? = "mirror.openshift.io/v2alpha1", archiveSize: Int64? = nil, mirror: ImageSetContent) {
        self.apiVersion = apiVersion
        self.archiveSize = archiveSize
        self.mirror = mirror
    }
}

/// A DeleteImageSetConfiguration: what to delete from a mirror (spec §1.3). Same content as an
/// ImageSetConfiguration under `delete:`, without `blockedImages` and `archiveSize`.
public struct DeleteImageSetConfiguration: Hashable, Sendable {
    /// The only `kind` accepted.
    public static let kind = "DeleteImageSetConfiguration"

    /// `apiVersion` as written, nil when absent.
    public var apiVersion: String?
    /// The `delete:` section; its `blockedImages` is always empty.
    public var delete: ImageSetContent

    /// Creates a configuration.
    public init(apiVersion: String? = "mirror.openshift.io/v2alpha1", delete: ImageSetContent) {
        self.apiVersion = apiVersion
        self.delete = delete
    }
}
