import ImageSet
import OCI
import Planning
import Testing

// A cross-channel path with a step that has no update (issue 11, item 8): as oc-mirror does, the
// selection does not fail; the steps that connect are kept, and the missing one is named.
struct ReleaseCrossChannelGapTests {
    typealias G = ReleaseGraphs

    /// A graph built by hand: `versions` as nodes (payloads named after the version), `edges` and
    /// `conditional` as "FROM>TO".
    static func graph(_ versions: [String], edges: [String] = [], conditional: [String] = []) -> UpdateGraph {
        let nodes = versions.map {
            UpdateGraph.Node(version: G.version($0),
                             payload: try! ImageReference(parsing: "quay.io/openshift-release-dev/ocp-release@\(G.payloadDigest($0, .amd64))"))
        }
        func pair(_ text: String) -> (SemanticVersion, SemanticVersion) {
            let ends = text.split(separator: ">").map { G.version(String($0)) }
            return (ends[0], ends[1])
        }
        let plain = edges.map(pair).map { from, to in
            UpdateGraph.Edge(from: versions.firstIndex(of: from.description)!, to: versions.firstIndex(of: to.description)!)
        }
        let risky = conditional.isEmpty ? [] : [UpdateGraph.ConditionalEdge(
            edges: conditional.map(pair).map { UpdateGraph.VersionEdge(from: $0.0, to: $0.1) },
            risks: [UpdateGraph.Risk(name: "SomeRisk")])]
        return UpdateGraph(nodes: nodes, edges: plain, conditionalEdges: risky)
    }

    /// Serves hand-built graphs by channel (amd64 only).
    struct HandBuiltGraphs: UpdateGraphSource {
        var graphs: [String: UpdateGraph]

        func graph(for query: UpdateGraphQuery) async throws(UpdateGraphError) -> UpdateGraph {
            guard query.architecture == .amd64, let graph = graphs[query.channel] else {
                throw UpdateGraphError(.notSaved, query: query, location: query.channel, message: "no hand-built graph")
            }
            return graph
        }
    }

    /// stable-4.17: 4.17.1 → 4.17.2. stable-4.18 lists 4.17.2 (as the service lists the previous
    /// minor's update sources) but has no update out of it yet: 4.18.1 → 4.18.2 only.
    static let twoChannels: [String: UpdateGraph] = [
        "stable-4.17": graph(["4.17.1", "4.17.2"], edges: ["4.17.1>4.17.2"]),
        "stable-4.18": graph(["4.17.2", "4.18.1", "4.18.2"], edges: ["4.18.1>4.18.2"]),
    ]

    func select(_ channels: [ReleaseChannel], _ graphs: [String: UpdateGraph]) async throws(ReleaseSelectionFailure)
        -> ReleaseSelectionResult {
        try await ReleaseVersionSelector(source: HandBuiltGraphs(graphs: graphs)).select(ReleaseSelection(channels: channels))
    }

