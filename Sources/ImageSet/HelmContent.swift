/// The `helm:` section: charts whose rendered templates name images to mirror.
/// Source: oc-mirror `type_config.go` (`Helm`, `Repository`, `Chart`).
public struct HelmContent: Hashable, Sendable {
    /// `repositories`: charts downloaded from Helm repositories.
    public var repositories: [HelmRepository]
    /// `local`: charts already on disk.
    public var local: [HelmChart]

    /// Creates the section; both lists default to empty.
    public init(repositories: [HelmRepository] = [], local: [HelmChart] = []) {
        self.repositories = repositories
        self.local = local
    }
}

/// One entry of `helm.repositories`.
public struct HelmRepository: Hashable, Sendable {
    /// `name`.
    public var name: String
    /// `url` of the repository (its `index.yaml` lives below it).
    public var url: String
    /// `charts`; empty means every chart version of the index.
    public var charts: [HelmChart]
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates an entry.
    public init(name: String, url: String, charts: [HelmChart] = [], mark: SourceMark) {
        self.name = name
        self.url = url
        self.charts = charts
        self.mark = mark
    }
}

/// A chart of a repository, or a local chart.
public struct HelmChart: Hashable, Sendable {
    /// `name`, as in `Chart.yaml` or the repository index.
    public var name: String
    /// `version`.
    public var version: String?
    /// `path` on disk (local charts).
    public var path: String?
    /// `imagePaths`: extra JSONPath templates locating images in the rendered manifests.
    public var imagePaths: [String]
    /// `platforms`: keep only these platforms of the chart's images.
    public var platforms: [PlatformFilter]
    /// Where the entry was written.
    public var mark: SourceMark

    /// Creates an entry.
    public init(name: String, version: String? = nil, path: String? = nil, imagePaths: [String] = [],
                platforms: [PlatformFilter] = [], mark: SourceMark) {
        self.name = name
        self.version = version
        self.path = path
        self.imagePaths = imagePaths
        self.platforms = platforms
        self.mark = mark
    }
}
