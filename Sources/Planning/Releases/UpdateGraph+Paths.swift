import ImageSet

/// A sequence of updates through a graph, and which of its steps are conditional.
public struct UpdatePath: Sendable, Hashable {
    /// A step that the update service recommends only to clusters not exposed to its risks.
    public struct ConditionalStep: Sendable, Hashable {
        public var edge: UpdateGraph.VersionEdge
        public var risks: [UpdateGraph.Risk]

        public init(edge: UpdateGraph.VersionEdge, risks: [UpdateGraph.Risk]) {
            self.edge = edge
            self.risks = risks
        }
    }

    /// The versions along the path, first to last (one version when start and end are the same).
    public var versions: [SemanticVersion]
    /// The conditional steps, in path order; empty for a path of recommended updates only.
    public var conditionalSteps: [ConditionalStep]

    public init(versions: [SemanticVersion], conditionalSteps: [ConditionalStep] = []) {
        self.versions = versions
        self.conditionalSteps = conditionalSteps
    }

    /// The conditional step that arrives at `version`, if any.
    public func conditionalStep(into version: SemanticVersion) -> ConditionalStep? {
        conditionalSteps.first { $0.edge.to.hasSamePrecedence(as: version) }
    }
}

extension UpdateGraph {
    /// The shortest update path from one release to another, or nil when either is not a node or
    /// no path exists.
    ///
    /// First a breadth-first search over the recommended edges, exactly as oc-mirror does it
    /// (`GetUpdates`: each node's destinations in descending version order, the first discovery
    /// wins), so the same graph gives the same path. Only when that finds nothing are the
    /// conditional edges added, and then the path with the fewest conditional steps (then the
    /// fewest steps) is taken: a path never takes a risk it can avoid.
    public func shortestPath(from start: SemanticVersion, to end: SemanticVersion) -> UpdatePath? {
        guard let source = index(of: start), let target = index(of: end) else { return nil }
        if source == target { return UpdatePath(versions: [nodes[source].version]) }
        let recommended = recommendedDestinations()
        if let indices = breadthFirstPath(recommended, from: source, to: target) {
            return UpdatePath(versions: indices.map { nodes[$0].version })
        }
        return leastRiskPath(recommended, conditional: conditionalDestinations(), from: source, to: target)
    }

    /// Each origin's destinations over the recommended edges, highest version first, without repeats.
    private func recommendedDestinations() -> [Int: [Int]] {
        var destinations: [Int: [Int]] = [:]
        for edge in edges where destinations[edge.from]?.contains(edge.to) != true {
            destinations[edge.from, default: []].append(edge.to)
        }
        return destinations.mapValues(sortedByDescendingVersion)
    }

    /// Each origin's conditional destinations with the risks of that step (every group naming it).
    private func conditionalDestinations() -> [Int: [(to: Int, risks: [Risk])]] {
        var risksByStep: [Int: [Int: [Risk]]] = [:]
        for group in conditionalEdges {
            for edge in group.edges {
                guard let from = index(of: edge.from), let to = index(of: edge.to) else { continue }
                var risks = risksByStep[from, default: [:]][to, default: []]
                for risk in group.risks where !risks.contains(risk) { risks.append(risk) }
                risksByStep[from, default: [:]][to] = risks
            }
        }
        return risksByStep.mapValues { steps in
            sortedByDescendingVersion(Array(steps.keys)).map { (to: $0, risks: steps[$0] ?? []) }
        }
    }

    private func sortedByDescendingVersion(_ indices: [Int]) -> [Int] {
        indices.sorted { nodes[$1].version < nodes[$0].version || (nodes[$1].version == nodes[$0].version && $0 < $1) }
    }

    /// oc-mirror's breadth-first search (`core-cincinnati.go`, `shortestPath`).
    private func breadthFirstPath(_ destinations: [Int: [Int]], from source: Int, to target: Int) -> [Int]? {
        var previous: [Int: Int] = [:]
        var visited: Set<Int> = [source]
        var queue = [source]
        var head = 0
        while head < queue.count {
            let node = queue[head]
            head += 1
            if node == target { break }
            for next in destinations[node] ?? [] where !visited.contains(next) {
                visited.insert(next)
                previous[next] = node
                queue.append(next)
            }
        }
        guard visited.contains(target) else { return nil }
        var path = [target]
        while let before = previous[path[path.count - 1]] { path.append(before) }
        return path.reversed()
    }

    /// Dijkstra over recommended and conditional edges, minimising (conditional steps, steps);
    /// ties go to the node discovered first, so the result is deterministic.
    private func leastRiskPath(_ recommended: [Int: [Int]], conditional: [Int: [(to: Int, risks: [Risk])]],
                               from source: Int, to target: Int) -> UpdatePath? {
        struct Cost: Comparable {
            var risky: Int
            var steps: Int
            static func < (a: Cost, b: Cost) -> Bool { (a.risky, a.steps) < (b.risky, b.steps) }
        }
        var cost: [Int: Cost] = [source: Cost(risky: 0, steps: 0)]
        var discovered: [Int: Int] = [source: 0]
        var previous: [Int: (node: Int, risks: [Risk]?)] = [:]
        var done: Set<Int> = []
        while let node = cost.keys.filter({ !done.contains($0) })
            .min(by: { (cost[$0]!, discovered[$0]!) < (cost[$1]!, discovered[$1]!) }) {
            done.insert(node)
            if node == target { break }
            let here = cost[node]!
            // Recommended first: when both kinds lead to the same node, the recommended one wins.
            let steps = (recommended[node] ?? []).map { (to: $0, risks: [Risk]?.none) }
                + (conditional[node] ?? []).map { (to: $0.to, risks: Optional($0.risks)) }
            for step in steps where !done.contains(step.to) {
                let candidate = Cost(risky: here.risky + (step.risks == nil ? 0 : 1), steps: here.steps + 1)
                if let known = cost[step.to], !(candidate < known) { continue }
                cost[step.to] = candidate
                previous[step.to] = (node, step.risks)
                if discovered[step.to] == nil { discovered[step.to] = discovered.count }
            }
        }
        guard done.contains(target) else { return nil }
        var indices = [target]
        var conditionalSteps: [UpdatePath.ConditionalStep] = []
        while let before = previous[indices[indices.count - 1]] {
            if let risks = before.risks {
                let edge = VersionEdge(from: nodes[before.node].version, to: nodes[indices[indices.count - 1]].version)
                conditionalSteps.insert(UpdatePath.ConditionalStep(edge: edge, risks: risks), at: 0)
            }
            indices.append(before.node)
        }
        return UpdatePath(versions: indices.reversed().map { nodes[$0].version }, conditionalSteps: conditionalSteps)
    }
}
