import ImageSet

extension ReleaseVersionSelector {
    /// One end of a cross-channel path: a configured channel and what it selected.
    public struct ChannelOutcome: Sendable, Hashable {
        public var channel: ReleaseChannel
        public var explanation: ChannelExplanation

        public init(channel: ReleaseChannel, explanation: ChannelExplanation) {
            self.channel = channel
            self.explanation = explanation
        }
    }

    /// The source and target of the cross-channel path among several OCP channels (spec §4.3,
    /// oc-mirror `getCrossChannelDownloads`, `FindRelease`): the channel with the lowest chosen
    /// release and the one with the highest; on a tie, the one configured first (oc-mirror's
    /// tie depends on map order). Nil with fewer than two channels.
    ///
    /// oc-mirror compares the resolved minVersion/maxVersion, which need not be releases; the
    /// lowest and highest *chosen* releases are, so the path can start and end on them.
    public static func crossChannelEnds(_ outcomes: [ChannelOutcome]) -> (source: ChannelOutcome, target: ChannelOutcome)? {
        let candidates = outcomes.filter { $0.channel.type == .ocp && $0.explanation.lowest != nil }
        guard candidates.count >= 2 else { return nil }
        var source = candidates[0], target = candidates[0]
        for outcome in candidates.dropFirst() {
            if outcome.explanation.lowest! < source.explanation.lowest! { source = outcome }
            if target.explanation.highest! < outcome.explanation.highest! { target = outcome }
        }
        return (source, target)
    }

    /// The channels a path from `source` to `target` goes through, in order: the source alone
    /// when they are the same channel; the target alone for the same MAJOR.MINOR under another
    /// prefix; otherwise the source, `<source prefix>-MAJOR.(MINOR+1)` for each minor in between,
    /// and the target (oc-mirror `CalculateUpgrades`, `calculate`).
    /// - Throws: ``ReleaseSelectionError`` when the names are not `PREFIX-MAJOR.MINOR` or the
    ///   target is not a later minor of the same major.
    public static func crossChannelRoute(from source: String, to target: String,
                                         architecture: ReleaseArchitecture) throws(ReleaseSelectionError) -> [String] {
        if source == target { return [source] }
        let title = "\(source) → \(target)"
        guard let from = CrossChannelName(source), let to = CrossChannelName(target) else {
            let bad = CrossChannelName(source) == nil ? source : target
            throw ReleaseSelectionError(.unsupportedCrossChannel, channel: title, architecture: architecture,
                                        message: "cannot compute the cross-channel upgrade path: '\(bad)' does not end in -MAJOR.MINOR",
                                        hint: "name channels PREFIX-MAJOR.MINOR, for example stable-4.18")
        }
        if from.major == to.major, from.minor == to.minor { return [target] }
        guard from.major == to.major, from.minor < to.minor else {
            throw ReleaseSelectionError(.unsupportedCrossChannel, channel: title, architecture: architecture,
                                        message: "cannot compute the cross-channel upgrade path from \(from.major).\(from.minor) "
                                            + "to \(to.major).\(to.minor)",
                                        hint: "the channel with the lowest release must be an earlier minor of the same major "
                                            + "as the channel with the highest release")
        }
        var route = [source]
        for minor in (from.minor + 1)..<to.minor { route.append("\(from.prefix)-\(from.major).\(minor)") }
        route.append(target)
        return route
    }

