import Foundation

/// The update graph a Cincinnati service answers for one channel and architecture (spec §4.1):
/// `{"nodes":[…],"edges":[[from,to]],"conditionalEdges":[…]}`, edges as indexes into `nodes`.
///
/// Nodes are the channel's versions that have a payload for the architecture, listed newest first
/// (the real service promises no order, so clients must not rely on one); edges and conditional
/// edges are those between listed nodes only.
struct CincinnatiGraph: Sendable {
    let releaseSet: OpenShiftReleaseSet
    /// Seeded releases by version and architecture.
    let releases: [String: [OpenShiftArchitecture: OpenShiftRelease]]

    init(releaseSet: OpenShiftReleaseSet, releases: [OpenShiftRelease]) {
        self.releaseSet = releaseSet
        var byVersion: [String: [OpenShiftArchitecture: OpenShiftRelease]] = [:]
        for release in releases { byVersion[release.version, default: [:]][release.architecture] = release }
        self.releases = byVersion
    }

    /// The nodes of `channel` for `architecture` (the `arch` parameter's value), in answer order.
    func nodes(channel: String, architecture: String) -> [OpenShiftRelease] {
        guard let architecture = OpenShiftArchitecture(rawValue: architecture),
              let channel = releaseSet.channels.first(where: { $0.name == channel }) else { return [] }
        return channel.versions.reversed().compactMap { releases[$0]?[architecture] }
    }

    func json(channel: String, architecture: String) throws -> Data {
        let nodes = nodes(channel: channel, architecture: architecture)
        let index = Dictionary(uniqueKeysWithValues: nodes.enumerated().map { ($0.element.version, $0.offset) })
        let edges = releaseSet.updates.compactMap { update -> [Int]? in
            guard let from = index[update.from], let to = index[update.to] else { return nil }
            return [from, to]
        }
        let conditionalEdges: [[String: Any]] = releaseSet.conditionalUpdates.compactMap { conditional in
            let listed = conditional.updates.filter { index[$0.from] != nil && index[$0.to] != nil }
            guard !listed.isEmpty else { return nil }
            return [
                "edges": listed.map { ["from": $0.from, "to": $0.to] },
                "risks": conditional.risks.map { risk in
                    [
                        "url": risk.url, "name": risk.name, "message": risk.message,
                        "matchingRules": [["type": "PromQL", "promql": ["promql": risk.promQL]]],
                    ] as [String: Any]
                },
            ]
        }
        let nodeObjects: [[String: Any]] = nodes.map { release in
            var metadata = [
                "io.openshift.upgrades.graph.release.channels": releaseSet.channels(containing: release.version)
                    .joined(separator: ","),
                "io.openshift.upgrades.graph.release.manifestref": release.payloadDigest.description,
                "url": releaseSet.release(release.version)?.errataURL ?? "",
            ]
            if release.architecture == .multi { metadata["release.openshift.io/architecture"] = "multi" }
            return ["version": release.version, "payload": release.payloadByDigest.description, "metadata": metadata]
        }
        return try JSONSerialization.data(
            withJSONObject: ["nodes": nodeObjects, "edges": edges, "conditionalEdges": conditionalEdges] as [String: Any],
            options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
