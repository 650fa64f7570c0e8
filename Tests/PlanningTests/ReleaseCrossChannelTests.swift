import ImageSet
import OCI
import Planning
import Testing

// spec §4.3: with several OCP channels, the upgrade path from the lowest chosen release to the
// highest, minor by minor.
struct ReleaseCrossChannelTests {
    typealias G = ReleaseGraphs

    func select(_ channels: [ReleaseChannel], source: RecordedGraphs = RecordedGraphs()) async throws(ReleaseSelectionFailure)
        -> ReleaseSelectionResult {
        try await ReleaseVersionSelector(source: source).select(ReleaseSelection(channels: channels))
    }

    @Test func headsOfTwoChannelsAreJoinedByAPath() async throws {
        let result = try await select([G.channel("stable-4.17"), G.channel("stable-4.18")])
        // stable-4.17 head 4.17.10; stable-4.18 head 4.18.4, reached from 4.18.3 only conditionally.
        #expect(result.releases.map(\.version.description) == ["4.17.10", "4.18.2", "4.18.3", "4.18.4"])
        // 4.17.10 is chosen in stable-4.17 (its head, and the path's first hop).
        #expect(result.releases.first?.channels == ["stable-4.17"])
        #expect(result.releases.last?.channels == ["stable-4.18"])
        #expect(result.releases.filter(\.viaConditionalEdge).map(\.version.description) == ["4.18.4"])
        let path = try #require(result.explanation.last)
        #expect(path.title == "stable-4.17 → stable-4.18 (cross-channel)")
        #expect(path.rule == "cross-channel upgrade path from 4.17.10 (stable-4.17) to 4.18.4 (stable-4.18)")
        #expect(path.text.contains("  4.18.2  on the cross-channel upgrade path 4.17.10 → 4.18.4 (in stable-4.18)"))
        #expect(path.text.contains("  4.18.4  on the cross-channel upgrade path 4.17.10 → 4.18.4 (in stable-4.18); reachable only "
            + "through a conditional edge 4.18.3 → 4.18.4 (risk: OVNKubernetesRestartLoop)"))
    }

    @Test func minorsInBetweenAreAskedFor() async throws {
        let source = RecordedGraphs()
        let result = try await select([G.channel("stable-4.16", min: "4.16.20"), G.channel("stable-4.18")], source: source)
        // 4.16.20 → 4.16.21 (head of 4.16) → 4.17.8 → 4.17.10 (head of 4.17) → 4.18.2 → 4.18.3 → 4.18.4
        #expect(result.releases.map(\.version.description) == ["4.16.20", "4.16.21", "4.17.8", "4.17.10", "4.18.2", "4.18.3", "4.18.4"])
        #expect(result.releases.first { $0.version == G.version("4.17.8") }?.channels == ["stable-4.17"])
        #expect(source.queries.map(\.channel) == ["stable-4.16", "stable-4.18", "stable-4.17"])
        #expect(result.explanation.last?.rule.hasSuffix("through stable-4.17") == true)
    }

    @Test func sameMinorUnderAnotherPrefixIsOnePathInTheTarget() async throws {
        // fast-4.18 from 4.18.1 and stable-4.18's head: the path runs in stable-4.18 from 4.18.1 to 4.18.4.
        let result = try await select([G.channel("fast-4.18", min: "4.18.1"), G.channel("stable-4.18")])
        #expect(result.releases.map(\.version.description) == ["4.18.1", "4.18.2", "4.18.3", "4.18.4"])
        #expect(result.releases.first?.channels == ["fast-4.18", "stable-4.18"])
        #expect(result.warnings.isEmpty)
    }

    @Test func aBlockedPathWarnsAndStops() async throws {
        // fast-4.18 lists no 4.17.z release, so nothing leads from stable-4.17's head into it.
        let result = try await select([G.channel("stable-4.17"), G.channel("fast-4.18")])
        #expect(result.releases.map(\.version.description) == ["4.17.10", "4.18.3"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.contains("stops at 4.17.10: it is not a release of fast-4.18") == true)
        #expect(result.explanationText.contains("  note: stops at 4.17.10: not a release of fast-4.18"))
    }

    @Test func aMissingGraphInBetweenFailsThePathOnly() async {
        var documents = G.standard
        documents["amd64/stable-4.17"] = nil
        do {
            _ = try await select([G.channel("stable-4.16"), G.channel("stable-4.18")], source: RecordedGraphs(documents))
            Issue.record("no failure")
        } catch {
            #expect(error.errors.map(\.channel) == ["stable-4.16 → stable-4.18"])
            #expect(error.errors.first?.message.contains("goes through stable-4.17") == true)
            #expect(error.partial.releases.map(\.version.description) == ["4.16.21", "4.18.4"])
        }
    }

    struct RouteCase: Sendable, CustomTestStringConvertible {
        var from: String
        var to: String
        /// nil: an error.
        var route: [String]?
        var testDescription: String { "\(from) → \(to)" }
    }

    static let routeCases: [RouteCase] = [
        RouteCase(from: "stable-4.18", to: "stable-4.18", route: ["stable-4.18"]),
        RouteCase(from: "stable-4.17", to: "stable-4.18", route: ["stable-4.17", "stable-4.18"]),
        RouteCase(from: "stable-4.15", to: "stable-4.18", route: ["stable-4.15", "stable-4.16", "stable-4.17", "stable-4.18"]),
        RouteCase(from: "stable-4.16", to: "eus-4.18", route: ["stable-4.16", "stable-4.17", "eus-4.18"]),
        RouteCase(from: "fast-4.18", to: "stable-4.18", route: ["stable-4.18"]),
        RouteCase(from: "stable-4.18", to: "stable-4.17", route: nil),
        RouteCase(from: "stable-4.18", to: "stable-5.0", route: nil),
        RouteCase(from: "stable", to: "stable-4.18", route: nil),
    ]

    @Test(arguments: routeCases)
    func routes(_ example: RouteCase) {
        do {
            let route = try ReleaseVersionSelector.crossChannelRoute(from: example.from, to: example.to, architecture: .amd64)
            #expect(route == example.route)
        } catch {
            #expect(example.route == nil, "\(error)")
            #expect(error.kind == .unsupportedCrossChannel)
        }
    }

    @Test func endsAreTheLowestAndHighestChosenReleasesFirstConfiguredOnTies() throws {
        func outcome(_ name: String, _ versions: [String], type: ReleaseChannel.Product = .ocp) throws -> ReleaseVersionSelector.ChannelOutcome {
            let payload = try ImageReference(parsing: "quay.io/x/release@\(G.payloadDigest(name, .amd64))")
            let entries = versions.map {
                ChannelExplanation.Entry(version: G.version($0), payload: payload, channel: name, reason: .head(channel: name))
            }
            return .init(channel: G.channel(name, type: type),
                         explanation: ChannelExplanation(architecture: .amd64, title: name, rule: "", entries: entries))
        }
        let ends = ReleaseVersionSelector.crossChannelEnds([
            try outcome("stable-4.17", ["4.17.10"]), try outcome("fast-4.17", ["4.17.10"]),
            try outcome("stable-4.18", ["4.18.4"]), try outcome("fast-4.18", ["4.18.4"]),
            try outcome("okd-4", ["4.15.0"], type: .okd),
        ])
        #expect(ends?.source.channel.name == "stable-4.17")
        #expect(ends?.target.channel.name == "stable-4.18")
        #expect(ReleaseVersionSelector.crossChannelEnds([try outcome("stable-4.17", ["4.17.10"]),
                                                         try outcome("okd-4", ["4.15.0"], type: .okd)]) == nil)
    }
}
