import ImageSet

/// Chooses the release payloads a `platform.channels` selection means, from the update graphs
/// (spec §4.2 and §4.3): for each architecture, each channel's own versions, then, with two or
/// more OCP channels, the upgrade path across them. `platform.release` (one payload, no graph)
/// is the caller's.
///
/// Graphs come from an ``UpdateGraphSource`` (the update service, saved graph data, recorded
/// graphs); each is asked for once. The choosing itself is pure and deterministic
/// (``selectChannel(_:architecture:graph:)``, ``crossChannelPath(from:to:route:graphs:architecture:)``).
public struct ReleaseVersionSelector: Sendable {
    public let source: any UpdateGraphSource

    public init(source: any UpdateGraphSource) {
        self.source = source
    }

    /// The architectures queried: one `multi` pass when `platforms` is set, else each of
    /// `architectures` once, in order, else `amd64`.
    public static func architectures(for selection: ReleaseSelection) -> [ReleaseArchitecture] {
        if !selection.platforms.isEmpty { return [.multi] }
        var seen: [ReleaseArchitecture] = []
        for architecture in selection.architectures where !seen.contains(architecture) { seen.append(architecture) }
        return seen.isEmpty ? [.amd64] : seen
    }

    /// Chooses the releases of every channel for every architecture.
    ///
    /// A failing channel does not stop the others: every failure is collected and thrown
    /// together, with what the rest selected. No channels gives an empty result.
    /// - Throws: ``ReleaseSelectionFailure`` with one ``ReleaseSelectionError`` per failure.
    public func select(_ selection: ReleaseSelection) async throws(ReleaseSelectionFailure) -> ReleaseSelectionResult {
        var cache: [UpdateGraphQuery: Result<UpdateGraph, UpdateGraphError>] = [:]
        var explanations: [ChannelExplanation] = []
        var warnings: [String] = []
        var errors: [ReleaseSelectionError] = []

        for architecture in Self.architectures(for: selection) {
            var outcomes: [ChannelOutcome] = []
            for channel in selection.channels {
                let query = UpdateGraphQuery(channel: channel.name, product: channel.type, architecture: architecture)
                let graph: UpdateGraph
                switch await fetch(query, cache: &cache) {
                case .success(let fetched): graph = fetched
                case .failure(let error):
                    errors.append(ReleaseSelectionError(.graphUnavailable(error), channel: channel.name, architecture: architecture,
                                                        mark: channel.mark,
                                                        message: "cannot get the update graph from \(error.location): \(error.message)",
                                                        hint: error.hint))
                    continue
                }
                do {
                    let explanation = try Self.selectChannel(channel, architecture: architecture, graph: graph)
                    explanations.append(explanation)
                    warnings += explanation.warnings
                    outcomes.append(ChannelOutcome(channel: channel, explanation: explanation))
                } catch {
                    errors.append(error)
                }
                if let warning = Self.extendedUpdateSupportWarning(channel), !warnings.contains(warning) {
                    warnings.append(warning)
                }
            }

            guard let ends = Self.crossChannelEnds(outcomes) else { continue }
            do throws(ReleaseSelectionError) {
                let route = try Self.crossChannelRoute(from: ends.source.channel.name, to: ends.target.channel.name,
                                                       architecture: architecture)
                var graphs: [String: UpdateGraph] = [:]
                for name in route {
                    let query = UpdateGraphQuery(channel: name, product: .ocp, architecture: architecture)
                    switch await fetch(query, cache: &cache) {
                    case .success(let graph): graphs[name] = graph
                    case .failure(let error):
                        throw ReleaseSelectionError(.graphUnavailable(error),
                                                    channel: "\(ends.source.channel.name) → \(ends.target.channel.name)",
                                                    architecture: architecture, mark: ends.source.channel.mark,
                                                    message: "the cross-channel upgrade path goes through \(name), whose graph "
                                                        + "cannot be had from \(error.location): \(error.message)",
                                                    hint: error.hint)
                    }
                }
                let path = try Self.crossChannelPath(from: ends.source, to: ends.target, route: route, graphs: graphs,
                                                     architecture: architecture)
                explanations.append(path.explanation)
                warnings += path.warnings
            } catch {
                errors.append(error)
            }
        }

        let result = ReleaseSelectionResult(releases: Self.releases(from: explanations), explanation: explanations,
                                            warnings: warnings)
        guard errors.isEmpty else { throw ReleaseSelectionFailure(errors: errors, partial: result) }
        return result
    }

    /// Asks the source once per query; a failure is remembered too, so it is reported once.
    private func fetch(_ query: UpdateGraphQuery,
                       cache: inout [UpdateGraphQuery: Result<UpdateGraph, UpdateGraphError>]) async
        -> Result<UpdateGraph, UpdateGraphError> {
        if let known = cache[query] { return known }
        let result: Result<UpdateGraph, UpdateGraphError>
        do {
            result = .success(try await source.graph(for: query))
        } catch {
            result = .failure(error)
        }
        cache[query] = result
        return result
    }

    /// The explanations' entries as releases, one per (architecture, version): channels merged,
    /// conditional if any path reached it conditionally. Architectures in order of appearance,
    /// versions ascending.
    public static func releases(from explanations: [ChannelExplanation]) -> [SelectedRelease] {
        struct Key: Hashable {
            var architecture: ReleaseArchitecture
            var version: SemanticVersion
        }
        var architectures: [ReleaseArchitecture] = []
        var byKey: [Key: SelectedRelease] = [:]
        for explanation in explanations {
            if !architectures.contains(explanation.architecture) { architectures.append(explanation.architecture) }
            for entry in explanation.entries {
                let key = Key(architecture: explanation.architecture, version: entry.version)
                var release = byKey[key] ?? SelectedRelease(version: entry.version, architecture: explanation.architecture,
                                                            payload: entry.payload, channels: [], viaConditionalEdge: false)
                if !release.channels.contains(entry.channel) { release.channels = (release.channels + [entry.channel]).sorted() }
                release.viaConditionalEdge = release.viaConditionalEdge || entry.conditionalStep != nil
                byKey[key] = release
            }
        }
        return byKey.values.sorted {
            let left = architectures.firstIndex(of: $0.architecture)!, right = architectures.firstIndex(of: $1.architecture)!
            return left != right ? left < right : $0.version < $1.version
        }
    }

    /// The warning for an EUS channel whose range spans two or more minors, if it does.
    ///
    /// oc-mirror warns when an EUS channel's range spans two or more minors: its upgrade path
    /// needs checking by hand (`GetReleaseReferenceImages`, CLID-135).
    public static func extendedUpdateSupportWarning(_ channel: ReleaseChannel) -> String? {
        guard channel.name.contains("eus"), let min = channel.minVersion, let max = channel.maxVersion,
              max.major > min.major || max.minor >= min.minor + 2 else { return nil }
        return "Extended Update Support channel \(channel.name) spans \(min) to \(max), two or more minor versions: "
            + "check its upgrade path with https://access.redhat.com/labs/ocpupgradegraph/update_path"
    }
}
