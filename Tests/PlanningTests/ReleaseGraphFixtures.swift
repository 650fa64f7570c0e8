import Foundation
import ImageSet
import OCI
import Planning
import Synchronization

/// Update graphs as the update service answers them (trimmed to a few releases), and a graph
/// source that serves them by architecture and channel.
///
/// Every payload digest is the SHA-256 of "<version>-<arch>" (``ReleaseGraphs/payloadDigest(_:_:)``),
/// so a test can tell which graph a payload came from.
enum ReleaseGraphs {
    static func payloadDigest(_ version: String, _ architecture: ReleaseArchitecture) -> Digest {
        Digest.sha256(Data("\(version)-\(architecture.rawValue)".utf8))
    }

    /// A `platform.channels` entry for a test.
    static func channel(_ name: String, min: String? = nil, max: String? = nil, full: Bool = false, shortestPath: Bool = false,
                        type: ReleaseChannel.Product = .ocp) -> ReleaseChannel {
        ReleaseChannel(name: name, type: type, minVersion: min.map { try! SemanticVersion(parsing: $0) },
                       maxVersion: max.map { try! SemanticVersion(parsing: $0) }, shortestPath: shortestPath, full: full,
                       mark: SourceMark(file: "isc.yaml", line: 7, column: 7))
    }

    static func version(_ text: String) -> SemanticVersion { try! SemanticVersion(parsing: text) }

    /// The recorded graphs, by "<arch>/<channel>".
    static let standard: [String: String] = [
        "amd64/stable-4.16": stable416amd64,
        "amd64/stable-4.17": stable417amd64,
        "amd64/stable-4.18": stable418amd64,
        "arm64/stable-4.18": stable418arm64,
        "multi/stable-4.18": stable418multi,
        "amd64/fast-4.18": fast418amd64,
        "amd64/stable-4.99": #"{"nodes": [], "edges": []}"#,
        // A service that ignores the channel and answers with the stable-4.18 graph.
        "amd64/fast-4.19": stable418amd64,
    ]

