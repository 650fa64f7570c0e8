import ImageSet

/// Filters one package: channels, default channel, each channel's bundles, deprecations; then
/// checks the result. Problems are collected, not thrown, so that all packages report at once.
struct PackageFilter {
    let package: CatalogPackage
    let configuration: OperatorPackage?
    let full: Bool

    private(set) var problems: [CatalogFilterError.Problem] = []
    private(set) var warnings: [String] = []
    private(set) var result: CatalogPackage
    private(set) var explanation: PackageFilterExplanation

    init(package: CatalogPackage, configuration: OperatorPackage?, full: Bool) {
        self.package = package
        self.configuration = configuration
        self.full = full
        self.result = CatalogPackage(name: package.name)
        self.explanation = PackageFilterExplanation(package: package.name, defaultChannel: nil, channels: [], bundleCount: 0)
    }

    private mutating func problem(_ message: String, channel: String? = nil, hint: String? = nil) {
        problems.append(CatalogFilterError.Problem(package: package.name, channel: channel, message: message, hint: hint,
                                                   mark: configuration?.mark))
    }

    mutating func run() {
        guard let olmPackage = package.package else {
            problem("the catalog has channels or bundles of this package but no olm.package blob")
            return
        }
        if full, let configuration, configuration.hasVersionRange || configuration.channels.contains(where: \.hasVersionRange) {
            problem("full: true cannot be combined with minVersion/maxVersion",
                    hint: "remove full: true, or the version range")
        }

        // Channels: the listed ones that exist, else all.
        var selected = package.channelNames
        var missing: [String] = []
        if let configuration, !configuration.channels.isEmpty {
            let listed = Set(configuration.channels.map(\.name))
            missing = listed.sorted().filter { package.channels[$0] == nil }
            for name in missing {
                warnings.append("package \(quoted(package.name)): channel \(quoted(name)) is not in the catalog "
                    + "(its channels: \(package.channelNames.joined(separator: ", ")))")
            }
            selected = selected.filter(listed.contains)
        }
        // Said with a problem too, since a problem ends the run before any warning is shown.
        let missingNote = missing.isEmpty ? ""
            : "; channel\(missing.count == 1 ? "" : "s") \(missing.map(quoted).joined(separator: ", ")) listed in the configuration "
                + "\(missing.count == 1 ? "is" : "are") not in the catalog (its channels: \(package.channelNames.joined(separator: ", ")))"

        // Default channel, checked against the selected channels (before ranges), as oc-mirror does.
        let catalogDefault = olmPackage.defaultChannel
        var defaultChannel = catalogDefault
        if let configuration {
            let choices = selected.isEmpty ? "none" : selected.joined(separator: ", ")
            if let override = configuration.defaultChannel {
                if !selected.contains(override) {
                    problem("the defaultChannel \(quoted(override)) set in the configuration is not among the package's filtered channels (\(choices))"
                                + missingNote,
                            hint: "add channel \(quoted(override)) to the package's channels, or set defaultChannel to one of them")
                }
                defaultChannel = override
            } else if let catalogDefault, !selected.contains(catalogDefault) {
                problem("the default channel \(quoted(catalogDefault)) was filtered out, a new default channel must be configured for this package"
                            + missingNote,
                        hint: "set defaultChannel for the package to one of its filtered channels (\(choices)), or add channel \(quoted(catalogDefault)) to its channels")
            }
        }
        guard problems.isEmpty else { return }

        // Bundles of each channel.
        var keptChannels: [String: OLMChannel] = [:]
        var keptBundles: Set<String> = []
        for name in selected {
            guard let channel = package.channels[name] else { continue }
            guard var outcome = select(channel) else { continue }
            if outcome.kept.isEmpty {
                if name == defaultChannel {
                    if let left = outcome.leftOutPrereleases {
                        problem("\(outcome.rule) leaves no bundle in the package's default channel: \(left.summary)", channel: name,
                                hint: "set minVersion to \(left.admittingMinimum) to admit \(left.them), or set defaultChannel to a channel the range keeps bundles of")
                    } else {
                        problem("\(outcome.rule) leaves no bundle in the package's default channel", channel: name,
                                hint: "widen the range, or set defaultChannel to a channel the range keeps bundles of")
                    }
                } else {
                    outcome.explanation.removed = true
                    explanation.channels.append(outcome.explanation)
                }
                continue
            }
            let names = Set(outcome.kept.map(\.bundle))
            keptChannels[name] = channel.keeping(names)
            keptBundles.formUnion(names)
            explanation.channels.append(outcome.explanation)
        }
        guard problems.isEmpty else { return }

        var filteredPackage = olmPackage
        if let defaultChannel, defaultChannel != catalogDefault {
            filteredPackage = olmPackage.withDefaultChannel(defaultChannel)
            explanation.notes.append("default channel set by the configuration (the catalog's is \(catalogDefault.map(quoted) ?? "unset"))")
        }
        result.package = filteredPackage
        result.channels = keptChannels
        result.bundles = package.bundles.filter { keptBundles.contains($0.key) }
        result.others = package.others
        result.deprecations = prunedDeprecations(channels: Set(keptChannels.keys), bundles: keptBundles)
        explanation.defaultChannel = defaultChannel
        explanation.bundleCount = keptBundles.count
        check()
    }

