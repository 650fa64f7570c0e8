import ImageSet
import OCI
import Planning
import Testing

struct ReleaseVersionSelectionTests {
    typealias G = ReleaseGraphs

    struct ChannelCase: Sendable, CustomTestStringConvertible {
        var name: String
        var channel: ReleaseChannel
        var versions: [String]
        /// Versions reached only through a conditional edge.
        var conditional: [String] = []
        /// A line the explanation must contain.
        var explains: String
        var testDescription: String { name }
    }

    // spec §4.2 over the recorded stable-4.18 graph (4.17.8 … 4.18.4) and stable-4.17 graph
    static let channelCases: [ChannelCase] = [
        ChannelCase(name: "head only", channel: G.channel("stable-4.18"), versions: ["4.18.4"],
                    explains: "  4.18.4  head of stable-4.18"),
        ChannelCase(name: "full: first to latest, 4.17.z of the channel included", channel: G.channel("stable-4.18", full: true),
                    versions: ["4.17.8", "4.17.9", "4.17.10", "4.18.1", "4.18.2", "4.18.3", "4.18.4"],
                    explains: "  4.17.8  in [4.17.8, 4.18.4]"),
        ChannelCase(name: "min only: min to latest", channel: G.channel("stable-4.18", min: "4.18.2"),
                    versions: ["4.18.2", "4.18.3", "4.18.4"], explains: "minVersion 4.18.2 to the latest release 4.18.4"),
        ChannelCase(name: "max only: first to max", channel: G.channel("stable-4.18", max: "4.17.10"),
                    versions: ["4.17.8", "4.17.9", "4.17.10"], explains: "  4.17.10  in [4.17.8, 4.17.10]"),
        ChannelCase(name: "min and max", channel: G.channel("stable-4.18", min: "4.17.9", max: "4.18.2"),
                    versions: ["4.17.9", "4.17.10", "4.18.1", "4.18.2"], explains: "  4.18.1  in [4.17.9, 4.18.2]"),
        ChannelCase(name: "a bound that is no release is a note", channel: G.channel("stable-4.18", min: "4.18.0"),
                    versions: ["4.18.1", "4.18.2", "4.18.3", "4.18.4"],
                    explains: "  note: minVersion 4.18.0 is not a release of stable-4.18; nearest: 4.17.10, 4.18.1"),
        ChannelCase(name: "shortest path, highest destination first on ties",
                    channel: G.channel("stable-4.18", min: "4.17.8", max: "4.18.3", shortestPath: true),
                    versions: ["4.17.8", "4.18.1", "4.18.2", "4.18.3"], explains: "  4.18.1  on the shortest path 4.17.8 → 4.18.3"),
        ChannelCase(name: "shortest path avoids a conditional shortcut",
                    channel: G.channel("stable-4.18", min: "4.18.1", max: "4.18.3", shortestPath: true),
                    versions: ["4.18.1", "4.18.2", "4.18.3"], explains: "  4.18.3  on the shortest path 4.18.1 → 4.18.3"),
        ChannelCase(name: "shortest path through the only, conditional, edge",
                    channel: G.channel("stable-4.18", min: "4.18.1", max: "4.18.4", shortestPath: true),
                    versions: ["4.18.1", "4.18.2", "4.18.3", "4.18.4"], conditional: ["4.18.4"],
                    explains: "  4.18.4  on the shortest path 4.18.1 → 4.18.4; reachable only through a conditional edge "
                        + "4.18.3 → 4.18.4 (risk: OVNKubernetesRestartLoop)"),
        ChannelCase(name: "shortest path from the first release to max",
                    channel: G.channel("stable-4.18", max: "4.18.2", shortestPath: true),
                    versions: ["4.17.8", "4.18.1", "4.18.2"], explains: "the first release 4.17.8 to maxVersion 4.18.2, shortest path"),
        ChannelCase(name: "shortest path alone is the head", channel: G.channel("stable-4.18", shortestPath: true),
                    versions: ["4.18.4"], explains: "  4.18.4  head of stable-4.18"),
        ChannelCase(name: "shortest path from min to latest across minors",
                    channel: G.channel("stable-4.17", min: "4.16.20", shortestPath: true),
                    versions: ["4.16.20", "4.17.5", "4.17.8", "4.17.10"], explains: "  4.17.5  on the shortest path 4.16.20 → 4.17.10"),
    ]

    @Test(arguments: channelCases)
    func oneChannel(_ example: ChannelCase) async throws {
        let result = try await ReleaseVersionSelector(source: RecordedGraphs()).select(ReleaseSelection(channels: [example.channel]))
        #expect(result.releases.map(\.version.description) == example.versions)
        #expect(result.releases.filter(\.viaConditionalEdge).map(\.version.description) == example.conditional)
        #expect(result.releases.allSatisfy { $0.architecture == .amd64 && $0.channels == [example.channel.name] })
        for release in result.releases {
            #expect(release.payload.digest == G.payloadDigest(release.version.description, .amd64))
        }
        #expect(result.explanationText.contains(example.explains), "\(result.explanationText)")
        #expect(result.warnings.isEmpty)
    }