    /// stable-4.16, amd64: 4.16.19 → 4.16.20 → 4.16.21.
    static let stable416amd64 = #"""
        {"nodes": [
          {"version": "4.16.19", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:bcff11630ecad0e69d9250bda2156ae65e6718c53c891d442553bd9242912ab9", "metadata": {"io.openshift.upgrades.graph.release.channels": "eus-4.16,fast-4.16,stable-4.16", "url": "https://access.redhat.com/errata/RHSA-2025:6690"}},
          {"version": "4.16.20", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:7af1e0d84231b36f919679ffd5b4663e13f15766adbd7ef1980aa5427cd9e753", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.16,candidate-4.17,eus-4.16,fast-4.16,fast-4.17,stable-4.16,stable-4.17", "url": "https://access.redhat.com/errata/RHSA-2025:2286"}},
          {"version": "4.16.21", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:fdd9a965c373f5d89782625df055188864b8a47794e111d3aa9013048ef097cd", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.16,candidate-4.17,eus-4.16,fast-4.16,fast-4.17,stable-4.16,stable-4.17", "url": "https://access.redhat.com/errata/RHSA-2025:6605"}}
        ], "edges": [[0,1],[0,2],[1,2]]}
        """#

    /// stable-4.17, amd64: 4.16.20/21 lead into 4.17; 4.17.7 was pulled (no edges in or out).
    static let stable417amd64 = #"""
        {"nodes": [
          {"version": "4.16.20", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:7af1e0d84231b36f919679ffd5b4663e13f15766adbd7ef1980aa5427cd9e753", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.16,candidate-4.17,eus-4.16,fast-4.16,fast-4.17,stable-4.16,stable-4.17", "url": "https://access.redhat.com/errata/RHSA-2025:2286"}},
          {"version": "4.16.21", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:fdd9a965c373f5d89782625df055188864b8a47794e111d3aa9013048ef097cd", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.16,candidate-4.17,eus-4.16,fast-4.16,fast-4.17,stable-4.16,stable-4.17", "url": "https://access.redhat.com/errata/RHSA-2025:6605"}},
          {"version": "4.17.5", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:7944552129dcbda3d8ac17e48ccd7b37c3146710db9c068b75859a73a4ea0bdc", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,fast-4.17,stable-4.17", "url": "https://access.redhat.com/errata/RHSA-2025:2485"}},
          {"version": "4.17.6", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:f5f2d0c005a96e361c2088ddf94f8f190c255d8d459c755f0a96d7629538bc34", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,fast-4.17,stable-4.17", "url": "https://access.redhat.com/errata/RHSA-2025:7013"}},
          {"version": "4.17.7", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:f14e348753ff5f89799e02fa6ee1e4e131b8f3b6e834c93088fe636ecaeb2ef7", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,fast-4.17,stable-4.17", "url": "https://access.redhat.com/errata/RHSA-2025:4576"}},
          {"version": "4.17.8", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:dac0e192e87a2eca5b7a41082e7edb52aa73f9692d0754140729729bf51d8445", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,candidate-4.18,fast-4.17,fast-4.18,stable-4.17,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:5692"}},
          {"version": "4.17.9", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:2499bb7c5b008cd9fcf689fba52061b7f242866ace3372b99b62f07f6ea3cfd2", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,candidate-4.18,fast-4.17,fast-4.18,stable-4.17,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:1715"}},
          {"version": "4.17.10", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:6d08aa08362c7e3fdd2e2862a8b18650b48d8bcdd199ff59727b48480930112c", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,candidate-4.18,fast-4.17,fast-4.18,stable-4.17,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:9789"}}
        ], "edges": [[0,1],[0,2],[1,3],[1,5],[2,3],[2,5],[3,5],[3,6],[5,6],[5,7],[6,7]]}
        """#

    /// stable-4.18, amd64: 4.17.8–10 lead into 4.18; 4.18.1 → 4.18.3 and 4.17.10 → 4.18.3 are conditional (AzureRegistryImagePreservation), 4.18.4 is reached only conditionally from 4.18.3 (OVNKubernetesRestartLoop).
    static let stable418amd64 = #"""
        {"nodes": [
          {"version": "4.17.8", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:dac0e192e87a2eca5b7a41082e7edb52aa73f9692d0754140729729bf51d8445", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,candidate-4.18,fast-4.17,fast-4.18,stable-4.17,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:5692"}},
          {"version": "4.17.9", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:2499bb7c5b008cd9fcf689fba52061b7f242866ace3372b99b62f07f6ea3cfd2", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,candidate-4.18,fast-4.17,fast-4.18,stable-4.17,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:1715"}},
          {"version": "4.17.10", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:6d08aa08362c7e3fdd2e2862a8b18650b48d8bcdd199ff59727b48480930112c", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,candidate-4.18,fast-4.17,fast-4.18,stable-4.17,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:9789"}},
          {"version": "4.18.1", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:1e661e6c6dd03c0fa2f7187a2ea8d582d5b4ce7cb198a41b904480ef80a72663", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:8081"}},
          {"version": "4.18.2", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:b6eddda897aa1b0cb055c08b68c198947c6d577a83acc33e5f014eba9ed375f3", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:2171"}},
          {"version": "4.18.3", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:6d004249665d8752f0cf9f3da91fb79c157a7069cdf2b962d8cc3908311a0ab4", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:4142"}},
          {"version": "4.18.4", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:380cd2d3df77f96b22ab75d60db182e7a04c73c6a9778d6873deaa8b8f2faee2", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:5610"}}
        ], "edges": [[0,1],[0,2],[1,2],[0,3],[1,3],[1,4],[2,4],[3,4],[4,5]], "conditionalEdges": [
          {"edges": [{"from": "4.18.1", "to": "4.18.3"}, {"from": "4.17.10", "to": "4.18.3"}],
           "risks": [
             {"url": "https://issues.redhat.com/browse/OCPBUGS-44438", "name": "AzureRegistryImagePreservation", "message": "Clusters on Azure may lose images from the internal registry during the update.", "matchingRules": [{"type": "PromQL", "promql": {"promql": "group(cluster_infrastructure_provider{_id=\"\",type=\"Azure\"})"}}]}]},
          {"edges": [{"from": "4.18.3", "to": "4.18.4"}],
           "risks": [
             {"url": "https://issues.redhat.com/browse/OCPBUGS-45210", "name": "OVNKubernetesRestartLoop", "message": "ovnkube-node may restart in a loop on clusters with many egress IPs.", "matchingRules": [{"type": "Always"}]}]}]}
        """#

    /// stable-4.18, arm64: no 4.18.4 yet.
    static let stable418arm64 = #"""
        {"nodes": [
          {"version": "4.17.9", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:64c7bff122361c58a64d012cb407df9d84bcaa1287b4504a9cc3478a3c4409b1", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,candidate-4.18,fast-4.17,fast-4.18,stable-4.17,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:1715"}},
          {"version": "4.17.10", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:2fa4c655e6795e67fd797388c10cc530d285c0af05362fb1c2c6df4a9c39fd14", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,candidate-4.18,fast-4.17,fast-4.18,stable-4.17,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:9789"}},
          {"version": "4.18.1", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:5075ef8446df3d7f86533a17972d8386551657b3e0e7f0bd4a49ae9a943fd3a7", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:8081"}},
          {"version": "4.18.2", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:b24b1be63dabeb92eaec0a69befa3ef8d80d547d18d15397d8e095ba1cad443f", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:2171"}},
          {"version": "4.18.3", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:c039de2ac3b35776fb767715730b703abf64a16d47fb6735bac97d7978fb5845", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:4142"}}
        ], "edges": [[0,1],[0,2],[1,3],[2,3],[3,4]]}
        """#

    /// stable-4.18, multi (manifest-list payloads): head 4.18.2.
    static let stable418multi = #"""
        {"nodes": [
          {"version": "4.17.10", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:78061689bf7bf342c17821b109bb8045a74185013d3223de7fb5132541cba2e1", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.17,candidate-4.18,fast-4.17,fast-4.18,stable-4.17,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:9789"}},
          {"version": "4.18.1", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:54a03cabe1aaa8330cbf86e6763f5cae6a3c5c558de4b17fe19115ae0cfd180e", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:8081"}},
          {"version": "4.18.2", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:f41cc7f3094c4234cbbf16c23607d065ea11e5a0d3e149899ca36f82b68280d5", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:2171"}}
        ], "edges": [[0,2],[1,2]]}
        """#

    /// fast-4.18, amd64, as a service that lists 4.18 releases only: 4.17.z is not in it.
    static let fast418amd64 = #"""
        {"nodes": [
          {"version": "4.18.1", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:1e661e6c6dd03c0fa2f7187a2ea8d582d5b4ce7cb198a41b904480ef80a72663", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:8081"}},
          {"version": "4.18.2", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:b6eddda897aa1b0cb055c08b68c198947c6d577a83acc33e5f014eba9ed375f3", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:2171"}},
          {"version": "4.18.3", "payload": "quay.io/openshift-release-dev/ocp-release@sha256:6d004249665d8752f0cf9f3da91fb79c157a7069cdf2b962d8cc3908311a0ab4", "metadata": {"io.openshift.upgrades.graph.release.channels": "candidate-4.18,fast-4.18,stable-4.18", "url": "https://access.redhat.com/errata/RHSA-2025:4142"}}
        ], "edges": [[0,1],[1,2]]}
        """#

}

/// Serves recorded graph documents (parsed on each request, as a client would) and remembers
/// what was asked.
final class RecordedGraphs: UpdateGraphSource {
    let documents: [String: String]
    private let asked = Mutex<[UpdateGraphQuery]>([])

    init(_ documents: [String: String] = ReleaseGraphs.standard) {
        self.documents = documents
    }

    /// Every query, in order.
    var queries: [UpdateGraphQuery] { asked.withLock { $0 } }

    func graph(for query: UpdateGraphQuery) async throws(UpdateGraphError) -> UpdateGraph {
        asked.withLock { $0.append(query) }
        let key = "\(query.architecture.rawValue)/\(query.channel)"
        guard let document = documents[key] else {
            throw UpdateGraphError(.notSaved, query: query, location: key, message: "no recorded graph")
        }
        do {
            return try UpdateGraph(parsing: Data(document.utf8))
        } catch {
            throw UpdateGraphError(.invalidGraph(error), query: query, location: key, message: "\(error)")
        }
    }
}
