import ImageSet
import Planning
import Testing

// A cross-channel route through a channel the update service does not have. EUS channels exist for
// even minors only, so eus-4.12 → eus-4.14 is routed through eus-4.13, whose graph is empty; the
// updates across 4.13 are in eus-4.14's graph (it lists the 4.12.z and 4.13.z releases that lead
// into 4.14). Graphs built by hand in that shape.
struct ReleaseCrossChannelEmptyChannelTests {
    typealias G = ReleaseGraphs
    typealias Gap = ReleaseCrossChannelGapTests

    /// eus-4.12: 4.12.1 → 4.12.2. eus-4.13: nothing. eus-4.14: 4.12.2 → 4.13.1 → 4.14.1 → 4.14.2.
    static let eus: [String: UpdateGraph] = [
        "eus-4.12": Gap.graph(["4.12.1", "4.12.2"], edges: ["4.12.1>4.12.2"]),
        "eus-4.13": UpdateGraph(nodes: []),
        "eus-4.14": Gap.graph(["4.12.2", "4.13.1", "4.14.1", "4.14.2"],
                              edges: ["4.12.2>4.13.1", "4.13.1>4.14.1", "4.14.1>4.14.2"]),
    ]

    func select(_ channels: [ReleaseChannel], _ graphs: [String: UpdateGraph]) async throws(ReleaseSelectionFailure)
        -> ReleaseSelectionResult {
        try await ReleaseVersionSelector(source: Gap.HandBuiltGraphs(graphs: graphs)).select(ReleaseSelection(channels: channels))
    }

    @Test func anEmptyChannelInBetweenIsPassedOverAndThePathGoesOnInTheNextChannel() async throws {
        // Before: the path stopped at 4.12.2 ("not a release of eus-4.13") and 4.13.1, 4.14.1 were
        // not mirrored: a cluster at 4.12.1 could not reach 4.14.2 with what was mirrored.
        let result = try await select([G.channel("eus-4.12", min: "4.12.1"), G.channel("eus-4.14")], Self.eus)
        #expect(result.releases.map(\.version.description) == ["4.12.1", "4.12.2", "4.13.1", "4.14.1", "4.14.2"])
        #expect(result.warnings.isEmpty)
        let path = try #require(result.explanation.last)
        #expect(path.title == "eus-4.12 → eus-4.14 (cross-channel)")
        #expect(path.entries.map(\.channel) == ["eus-4.12", "eus-4.12", "eus-4.14", "eus-4.14", "eus-4.14"])
        #expect(path.notes == ["eus-4.13 holds no release for amd64 (the update service has no such channel; EUS channels "
            + "exist for even minors only): the path goes on from 4.12.2 in eus-4.14"])
        #expect(result.explanationText.contains("  note: eus-4.13 holds no release for amd64"))
    }

    @Test func whenTheNextChannelDoesNotListTheReleaseEitherThePathStopsThere() async throws {
        var graphs = Self.eus
        graphs["eus-4.14"] = Gap.graph(["4.13.1", "4.14.1"], edges: ["4.13.1>4.14.1"])
        let result = try await select([G.channel("eus-4.12", min: "4.12.1"), G.channel("eus-4.14")], graphs)
        #expect(result.releases.map(\.version.description) == ["4.12.1", "4.12.2", "4.14.1"])
        let path = try #require(result.explanation.last)
        #expect(path.notes.count == 2)
        #expect(path.notes.last == "stops at 4.12.2: not a release of eus-4.14")
        #expect(result.warnings.count == 1)
    }

    @Test func aGapAfterAnEmptyChannelNamesTheChannelTheStepStartsIn() throws {
        // eus-4.14 lists 4.12.2 but has no update out of it: the step starts in eus-4.12, not in
        // the empty eus-4.13.
        var graphs = Self.eus
        graphs["eus-4.14"] = Gap.graph(["4.12.2", "4.14.1"])
        let start = ChannelExplanation.Entry(version: G.version("4.12.1"), payload: Gap.graph(["4.12.1"]).nodes[0].payload,
                                             channel: "eus-4.12", reason: .head(channel: "eus-4.12"))
        let end = ChannelExplanation.Entry(version: G.version("4.14.1"), payload: Gap.graph(["4.14.1"]).nodes[0].payload,
                                           channel: "eus-4.14", reason: .head(channel: "eus-4.14"))
        let path = try ReleaseVersionSelector.crossChannelPath(
            from: .init(channel: G.channel("eus-4.12"), explanation: .init(architecture: .amd64, title: "eus-4.12", rule: "",
                                                                             entries: [start])),
            to: .init(channel: G.channel("eus-4.14"), explanation: .init(architecture: .amd64, title: "eus-4.14", rule: "",
                                                                           entries: [end])),
            route: ["eus-4.12", "eus-4.13", "eus-4.14"], graphs: graphs, architecture: .amd64)
        #expect(path.gaps == [CrossChannelGap(from: G.version("4.12.2"), fromChannel: "eus-4.12", to: G.version("4.14.1"),
                                              channel: "eus-4.14")])
        #expect(path.explanation.entries.map(\.version.description) == ["4.12.1", "4.12.2"])
    }
}