    /// What one channel keeps, with its explanation and the pre-releases its range left out; nil
    /// after a problem.
    private mutating func select(_ channel: OLMChannel)
        -> (rule: ChannelRule, kept: [KeptEntry], explanation: ChannelFilterExplanation, leftOutPrereleases: LeftOutPrereleases?)? {
        let channelConfiguration = configuration?.channels.last { $0.name == channel.name }
        let rule: ChannelRule
        if full {
            rule = .full
        } else if let channelConfiguration, channelConfiguration.hasVersionRange {
            rule = .range(BundleVersionRange(minimum: channelConfiguration.minVersion, maximum: channelConfiguration.maxVersion), fromChannel: true)
        } else if let configuration, configuration.hasVersionRange {
            rule = .range(BundleVersionRange(minimum: configuration.minVersion, maximum: configuration.maxVersion), fromChannel: false)
        } else {
            rule = .headOnly
        }

        let versions = channel.entries.map { BundleVersion(package.bundles[$0.name]?.version) }
        var selection = ChannelSelection()
        switch rule {
        case .full:
            for index in channel.entries.indices { selection.kept[index] = .everyEntry }
        case .range(let range, _) where range.isExact:
            selection = ChannelGraph.selectExact(range.maximum!.version, entries: channel.entries, versions: versions.map(\.version))
        case .headOnly, .range:
            do throws(ChannelGraph.Problems) {
                let graph = try ChannelGraph(channel.entries)
                if case .range(let range, _) = rule {
                    selection = graph.selectRange(range, versions: versions.map(\.version))
                } else {
                    selection = graph.selectHead()
                }
            } catch {
                problem("cannot filter the channel: " + error.messages.joined(separator: "; "), channel: channel.name,
                        hint: "the catalog's upgrade graph is broken; mirror the channel with full: true, or leave it out")
                return nil
            }
        }

        var leftOut: LeftOutPrereleases?
        if case .range(let range, _) = rule, range.isExactByEqualPartialBounds, let maximum = range.maximum {
            // oc-mirror's catalog filter compares the bounds first (`isSpecificVersion`) and, when
            // they are equal, asks for that one version, zero-filled: it never asks Masterminds.
            selection.notes.append("minVersion and maxVersion are both \(maximum): read as exactly \(maximum.version), as "
                                   + "oc-mirror reads equal bounds; to keep every \(maximum).x, write minVersion "
                                   + "\(maximum.version) with maxVersion \(maximum)")
        }
        if case .range(let range, _) = rule {
            for (entry, version) in zip(channel.entries, versions) {
                if let note = version.note { selection.notes.append("\(entry.name): \(note)") }
            }
            leftOut = LeftOutPrereleases(range: range, versions: channel.entries.indices.compactMap { index in
                selection.kept[index] == nil ? versions[index].version : nil
            })
            if let leftOut { selection.notes.append("\(leftOut.summary); minVersion \(leftOut.admittingMinimum) would admit \(leftOut.them)") }
        }
        let kept = selection.kept.map { index, reason in
            (entry: KeptEntry(bundle: channel.entries[index].name, version: package.bundles[channel.entries[index].name]?.version ?? "-",
                              reason: reason),
             version: versions[index].version)
        }.sorted { a, b in
            switch (a.version, b.version) {
            case let (x?, y?) where !x.hasSamePrecedence(as: y): return y < x
            case (.some, nil): return true
            case (nil, .some): return false
            default: return a.entry.bundle < b.entry.bundle
            }
        }.map(\.entry)
        return (rule, kept, ChannelFilterExplanation(channel: channel.name, rule: rule, kept: kept, notes: selection.notes), leftOut)
    }

