import OCI

/// One entry of `operators:`: a catalog and the packages to keep from it.
/// Source: oc-mirror `type_config.go` (`Operator`), `type_config_include.go`; filter rules in spec §5.3.
public struct OperatorCatalog: Hashable, Sendable {
    /// `catalog` as written: `registry/ns/name:tag`, `…@sha256:…` or `oci:///abs/path`.
    public var catalog: String
    /// Where `catalog` points, parsed.
    public var location: CatalogLocation
    /// `targetCatalog`: the repository path at the destination (no registry, tag or digest).
    public var targetCatalog: String?
    /// `targetTag`: the tag at the destination.
    public var targetTag: String?
    /// `full`: without packages, the whole catalog as is; with packages, every bundle of them.
    public var full: Bool
    /// `packages`; empty means every package.
    public var packages: [OperatorPackage]
    /// `skipDependencies` (parsed; oc-mirror does not use it either).
    public var skipDependencies: Bool
    /// `targetCatalogSourceTemplate`: path of a CatalogSource template.
    public var targetCatalogSourceTemplate: String?
    /// `platforms`: keep only these platforms of the catalog and its images.
    public var platforms: [PlatformFilter]
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates a catalog entry.
    public init(catalog: String, location: CatalogLocation, targetCatalog: String? = nil, targetTag: String? = nil,
                full: Bool = false, packages: [OperatorPackage] = [], skipDependencies: Bool = false,
                targetCatalogSourceTemplate: String? = nil, platforms: [PlatformFilter] = [], mark: SourceMark) {
        self.catalog = catalog
        self.location = location
        self.targetCatalog = targetCatalog
        self.targetTag = targetTag
        self.full = full
        self.packages = packages
        self.skipDependencies = skipDependencies
        self.targetCatalogSourceTemplate = targetCatalogSourceTemplate
        self.platforms = platforms
        self.mark = mark
    }

    /// The name two entries must not share: the catalog with `targetCatalog` and `targetTag`
    /// applied (oc-mirror `GetUniqueName`), e.g. `quay.io/mirror/catalog:v1`.
    public var uniqueName: String {
        switch location {
        case .registry(let reference):
            var name = "\(reference.repository.registry)/\(targetCatalog ?? reference.repository.path)"
            if let targetTag {
                name += ":\(targetTag)"
            } else {
                if let tag = reference.tag { name += ":\(tag)" }
                if let digest = reference.digest { name += "@\(digest)" }
            }
            return name
        case .ociLayout(let path):
            return "oci://\(path)" + (targetCatalog.map { " as \($0)" } ?? "") + (targetTag.map { ":\($0)" } ?? "")
        }
    }
}

/// Where a catalog image is read from.
public enum CatalogLocation: Hashable, Sendable {
    /// A registry image, by tag or digest.
    case registry(ImageReference)
    /// A local OCI image layout (`oci://PATH` or `oci:PATH`); the path as written.
    case ociLayout(path: String)

    /// Stands in for a catalog that did not parse (an error is reported, so the load fails); no
    /// valid catalog has it, as `oci:` needs a path.
    static let placeholder = CatalogLocation.ociLayout(path: "")
}

/// One entry of `packages:`.
/// Source: oc-mirror `type_config_include.go` (`IncludePackage`).
public struct OperatorPackage: Hashable, Sendable {
    /// `name`.
    public var name: String
    /// `channels`; empty means every channel.
    public var channels: [PackageChannel]
    /// `defaultChannel`: replaces the package's default channel.
    public var defaultChannel: String?
    /// `minVersion`, for every channel (exclusive with channel ranges).
    public var minVersion: VersionBound?
    /// `maxVersion`, for every channel (exclusive with channel ranges); a partial one (`3.12`)
    /// covers every version it starts (every `3.12.x`).
    public var maxVersion: VersionBound?
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates a package entry.
    public init(name: String, channels: [PackageChannel] = [], defaultChannel: String? = nil,
                minVersion: VersionBound? = nil, maxVersion: VersionBound? = nil, mark: SourceMark) {
        self.name = name
        self.channels = channels
        self.defaultChannel = defaultChannel
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.mark = mark
    }

    /// Whether a package-level range is set.
    public var hasVersionRange: Bool { minVersion != nil || maxVersion != nil }
}

/// One entry of a package's `channels:`.
/// Source: oc-mirror `type_config_include.go` (`IncludeChannel`).
public struct PackageChannel: Hashable, Sendable {
    /// `name`.
    public var name: String
    /// `minVersion`.
    public var minVersion: VersionBound?
    /// `maxVersion`; a partial one (`3.12`) covers every version it starts (every `3.12.x`).
    public var maxVersion: VersionBound?
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates a channel entry.
    public init(name: String, minVersion: VersionBound? = nil, maxVersion: VersionBound? = nil, mark: SourceMark) {
        self.name = name
        self.minVersion = minVersion
        self.maxVersion = maxVersion
        self.mark = mark
    }

    /// Whether a range is set.
    public var hasVersionRange: Bool { minVersion != nil || maxVersion != nil }
}