    /// The upgrade path from the source's lowest chosen release to the target's highest, hop by
    /// hop along `route` (``crossChannelRoute(from:to:architecture:)``): in each channel but the
    /// last, the shortest path to that channel's latest release; in the last, to the target
    /// release. Pure.
    ///
    /// When a hop's start is not in the next channel there is no update out of it: oc-mirror
    /// calls that "blocked" and warns; so does this, and the path stops there.
    ///
    /// A channel between the two ends that holds no release at all (`eus-4.13` on the way from
    /// `eus-4.12` to `eus-4.14`: EUS channels exist for even minors only) is passed over with a
    /// note, and the path goes on from the same release in the next channel, whose graph holds the
    /// updates across that minor. oc-mirror fails the cross-channel path there ("no cluster
    /// versions found"); stopping would leave a cluster on the earlier minor without its way up.
    ///
    /// When a hop's start is in the channel but no update, not even a conditional one, leads to
    /// the hop's end, the hop adds nothing and the path goes on from the hop's end, as oc-mirror
    /// does (`GetUpdates` answers an empty path without an error, `calculate` goes on from the
    /// channel's latest release): the hops that connect are kept, each channel's own selection
    /// stands, and the missing step is a ``CrossChannelGap``, a note and a warning.
    /// - Parameter graphs: the graph of every channel of the route, by name.
    /// - Returns: the explanation, the warnings, and the steps with no update.
    /// - Throws: ``ReleaseSelectionError`` for a missing graph or a hop end that is not a release
    ///   of its channel.
    public static func crossChannelPath(from source: ChannelOutcome, to target: ChannelOutcome, route: [String],
                                        graphs: [String: UpdateGraph],
                                        architecture: ReleaseArchitecture) throws(ReleaseSelectionError)
        -> (explanation: ChannelExplanation, warnings: [String], gaps: [CrossChannelGap]) {
        let title = source.channel.name == target.channel.name
            ? "\(source.channel.name)" : "\(source.channel.name) → \(target.channel.name)"
        guard let start = source.explanation.lowest, let end = target.explanation.highest else {
            return (ChannelExplanation(architecture: architecture, title: title, rule: "nothing chosen", entries: []), [], [])
        }
        func failure(_ kind: ReleaseSelectionError.Kind, _ message: String, hint: String? = nil) -> ReleaseSelectionError {
            ReleaseSelectionError(kind, channel: title, architecture: architecture, mark: source.channel.mark,
                                  message: message, hint: hint)
        }

        let through = route.dropFirst().dropLast()
        let rule = "cross-channel upgrade path from \(start) (\(source.channel.name)) to \(end) (\(target.channel.name))"
            + (through.isEmpty ? "" : " through \(through.joined(separator: ", "))")
        var entries: [ChannelExplanation.Entry] = []
        var notes: [String] = []
        var warnings: [String] = []
        var gaps: [CrossChannelGap] = []
        var current = start
        var currentChannel = source.channel.name
        for (position, name) in route.enumerated() {
            guard let graph = graphs[name]?.restricted(toChannel: name) else {
                throw failure(.emptyChannel, "no graph for \(name), which the path goes through")
            }
            let isLast = position == route.count - 1
            // A channel of the route the update service does not have (EUS channels exist for even
            // minors only: eus-4.12 → eus-4.14 goes "through" eus-4.13): the next channel's graph
            // holds the updates across that minor, so the path goes on there.
            if !isLast, graph.nodes.isEmpty {
                notes.append("\(name) holds no release for \(architecture.rawValue) (the update service has no such channel; "
                    + "EUS channels exist for even minors only): the path goes on from \(current) in \(route[position + 1])")
                continue
            }
            guard graph.index(of: current) != nil else {
                let warning = "cross-channel upgrade path \(title) (\(architecture.rawValue)) stops at \(current): it is not a "
                    + "release of \(name), so no update leads from it into \(name); only what each channel selects is mirrored"
                notes.append("stops at \(current): not a release of \(name)")
                warnings.append(warning)
                break
            }
            guard let hopEnd = isLast ? end : graph.versions.last else { break }
            guard graph.index(of: hopEnd) != nil else {
                throw failure(.unknownVersion(hopEnd), "\(hopEnd) is not a release of \(name); " + holdings(of: graph, near: hopEnd))
            }
            guard let path = graph.shortestPath(from: current, to: hopEnd) else {
                // oc-mirror keeps going (an empty path is no error to it): the step adds nothing.
                let gap = CrossChannelGap(from: current, fromChannel: currentChannel, to: hopEnd, channel: name)
                gaps.append(gap)
                notes.append("no update from \(gap.from) (\(gap.fromChannel)) to \(hopEnd) in \(name), not even through a "
                    + "conditional edge: " + (isLast ? "the path ends without this step" : "the path goes on from \(hopEnd)"))
                warnings.append(gapWarning(gap, title: title, architecture: architecture, graph: graph))
                current = hopEnd
                currentChannel = name
                continue
            }
            for version in path.versions where !entries.contains(where: { $0.version.hasSamePrecedence(as: version) }) {
                entries.append(ChannelExplanation.Entry(version: version, payload: graph.node(version)!.payload, channel: name,
                                                        reason: .onCrossChannelPath(from: start, to: end),
                                                        conditionalStep: path.conditionalStep(into: version)))
            }
            current = hopEnd
            currentChannel = name
        }
        entries.sort { $0.version < $1.version }
        return (ChannelExplanation(architecture: architecture, title: title + " (cross-channel)", rule: rule,
                                   entries: entries, notes: notes), warnings, gaps)
    }

    /// The run summary's line for a step with no update: which step, what is still mirrored, and
    /// what to do about it.
    private static func gapWarning(_ gap: CrossChannelGap, title: String, architecture: ReleaseArchitecture,
                                   graph: UpdateGraph) -> String {
        // The usual cause: the earlier minor's newest release has no update into the next minor yet.
        let leadsNowhere = graph.index(of: gap.from).map { index in
            !graph.edges.contains { $0.from == index }
                && !graph.conditionalEdges.contains { $0.edges.contains { $0.from.hasSamePrecedence(as: gap.from) } }
        } ?? true
        let hint = leadsNowhere
            ? "the update service has no update out of \(gap.from) in \(gap.channel) yet: mirror again once it has one"
            : "choose minVersion/maxVersion so that updates join the channels' releases (a later release of "
                + "\(gap.channel) may have an update from \(gap.from))"
        return "cross-channel upgrade path \(title) (\(architecture.rawValue)) has no update from \(gap.from) (\(gap.fromChannel)) "
            + "to \(gap.to) in \(gap.channel), not even through a conditional edge; each channel's selection and the steps "
            + "of the path that connect are mirrored, but a cluster cannot take this step with them"
            + "\n  hint: \(hint); https://access.redhat.com/labs/ocpupgradegraph/update_path shows the supported path"
    }
}

/// `PREFIX-MAJOR.MINOR`, split at the last `-` (oc-mirror `getSemverFromChannels`).
private struct CrossChannelName {
    var prefix: String
    var major: UInt64
    var minor: UInt64

    init?(_ name: String) {
        guard let dash = name.lastIndex(of: "-") else { return nil }
        let numbers = name[name.index(after: dash)...].split(separator: ".", omittingEmptySubsequences: false)
        guard numbers.count == 2, let major = UInt64(numbers[0]), let minor = UInt64(numbers[1]) else { return nil }
        prefix = String(name[..<dash])
        self.major = major
        self.minor = minor
    }
}
