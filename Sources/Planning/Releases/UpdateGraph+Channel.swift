import ImageSet

extension UpdateGraph {
    /// The graph as one channel sees it: the nodes whose metadata lists `channel`, with the edges
    /// between them renumbered.
    ///
    /// The update service already answers with the channel's nodes only, so for its graphs this
    /// changes nothing; it matters for a graph served whole by a simple file server, or saved by
    /// another tool. A node without channel metadata is kept (nothing says it is out).
    public func restricted(toChannel channel: String) -> UpdateGraph {
        let kept = nodes.indices.filter { !nodes[$0].declaresChannels || nodes[$0].channels.contains(channel) }
        guard kept.count != nodes.count else { return self }
        var newIndex: [Int: Int] = [:]
        for (position, old) in kept.enumerated() { newIndex[old] = position }
        let keptEdges = edges.compactMap { edge -> Edge? in
            guard let from = newIndex[edge.from], let to = newIndex[edge.to] else { return nil }
            return Edge(from: from, to: to)
        }
        let restricted = UpdateGraph(nodes: kept.map { nodes[$0] }, edges: keptEdges)
        let keptConditional = conditionalEdges.compactMap { conditional -> ConditionalEdge? in
            let inside = conditional.edges.filter { restricted.index(of: $0.from) != nil && restricted.index(of: $0.to) != nil }
            return inside.isEmpty ? nil : ConditionalEdge(edges: inside, risks: conditional.risks)
        }
        return UpdateGraph(nodes: restricted.nodes, edges: keptEdges, conditionalEdges: keptConditional)
    }

    /// Every channel any node's metadata names, sorted: what to suggest when a channel is empty.
    public var channelsNamed: [String] {
        Set(nodes.flatMap(\.channels)).sorted()
    }

    /// The closest versions of the graph on either side of `version` (equal excluded): what to
    /// suggest when a version is not in the graph.
    public func nearestVersions(to version: SemanticVersion) -> (below: SemanticVersion?, above: SemanticVersion?) {
        let all = versions
        return (all.last { $0 < version && !$0.hasSamePrecedence(as: version) },
                all.first { version < $0 && !$0.hasSamePrecedence(as: version) })
    }
}