    /// Deprecation entries of channels and bundles that are gone are dropped; a blob left with
    /// no entry is dropped.
    private mutating func prunedDeprecations(channels: Set<String>, bundles: Set<String>) -> [OLMDeprecations] {
        var kept: [OLMDeprecations] = []
        for deprecations in package.deprecations {
            let pruned = deprecations.keeping { entry in
                switch entry.schema {
                case CatalogSchema.channel: channels.contains(entry.name)
                case CatalogSchema.bundle: bundles.contains(entry.name)
                default: true
                }
            }
            let dropped = deprecations.entries.count - pruned.entries.count
            if dropped > 0 {
                explanation.notes.append("deprecations: \(dropped == 1 ? "1 entry" : "\(dropped) entries") about removed channels or bundles dropped")
            }
            if pruned.entries.isEmpty && !deprecations.entries.isEmpty { continue }
            kept.append(pruned)
        }
        return kept
    }

    /// The filtered package as OLM will see it: the default channel exists, every entry has its
    /// bundle, every channel has one head and no cycle.
    private mutating func check() {
        if let defaultChannel = explanation.defaultChannel, result.channels[defaultChannel] == nil {
            problem("the default channel \(quoted(defaultChannel)) is not in the filtered package")
        }
        for name in result.channels.keys.sorted() {
            guard let channel = result.channels[name] else { continue }
            let missing = channel.entries.map(\.name).filter { result.bundles[$0] == nil }
            if !missing.isEmpty {
                problem("the catalog has no olm.bundle for the kept " + (missing.count == 1 ? "entry " : "entries ")
                        + missing.map(quoted).joined(separator: ", "), channel: name)
            }
            do throws(ChannelGraph.Problems) {
                _ = try ChannelGraph(channel.entries)
            } catch {
                problem("the filtered channel is not a valid upgrade graph: " + error.messages.joined(separator: "; "), channel: name)
            }
        }
    }
}

/// The pre-release bundles a range with release bounds left out although their release lies
/// within the bounds (`1.31.0-nightly-…` under `minVersion: "1.31"`, `0.1.4-rc.0` under
/// `maxVersion: "0"`): Masterminds admits pre-releases only when a bound is one, which the bounds
/// as printed do not show. Said in the explanation, and in the problem when the default channel
/// ends up empty, since widening the range would not help.
struct LeftOutPrereleases: Sendable, Hashable {
    /// Their versions, lowest first.
    var versions: [SemanticVersion]
    /// The minimum that admits them: the minimum (zero-filled) with the lowest pre-release, `-0`.
    var admittingMinimum: SemanticVersion

    /// Nil when the range admits pre-releases, asks for one version, or left none out.
    init?(range: BundleVersionRange, versions: [SemanticVersion]) {
        guard !range.admitsPrereleases, !range.isExact else { return nil }
        let left = versions.filter { version in
            version.isPrerelease && range.contains(SemanticVersion(major: version.major, minor: version.minor, patch: version.patch))
        }.sorted()
        guard !left.isEmpty else { return nil }
        self.versions = left
        let minimum = range.minimum?.version ?? SemanticVersion(major: 0, minor: 0, patch: 0)
        // `-0` sorts below every other pre-release of that version.
        self.admittingMinimum = SemanticVersion(major: minimum.major, minor: minimum.minor, patch: minimum.patch, prerelease: ["0"])
    }

    /// `9 bundles are pre-releases of versions within the bounds (1.31.0-nightly-2026-08-10 … 1.31.0-nightly-2026-08-22), left out: …`
    var summary: String {
        let list = versions.count <= 3 ? versions.map(\.description).joined(separator: ", ")
            : "\(versions[0]) … \(versions[versions.count - 1])"
        return (versions.count == 1 ? "1 bundle is a pre-release" : "\(versions.count) bundles are pre-releases")
            + " of versions within the bounds (\(list)), left out: a range admits pre-releases only when minVersion or maxVersion is one"
    }

    var them: String { versions.count == 1 ? "it" : "them" }
}
