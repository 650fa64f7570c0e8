import ImageSet

/// Filters a file-based catalog as an `operators:` entry of the image set configuration asks
/// (spec §5.3; oc-mirror's `filterCatalog` and the catalog-filter library it calls), and
/// explains and checks the result.
///
/// - No packages and `full`: the catalog is taken whole (``CatalogFilterResult/isWholeCatalog``).
/// - No packages: every package, every channel, heads only.
/// - Packages: only those (a missing one is a warning); listed channels only, else all; per
///   channel the channel's range, else the package's, else heads only; `full` keeps every entry.
/// - Default channel: a configured `defaultChannel` must be among the package's channels and
///   replaces the catalog's; otherwise the catalog's default must not be filtered out.
/// - A range that keeps nothing removes the channel, or is an error for the default channel.
///
/// Beyond oc-mirror: `skipRange` is honoured in ranges (``ChannelGraph/selectRange(_:versions:)``),
/// versions that are not strict semver are read leniently (``BundleVersion``), and the result is
/// checked: a kept package has an `olm.package` blob and its default channel, every kept entry
/// has its bundle, and every kept channel is a graph with one head and no cycle. All problems of
/// all packages are reported together.
public struct CatalogFilter: Sendable {
    /// `packages`; empty means every package.
    public var packages: [OperatorPackage]
    /// `full`.
    public var full: Bool

    public init(packages: [OperatorPackage] = [], full: Bool = false) {
        self.packages = packages
        self.full = full
    }

    /// The filter an `operators:` entry asks for.
    public init(_ catalog: OperatorCatalog) {
        self.init(packages: catalog.packages, full: catalog.full)
    }

    /// Filters `catalog`.
    /// - Throws: ``CatalogFilterError`` with every problem found, each naming package and channel.
    public func apply(to catalog: FileBasedCatalog) throws(CatalogFilterError) -> CatalogFilterResult {
        if full && packages.isEmpty {
            return CatalogFilterResult(catalog: catalog, isWholeCatalog: true, packages: [], warnings: [])
        }
        // A package listed twice: the last entry wins, as in oc-mirror's map of package configs.
        var configured: [String: OperatorPackage] = [:]
        for package in packages { configured[package.name] = package }

        var filtered = FileBasedCatalog()
        filtered.unattached = catalog.unattached
        var explanations: [PackageFilterExplanation] = []
        var problems: [CatalogFilterError.Problem] = []
        var warnings: [String] = []
        for name in packages.isEmpty ? catalog.packageNames : configured.keys.sorted() {
            guard let package = catalog.packages[name] else {
                warnings.append("package \(quoted(name)) is not in the catalog; nothing is mirrored for it")
                continue
            }
            if package.package == nil, package.channels.isEmpty, package.bundles.isEmpty {
                // Only blobs of other schemas name it: carried along as they are.
                filtered.packages[name] = package
                continue
            }
            var filter = PackageFilter(package: package, configuration: configured[name], full: full)
            filter.run()
            problems += filter.problems
            warnings += filter.warnings
            if filter.problems.isEmpty {
                filtered.packages[name] = filter.result
                explanations.append(filter.explanation)
            }
        }
        guard problems.isEmpty else { throw CatalogFilterError(problems: problems) }
        return CatalogFilterResult(catalog: filtered, isWholeCatalog: false, packages: explanations, warnings: warnings)
    }
}