    @Test func twoChannelsWithNoPathKeepEachSelectionAndTheEarlierChannelsWalk() async throws {
        // Before: a ReleaseSelectionFailure (.unreachable). oc-mirror: 4.17.1 → 4.17.2 in stable-4.17,
        // an empty path 4.17.2 → 4.18.2 in stable-4.18, and the target 4.18.2.
        let result = try await select([G.channel("stable-4.17", min: "4.17.1"), G.channel("stable-4.18")], Self.twoChannels)
        #expect(result.releases.map(\.version.description) == ["4.17.1", "4.17.2", "4.18.2"])
        let path = try #require(result.explanation.last)
        #expect(path.title == "stable-4.17 → stable-4.18 (cross-channel)")
        #expect(path.entries.map(\.version.description) == ["4.17.1", "4.17.2"])
        #expect(path.entries.allSatisfy { $0.channel == "stable-4.17" })
        #expect(path.notes == ["no update from 4.17.2 (stable-4.17) to 4.18.2 in stable-4.18, not even through a conditional "
            + "edge: the path ends without this step"])
        #expect(result.warnings.count == 1)
        let warning = try #require(result.warnings.first)
        #expect(warning.hasPrefix("cross-channel upgrade path stable-4.17 → stable-4.18 (amd64) has no update from 4.17.2 "
            + "(stable-4.17) to 4.18.2 in stable-4.18, not even through a conditional edge; "))
        // Nothing leaves 4.17.2 in stable-4.18: the hint says so rather than suggesting other bounds.
        #expect(warning.contains("\n  hint: the update service has no update out of 4.17.2 in stable-4.18 yet"))
        // release-selection.txt and --explain show the note and the warning.
        #expect(result.explanationText.contains("  note: no update from 4.17.2 (stable-4.17) to 4.18.2 in stable-4.18"))
        #expect(result.explanationText.contains("warning: cross-channel upgrade path stable-4.17 → stable-4.18 (amd64) has no update"))
    }

    @Test func aMissingStepInTheMiddleKeepsTheStepsBeforeAndAfterIt() async throws {
        // stable-4.17 → stable-4.18 → stable-4.19: in stable-4.18, 4.17.2 reaches 4.18.1 but nothing
        // reaches 4.18.2 (its latest); the path goes on from 4.18.2, which updates to 4.19.1.
        let graphs = [
            "stable-4.17": Self.graph(["4.17.1", "4.17.2"], edges: ["4.17.1>4.17.2"]),
            "stable-4.18": Self.graph(["4.17.2", "4.18.1", "4.18.2"], edges: ["4.17.2>4.18.1"]),
            "stable-4.19": Self.graph(["4.18.2", "4.19.1"], edges: ["4.18.2>4.19.1"]),
        ]
        let result = try await select([G.channel("stable-4.17"), G.channel("stable-4.19")], graphs)
        // 4.18.1 is on no step that connects: oc-mirror does not mirror it either.
        #expect(result.releases.map(\.version.description) == ["4.17.2", "4.18.2", "4.19.1"])
        #expect(result.releases.first { $0.version == G.version("4.18.2") }?.channels == ["stable-4.19"])
        let path = try #require(result.explanation.last)
        #expect(path.rule == "cross-channel upgrade path from 4.17.2 (stable-4.17) to 4.19.1 (stable-4.19) through stable-4.18")
        #expect(path.notes == ["no update from 4.17.2 (stable-4.17) to 4.18.2 in stable-4.18, not even through a conditional "
            + "edge: the path goes on from 4.18.2"])
        let warning = try #require(result.warnings.first)
        #expect(result.warnings.count == 1)
        #expect(warning.contains("has no update from 4.17.2 (stable-4.17) to 4.18.2 in stable-4.18"))
        // 4.17.2 does update (to 4.18.1): the hint is about the bounds.
        #expect(warning.contains("\n  hint: choose minVersion/maxVersion so that updates join the channels' releases"))
    }

    @Test func gapsAreReportedByTheStepAndAConditionalEdgeIsNoGap() throws {
        func outcome(_ name: String, _ versions: [String]) throws -> ReleaseVersionSelector.ChannelOutcome {
            let entries = try versions.map {
                ChannelExplanation.Entry(version: G.version($0), payload: try ImageReference(
                    parsing: "quay.io/openshift-release-dev/ocp-release@\(G.payloadDigest($0, .amd64))"),
                                         channel: name, reason: .head(channel: name))
            }
            return .init(channel: G.channel(name), explanation: ChannelExplanation(architecture: .amd64, title: name, rule: "",
                                                                                   entries: entries))
        }
        let route = ["stable-4.16", "stable-4.17", "stable-4.18"]
        // In stable-4.16, 4.16.1 cannot reach its latest 4.16.2; 4.16.2 → 4.17.1 only conditionally;
        // in stable-4.18, 4.17.1 (the latest of 4.17) cannot reach 4.18.1.
        let graphs = [
            "stable-4.16": Self.graph(["4.16.1", "4.16.2"]),
            "stable-4.17": Self.graph(["4.16.2", "4.17.1"], conditional: ["4.16.2>4.17.1"]),
            "stable-4.18": Self.graph(["4.17.1", "4.18.1"]),
        ]
        let path = try ReleaseVersionSelector.crossChannelPath(from: try outcome("stable-4.16", ["4.16.1"]),
                                                               to: try outcome("stable-4.18", ["4.18.1"]),
                                                               route: route, graphs: graphs, architecture: .amd64)
        #expect(path.gaps == [
            CrossChannelGap(from: G.version("4.16.1"), fromChannel: "stable-4.16", to: G.version("4.16.2"), channel: "stable-4.16"),
            CrossChannelGap(from: G.version("4.17.1"), fromChannel: "stable-4.17", to: G.version("4.18.1"), channel: "stable-4.18"),
        ])
        #expect(path.gaps.map(\.description) == ["4.16.1 (stable-4.16) → 4.16.2 in stable-4.16",
                                                  "4.17.1 (stable-4.17) → 4.18.1 in stable-4.18"])
        #expect(path.warnings.count == 2)
        // The step that connects, through its conditional edge, is kept and marked.
        #expect(path.explanation.entries.map(\.version.description) == ["4.16.2", "4.17.1"])
        #expect(path.explanation.entries.last?.conditionalStep?.risks.map(\.name) == ["SomeRisk"])
    }

    @Test func afterAGapABlockedStepStillStopsThePath() async throws {
        // The step into stable-4.18 has no update; stable-4.19 does not list 4.18.2, so nothing
        // leads into it: the gap and the blocked step are both reported, and nothing fails.
        let graphs = [
            "stable-4.17": Self.graph(["4.17.2"]),
            "stable-4.18": Self.graph(["4.17.2", "4.18.2"]),
            "stable-4.19": Self.graph(["4.19.1"]),
        ]
        let result = try await select([G.channel("stable-4.17"), G.channel("stable-4.19")], graphs)
        #expect(result.releases.map(\.version.description) == ["4.17.2", "4.19.1"])
        #expect(result.warnings.count == 2)
        #expect(result.explanation.last?.notes.last == "stops at 4.18.2: not a release of stable-4.19")
    }

    @Test func errorsThatAreNotAMissingEdgeStayErrors() async {
        // No graph for the channel in between: the path fails, the channels' own selections stand.
        var graphs = Self.twoChannels
        graphs["stable-4.19"] = Self.graph(["4.18.2", "4.19.1"], edges: ["4.18.2>4.19.1"])
        graphs["stable-4.18"] = nil
        do {
            _ = try await select([G.channel("stable-4.17"), G.channel("stable-4.19")], graphs)
            Issue.record("no failure")
        } catch {
            #expect(error.errors.map(\.channel) == ["stable-4.17 → stable-4.19"])
            if case .graphUnavailable = error.errors.first?.kind {} else { Issue.record("\(error)") }
            #expect(error.partial.releases.map(\.version.description) == ["4.17.2", "4.19.1"])
        }
    }
}
