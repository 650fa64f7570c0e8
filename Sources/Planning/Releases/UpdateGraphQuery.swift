import ImageSet

/// One graph request: a channel of a product, for one architecture, optionally for a version.
public struct UpdateGraphQuery: Sendable, Hashable, CustomStringConvertible {
    /// The channel, such as `stable-4.18`.
    public var channel: String
    /// Which update service answers (OCP or OKD).
    public var product: ReleaseChannel.Product
    /// `arch=`: `amd64`, `arm64`, `ppc64le`, `s390x` or `multi`.
    public var architecture: ReleaseArchitecture
    /// `version=`, as oc-mirror sends it for a shortest-path query; nil for the channel graph.
    public var version: SemanticVersion?

    public init(channel: String, product: ReleaseChannel.Product = .ocp, architecture: ReleaseArchitecture,
                version: SemanticVersion? = nil) {
        self.channel = channel
        self.product = product
        self.architecture = architecture
        self.version = version
    }

    /// `channel stable-4.18, arch amd64[, version 4.18.1]`.
    public var description: String {
        "channel \(channel), arch \(architecture.rawValue)" + (version.map { ", version \($0)" } ?? "")
    }
}

/// Where update graphs come from: the update service, the graph data saved by an earlier run, or
/// (in tests) recorded graphs.
public protocol UpdateGraphSource: Sendable {
    /// The graph for a query.
    /// - Throws: ``UpdateGraphError`` saying where the graph was looked for and why it is not there.
    func graph(for query: UpdateGraphQuery) async throws(UpdateGraphError) -> UpdateGraph
}
