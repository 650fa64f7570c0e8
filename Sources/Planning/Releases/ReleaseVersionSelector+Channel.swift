import ImageSet

extension ReleaseVersionSelector {
    /// Chooses one channel's releases from its graph (spec §4.2, oc-mirror
    /// `GetReleaseReferenceImages` and `getChannelDownloads`). Pure.
    ///
    /// "first" and "latest" are the lowest and highest versions of the channel's nodes:
    ///
    /// | minVersion | maxVersion | full  | chosen |
    /// |---|---|---|---|
    /// | –   | –   | false | latest (the head) |
    /// | –   | –   | true  | [first, latest] |
    /// | set | –   | any   | [min, latest] |
    /// | –   | set | any   | [first, max] |
    /// | set | set | any   | [min, max] |
    ///
    /// Without `shortestPath` every release in the range is chosen; the bounds need not be
    /// releases (`minVersion: 4.18.0` is common), which a note reports. With `shortestPath` only
    /// the releases on the shortest path between the bounds are, and the bounds must be releases.
    /// The path is searched in this same graph: the update service's answer does not depend on
    /// the `version=` that oc-mirror adds to that query, so asking again gives nothing new.
    ///
    /// - Parameter graph: the channel's graph as fetched; nodes whose metadata lists other
    ///   channels only are left out (``UpdateGraph/restricted(toChannel:)``).
    /// - Throws: ``ReleaseSelectionError``: empty channel, unknown version, empty range, a
    ///   shortest path whose minVersion is above its maxVersion. A shortest path the graph does
    ///   not have keeps its two ends, with a note and a warning, as oc-mirror keeps them.
    public static func selectChannel(_ channel: ReleaseChannel, architecture: ReleaseArchitecture,
                                     graph: UpdateGraph) throws(ReleaseSelectionError) -> ChannelExplanation {
        func failure(_ kind: ReleaseSelectionError.Kind, _ message: String, hint: String? = nil) -> ReleaseSelectionError {
            ReleaseSelectionError(kind, channel: channel.name, architecture: architecture, mark: channel.mark,
                                  message: message, hint: hint)
        }

        let view = graph.restricted(toChannel: channel.name)
        let versions = view.versions
        guard let first = versions.first, let latest = versions.last else {
            if graph.nodes.isEmpty {
                throw failure(.emptyChannel, "the update graph holds no release",
                              hint: "check the channel name (candidate-, fast-, stable- or eus-MAJOR.MINOR) and that it "
                                  + "exists for \(architecture.rawValue)")
            }
            let named = graph.channelsNamed
            throw failure(.emptyChannel, "none of the graph's \(graph.nodes.count) releases is in \(channel.name)",
                          hint: "the releases are in " + Self.list(named, limit: 12) + "; check the channel name")
        }

        let headOnly = channel.minVersion == nil && channel.maxVersion == nil && !channel.full
        let lower = channel.minVersion ?? (headOnly ? latest : first)
        let upper = channel.maxVersion ?? latest
        let rule = Self.rule(channel, first: first, latest: latest)

        // A head-only shortest path is the head alone.
        if channel.shortestPath && !headOnly {
            for (name, bound) in [("minVersion", lower), ("maxVersion", upper)] where view.index(of: bound) == nil {
                throw failure(.unknownVersion(bound), "\(name) \(bound) is not a release of the channel; "
                                  + Self.holdings(of: view, near: bound),
                              hint: "shortestPath needs minVersion and maxVersion to be releases of the channel; "
                                  + "use one of the nearest, or drop shortestPath to mirror the whole range")
            }
            guard let path = view.shortestPath(from: lower, to: upper) else {
                if upper < lower {
                    throw failure(.unreachable(from: lower, to: upper), "no upgrade path from \(lower) to \(upper)",
                                  hint: "minVersion is above maxVersion")
                }
                // oc-mirror does not fail here: its empty path leaves the two ends (`gatherUpdates`
                // adds the start and the target). So does Ferry, and it says so.
                let gap = "no upgrade path from \(lower) to \(upper) in \(channel.name), not even through a conditional "
                    + "edge: only \(lower) and \(upper) are mirrored, and a cluster at \(lower) cannot update to \(upper) "
                    + "with them"
                let entries = [lower, upper].map { version in
                    ChannelExplanation.Entry(version: version, payload: view.node(version)!.payload, channel: channel.name,
                                             reason: .onShortestPath(from: lower, to: upper))
                }
                return ChannelExplanation(architecture: architecture, title: channel.name, rule: rule, entries: entries,
                                          notes: [gap],
                                          warnings: ["channel \(channel.name) (\(architecture.rawValue)): \(gap)\n  hint: choose "
                                              + "minVersion/maxVersion the update service connects (see the channel's graph), "
                                              + "or drop shortestPath to mirror the whole range"])
            }
            let entries = path.versions.sorted().map { version in
                ChannelExplanation.Entry(version: version, payload: view.node(version)!.payload, channel: channel.name,
                                         reason: .onShortestPath(from: lower, to: upper),
                                         conditionalStep: path.conditionalStep(into: version))
            }
            return ChannelExplanation(architecture: architecture, title: channel.name, rule: rule, entries: entries)
        }

        let chosen = versions.filter { Self.isWithin($0, lower, upper) }
        guard !chosen.isEmpty else {
            throw failure(.noReleaseInRange(lower: lower, upper: upper), "no release in [\(lower), \(upper)]; "
                              + "the channel holds \(versions.count) release\(versions.count == 1 ? "" : "s"), \(first) … \(latest)",
                          hint: upper < lower ? "minVersion \(lower) is above the channel's latest release \(latest)"
                              : "move minVersion/maxVersion into the channel's versions")
        }
        var notes: [String] = []
        for (name, bound) in [("minVersion", channel.minVersion), ("maxVersion", channel.maxVersion)] {
            guard let bound, view.index(of: bound) == nil else { continue }
            notes.append("\(name) \(bound) is not a release of \(channel.name); " + Self.holdings(of: view, near: bound))
        }
        let reason: SelectionReason = headOnly ? .head(channel: channel.name) : .inRange(lower: lower, upper: upper)
        let entries = chosen.map {
            ChannelExplanation.Entry(version: $0, payload: view.node($0)!.payload, channel: channel.name, reason: reason)
        }
        return ChannelExplanation(architecture: architecture, title: channel.name, rule: rule, entries: entries, notes: notes)
    }

