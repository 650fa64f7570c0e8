import ImageSet

/// A channel whose releases could not be chosen: which channel and architecture, where the
/// configuration names it, what is wrong and what to do.
public struct ReleaseSelectionError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        /// The graph could not be had (network, status, saved file).
        case graphUnavailable(UpdateGraphError)
        /// The graph holds no release of the channel.
        case emptyChannel
        /// A minVersion/maxVersion that a path must start or end at is not a release of the channel.
        case unknownVersion(SemanticVersion)
        /// The version range holds no release.
        case noReleaseInRange(lower: SemanticVersion, upper: SemanticVersion)
        /// No chain of updates, not even a conditional one, leads from one release to the other
        /// (a channel's `shortestPath`; a cross-channel step without one is a ``CrossChannelGap``).
        case unreachable(from: SemanticVersion, to: SemanticVersion)
        /// A cross-channel path needs `PREFIX-MAJOR.MINOR` channel names in ascending order.
        case unsupportedCrossChannel
    }

    public var kind: Kind
    /// The channel, or `SOURCE → TARGET` for a cross-channel path.
    public var channel: String
    public var architecture: ReleaseArchitecture
    /// Where the configuration names the channel.
    public var mark: SourceMark?
    public var message: String
    public var hint: String?

    public init(_ kind: Kind, channel: String, architecture: ReleaseArchitecture, mark: SourceMark? = nil,
                message: String, hint: String? = nil) {
        self.kind = kind
        self.channel = channel
        self.architecture = architecture
        self.mark = mark
        self.message = message
        self.hint = hint
    }

    /// `FILE:LINE:COLUMN: channel C (arch): MESSAGE` and the hint on its own line.
    public var description: String {
        var text = (mark.map { "\($0): " } ?? "") + "channel \(channel) (\(architecture.rawValue)): \(message)"
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

/// Every channel that failed, with what the others selected: one bad channel does not hide the
/// problems of the rest.
public struct ReleaseSelectionFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [ReleaseSelectionError]
    /// What the channels that did not fail selected.
    public var partial: ReleaseSelectionResult

    public init(errors: [ReleaseSelectionError], partial: ReleaseSelectionResult) {
        self.errors = errors
        self.partial = partial
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
