import Foundation
import ImageSet
import OCI

/// An update graph as the update service (Cincinnati) returns it for one channel and architecture:
/// the releases (nodes), the recommended updates between them (edges), and the updates that are
/// recommended only to clusters not exposed to a named risk (conditional edges).
///
/// Source: Cincinnati graph API v1 (`GET /graph`, `Accept: application/json`), spec §4.1.
/// oc-mirror reads nodes and edges only and drops `conditionalEdges` (spec §10.2 item 3); Ferry
/// keeps them so an upgrade path may use one and say so.
public struct UpdateGraph: Sendable, Hashable {
    /// Metadata key listing the channels a release is in, comma-separated.
    public static let channelsMetadataKey = "io.openshift.upgrades.graph.release.channels"

    /// One release.
    public struct Node: Sendable, Hashable {
        /// `version`, e.g. `4.18.1`.
        public var version: SemanticVersion
        /// `payload`: the release image, by digest.
        public var payload: ImageReference
        /// `metadata`, as sent (URL of the errata, channels, previous versions…).
        public var metadata: [String: String]

        /// Creates a node.
        public init(version: SemanticVersion, payload: ImageReference, metadata: [String: String] = [:]) {
            self.version = version
            self.payload = payload
            self.metadata = metadata
        }

        /// The channels named in the metadata (``UpdateGraph/channelsMetadataKey``), in the order
        /// given; empty when the key is absent.
        public var channels: [String] {
            guard let list = metadata[UpdateGraph.channelsMetadataKey] else { return [] }
            return list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }

        /// Whether the metadata says which channels the release is in.
        public var declaresChannels: Bool { metadata[UpdateGraph.channelsMetadataKey] != nil }
    }

    /// A recommended update, `[from, to]` as indices into ``UpdateGraph/nodes``.
    public struct Edge: Sendable, Hashable {
        public var from: Int
        public var to: Int

        public init(from: Int, to: Int) {
            self.from = from
            self.to = to
        }
    }

    /// An update named by versions, as conditional edges name them.
    public struct VersionEdge: Sendable, Hashable, CustomStringConvertible {
        public var from: SemanticVersion
        public var to: SemanticVersion

        public init(from: SemanticVersion, to: SemanticVersion) {
            self.from = from
            self.to = to
        }

        /// `4.18.1 → 4.18.3`.
        public var description: String { "\(from) → \(to)" }
    }

    /// A known issue that makes some clusters better off not taking an update.
    public struct Risk: Sendable, Hashable {
        /// `name`, a CamelCase identifier such as `AzureDefaultVMType`.
        public var name: String
        /// `message`: what goes wrong, for a person.
        public var message: String
        /// `url`: where the issue is tracked.
        public var url: String
        /// `matchingRules`: how a cluster decides whether it is exposed.
        public var matchingRules: [MatchingRule]

        public init(name: String, message: String = "", url: String = "", matchingRules: [MatchingRule] = []) {
            self.name = name
            self.message = message
            self.url = url
            self.matchingRules = matchingRules
        }
    }

    /// One entry of `matchingRules`: `{"type": "PromQL", "promql": {"promql": "…"}}` or `{"type": "Always"}`.
    public struct MatchingRule: Sendable, Hashable {
        /// `type`: `PromQL` or `Always` (others are kept as sent).
        public var type: String
        /// `promql.promql`, for the `PromQL` type.
        public var promQL: String?

        public init(type: String, promQL: String? = nil) {
            self.type = type
            self.promQL = promQL
        }
    }

    /// One entry of `conditionalEdges`: updates that share the same risks.
    public struct ConditionalEdge: Sendable, Hashable {
        public var edges: [VersionEdge]
        public var risks: [Risk]

        public init(edges: [VersionEdge], risks: [Risk]) {
            self.edges = edges
            self.risks = risks
        }
    }

    public var nodes: [Node]
    public var edges: [Edge]
    public var conditionalEdges: [ConditionalEdge]

    /// Creates a graph; the edges are not checked against the nodes here (``init(parsing:)`` does).
    public init(nodes: [Node], edges: [Edge] = [], conditionalEdges: [ConditionalEdge] = []) {
        self.nodes = nodes
        self.edges = edges
        self.conditionalEdges = conditionalEdges
    }

    /// The index of the first node with this version (build metadata ignored), if any.
    public func index(of version: SemanticVersion) -> Int? {
        nodes.firstIndex { $0.version.hasSamePrecedence(as: version) }
    }

    /// The node with this version, if any.
    public func node(_ version: SemanticVersion) -> Node? {
        index(of: version).map { nodes[$0] }
    }

    /// Every version in the graph, ascending, without repeats.
    public var versions: [SemanticVersion] {
        var sorted: [SemanticVersion] = []
        for version in nodes.map(\.version).sorted() where sorted.last.map({ !$0.hasSamePrecedence(as: version) }) ?? true {
            sorted.append(version)
        }
        return sorted
    }
}