    /// `lower ≤ version ≤ upper` by precedence (blang semver range `>=lower <=upper`).
    static func isWithin(_ version: SemanticVersion, _ lower: SemanticVersion, _ upper: SemanticVersion) -> Bool {
        (lower < version || lower.hasSamePrecedence(as: version)) && (version < upper || version.hasSamePrecedence(as: upper))
    }

    /// The rule in words, with the bounds it resolved to.
    private static func rule(_ channel: ReleaseChannel, first: SemanticVersion, latest: SemanticVersion) -> String {
        let path = channel.shortestPath ? ", shortest path" : ""
        switch (channel.minVersion, channel.maxVersion) {
        case let (min?, max?): return "minVersion \(min) to maxVersion \(max)\(path)"
        case let (min?, nil): return "minVersion \(min) to the latest release \(latest)\(path)"
        case let (nil, max?): return "the first release \(first) to maxVersion \(max)\(path)"
        case (nil, nil): return channel.full ? "full channel, \(first) to \(latest)\(path)" : "head only"
        }
    }

    /// "nearest: 4.18.2, 4.18.4; the channel holds 40 releases, 4.17.5 … 4.18.6; 4.18.z: 4.18.1, 4.18.2, 4.18.4, 4.18.6".
    static func holdings(of graph: UpdateGraph, near version: SemanticVersion) -> String {
        let versions = graph.versions
        let nearest = graph.nearestVersions(to: version)
        var parts: [String] = []
        let nearby = [nearest.below, nearest.above].compactMap { $0?.description }
        if !nearby.isEmpty { parts.append("nearest: " + nearby.joined(separator: ", ")) }
        if let first = versions.first, let last = versions.last {
            parts.append("the channel holds \(versions.count) release\(versions.count == 1 ? "" : "s"), \(first) … \(last)")
        }
        let sameMinor = versions.filter { $0.major == version.major && $0.minor == version.minor }
        if !sameMinor.isEmpty {
            parts.append("\(version.major).\(version.minor).z: " + list(sameMinor.map(\.description), limit: 20))
        }
        return parts.joined(separator: "; ")
    }

    /// `a, b, c` or `a, b, … (12 more)`.
    static func list(_ items: [String], limit: Int) -> String {
        guard !items.isEmpty else { return "(none)" }
        guard items.count > limit else { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + ", … (\(items.count - limit) more)"
    }
}
