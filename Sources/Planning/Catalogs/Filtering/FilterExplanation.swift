/// Why the filter kept a bundle in a channel.
public enum KeepReason: Sendable, Hashable, CustomStringConvertible {
    /// Heads only (no range, not full): the channel's head.
    case head
    /// `full: true`: every entry.
    case everyEntry
    /// `minVersion` = `maxVersion`: the one version asked for.
    case exactVersion
    /// On the kept part of the replaces chain, and in range.
    case inRange
    /// On the kept part of the replaces chain but out of range: between the new head and bundles
    /// in range, so those stay reachable (oc-mirror keeps these with a warning).
    case outOfRangeOnChain
    /// On the kept part of the replaces chain without a readable version.
    case unversionedOnChain
    /// In range, and skipped by a kept bundle of the replaces chain.
    case skipped(by: String)
    /// In range, and inside the `skipRange` of a kept bundle of the replaces chain, which it can
    /// upgrade to directly (Ferry; oc-mirror ignores `skipRange`).
    case inSkipRange(of: String, skipRange: String)
    /// Kept only to connect a bundle kept for a `skipRange` to the channel, so that the channel
    /// keeps a single head (Ferry).
    case connecting(String)

    public var description: String {
        switch self {
        case .head: "head of the channel"
        case .everyEntry: "full: every entry"
        case .exactVersion: "the version asked for (minVersion = maxVersion)"
        case .inRange: "in range"
        case .outOfRangeOnChain: "out of range, kept on the upgrade chain through which the bundles in range are reached"
        case .unversionedOnChain: "no version, kept on the upgrade chain through which the bundles in range are reached"
        case .skipped(let by): "in range, skipped by \(by)"
        case .inSkipRange(let of, let skipRange): "in range, in the skipRange '\(skipRange)' of \(of)"
        case .connecting(let target): "kept to connect \(target) to the channel"
        }
    }
}

/// How a channel was filtered.
public enum ChannelRule: Sendable, Hashable, CustomStringConvertible {
    /// No range and not full: the head only.
    case headOnly
    /// `full: true`: every entry.
    case full
    /// A version range; `fromChannel` tells whether the channel's own range or the package's.
    case range(BundleVersionRange, fromChannel: Bool)

    public var description: String {
        switch self {
        case .headOnly: "head only"
        case .full: "full"
        case .range(let range, let fromChannel): "\(range) (\(fromChannel ? "channel" : "package") range)"
        }
    }
}

/// One bundle a channel keeps.
public struct KeptEntry: Sendable, Hashable, CustomStringConvertible {
    public var bundle: String
    /// The version as read (`-` when unknown).
    public var version: String
    public var reason: KeepReason

    public init(bundle: String, version: String, reason: KeepReason) {
        self.bundle = bundle
        self.version = version
        self.reason = reason
    }

    /// `etcd.v0.9.4  0.9.4  in range`.
    public var description: String { "\(bundle)  \(version)  \(reason)" }
}

/// What the filter did with one channel.
public struct ChannelFilterExplanation: Sendable, Hashable {
    public var channel: String
    public var rule: ChannelRule
    /// Highest version first; unversioned last, by name.
    public var kept: [KeptEntry]
    /// Whether the channel was dropped because its range kept nothing (allowed for a channel
    /// that is not the default).
    public var removed: Bool
    /// What is worth knowing: versions read leniently, a `skipRange` that does not parse.
    public var notes: [String]

    public init(channel: String, rule: ChannelRule, kept: [KeptEntry], removed: Bool = false, notes: [String] = []) {
        self.channel = channel
        self.rule = rule
        self.kept = kept
        self.removed = removed
        self.notes = notes
    }

    /// `channel stable: head only: 1 bundle`, then one line per bundle, then the notes.
    public var text: String {
        let count = kept.count == 1 ? "1 bundle" : "\(kept.count) bundles"
        var lines = ["  channel \(channel): \(rule): " + (removed ? "removed, no bundle in range" : count)]
        lines += kept.map { "    \($0)" }
        lines += notes.map { "    note: \($0)" }
        return lines.joined(separator: "\n")
    }
}

/// What the filter did with one package.
public struct PackageFilterExplanation: Sendable, Hashable {
    public var package: String
    /// The default channel of the filtered package.
    public var defaultChannel: String?
    /// Channels by name, removed ones included.
    public var channels: [ChannelFilterExplanation]
    /// Bundles kept over all channels.
    public var bundleCount: Int
    public var notes: [String]

    public init(package: String, defaultChannel: String?, channels: [ChannelFilterExplanation], bundleCount: Int, notes: [String] = []) {
        self.package = package
        self.defaultChannel = defaultChannel
        self.channels = channels
        self.bundleCount = bundleCount
        self.notes = notes
    }

    /// `package etcd: default channel stable, 2 channels, 3 bundles`, the channels, the notes.
    public var text: String {
        let kept = channels.count { !$0.removed }
        var header = "package \(package): "
        if let defaultChannel { header += "default channel \(defaultChannel), " }
        header += (kept == 1 ? "1 channel" : "\(kept) channels") + ", " + (bundleCount == 1 ? "1 bundle" : "\(bundleCount) bundles")
        var lines = [header]
        lines += channels.map(\.text)
        lines += notes.map { "  note: \($0)" }
        return lines.joined(separator: "\n")
    }
}
