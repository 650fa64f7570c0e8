/// Everything a catalog holds for one package: its `olm.package` blob, channels, bundles,
/// deprecations and blobs of other schemas that name it.
public struct CatalogPackage: Sendable, Hashable {
    public var name: String
    /// Nil when the catalog has channels or bundles of the package but no `olm.package` blob
    /// (invalid for OLM; the filter reports it if the package is kept).
    public var package: OLMPackage?
    /// By channel name.
    public var channels: [String: OLMChannel]
    /// By bundle name.
    public var bundles: [String: OLMBundle]
    /// Usually one (OLM allows one per package).
    public var deprecations: [OLMDeprecations]
    /// Blobs of other schemas whose `package` is this package, in the order read.
    public var others: [CatalogBlob]

    public init(name: String, package: OLMPackage? = nil, channels: [String: OLMChannel] = [:], bundles: [String: OLMBundle] = [:],
                deprecations: [OLMDeprecations] = [], others: [CatalogBlob] = []) {
        self.name = name
        self.package = package
        self.channels = channels
        self.bundles = bundles
        self.deprecations = deprecations
        self.others = others
    }

    /// Channel names, sorted.
    public var channelNames: [String] { channels.keys.sorted() }
}
