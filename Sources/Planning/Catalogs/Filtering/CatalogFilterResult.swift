/// A bundle the filtered catalog keeps, with what must be mirrored for it.
public struct KeptBundle: Sendable, Hashable {
    public var package: String
    public var name: String
    /// The `olm.package` version as written, if any.
    public var version: String?
    /// The bundle image.
    public var image: String
    /// Every image the bundle names (usually the bundle image too), in catalog order.
    public var relatedImages: [RelatedImage]
    /// The kept channels that list it, sorted.
    public var channels: [String]

    public init(package: String, name: String, version: String?, image: String, relatedImages: [RelatedImage], channels: [String]) {
        self.package = package
        self.name = name
        self.version = version
        self.image = image
        self.relatedImages = relatedImages
        self.channels = channels
    }
}

/// The filtered catalog, the bundles it keeps, and why.
public struct CatalogFilterResult: Sendable, Hashable {
    /// The filtered catalog; ``FileBasedCatalog/write(to:)`` writes it.
    public var catalog: FileBasedCatalog
    /// Whether the catalog was taken whole (`full: true` without packages): oc-mirror then mirrors
    /// the original catalog image and rebuilds nothing.
    public var isWholeCatalog: Bool
    /// One per kept package, by name.
    public var packages: [PackageFilterExplanation]
    /// Things worth knowing that are not errors: a configured package or channel missing from
    /// the catalog.
    public var warnings: [String]

    public init(catalog: FileBasedCatalog, isWholeCatalog: Bool, packages: [PackageFilterExplanation], warnings: [String]) {
        self.catalog = catalog
        self.isWholeCatalog = isWholeCatalog
        self.packages = packages
        self.warnings = warnings
    }

    /// Every bundle of the filtered catalog that a kept channel lists, sorted by package and name.
    public var keptBundles: [KeptBundle] {
        var kept: [KeptBundle] = []
        for name in catalog.packageNames {
            guard let package = catalog.packages[name] else { continue }
            var channelsByBundle: [String: [String]] = [:]
            for channel in package.channels.values {
                for entry in channel.entries { channelsByBundle[entry.name, default: []].append(channel.name) }
            }
            for bundleName in package.bundles.keys.sorted() {
                guard let bundle = package.bundles[bundleName], let channels = channelsByBundle[bundleName] else { continue }
                kept.append(KeptBundle(package: name, name: bundleName, version: bundle.version, image: bundle.image,
                                       relatedImages: bundle.relatedImages, channels: channels.sorted()))
            }
        }
        return kept
    }

    /// The report for `working-dir/operator-catalogs/<catalog>/filter-explain.txt`: a summary
    /// line, each package with its channels and their bundles, then the warnings.
    public var explanationText: String {
        var lines: [String] = []
        if isWholeCatalog {
            lines.append("full catalog without packages: not filtered; \(count(catalog.packages.count, "package")), "
                         + "\(count(catalog.bundleCount, "bundle")) mirrored as they are")
        } else {
            let channels = packages.reduce(0) { $0 + $1.channels.count { !$0.removed } }
            let bundles = packages.reduce(0) { $0 + $1.bundleCount }
            lines.append("kept \(count(packages.count, "package")), \(count(channels, "channel")), \(count(bundles, "bundle"))")
            lines += packages.map(\.text)
        }
        lines += warnings.map { "warning: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// `1 package`, `3 packages`.
func count(_ number: Int, _ noun: String) -> String {
    number == 1 ? "1 \(noun)" : "\(number) \(noun)s"
}