    /// No path, not even a conditional one (4.17.10 was pulled: no edge leads to it): oc-mirror
    /// keeps the two ends and goes on; so does Ferry, with a note and a warning naming the step.
    @Test func aShortestPathTheGraphDoesNotHaveKeepsItsEndsAndSaysSo() async throws {
        let selection = ReleaseSelection(channels: [G.channel("stable-4.17", min: "4.17.7", max: "4.17.10", shortestPath: true)])
        let result = try await ReleaseVersionSelector(source: RecordedGraphs()).select(selection)
        #expect(result.releases.map(\.version.description) == ["4.17.7", "4.17.10"])
        #expect(result.warnings.count == 1)
        #expect(result.warnings.first?.contains("no upgrade path from 4.17.7 to 4.17.10 in stable-4.17, not even through a "
            + "conditional edge") == true, "\(result.warnings)")
        #expect(result.warnings.first?.contains("hint: choose minVersion/maxVersion") == true)
        #expect(result.explanationText.contains("note: no upgrade path from 4.17.7 to 4.17.10"), "\(result.explanationText)")
    }

    @Test func explanationOfAConditionalPath() async throws {
        let selection = ReleaseSelection(channels: [G.channel("stable-4.18", min: "4.18.1", max: "4.18.4", shortestPath: true)])
        let result = try await ReleaseVersionSelector(source: RecordedGraphs()).select(selection)
        #expect(result.explanationText == """
            stable-4.18 (amd64): minVersion 4.18.1 to maxVersion 4.18.4, shortest path — 4 releases
              4.18.1  on the shortest path 4.18.1 → 4.18.4
              4.18.2  on the shortest path 4.18.1 → 4.18.4
              4.18.3  on the shortest path 4.18.1 → 4.18.4
              4.18.4  on the shortest path 4.18.1 → 4.18.4; reachable only through a conditional edge 4.18.3 → 4.18.4 (risk: OVNKubernetesRestartLoop)
            """)
        let step = result.explanation[0].entries[3].conditionalStep
        #expect(step?.risks.first?.url == "https://issues.redhat.com/browse/OCPBUGS-45210")
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        var name: String
        var channel: ReleaseChannel
        var kind: String
        /// Texts the error's description must contain.
        var says: [String]
        var testDescription: String { name }
    }

    static let failureCases: [FailureCase] = [
        FailureCase(name: "unknown maxVersion for a path", channel: G.channel("stable-4.18", min: "4.18.1", max: "4.18.7", shortestPath: true),
                    kind: "unknownVersion 4.18.7",
                    says: ["isc.yaml:7:7: channel stable-4.18 (amd64): maxVersion 4.18.7 is not a release of the channel",
                           "nearest: 4.18.4", "the channel holds 7 releases, 4.17.8 … 4.18.4", "4.18.z: 4.18.1, 4.18.2, 4.18.3, 4.18.4",
                           "hint: shortestPath needs minVersion and maxVersion to be releases"]),
        FailureCase(name: "unknown minVersion for a path", channel: G.channel("stable-4.17", min: "4.17.4", shortestPath: true),
                    kind: "unknownVersion 4.17.4", says: ["minVersion 4.17.4 is not a release", "nearest: 4.16.21, 4.17.5"]),
        FailureCase(name: "channel with no release", channel: G.channel("stable-4.99"), kind: "emptyChannel",
                    says: ["channel stable-4.99 (amd64): the update graph holds no release", "hint: check the channel name"]),
        FailureCase(name: "no release lists the channel", channel: G.channel("fast-4.19"), kind: "emptyChannel",
                    says: ["none of the graph's 7 releases is in fast-4.19", "candidate-4.17", "stable-4.18"]),
        FailureCase(name: "range without release", channel: G.channel("stable-4.18", min: "4.19.0"),
                    kind: "noReleaseInRange", says: ["no release in [4.19.0, 4.18.4]", "hint: minVersion 4.19.0 is above the channel's latest release"]),
        FailureCase(name: "graph not available", channel: G.channel("stable-4.20"), kind: "graphUnavailable",
                    says: ["channel stable-4.20 (amd64): cannot get the update graph from amd64/stable-4.20: no recorded graph"]),
    ]

    static func kindName(_ kind: ReleaseSelectionError.Kind) -> String {
        switch kind {
        case .graphUnavailable: return "graphUnavailable"
        case .emptyChannel: return "emptyChannel"
        case .unknownVersion(let version): return "unknownVersion \(version)"
        case .noReleaseInRange: return "noReleaseInRange"
        case .unreachable(let from, let to): return "unreachable \(from) \(to)"
        case .unsupportedCrossChannel: return "unsupportedCrossChannel"
        }
    }

    @Test(arguments: failureCases)
    func failures(_ example: FailureCase) async {
        do {
            let result = try await ReleaseVersionSelector(source: RecordedGraphs()).select(ReleaseSelection(channels: [example.channel]))
            Issue.record("selected \(result.releases.map(\.version))")
        } catch {
            #expect(error.errors.count == 1)
            guard let failure = error.errors.first else { return }
            #expect(Self.kindName(failure.kind) == example.kind)
            for text in example.says {
                #expect(failure.description.contains(text), "\(failure.description)")
            }
        }
    }

    @Test func oneFailingChannelDoesNotHideTheOthers() async {
        let selection = ReleaseSelection(channels: [G.channel("stable-4.99"), G.channel("stable-4.20"), G.channel("stable-4.18")])
        do {
            _ = try await ReleaseVersionSelector(source: RecordedGraphs()).select(selection)
            Issue.record("no failure")
        } catch {
            #expect(error.errors.map(\.channel) == ["stable-4.99", "stable-4.20"])
            #expect(error.partial.releases.map(\.version.description) == ["4.18.4"])
            let lines = error.description.split(separator: "\n")
            #expect(lines.first?.hasPrefix("isc.yaml:7:7: channel stable-4.99 (amd64): the update graph holds no release") == true)
            #expect(lines.last?.hasPrefix("isc.yaml:7:7: channel stable-4.20 (amd64): cannot get the update graph") == true)
        }
    }

    struct ArchitectureCase: Sendable, CustomTestStringConvertible {
        var architectures: [ReleaseArchitecture]
        var platforms: [String]
        var passes: [ReleaseArchitecture]
        var testDescription: String { "\(architectures) platforms \(platforms) → \(passes)" }
    }

    static let architectureCases: [ArchitectureCase] = [
        ArchitectureCase(architectures: [], platforms: [], passes: [.amd64]),
        ArchitectureCase(architectures: [.arm64, .amd64, .arm64], platforms: [], passes: [.arm64, .amd64]),
        ArchitectureCase(architectures: [.multi], platforms: [], passes: [.multi]),
        ArchitectureCase(architectures: [.amd64, .arm64], platforms: ["arm64"], passes: [.multi]),
    ]

    @Test(arguments: architectureCases)
    func architecturesQueried(_ example: ArchitectureCase) {
        let mark = SourceMark(file: "isc.yaml", line: 1, column: 1)
        let selection = ReleaseSelection(architectures: example.architectures,
                                         platforms: example.platforms.map { PlatformFilter(os: "linux", architecture: $0, mark: mark) })
        #expect(ReleaseVersionSelector.architectures(for: selection) == example.passes)
    }

    @Test func twoArchitecturesGiveOnePayloadEach() async throws {
        let source = RecordedGraphs()
        let selection = ReleaseSelection(channels: [G.channel("stable-4.18")], architectures: [.amd64, .arm64])
        let result = try await ReleaseVersionSelector(source: source).select(selection)
        #expect(result.releases.map { "\($0.architecture.rawValue) \($0.version)" } == ["amd64 4.18.4", "arm64 4.18.3"])
        #expect(result.releases.map(\.payload.digest) == [G.payloadDigest("4.18.4", .amd64), G.payloadDigest("4.18.3", .arm64)])
        #expect(source.queries.map(\.architecture) == [.amd64, .arm64])
        #expect(result.explanationText.contains("stable-4.18 (arm64): head only — 1 release"))
    }

    @Test func platformsMeanOneMultiPass() async throws {
        let source = RecordedGraphs()
        let mark = SourceMark(file: "isc.yaml", line: 1, column: 1)
        let selection = ReleaseSelection(channels: [G.channel("stable-4.18", full: true)], architectures: [.arm64],
                                         platforms: [PlatformFilter(os: "linux", architecture: "arm64", mark: mark)])
        let result = try await ReleaseVersionSelector(source: source).select(selection)
        #expect(result.releases.map { "\($0.architecture.rawValue) \($0.version)" } == ["multi 4.17.10", "multi 4.18.1", "multi 4.18.2"])
        #expect(result.releases.last?.payload.digest == G.payloadDigest("4.18.2", .multi))
        #expect(source.queries == [UpdateGraphQuery(channel: "stable-4.18", architecture: .multi)])
    }

    @Test func selectionIsDeterministic() async throws {
        let selection = ReleaseSelection(channels: [G.channel("stable-4.16", min: "4.16.20"), G.channel("stable-4.18", full: true),
                                                    G.channel("stable-4.17", max: "4.17.9", shortestPath: true)])
        let first = try await ReleaseVersionSelector(source: RecordedGraphs()).select(selection)
        let second = try await ReleaseVersionSelector(source: RecordedGraphs()).select(selection)
        #expect(first == second)
    }

    @Test func extendedUpdateSupportAcrossTwoMinorsWarns() {
        #expect(ReleaseVersionSelector.extendedUpdateSupportWarning(G.channel("eus-4.16", min: "4.14.30", max: "4.16.20")) != nil)
        #expect(ReleaseVersionSelector.extendedUpdateSupportWarning(G.channel("eus-4.16", min: "4.15.30", max: "4.16.20")) == nil)
        #expect(ReleaseVersionSelector.extendedUpdateSupportWarning(G.channel("stable-4.16", min: "4.14.30", max: "4.16.20")) == nil)
    }
}
